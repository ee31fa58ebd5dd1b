"""The graph vocabulary: one closed, validated definition of labels, keys and relationships.

Node ids are deterministic functions of a node's identity (an agency's canonical name, a
measure's document and text, ...), so writing the same fragment twice changes nothing.
"""
from __future__ import annotations

import hashlib
import re
from enum import Enum
from functools import lru_cache
from typing import Any, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from policykg.errors import InvalidGraph


class Label(str, Enum):
    DOCUMENT = "Document"
    MEASURE = "Measure"
    AGENCY = "Agency"
    REGION = "Region"
    PROVISION = "LegalProvision"


class RelType(str, Enum):
    LEADS = "LEADS"
    COOPERATES = "COOPERATES"
    ADJUSTS_REGULATION = "ADJUSTS_REGULATION"
    APPLIES_TO = "APPLIES_TO"
    PART_OF = "PART_OF"
    FROM_DOCUMENT = "FROM_DOCUMENT"
    ISSUED_BY = "ISSUED_BY"
    CITES = "CITES"
    IMPLEMENTS = "IMPLEMENTS"
    SUPERSEDES = "SUPERSEDES"


L, R = Label, RelType
#: Which labels each relationship may join; anything else is refused.
ENDPOINTS: dict[RelType, set[tuple[Label, Label]]] = {
    R.LEADS: {(L.AGENCY, L.MEASURE)},
    R.COOPERATES: {(L.AGENCY, L.MEASURE)},
    R.ADJUSTS_REGULATION: {(L.MEASURE, L.PROVISION)},
    R.APPLIES_TO: {(L.MEASURE, L.REGION), (L.DOCUMENT, L.REGION)},
    R.PART_OF: {(L.MEASURE, L.MEASURE), (L.REGION, L.REGION), (L.AGENCY, L.REGION)},
    R.FROM_DOCUMENT: {(L.MEASURE, L.DOCUMENT)},
    R.ISSUED_BY: {(L.DOCUMENT, L.AGENCY)},
    R.CITES: {(L.DOCUMENT, L.DOCUMENT)},
    R.IMPLEMENTS: {(L.MEASURE, L.MEASURE)},
    R.SUPERSEDES: {(L.DOCUMENT, L.DOCUMENT)},
}

