"""The analyst questions, each defined once.

A question is the function below that answers it on the embedded graph (graph/view.py),
registered with `@question`: its name is the question's name and the name of its Cypher
file (cypher/<name>.cypher), its parameters are the question's parameters (and the Cypher
parameters), its docstring is its contract, and the registration gives its result model,
the shape of its answer, its order and the arguments the parity suite asks it with. Both
stores answer through `Store.ask(name, ...)`, which binds the arguments, runs the question
on the store and builds the models here, so the row mapping, the order and the "unknown
subject" rule are written once. Every question answers from current versions only
(`version_of` absent) unless it is asked about one node by id or about history.

Shapes (what the embedded function returns, and the rows its Cypher returns):
  ONE    an item or None               rows: none, or one with column `item`
  LIST   a list of items               rows: one per item, column `item`
  FOUND  a list, None for an unknown   rows: none for an unknown subject, else one with
         subject                       column `items` (nulls left out)
  VALUE  a finished answer             a `neo4j=` function answers on Neo4j
An item is a node's stored properties (Neo4j's `n {.*}`, the embedded props dict), with
what the result model adds (counts, nested items, an edge's properties as evidence).

Adding a question: a function here, a .cypher file, a route (api/app.py) and, where
analysts want it, a CLI command; the parity suite (tests/test_store_parity.py) asks it on
both stores from its `examples`.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from policykg.errors import PolicyKGError
from policykg.graph.model import Label
from policykg.graph.results import (AdjustedProvision, AgencyOut, Backer, DocumentOut, GraphEdge, GraphNode,
                                    MeasureDetail, MeasureOut, Neighbourhood, OpeningMeasure, Page, Partner,
                                    ProvisionUse, RegionOut, SuspendedProvision, agency_order, backer_order,
                                    caption, document_order, due_order, in_period, measure_order, partner_order,
                                    provision_order, region_order, suspension_order, use_order)
from policykg.graph.view import ROLE_TYPES, GraphView

if TYPE_CHECKING:
    from policykg.graph.store import Store

ONE, LIST, FOUND, VALUE = "one", "list", "found", "value"


@dataclass(frozen=True)
class Question:
    name: str
    embedded: Callable[..., Any]
    result: Any
    shape: str
    order: Callable[[Any], Any] | None
    cypher: str | None
    neo4j: Callable[..., Any] | None
    examples: Callable[["Store"], Iterable[dict[str, Any]]]
    signature: inspect.Signature

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.embedded) or ""

    def bind(self, args: tuple, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The question's parameters from a call's arguments, defaults filled in."""
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise PolicyKGError(f"question {self.name}: {exc}") from None
        bound.apply_defaults()
        return bound.arguments

    def finish(self, raw: Any) -> Any:
        """The answer from a store's raw items: models, in the question's order."""
        if self.shape == VALUE or raw is None:
            return raw
        validate = self.result.model_validate
        if self.shape == ONE:
            return validate(raw)
        items = [validate(item) for item in raw]
        if self.order is not None:
            items.sort(key=self.order)
        return items


QUESTIONS: dict[str, Question] = {}


def question(*, result: Any = None, shape: str = LIST, order: Callable[[Any], Any] | None = None,
             cypher: bool = True, neo4j: Callable[..., Any] | None = None,
             examples: Callable[["Store"], Iterable[dict[str, Any]]]):
    """Register the decorated embedded function as a question (see the module's docstring)."""
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        sig = inspect.signature(fn)
        params = list(sig.parameters.values())[1:]          # without the view
        answer = {ONE: f"{getattr(result, '__name__', result)} | None", LIST: f"list[{getattr(result, '__name__', result)}]",
                  FOUND: f"list[{getattr(result, '__name__', result)}] | None"}.get(shape, sig.return_annotation)
        QUESTIONS[fn.__name__] = Question(name=fn.__name__, embedded=fn, result=result, shape=shape, order=order,
                                          cypher=fn.__name__ if cypher and neo4j is None else None, neo4j=neo4j,
                                          examples=examples,
                                          signature=sig.replace(parameters=params, return_annotation=answer))
        return fn
    return register


