"""The Cypher of policykg, one statement (or one script) per file, loaded by name."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def cypher(name: str) -> str:
    """The text of cypher/<name>.cypher, comments stripped."""
    try:
        text = resources.files(__name__).joinpath(f"{name}.cypher").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyError(f"no Cypher file {name}.cypher") from None
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")).strip()