MeasureKind = Literal["task", "action", "opening", "safeguard"]
AgencyLevel = Literal["central", "provincial", "municipal", "district", "other"]
RegionLevel = Literal["country", "province", "municipality", "city", "county", "district", "new_area", "zone", "area"]

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The identity form of a text: tags and every whitespace removed."""
    return _WS.sub("", text.replace("<p>", "").replace("</p>", ""))


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def document_id(doc_number: str | None, file: str | None) -> str:
    """A document is its number where it has one (so citations meet it), else its file name."""
    if doc_number:
        return "doc-" + _digest("number", normalise_text(doc_number))
    return "doc-" + _digest("file", file or "")


def version_base(document_id: str, sha256: str) -> str:
    """The id an older version of a document takes when a newer one replaces it: the
    document's id, '@', the first 12 hex digits of the old content's sha256. Should that id
    be taken (content that came back and was replaced again), `version_id` numbers it."""
    return f"{document_id}@{sha256[:12]}"


def version_id(document_id: str, sha256: str, taken: int) -> str:
    """`version_base`, or with `taken` Document ids already starting with it, '.<taken+1>'."""
    base = version_base(document_id, sha256)
    return base if taken == 0 else f"{base}.{taken + 1}"


def measure_id(document_key: str, text: str) -> str:
    return "m-" + _digest(document_key, normalise_text(text))


# Agencies and regions are named again and again across a document and a corpus: their ids
# (pure functions of the name) are kept (speed only).
@lru_cache(maxsize=1 << 16)
def agency_id(name: str) -> str:
    return "ag-" + _digest(normalise_text(name))


@lru_cache(maxsize=1 << 16)
def region_id(name: str) -> str:
    return "rg-" + _digest(normalise_text(name))


def provision_id(instrument: str, article: str | None, clause: str | None = None) -> str:
    parts = [normalise_text(instrument), normalise_text(article or "")]
    if clause:
        parts.append(normalise_text(clause))
    return "lp-" + _digest(*parts)


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)
    label: Label
    id: str

    def properties(self) -> dict[str, Any]:
        """The stored properties: everything but the label, without empty values; lists
        (aliases) sorted, the form `merge_props` keeps them in."""
        data = self.model_dump(exclude={"label"}, mode="json")
        return {k: sorted(set(v)) if isinstance(v, list) else v for k, v in data.items() if v not in (None, [], "")}


class Document(_Node):
    label: Literal[Label.DOCUMENT] = Label.DOCUMENT
    file: str | None = None
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    date: str | None = None
    sha256: str | None = None
    region: str | None = None
    in_force_from: str | None = None    # ISO, where the text gives it (自2017年1月1日起施行)
    in_force_until: str | None = None   # ISO (有效期至…, 试点期限为2年)

    @field_validator("date", "in_force_from", "in_force_until")
    @classmethod
    def _iso(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            raise ValueError(f"date must be ISO yyyy-mm-dd, got {v!r}")
        return v


class Measure(_Node):
    label: Literal[Label.MEASURE] = Label.MEASURE
    text: str
    kind: MeasureKind
    document: str
    section: str | None = None
    deadline: str | None = None
    due: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$",
                            description="ISO date of the last day the deadline allows")
    field: str | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    body: str | None = None


class Agency(_Node):
    label: Literal[Label.AGENCY] = Label.AGENCY
    name: str
    aliases: list[str] = Field(default_factory=list)
    level: AgencyLevel = "other"


class Region(_Node):
    label: Literal[Label.REGION] = Label.REGION
    name: str
    aliases: list[str] = Field(default_factory=list)
    level: RegionLevel = "area"
    code: str | None = Field(default=None, pattern=r"^\d{6}$", description="GB/T 2260 code of a division")


class LegalProvision(_Node):
    label: Literal[Label.PROVISION] = Label.PROVISION
    instrument: str
    article: str | None = None
    clause: str | None = None       # 第二款, 第二款第三项: the part of the article, where named
    article_no: int | None = None   # 第三十四条 → 34, so articles sort as numbers

    def model_post_init(self, __context) -> None:
        if self.article_no is None and self.article:
            self.article_no = article_number(self.article)


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def article_number(article: str) -> int | None:
    """The number of an article as printed (第三十四条, 第104条) or None."""
    m = re.search(r"第([零〇一二两三四五六七八九十百千\d]+)条", article)
    if not m:
        return None
    raw = m.group(1)
    if raw.isdigit():
        return int(raw)
    total, digit = 0, 0
    for ch in raw:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        elif ch.isdigit():
            digit = digit * 10 + int(ch)
    return total + digit


Node = Document | Measure | Agency | Region | LegalProvision
NODE_CLASSES: dict[Label, type[_Node]] = {
    L.DOCUMENT: Document, L.MEASURE: Measure, L.AGENCY: Agency,
    L.REGION: Region, L.PROVISION: LegalProvision,
}


class Evidence(BaseModel):
    """Where a relationship was read: the source file and a character span of its text."""

    model_config = ConfigDict(extra="forbid")
    document: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str = ""


class Relationship(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: RelType
    start: str
    end: str
    evidence: Evidence | None = None
    # When the relationship holds (ISO), where the text scopes it in time: a suspension of
    # rules (ADJUSTS_REGULATION) for the pilot's period. Stored as `from` / `until`.
    valid_from: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    valid_until: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.type.value, self.start, self.end)

    def properties(self) -> dict[str, Any]:
        props: dict[str, Any] = {}
        if self.evidence is not None:
            ev = self.evidence
            props = {"document": ev.document, "start": ev.start, "end": ev.end, "evidence": ev.text}
        if self.valid_from:
            props["from"] = self.valid_from
        if self.valid_until:
            props["until"] = self.valid_until
        return props


def node_from_record(label: str, props: dict[str, Any]) -> Node:
    """Rebuild a node from stored properties (export record, Neo4j row)."""
    try:
        cls = NODE_CLASSES[Label(label)]
    except ValueError as exc:
        raise InvalidGraph(f"unknown label {label!r}") from exc
    return cls(**props)


class GraphFragment(BaseModel):
    """The nodes and relationships read from one document (or merged from several).

    Adding a node whose id is already present merges properties (later non-empty values
    win for scalars, lists are united), the in-memory equivalent of MERGE ... SET +=.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)
    nodes: dict[str, Any] = Field(default_factory=dict)
    relationships: dict[tuple[str, str, str], Relationship] = Field(default_factory=dict)

    def add(self, node: Node) -> str:
        existing = self.nodes.get(node.id)
        if existing is None:
            self.nodes[node.id] = node
        else:
            if existing.label != node.label:
                raise InvalidGraph(f"id {node.id} used for {existing.label.value} and {node.label.value}")
            merge_node(existing, node)
        return node.id

    def relate(self, type_: RelType, start: str, end: str, evidence: Evidence | None = None) -> None:
        if (isinstance(type_, RelType) and (evidence is None or isinstance(evidence, Evidence))
                and (type_.value, start, end) in self.relationships):
            # A repeat of a stored edge: its arguments are of the types validated when the
            # edge was stored, and the repeat would be discarded (speed only).
            return
        rel = Relationship(type=type_, start=start, end=end, evidence=evidence)
        # The first evidence found for an edge is kept: it is the earliest in the text.
        self.relationships.setdefault(rel.key, rel)

    def extend(self, other: "GraphFragment") -> None:
        for node in other.nodes.values():
            self.add(node.model_copy(deep=True))
        for key, rel in other.relationships.items():
            self.relationships.setdefault(key, rel)

    def validate_graph(self) -> "GraphFragment":
        """Check every relationship joins existing nodes with allowed labels."""
        for rel in self.relationships.values():
            a, b = self.nodes.get(rel.start), self.nodes.get(rel.end)
            if a is None or b is None:
                raise InvalidGraph(f"{rel.type.value} {rel.start}->{rel.end}: endpoint missing")
            if (a.label, b.label) not in ENDPOINTS[rel.type]:
                raise InvalidGraph(
                    f"{rel.type.value} may not join {a.label.value} to {b.label.value}")
        return self

    def by_label(self, label: Label) -> Iterable[Node]:
        return (n for n in self.nodes.values() if n.label == label)


def merge_node(existing: _Node, new: _Node) -> None:
    for name in type(new).model_fields:
        if name in ("label", "id"):
            continue
        value = getattr(new, name)
        if isinstance(value, list):
            merged = list(getattr(existing, name) or [])
            merged += [v for v in value if v not in merged]
            setattr(existing, name, merged)
        elif value not in (None, ""):
            setattr(existing, name, value)


def merge_props(target: dict[str, Any], new: dict[str, Any]) -> None:
    """`merge_node` on stored properties (MERGE … SET n += props): later values win,
    lists (aliases) are united and sorted."""
    for k, v in new.items():
        old = target.get(k)
        if isinstance(v, list) and isinstance(old, list):
            # Sorted, not in arrival order: documents loaded by concurrent writers arrive
            # in any order, and the store must end as a sequential run leaves it.
            target[k] = sorted(set(old).union(v))
        else:
            target[k] = v
