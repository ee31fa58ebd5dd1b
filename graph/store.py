"""The store interface: one contract, two implementations (embedded networkx, Neo4j).

Both answer the analyst questions with the same result models; `tests/test_store_parity.py`
runs one suite against both. Search semantics are defined here so both stores agree: a
measure matches when every whitespace-separated term of the query occurs in its text or
body; relevance is 2 × occurrences in the text + occurrences in the body; ties go to
document then position.
"""
from __future__ import annotations

import abc
from typing import Any, Iterator, Literal

from pydantic import BaseModel, Field

from policykg.graph.model import GraphFragment

Role = Literal["lead", "cooperate"]


class EvidenceOut(BaseModel):
    document: str | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None


class MeasureOut(BaseModel):
    id: str
    text: str
    kind: str
    document: str
    section: str | None = None
    deadline: str | None = None
    field: str | None = None
    start: int | None = None
    end: int | None = None
    score: float | None = None


class MeasureDetail(MeasureOut):
    body: str | None = None
    parent: MeasureOut | None = None
    evidence: EvidenceOut | None = None
    regions: list[str] = Field(default_factory=list)


class AgencyOut(BaseModel):
    id: str
    name: str
    level: str | None = None
    aliases: list[str] = Field(default_factory=list)
    leads: int = 0
    cooperates: int = 0


class Backer(BaseModel):
    agency: AgencyOut
    role: Role
    evidence: EvidenceOut | None = None


class ProvisionOut(BaseModel):
    id: str
    instrument: str
    article: str | None = None
    article_no: int | None = None


def provision_order(p: "ProvisionOut"):
    """Instrument, then article by number (the whole instrument first)."""
    return (p.instrument, p.article_no if p.article_no is not None else -1, p.article or "")


class AdjustedProvision(BaseModel):
    provision: ProvisionOut
    evidence: EvidenceOut | None = None


class OpeningMeasure(BaseModel):
    measure: MeasureOut
    provisions: list[ProvisionOut]


class RegionOut(BaseModel):
    id: str
    name: str
    level: str | None = None
    measures: int = 0


class DocumentOut(BaseModel):
    id: str
    file: str | None = None
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    date: str | None = None
    measures: int = 0


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[MeasureOut]


class LoadResult(BaseModel):
    nodes: int
    relationships: int


def search_terms(q: str | None) -> list[str]:
    return [t for t in (q or "").split() if t]


def relevance(terms: list[str], text: str, body: str | None) -> int:
    return sum(2 * text.count(t) + (body or "").count(t) for t in terms)


class Store(abc.ABC):
    """What every store does. Writes are idempotent merges of whole fragments."""

    name = "store"

    @abc.abstractmethod
    def load(self, fragment: GraphFragment) -> LoadResult:
        """Merge one document's fragment, all or nothing."""

    @abc.abstractmethod
    def records(self) -> Iterator[dict[str, Any]]:
        """The whole graph as APOC JSON-lines records (nodes, then relationships)."""

    @abc.abstractmethod
    def search_measures(self, q: str | None = None, kind: str | None = None, agency: str | None = None,
                        region: str | None = None, document: str | None = None,
                        limit: int = 20, offset: int = 0) -> Page:
        """Measures matching every filter; `agency`/`region`/`document` take an id or a name."""

    @abc.abstractmethod
    def measure(self, measure_id: str) -> MeasureDetail | None: ...

    @abc.abstractmethod
    def backers(self, measure_id: str) -> list[Backer] | None:
        """Agencies that lead or support a measure, leads first; None for an unknown measure."""

    @abc.abstractmethod
    def provisions(self, measure_id: str) -> list[AdjustedProvision] | None: ...

    @abc.abstractmethod
    def opening_measures(self) -> list[OpeningMeasure]: ...

    @abc.abstractmethod
    def agencies(self) -> list[AgencyOut]:
        """All agencies with their counts, most leads first."""

    @abc.abstractmethod
    def agency(self, agency_id: str) -> AgencyOut | None: ...

    @abc.abstractmethod
    def agency_measures(self, agency_id: str, role: Role | None = None) -> list[MeasureOut] | None: ...

    @abc.abstractmethod
    def regions(self) -> list[RegionOut]: ...

    @abc.abstractmethod
    def region_measures(self, region_id: str) -> list[MeasureOut] | None: ...

    @abc.abstractmethod
    def documents(self) -> list[DocumentOut]: ...

    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type."""

    def health(self) -> dict[str, Any]:
        return {"status": "ok", "store": self.name, "counts": self.counts()}

    def close(self) -> None:
        """Release connections and flush pending writes."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
