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
    due: str | None = Field(default=None, description="ISO date of the last day the deadline allows")
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
    clause: str | None = Field(default=None, description="The part of the article (第二款), where named")
    article_no: int | None = None


def provision_order(p: "ProvisionOut"):
    """Instrument, then article by number (the whole instrument first), then clause."""
    return (p.instrument, p.article_no if p.article_no is not None else -1, p.article or "", p.clause or "")


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


class SuspendedProvision(BaseModel):
    """A provision a current measure suspends or adjusts (ADJUSTS_REGULATION) on a date, in a region."""
    provision: ProvisionOut
    measure: MeasureOut
    valid_from: str | None = Field(default=None, description="First day of the suspension (ADJUSTS_REGULATION.from), if given")
    valid_until: str | None = Field(default=None, description="Last day of the suspension (ADJUSTS_REGULATION.until), if given")
    regions: list[str] = Field(default_factory=list,
                               description="Where the measure applies (its own APPLIES_TO, else its document's), names")


def in_period(on: str, start: str | None, end: str | None) -> bool:
    """An ISO date within an ISO period whose open ends are unbounded."""
    return (start is None or start <= on) and (end is None or on <= end)


def due_order(m: "MeasureOut"):
    return (m.due or "", m.document, m.start if m.start is not None else 0, m.id)


def suspension_order(s: "SuspendedProvision"):
    return provision_order(s.provision) + (s.measure.document, s.measure.start or 0, s.measure.id)


class DocumentOut(BaseModel):
    id: str
    file: str | None = None
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    date: str | None = None
    in_force_from: str | None = None
    in_force_until: str | None = None
    sha256: str | None = None
    loaded_at: str | None = Field(default=None, description="When this version was first loaded (UTC, ISO)")
    version_of: str | None = Field(default=None, description="For an older version: the id of the current one")
    measures: int = 0


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[MeasureOut]


class Partner(BaseModel):
    agency: AgencyOut
    shared: int = Field(description="Measures both agencies back")


class ProvisionUse(BaseModel):
    provision: ProvisionOut
    measures: int = 0


class GraphNode(BaseModel):
    id: str
    label: str
    caption: str
    properties: dict[str, Any] = Field(default_factory=dict)


class GraphEdge(BaseModel):
    id: str
    type: str
    source: str
    target: str
    properties: dict[str, Any] = Field(default_factory=dict)


class Neighbourhood(BaseModel):
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = False


def caption(label: str, props: dict[str, Any]) -> str:
    """What a drawing shows on a node: a short text for measures, the name otherwise."""
    if label == "Measure":
        text = props.get("text", "")
        return text if len(text) <= 24 else text[:23] + "…"
    if label == "LegalProvision":
        return f"《{props.get('instrument', '')}》{props.get('article') or ''}{props.get('clause') or ''}"
    if label == "Document":
        return props.get("doc_number") or props.get("title") or props.get("file") or props.get("id", "")
    return props.get("name") or props.get("id", "")


def neighbourhood(start: str, depth: int, limit: int, expand) -> Neighbourhood | None:
    """Breadth-first walk over both directions; `expand(ids)` returns (nodes, edges) touching
    those ids as (id, label, props) and (type, start, end, props) tuples. Stores share it so
    they draw the same picture."""
    nodes, edges = expand([start], seed=True)
    if start not in nodes:
        return None
    seen = {start: nodes[start]}
    frontier, truncated = [start], False
    all_edges: dict[tuple[str, str, str], dict] = {}
    # Older versions' measures are history: drawn around an older version, not around
    # current nodes (an agency of many plans would otherwise draw every plan's past too).
    history = "version_of" in nodes[start][1]
    for _ in range(depth):
        nodes, edges = expand(frontier)
        nxt = []
        for (t, a, b), props in sorted(edges.items()):
            if not history and any(nodes[n][0] == "Measure" and "version_of" in nodes[n][1] for n in (a, b)):
                continue
            for n in (a, b):
                if n not in seen:
                    if len(seen) >= limit:
                        truncated = True
                        continue
                    seen[n] = nodes[n]
                    nxt.append(n)
            if a in seen and b in seen:
                all_edges[(t, a, b)] = props
        frontier = nxt
        if not frontier:
            break
    out_nodes = [GraphNode(id=i, label=l, caption=caption(l, p), properties=p) for i, (l, p) in sorted(seen.items())]
    out_edges = [GraphEdge(id=f"{t}:{a}:{b}", type=t, source=a, target=b, properties=p)
                 for (t, a, b), p in sorted(all_edges.items())]
    return Neighbourhood(nodes=out_nodes, edges=out_edges, truncated=truncated)


def load_time() -> str:
    """A document version's load time: UTC, ISO, to the second."""
    import datetime as _dt

    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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
    def link_implements(self) -> int:
        """Link local measures to the cited national measures they restate; returns the count."""

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
    def documents(self) -> list[DocumentOut]:
        """Current versions of the loaded documents (not those only cited)."""

    @abc.abstractmethod
    def versions(self, document_id: str) -> list[DocumentOut] | None:
        """Every version of a document (its current id or an older version's), newest first:
        the current one, then along SUPERSEDES. None for an unknown document."""

    # ------------------------------------------------------------------ as-of questions
    # Where a measure applies: its own APPLIES_TO regions, else its document's. A region
    # counts as inside every region it is PART_OF (at any depth): what applies in 北京市
    # applies in 朝阳区.

    @abc.abstractmethod
    def measures_due(self, before: str, agency: str | None = None, role: Role | None = None,
                     region: str | None = None) -> list[MeasureOut]:
        """Current measures whose `due` is on or before the ISO date `before`, earliest first;
        `agency` (id or name) backing them (as `role`, else either), applying in `region`
        (id or name). An unknown agency or region matches nothing."""

    @abc.abstractmethod
    def documents_in_force(self, on: str) -> list[DocumentOut]:
        """Current documents in force on an ISO date: from `in_force_from` (else the date of
        issue; a document with neither is left out) to `in_force_until` (open if absent)."""

    @abc.abstractmethod
    def suspended_provisions(self, region: str, on: str) -> list[SuspendedProvision] | None:
        """Provisions current measures suspend or adjust (ADJUSTS_REGULATION) on an ISO date
        (the edge's from/until, open ends unbounded) in a region (id or name) or a region
        containing it; None for an unknown region."""

    @abc.abstractmethod
    def partners(self, agency_id: str) -> list[Partner] | None:
        """Agencies that back the same measures as this one, most shared first."""

    @abc.abstractmethod
    def region_rollup(self, region_id: str) -> list[MeasureOut] | None:
        """Measures that apply in a region or in any region PART_OF it."""

    @abc.abstractmethod
    def provision_uses(self) -> list[ProvisionUse]:
        """Every provision with the number of measures that adjust it."""

    @abc.abstractmethod
    def provision_measures(self, instrument: str, article: str | None = None) -> list[MeasureOut]:
        """Measures adjusting an instrument (any article, or the one given)."""

    @abc.abstractmethod
    def graph(self, node_id: str, depth: int = 1, limit: int = 200) -> Neighbourhood | None:
        """Nodes and edges within `depth` steps of a node, for drawing."""

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