def get(name: str) -> Question:
    try:
        return QUESTIONS[name]
    except KeyError:
        raise PolicyKGError(f"no question named {name!r}; the questions are: {', '.join(sorted(QUESTIONS))}") from None


# ============================================================================ examples
# What the parity suite asks each question with, drawn from a store's own answers (the
# embedded one's), with an unknown subject where the question has one.

def _measure_ids(store: "Store") -> list[str]:
    return [m.id for m in store.search_measures(limit=100_000).items]


def _each_measure(store: "Store") -> Iterator[dict[str, Any]]:
    for mid in _measure_ids(store) + ["m-unknown"]:
        yield {"id": mid}


def _each_agency(store: "Store", roles: bool = False) -> Iterator[dict[str, Any]]:
    for aid in [a.id for a in store.agencies()] + ["a-unknown"]:
        for role in ((None, "lead", "cooperate") if roles else (None,)):
            yield {"id": aid, "role": role} if roles else {"id": aid}


def _each_region(store: "Store") -> Iterator[dict[str, Any]]:
    for rid in [r.id for r in store.regions()] + ["r-unknown"]:
        yield {"id": rid}


def _nothing(store: "Store") -> Iterator[dict[str, Any]]:
    yield {}


DATES = ("2012-01-01", "2018-06-30", "2018-12-31", "2019-01-01", "2020-06-30", "2020-07-01", "2025-12-31")


# ============================================================================ search
# A measure matches when every whitespace-separated term of the query occurs in its text or
# body; relevance is 2 × occurrences in the text + occurrences in the body; ties go to
# document then position.

def search_terms(q: str | None) -> list[str]:
    return [t for t in (q or "").split() if t]


def relevance(terms: list[str], text: str, body: str | None) -> int:
    return sum(2 * text.count(t) + (body or "").count(t) for t in terms)


# The `cjk` analyser indexes runs of Han characters as overlapping bigrams, so a text that
# contains such a term always matches the term's phrase query: for these terms (and only
# these: single characters, Latin and digits are indexed as whole tokens, not substrings)
# the index is an exact pre-filter for CONTAINS.
_INDEXED_TERM = re.compile(r"[\u4e00-\u9fff]{2,}")


def fulltext_query(terms: list[str]) -> str | None:
    """The Lucene query of the terms the full-text index can pre-filter, or None if none can."""
    return " AND ".join(f'"{t}"' for t in terms if _INDEXED_TERM.fullmatch(t)) or None


def search_statements(terms: list[str], kind: str | None, agency: str | None, region: str | None,
                      document: str | None, limit: int, offset: int) -> list[tuple[str, dict[str, Any]]]:
    """The count and the page statement of a search, as (Cypher, parameters)."""
    from policykg.cypher import cypher

    params: dict[str, Any] = dict(terms=terms, kind=kind, agency=agency, region=region, document=document)
    fulltext = fulltext_query(terms)
    if fulltext is not None:
        params["fulltext"] = fulltext
    source = cypher("measures_fulltext" if fulltext is not None else "measures_all")
    return [(cypher("count_measures").replace("__MEASURES__", source), params),
            (cypher("search_measures").replace("__MEASURES__", source), params | {"limit": limit, "offset": offset})]


def _search_neo4j(db, q=None, kind=None, agency=None, region=None, document=None, limit=20, offset=0) -> Page:
    terms = search_terms(q)
    (count, count_params), (page, page_params) = search_statements(terms, kind, agency, region, document,
                                                                     limit, offset)
    total = db.run("search_measures", count, count_params)[0]["total"]
    items = [MeasureOut.model_validate({**r["m"], "score": float(r["score"]) if terms else None})
             for r in db.run("search_measures", page, page_params)]
    return Page(total=total, limit=limit, offset=offset, items=items)


def _search_examples(store: "Store") -> Iterator[dict[str, Any]]:
    yield from ({}, {"q": "人民币"}, {"q": "服务贸易 统计"}, {"kind": "opening"},
                {"kind": "safeguard", "limit": 5, "offset": 5}, {"agency": "商务部"}, {"region": "广东省"},
                {"q": "不存在的词语"}, {"q": "港"}, {"q": "FT"}, {"q": "自由贸易 FT"},
                {"q": "服务贸易", "offset": 3, "limit": 4}, {"limit": 100_000})
    for d in store.documents()[:3]:
        yield {"document": d.file, "q": "服务"}
        yield {"document": d.id, "limit": 1000}
    for a in store.agencies()[:3]:
        yield {"agency": a.id, "kind": "action"}


