"""The store interface: one contract, two implementations (embedded networkx, Neo4j).

Versions: a document loaded again with other content (another sha256) is a new version.
In the same transaction the old version's Document node takes the id `<id>@<sha256[:12]>`
(graph/model.py `version_id`) and the property `version_of` (the current id), each of its
measures takes `<measure id>@<same suffix>` and `version_of` (its id in the current
version), a fresh Document node with the stable id takes the new content, and
`(new)-[:SUPERSEDES]->(old)` joins them; citations of the document move to the new node.
The old version keeps every edge (history); every analyst question below reads current
nodes only (`version_of` absent), except those asked of one node by id. Each version keeps
its sha256 and `loaded_at` (when it was first loaded; loading unchanged content again
changes nothing).

A store knows how to write (`load`, `link_implements`) and how to run a named question
(`_answer`); the questions themselves, their result models and orders are defined once in
graph/questions.py, and each is a method here (`store.backers(id)` is
`store.ask("backers", id)`). `tests/test_store_parity.py` asks every question on both.
"""
from __future__ import annotations

import abc
import inspect
from typing import Any, Iterator

from pydantic import BaseModel

from policykg.graph import questions as _questions
from policykg.graph.model import GraphFragment
from policykg.graph.questions import Question


def load_time() -> str:
    """A document version's load time: UTC, ISO, to the second."""
    import datetime as _dt

    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class LoadResult(BaseModel):
    nodes: int
    relationships: int


class Store(abc.ABC):
    """What every store does. Writes are idempotent merges of whole fragments; every
    question of graph/questions.py is also a method of the same name."""

    name = "store"

    @abc.abstractmethod
    def load(self, fragment: GraphFragment) -> LoadResult:
        """Merge one document's fragment, all or nothing."""

    @abc.abstractmethod
    def link_implements(self) -> int:
        """Link local measures to the cited national measures they restate; returns the count."""

    @abc.abstractmethod
    def records(self) -> Iterator[dict[str, Any]]:
        """The whole graph as APOC JSON-lines records (nodes, then relationships)."""

    def ask(self, name: str, /, *args: Any, **kwargs: Any) -> Any:
        """The answer to the question `name` (graph/questions.py) with these arguments."""
        q = _questions.get(name)
        return self._answer(q, q.bind(args, kwargs))

    @abc.abstractmethod
    def _answer(self, q: Question, params: dict[str, Any]) -> Any:
        """Run a question with bound parameters; the answer as `q.finish` makes it."""

    def health(self) -> dict[str, Any]:
        return {"status": "ok", "store": self.name, "counts": self.counts()}

    def close(self) -> None:
        """Release connections and flush pending writes."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _method(q: Question):
    def method(self: Store, *args: Any, **kwargs: Any) -> Any:
        return self._answer(q, q.bind(args, kwargs))

    method.__name__ = method.__qualname__ = q.name
    method.__doc__ = q.doc
    self_param = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)
    method.__signature__ = q.signature.replace(parameters=[self_param, *q.signature.parameters.values()])
    return method


for _q in _questions.QUESTIONS.values():
    setattr(Store, _q.name, _method(_q))
