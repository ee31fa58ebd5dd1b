"""What the analyst questions answer: one set of result models both stores fill.

A model is built from the stored properties of its node or edge as either store holds them
(Neo4j's `n {.*}` map, the embedded graph's property dict): unknown keys are ignored, and
the few normalisations both need (an edge's evidence, the order of a nested list) are
validators here, so that no store carries its own row mapper. Sort orders of whole answers
are the `*_order` keys, named by the questions in graph/questions.py.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

Role = Literal["lead", "cooperate"]


def _evidence(props: Any) -> Any:
    """An edge's stored properties as evidence: its `evidence` text is the quote; an edge
    with no properties has none."""
    if isinstance(props, dict) and "text" not in props:
        if not props:
            return None
        return {"document": props.get("document"), "start": props.get("start"), "end": props.get("end"),
                "text": props.get("evidence")}
    return props


def _names(value: Any) -> Any:
    return sorted(set(value)) if isinstance(value, (list, tuple, set)) else value


def _aliases(value: Any) -> Any:
    return list(value) if value else []


class EvidenceOut(BaseModel):
    document: str | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None


# An edge's evidence, from its stored properties (see `_evidence`).
Evidence = Annotated[EvidenceOut | None, BeforeValidator(_evidence)]


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
    evidence: Evidence = None
    regions: Annotated[list[str], BeforeValidator(_names)] = Field(default_factory=list)


class AgencyOut(BaseModel):
    id: str
    name: str
    level: str | None = None
    aliases: Annotated[list[str], BeforeValidator(_aliases)] = Field(default_factory=list)
    leads: int = 0
    cooperates: int = 0


class Backer(BaseModel):
    agency: AgencyOut
    role: Role
    evidence: Evidence = None


class ProvisionOut(BaseModel):
    id: str
    instrument: str
    article: str | None = None
    clause: str | None = Field(default=None, description="The part of the article (第二款), where named")
    article_no: int | None = None


def provision_order(p: "ProvisionOut"):
    """Instrument, then article by number (the whole instrument first), then clause."""
    return (p.instrument, p.article_no if p.article_no is not None else -1, p.article or "", p.clause or "")


def _by_provision_order(provisions: list[ProvisionOut]) -> list[ProvisionOut]:
    return sorted(provisions, key=provision_order)


class AdjustedProvision(BaseModel):
    provision: ProvisionOut
    evidence: Evidence = None


class OpeningMeasure(BaseModel):
    measure: MeasureOut
    provisions: Annotated[list[ProvisionOut], AfterValidator(_by_provision_order)]


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
    regions: Annotated[list[str], BeforeValidator(_names)] = Field(default_factory=list,
                               description="Where the measure applies (its own APPLIES_TO, else its document's), names")


def in_period(on: str, start: str | None, end: str | None) -> bool:
    """An ISO date within an ISO period whose open ends are unbounded."""
    return (start is None or start <= on) and (end is None or on <= end)


def measure_order(m: "MeasureOut"):
    """Document, then position in it."""
    return (m.document, m.start if m.start is not None else 0, m.id)


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


def backer_order(b: Backer):
    """Leads first, then by name."""
    return (b.role != "lead", b.agency.name)


def agency_order(a: AgencyOut):
    """Most leads first, then most supports, then by name."""
    return (-a.leads, -a.cooperates, a.name)


def region_order(r: RegionOut):
    return (-r.measures, r.name)


def document_order(d: DocumentOut):
    return (d.file or "", d.id)


def partner_order(p: Partner):
    return (-p.shared, p.agency.name)


def use_order(u: ProvisionUse):
    return (-u.measures,) + provision_order(u.provision)