@question(shape=VALUE, neo4j=_search_neo4j, examples=_search_examples)
def search_measures(v: GraphView, q: str | None = None, kind: str | None = None, agency: str | None = None,
                    region: str | None = None, document: str | None = None,
                    limit: int = 20, offset: int = 0) -> Page:
    """Current measures matching every filter and every term of `q`, most relevant first;
    `agency`/`region`/`document` take an id or a name (a file name for a document)."""
    terms = search_terms(q)
    allowed: set[str] | None = None
    if agency is not None:
        allowed = {e for a in v.resolve(agency, Label.AGENCY, "name") for e, _ in v.out(a, "LEADS", "COOPERATES")}
    if region is not None:
        hits = {s for r in v.resolve(region, Label.REGION, "name") for s, _ in v.into(r, "APPLIES_TO")
                if v.is_a(s, Label.MEASURE)}
        allowed = hits if allowed is None else allowed & hits
    doc_files = None
    if document is not None:
        doc_files = {p.get("file") for _, p in v.nodes(Label.DOCUMENT) if p.get("file") == document}
        if v.is_a(document, Label.DOCUMENT):
            doc_files.add(v.props(document).get("file"))
        doc_files.add(document)
    # Sort keys first, models only for the page: a broad term hits most measures.
    hits_sorted = []
    for nid, p in v.current(Label.MEASURE):
        if allowed is not None and nid not in allowed:
            continue
        if kind and p.get("kind") != kind:
            continue
        if doc_files is not None and p.get("document") not in doc_files:
            continue
        text, body = p.get("text", ""), p.get("body") or ""
        if terms and not all(t in text or t in body for t in terms):
            continue
        score = relevance(terms, text, body) if terms else 0
        start = p.get("start")
        hits_sorted.append((-score, p.get("document", ""), start if start is not None else 0, nid))
    hits_sorted.sort()
    items = [MeasureOut.model_validate({**v.props(nid), "score": float(-neg) if terms else None})
             for neg, _, _, nid in hits_sorted[offset:offset + limit]]
    return Page(total=len(hits_sorted), limit=limit, offset=offset, items=items)


# ============================================================================ measures

@question(result=MeasureDetail, shape=ONE, examples=_each_measure)
def measure(v: GraphView, id: str) -> dict | None:
    """A measure with its body, its parent measure, its evidence and the regions it names;
    None for an unknown measure."""
    if not v.is_a(id, Label.MEASURE):
        return None
    parent = next((e for e, _ in v.out(id, "PART_OF") if v.is_a(e, Label.MEASURE)), None)
    evidence = next((d for _, d in v.out(id, "FROM_DOCUMENT")), {})
    return {**v.props(id), "parent": v.props(parent) if parent else None, "evidence": evidence,
            "regions": [v.props(e)["name"] for e, _ in v.out(id, "APPLIES_TO")]}


@question(result=Backer, shape=FOUND, order=backer_order, examples=_each_measure)
def backers(v: GraphView, id: str) -> list | None:
    """Agencies that lead or support a measure, leads first; None for an unknown measure."""
    if not v.is_a(id, Label.MEASURE):
        return None
    return [{"agency": v.agency(s), "role": "lead" if t == "LEADS" else "cooperate", "evidence": d["props"]}
            for s, _, t, d in v.g.in_edges(id, keys=True, data=True) if t in ("LEADS", "COOPERATES")]


@question(result=AdjustedProvision, shape=FOUND, order=lambda a: provision_order(a.provision),
          examples=_each_measure)
def provisions(v: GraphView, id: str) -> list | None:
    """Provisions a measure suspends or adjusts (ADJUSTS_REGULATION), with evidence; None
    for an unknown measure."""
    if not v.is_a(id, Label.MEASURE):
        return None
    return [{"provision": v.props(e), "evidence": d} for e, d in v.out(id, "ADJUSTS_REGULATION")]


