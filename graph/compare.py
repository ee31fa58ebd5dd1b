"""Comparing documents, over any store through its public methods only.

`compare(store, a, b)`: each measure of document A is matched to at most one measure of B
(and each of B to at most one of A) by the matcher IMPLEMENTS uses (graph/linking.py:
`similarity` ≥ `THRESHOLD`, candidates narrowed by `Targets.plausible`); equal comparison
keys first, then the best-scoring pairs, ties to the earlier measures. A matched pair is
carried over when its text (after normalisation: `match_key`), lead and supporting
agencies, deadline and provisions are all the same, and changed otherwise (with a character
diff of the texts and what changed); unmatched measures of A are dropped, of B added.

`implementation(store, doc)`: the national document's measures as rows, the documents
whose measures IMPLEMENT any of them as columns (with their regions), a cell per
implementing measure (its lead and due date), each column's share of national measures
implemented, and the national measures nothing implements.
"""
from __future__ import annotations

from difflib import SequenceMatcher
from typing import Literal

from pydantic import BaseModel, Field

from policykg.errors import NotFound
from policykg.graph.linking import THRESHOLD, Candidate, Keyed, Targets, match_key, similarity
from policykg.graph.model import normalise_text
from policykg.graph.results import DocumentOut, MeasureOut, provision_order
from policykg.graph.store import Store

PAGE = 500


class ComparedMeasure(BaseModel):
    """A measure with what the comparison looks at."""
    id: str
    text: str
    kind: str
    section: str | None = None
    deadline: str | None = None
    due: str | None = None
    start: int | None = Field(default=None, description="Offset in its document's text")
    lead: list[str] = Field(default_factory=list, description="Agencies that lead it (names)")
    supporting: list[str] = Field(default_factory=list, description="Agencies that support it (names)")
    provisions: list[str] = Field(default_factory=list, description="Provisions it adjusts: 《instrument》article clause")


class TextOp(BaseModel):
    """One step of the character diff from A's text to B's."""
    op: Literal["equal", "delete", "insert", "replace"]
    a: str = ""
    b: str = ""


class FieldChange(BaseModel):
    field: Literal["lead", "supporting", "deadline", "provisions"]
    a: list[str]
    b: list[str]
    removed: list[str] = Field(default_factory=list)
    added: list[str] = Field(default_factory=list)


class MatchedPair(BaseModel):
    a: ComparedMeasure
    b: ComparedMeasure
    similarity: float


class ChangedPair(MatchedPair):
    text_changed: bool
    text_diff: list[TextOp] = Field(default_factory=list, description="Empty when the texts are the same after normalisation")
    changes: list[FieldChange] = Field(default_factory=list)


class Comparison(BaseModel):
    a: DocumentOut
    b: DocumentOut
    counts: dict[str, int]
    carried_over: list[MatchedPair]
    changed: list[ChangedPair]
    dropped: list[ComparedMeasure]
    added: list[ComparedMeasure]


