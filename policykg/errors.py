"""The one exception root of policykg; every error a user can see derives from it."""


class PolicyKGError(Exception):
    """Base of every policykg error. `status` is the HTTP status the API answers with."""

    status = 500
    code = "internal_error"


class InputError(PolicyKGError):
    """A file that cannot be read or understood; the message names the file and the cause."""

    status = 422
    code = "bad_input"

    def __init__(self, path, cause: str):
        self.path = str(path)
        self.cause = cause
        super().__init__(f"{self.path}: {cause}")


class NotFound(PolicyKGError):
    status = 404
    code = "not_found"


class InvalidGraph(PolicyKGError):
    """A fragment that breaks the graph vocabulary (unknown label, wrong endpoints)."""

    status = 500
    code = "invalid_graph"


class StoreUnavailable(PolicyKGError):
    """The store cannot be reached (Neo4j down, data directory unreadable)."""

    status = 503
    code = "store_unavailable"


class StoreBusy(PolicyKGError):
    """Another writer held the embedded store for longer than the lock timeout; the
    message names the store's directory and the holder."""

    status = 503
    code = "store_busy"


class Unauthorized(PolicyKGError):
    status = 401
    code = "unauthorized"