@question(result=OpeningMeasure, order=lambda o: measure_order(o.measure), examples=_nothing)
def opening_measures(v: GraphView) -> list:
    """Every current opening measure with the provisions it adjusts."""
    return [{"measure": p, "provisions": [v.props(e) for e, _ in v.out(nid, "ADJUSTS_REGULATION")]}
            for nid, p in v.current(Label.MEASURE) if p.get("kind") == "opening"]


# ============================================================================ agencies

@question(result=AgencyOut, order=agency_order, examples=_nothing)
def agencies(v: GraphView) -> list:
    """All agencies with their counts of current measures, most leads first."""
    return [v.agency(n) for n, _ in v.nodes(Label.AGENCY)]


@question(result=AgencyOut, shape=ONE, examples=_each_agency)
def agency(v: GraphView, id: str) -> dict | None:
    """One agency with its counts; None for an unknown agency."""
    return v.agency(id) if v.is_a(id, Label.AGENCY) else None


@question(result=MeasureOut, shape=FOUND, order=measure_order, examples=lambda s: _each_agency(s, roles=True))
def agency_measures(v: GraphView, id: str, role: str | None = None) -> list | None:
    """Current measures an agency leads (`role` lead), supports (cooperate) or either;
    None for an unknown agency."""
    if not v.is_a(id, Label.AGENCY):
        return None
    return [v.props(e) for e in {e for e, _ in v.out(id, *ROLE_TYPES[role]) if v.is_current(e)}]


def _some_agencies(store: "Store") -> Iterator[dict[str, Any]]:
    for a in store.agencies()[:15]:
        yield {"id": a.id}
    yield {"id": "a-unknown"}


@question(result=Partner, shape=FOUND, order=partner_order, examples=_some_agencies)
def partners(v: GraphView, id: str) -> list | None:
    """Agencies that back the same current measures as this one, most shared first; None
    for an unknown agency."""
    if not v.is_a(id, Label.AGENCY):
        return None
    shared: dict[str, set[str]] = {}
    for m, _ in v.out(id, "LEADS", "COOPERATES"):
        if v.is_current(m):
            for other, _ in v.into(m, "LEADS", "COOPERATES"):
                if other != id:
                    shared.setdefault(other, set()).add(m)
    return [{"agency": v.agency(a), "shared": len(ms)} for a, ms in shared.items()]


# ============================================================================ regions

@question(result=RegionOut, order=region_order, examples=_nothing)
def regions(v: GraphView) -> list:
    """All regions with the number of current measures naming each."""
    return [{**p, "measures": sum(1 for s, _ in v.into(nid, "APPLIES_TO") if v.is_a(s, Label.MEASURE) and v.is_current(s))}
            for nid, p in v.nodes(Label.REGION)]


@question(result=MeasureOut, shape=FOUND, order=measure_order, examples=_each_region)
def region_measures(v: GraphView, id: str) -> list | None:
    """Current measures that name a region (APPLIES_TO); None for an unknown region."""
    if not v.is_a(id, Label.REGION):
        return None
    return [v.props(s) for s in {s for s, _ in v.into(id, "APPLIES_TO") if v.is_a(s, Label.MEASURE) and v.is_current(s)}]


@question(result=MeasureOut, shape=FOUND, order=measure_order, examples=_each_region)
def region_rollup(v: GraphView, id: str) -> list | None:
    """Current measures that apply in a region or in any region PART_OF it; None for an
    unknown region."""
    if not v.is_a(id, Label.REGION):
        return None
    ids = {s for r in v.within(id) for s, _ in v.into(r, "APPLIES_TO") if v.is_a(s, Label.MEASURE) and v.is_current(s)}
    return [v.props(i) for i in ids]


# ============================================================================ provisions

@question(result=ProvisionUse, order=use_order, examples=_nothing)
def provision_uses(v: GraphView) -> list:
    """Every provision with the number of current measures that adjust it."""
    return [{"provision": p, "measures": sum(1 for s, _ in v.into(n, "ADJUSTS_REGULATION") if v.is_current(s))}
            for n, p in v.nodes(Label.PROVISION)]