# ---------------------------------------------------------------------------- documents
def resolve_document(store: Store, ref: str) -> DocumentOut:
    """A current document by id, document number (国函〔2018〕79号), file name, or file
    name without suffix or its number prefix (004)."""
    ref = (ref or "").strip()
    docs = store.documents()
    for test in (lambda d: d.id == ref,
                 lambda d: d.doc_number is not None and normalise_text(d.doc_number) == normalise_text(ref),
                 lambda d: d.file == ref,
                 lambda d: d.file is not None and d.file.rsplit(".", 1)[0] == ref,
                 lambda d: d.file is not None and d.file.split("_", 1)[0] == ref):
        hits = [d for d in docs if test(d)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise NotFound(f"{ref!r} names {len(hits)} documents: use an id ({', '.join(d.id for d in hits[:5])})")
    raise NotFound(f"no document {ref!r} (give an id, a document number or a file name)")


def document_measures(store: Store, doc: DocumentOut) -> list[MeasureOut]:
    """A document's current measures in text order, paged through search_measures."""
    out: list[MeasureOut] = []
    offset = 0
    while True:
        page = store.search_measures(document=doc.id, limit=PAGE, offset=offset)
        out.extend(page.items)
        offset += len(page.items)
        if not page.items or offset >= page.total:
            break
    return sorted(out, key=lambda m: (m.start if m.start is not None else 0, m.id))


def _provision_label(p) -> str:
    return f"《{p.instrument}》{p.article or ''}{p.clause or ''}"


def describe(store: Store, m: MeasureOut) -> ComparedMeasure:
    backers = store.backers(m.id) or []
    provisions = sorted((a.provision for a in store.provisions(m.id) or []), key=provision_order)
    return ComparedMeasure(
        id=m.id, text=m.text, kind=m.kind, section=m.section, deadline=m.deadline, due=m.due, start=m.start,
        lead=sorted({b.agency.name for b in backers if b.role == "lead"}),
        supporting=sorted({b.agency.name for b in backers if b.role == "cooperate"}),
        provisions=list(dict.fromkeys(_provision_label(p) for p in provisions)))


# ---------------------------------------------------------------------------- matching
def match_measures(a: list[tuple[str, str]], b: list[tuple[str, str]]) -> list[tuple[int, int, float]]:
    """One-to-one matches (index in a, index in b, similarity) between two lists of
    (id, text), by the IMPLEMENTS matcher: equal keys first, then best scores ≥ THRESHOLD."""
    ka = [Keyed(Candidate(i, t, "a")) for i, t in a]
    kb = [Keyed(Candidate(i, t, "b")) for i, t in b]
    pairs: list[tuple[float, int, int]] = []
    by_key: dict[str, list[int]] = {}
    for j, k in enumerate(kb):
        by_key.setdefault(k.key, []).append(j)
    targets = Targets(kb)
    index_b = {id(k.cand): j for j, k in enumerate(kb)}
    plausible = targets.plausible(ka)
    for i, k in enumerate(ka):
        if not k.key:
            continue
        for cand in plausible[i]:
            j = index_b[id(cand)]
            score = 1.0 if kb[j].key == k.key else similarity(k.cand.text, cand.text)
            if score >= THRESHOLD:
                pairs.append((score, i, j))
    # Equal keys (score 1) first, then by score; ties to the earlier measures of A, then B.
    pairs.sort(key=lambda p: (-(ka[p[1]].key == kb[p[2]].key), -p[0], p[1], p[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for score, i, j in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((i, j, round(score, 3)))
    return sorted(out)


def text_diff(a: str, b: str) -> list[TextOp]:
    a, b = normalise_text(a), normalise_text(b)
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return [TextOp(op=op, a=a[i1:i2], b=b[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes()]


def field_changes(x: ComparedMeasure, y: ComparedMeasure) -> list[FieldChange]:
    out = []
    for name in ("lead", "supporting", "provisions"):
        va, vb = getattr(x, name), getattr(y, name)
        if set(va) != set(vb):
            out.append(FieldChange(field=name, a=va, b=vb, removed=[v for v in va if v not in vb],
                                   added=[v for v in vb if v not in va]))
    da, db = normalise_text(x.deadline or ""), normalise_text(y.deadline or "")
    if da != db:
        va = [x.deadline] if x.deadline else []
        vb = [y.deadline] if y.deadline else []
        out.append(FieldChange(field="deadline", a=va, b=vb, removed=va, added=vb))
    return out


def compare(store: Store, a: str, b: str) -> Comparison:
    doc_a, doc_b = resolve_document(store, a), resolve_document(store, b)
    ma, mb = document_measures(store, doc_a), document_measures(store, doc_b)
    matches = match_measures([(m.id, m.text) for m in ma], [(m.id, m.text) for m in mb])
    described: dict[str, ComparedMeasure] = {}

    def d(m: MeasureOut) -> ComparedMeasure:
        if m.id not in described:
            described[m.id] = describe(store, m)
        return described[m.id]

    carried, changed = [], []
    for i, j, score in matches:
        x, y = d(ma[i]), d(mb[j])
        same_text = match_key(x.text) == match_key(y.text)
        changes = field_changes(x, y)
        if same_text and not changes:
            carried.append(MatchedPair(a=x, b=y, similarity=score))
        else:
            changed.append(ChangedPair(a=x, b=y, similarity=score, text_changed=not same_text,
                                       text_diff=[] if same_text else text_diff(x.text, y.text), changes=changes))
    matched_a = {i for i, _, _ in matches}
    matched_b = {j for _, j, _ in matches}
    dropped = [d(m) for i, m in enumerate(ma) if i not in matched_a]
    added = [d(m) for j, m in enumerate(mb) if j not in matched_b]
    counts = {"a": len(ma), "b": len(mb), "carried_over": len(carried), "changed": len(changed),
              "dropped": len(dropped), "added": len(added)}
    return Comparison(a=doc_a, b=doc_b, counts=counts, carried_over=carried, changed=changed,
                      dropped=dropped, added=added)


# ---------------------------------------------------------------------------- implementation
class ImplementingMeasure(BaseModel):
    document: str = Field(description="Id of the implementing document (the column)")
    measure: MeasureOut
    lead: list[str] = Field(default_factory=list,
                            description="Its lead agencies; for a task without its own, those of its actions (PART_OF it)")
    due: str | None = Field(default=None, description="Its due date; for a task without one, its actions' latest")
    deadline: str | None = None
    from_actions: bool = Field(default=False, description="Lead or due read from the measure's actions")


class ImplementationColumn(BaseModel):
    document: DocumentOut
    region: str | None = Field(default=None, description="The issuer's region: the longest of `regions` the issuer's name (else the title) opens with")
    regions: list[str] = Field(default_factory=list, description="Where the document applies (names)")
    implemented: int = Field(description="National measures implemented")
    share: float = Field(description="implemented / the national document's measures")


class ImplementationRow(BaseModel):
    measure: MeasureOut
    cells: dict[str, list[ImplementingMeasure]] = Field(default_factory=dict,
                                                        description="By column (document id)")


class Implementation(BaseModel):
    document: DocumentOut
    measures: int
    columns: list[ImplementationColumn]
    rows: list[ImplementationRow]
    unimplemented: list[MeasureOut]


def implements_links(store: Store, targets: set[str]):
    """From records(): (local measure, national measure) IMPLEMENTS pairs into `targets` from
    current measures; each current measure's document id (FROM_DOCUMENT); each current
    document's regions (APPLIES_TO, names); each current measure's actions (PART_OF it)."""
    old: set[str] = set()
    region_names: dict[str, str] = {}
    links, doc_of, regions, children = [], {}, {}, {}
    for r in store.records():
        if r["type"] == "node":
            props = r.get("properties") or {}
            if props.get("version_of"):
                old.add(r["id"])
            if "Region" in r.get("labels", ()):
                region_names[r["id"]] = props.get("name") or r["id"]
            continue
        label, s, e = r["label"], r["start"]["id"], r["end"]["id"]
        if s in old or e in old:
            continue
        if label == "IMPLEMENTS" and e in targets:
            links.append((s, e))
        elif label == "FROM_DOCUMENT":
            doc_of[s] = e
        elif label == "APPLIES_TO" and "Document" in r["start"].get("labels", ()):
            regions.setdefault(s, []).append(e)
        elif label == "PART_OF" and "Measure" in r["start"].get("labels", ()) and "Measure" in r["end"].get("labels", ()):
            children.setdefault(e, []).append(s)
    named = {d: sorted({region_names.get(x, x) for x in rs}) for d, rs in regions.items()}
    return sorted(set(links)), doc_of, named, {k: sorted(v) for k, v in children.items()}


def _leads(store: Store, measure_id: str) -> list[str]:
    return sorted({b.agency.name for b in store.backers(measure_id) or [] if b.role == "lead"})


def _cell(store: Store, col: str, m: MeasureOut, actions: list[str]) -> ImplementingMeasure:
    """A cell: the implementing measure with its lead and due date; a task (a 具体内容 row)
    whose lead and deadline stand on its actions (工作举措) takes theirs."""
    lead, due, deadline, from_actions = _leads(store, m.id), m.due, m.deadline, False
    if (not lead or not (due or deadline)) and actions:
        subs = [x for x in (store.measure(a) for a in actions) if x is not None]
        if not lead:
            lead = sorted({n for a in subs for n in _leads(store, a.id)})
            from_actions = bool(lead)
        if not (due or deadline):
            dated = sorted((x for x in subs if x.due), key=lambda x: x.due)
            pick = dated[-1] if dated else next((x for x in subs if x.deadline), None)
            if pick is not None:
                due, deadline, from_actions = pick.due, pick.deadline, True
    return ImplementingMeasure(document=col, measure=m, lead=lead, due=due, deadline=deadline,
                               from_actions=from_actions)


def home_region(doc: DocumentOut, regions: list[str]) -> str | None:
    for text in (doc.issuer, doc.title):
        hits = [r for r in regions if text and text.startswith(r)]
        if hits:
            return max(hits, key=len)
    return None


def implementation(store: Store, ref: str) -> Implementation:
    doc = resolve_document(store, ref)
    national = document_measures(store, doc)
    ids = {m.id for m in national}
    links, doc_of, doc_regions, children = implements_links(store, ids)
    docs = {d.id: d for d in store.documents()}
    cells: dict[str, dict[str, list[ImplementingMeasure]]] = {}
    for local, target in links:
        col = doc_of.get(local)
        if col is None or col not in docs or col == doc.id:
            continue
        detail = store.measure(local)
        if detail is None:
            continue
        m = MeasureOut(**detail.model_dump(include=set(MeasureOut.model_fields)))
        cells.setdefault(target, {}).setdefault(col, []).append(_cell(store, col, m, children.get(local, [])))
    for by_col in cells.values():
        for items in by_col.values():
            items.sort(key=lambda c: (c.measure.start or 0, c.measure.id))
    col_ids = sorted({c for by_col in cells.values() for c in by_col})
    columns = []
    for c in col_ids:
        n = sum(1 for by_col in cells.values() if c in by_col)
        columns.append(ImplementationColumn(document=docs[c], region=home_region(docs[c], doc_regions.get(c, [])),
                                            regions=doc_regions.get(c, []), implemented=n,
                                            share=round(n / len(national), 4) if national else 0.0))
    columns.sort(key=lambda c: (-c.implemented, c.document.file or "", c.document.id))
    rows = [ImplementationRow(measure=m, cells=cells.get(m.id, {})) for m in national]
    return Implementation(document=doc, measures=len(national), columns=columns, rows=rows,
                          unimplemented=[m for m in national if m.id not in cells])