def _provision_examples(store: "Store") -> Iterator[dict[str, Any]]:
    for u in store.provision_uses():
        yield {"instrument": u.provision.instrument}
        yield {"instrument": u.provision.instrument, "article": u.provision.article}
    yield {"instrument": "不存在的法"}


@question(result=MeasureOut, order=measure_order, examples=_provision_examples)
def provision_measures(v: GraphView, instrument: str, article: str | None = None) -> list:
    """Current measures adjusting an instrument (any article, or the one given)."""
    provs = [n for n, p in v.nodes(Label.PROVISION)
             if p.get("instrument") == instrument and (article is None or p.get("article") == article)]
    return [v.props(i) for i in {s for n in provs for s, _ in v.into(n, "ADJUSTS_REGULATION") if v.is_current(s)}]


# ============================================================================ documents and versions

@question(result=DocumentOut, order=document_order, examples=_nothing)
def documents(v: GraphView) -> list:
    """Current versions of the loaded documents (not those only cited)."""
    return [v.document(nid) for nid, p in v.current(Label.DOCUMENT) if p.get("file")]


def _each_document(store: "Store") -> Iterator[dict[str, Any]]:
    for d in store.documents():
        for version in store.versions(d.id) or []:
            yield {"id": version.id}
    yield {"id": "d-unknown"}


@question(result=DocumentOut, shape=FOUND, examples=_each_document)
def versions(v: GraphView, id: str) -> list | None:
    """Every version of a document (its current id or an older version's), newest first:
    the current one, then along SUPERSEDES. None for an unknown document."""
    if not v.is_a(id, Label.DOCUMENT):
        return None
    nid: str | None = v.props(id).get("version_of") or id
    out, seen = [], set()
    while nid is not None and nid not in seen:
        seen.add(nid)
        out.append(v.document(nid))
        nid = next((e for e, _ in v.out(nid, "SUPERSEDES")), None)
    return out


# ============================================================================ as of a date
# Where a measure applies: its own APPLIES_TO regions, else its document's. A region counts
# as inside every region it is PART_OF (at any depth): what applies in 北京市 applies in 朝阳区.

def _due_examples(store: "Store") -> Iterator[dict[str, Any]]:
    agencies = [a.name for a in store.agencies()[:3]] + ["不存在的机构"]
    regions = [r.name for r in store.regions()[:3]] + ["不存在的地区"]
    for before in DATES:
        yield {"before": before}
        for agency in agencies:
            for role in (None, "lead", "cooperate"):
                yield {"before": before, "agency": agency, "role": role}
        for region in regions:
            yield {"before": before, "region": region}
        yield {"before": before, "agency": agencies[0], "region": regions[0]}


@question(result=MeasureOut, order=due_order, examples=_due_examples)
def measures_due(v: GraphView, before: str, agency: str | None = None, role: str | None = None,
                 region: str | None = None) -> list:
    """Current measures whose `due` is on or before the ISO date `before`, earliest first;
    `agency` (id or name) backing them (as `role`, else either), applying in `region` (id or
    name). An unknown agency or region matches nothing."""
    allowed = None
    if agency is not None:
        allowed = {e for a in v.resolve(agency, Label.AGENCY, "name") for e, _ in v.out(a, *ROLE_TYPES[role])}
    covering = v.covering(region) if region is not None else None
    out = []
    for nid, p in v.current(Label.MEASURE):
        due = p.get("due")
        if due is None or due > before or (allowed is not None and nid not in allowed):
            continue
        if covering is not None and not covering.intersection(v.applies_in(nid)):
            continue
        out.append(p)
    return out


@question(result=DocumentOut, order=document_order, examples=lambda s: ({"on": d} for d in DATES))
def documents_in_force(v: GraphView, on: str) -> list:
    """Current documents in force on an ISO date: from `in_force_from` (else the date of
    issue; a document with neither is left out) to `in_force_until` (open if absent)."""
    return [v.document(nid) for nid, p in v.current(Label.DOCUMENT)
            if p.get("file") and (p.get("in_force_from") or p.get("date"))
            and in_period(on, p.get("in_force_from") or p.get("date"), p.get("in_force_until"))]


def _suspended_examples(store: "Store") -> Iterator[dict[str, Any]]:
    regions = [r.id for r in store.regions()] + ["广东省", "不存在的地区"]
    for on in DATES[1:6]:
        for region in regions:
            yield {"region": region, "on": on}


@question(result=SuspendedProvision, shape=FOUND, order=suspension_order, examples=_suspended_examples)
def suspended_provisions(v: GraphView, region: str, on: str) -> list | None:
    """Provisions current measures suspend or adjust (ADJUSTS_REGULATION) on an ISO date
    (the edge's from/until, open ends unbounded) in a region (id or name) or a region
    containing it; None for an unknown region."""
    covering = v.covering(region)
    if not covering:
        return None
    out = []
    for prov, prov_props in v.nodes(Label.PROVISION):
        for mid, props in v.into(prov, "ADJUSTS_REGULATION"):
            if not v.is_current(mid) or not in_period(on, props.get("from"), props.get("until")):
                continue
            regions = v.applies_in(mid)
            if covering.intersection(regions):
                out.append({"provision": prov_props, "measure": v.props(mid), "valid_from": props.get("from"),
                            "valid_until": props.get("until"), "regions": [v.props(r)["name"] for r in regions]})
    return out


# ============================================================================ drawing and counts

def neighbourhood(start: str, depth: int, limit: int, expand) -> Neighbourhood | None:
    """Breadth-first walk over both directions; `expand(ids)` returns (nodes, edges) touching
    those ids as {id: (label, props)} and {(type, start, end): props}. Both stores walk with
    it, so they draw the same picture."""
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


def plain(props: dict[str, Any]) -> dict[str, Any]:
    """Neo4j's property map as plain Python (lists, not tuples)."""
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in props.items()}


def _graph_neo4j(db, node: str, depth: int = 1, limit: int = 200) -> Neighbourhood | None:
    def expand(ids, seed=False):
        nodes, edges = {}, {}
        for r in db.read("neighbours", ids=list(ids)):
            nodes[r["id"]] = (r["label"], plain(r["props"]))
            if seed:
                continue
            for rel in r["rels"]:
                edges[(rel["type"], rel["start"], rel["end"])] = plain(rel["props"])
                nodes.setdefault(rel["other"], (rel["other_label"], plain(rel["other_props"])))
        return nodes, edges

    return neighbourhood(node, depth, limit, expand)


def _graph_examples(store: "Store") -> Iterator[dict[str, Any]]:
    for mid in _measure_ids(store)[:15]:
        for depth in (1, 2):
            yield {"node": mid, "depth": depth, "limit": 100}
    for a in store.agencies()[:2]:
        yield {"node": a.id, "depth": 1, "limit": 30}
    yield {"node": "nope", "depth": 1, "limit": 10}


@question(shape=VALUE, neo4j=_graph_neo4j, examples=_graph_examples)
def graph(v: GraphView, node: str, depth: int = 1, limit: int = 200) -> Neighbourhood | None:
    """Nodes and edges within `depth` steps of a node, for drawing (at most `limit` nodes);
    None for an unknown node."""
    def expand(ids, seed=False):
        nodes, edges = {}, {}
        for i in ids:
            if i not in v.g:
                continue
            nodes[i] = (v.label(i), dict(v.props(i)))
            if seed:
                continue
            for a, b, t, d in (list(v.g.out_edges(i, keys=True, data=True))
                               + list(v.g.in_edges(i, keys=True, data=True))):
                edges[(t, a, b)] = dict(d["props"])
                for n in (a, b):
                    nodes.setdefault(n, (v.label(n), dict(v.props(n))))
        return nodes, edges

    return neighbourhood(node, depth, limit, expand)


def _counts_neo4j(db) -> dict[str, int]:
    return dict(sorted((r["name"], r["n"]) for r in db.read("counts")))


@question(shape=VALUE, neo4j=_counts_neo4j, examples=_nothing)
def counts(v: GraphView) -> dict[str, int]:
    """Nodes per label and relationships per type."""
    out: dict[str, int] = {}
    for _, d in v.g.nodes(data=True):
        out[d["label"]] = out.get(d["label"], 0) + 1
    for _, _, t in v.g.edges(keys=True):
        out[t] = out.get(t, 0) + 1
    return dict(sorted(out.items()))
