"""Exports for analysts' tools: GraphML (yEd, Gephi), GEXF 1.2 (Gephi), an Excel workbook
and CSV tables.

Everything is built from a store's `records()` (APOC JSON-lines records, which both stores
give alike) or from a neighbourhood `Store.graph()` returns, so the files are the same
whichever store wrote them.

Graph files (`to_networkx`, `write_graph`): one node per store node, one edge per
relationship, in a networkx MultiDiGraph written by networkx's own writers.
- GraphML: node data `label` (Measure, Agency, Region, LegalProvision, Document), `caption`
  (what a drawing shows: `graph.results.caption`) and the node's properties under their own
  names; edge data `type` and `label` (LEADS, …) and the evidence (`document`, `start`,
  `end`, `evidence`, and `from`/`until` where the text scopes it in time).
- GEXF: the format reserves some names, so: a node's GEXF `label` (the text Gephi shows) is
  its caption, its graph label is the attribute `node_label`; an edge's GEXF `label` is its
  type, also the attribute `rel_type` (GEXF's edge `type` means directed/undirected); the
  character offsets `start`/`end` of measures and evidence are `span_start`/`span_end`
  (GEXF's `start`/`end` are times, which would make the graph dynamic).
Lists (aliases) are joined with "|" (neither format has lists), absent values are left out,
numbers stay numbers, characters XML cannot hold are dropped.

Tables (`tables`, `write_xlsx`, `table_csv`): the analyst tables with Chinese headers, one
sheet each in the workbook (frozen header row, auto-filter, column widths), written in
openpyxl's write-only mode.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import networkx as nx

from policykg.errors import PolicyKGError
from policykg.graph.export import node_record, rel_record, write_records
from policykg.graph.results import Neighbourhood, caption

FORMATS = ("jsonl", "graphml", "gexf", "xlsx")
SUFFIX_FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".graphml": "graphml",
                  ".gexf": "gexf", ".xlsx": "xlsx"}


class ExportError(PolicyKGError):
    status = 422
    code = "bad_export"


class ExportTooLarge(PolicyKGError):
    status = 413
    code = "too_large"


def infer_format(path: str | Path, fmt: str | None = None) -> str:
    """The format asked for, else the one the file's suffix names, else jsonl."""
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    return SUFFIX_FORMATS.get(Path(path).suffix.lower(), "jsonl")


def neighbourhood_records(hood: Neighbourhood) -> Iterator[dict[str, Any]]:
    """A neighbourhood (`Store.graph`) as export records, nodes first."""
    labels = {n.id: n.label for n in hood.nodes}
    for n in hood.nodes:
        yield node_record(n.label, n.id, dict(n.properties))
    for e in hood.edges:
        yield rel_record(e.type, e.source, labels[e.source], e.target, labels[e.target], dict(e.properties))


# --------------------------------------------------------------------------- graph files
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(text: str) -> str:
    return _XML_BAD.sub("", text)


def _value(v: Any) -> Any:
    """A property as a GraphML/GEXF value: str, int, float or bool; None for absent."""
    if v is None or v == "" or v == []:
        return None
    if isinstance(v, bool) or isinstance(v, (int, float)):
        return v
    if isinstance(v, (list, tuple)):
        return _clean("|".join(str(x) for x in v))
    if isinstance(v, dict):
        return _clean(json.dumps(v, ensure_ascii=False, sort_keys=True))
    return _clean(str(v))


def to_networkx(records: Iterable[dict[str, Any]]) -> nx.MultiDiGraph:
    """The records as a MultiDiGraph with GraphML's attribute names (see the module doc).
    An attribute whose values are of more than one type is written as text throughout."""
    g = nx.MultiDiGraph()
    for rec in records:
        if rec.get("type") == "node":
            label = rec["labels"][0] if rec.get("labels") else ""
            props = rec.get("properties") or {}
            data = {"label": label, "caption": _clean(caption(label, props))}
            for k, v in props.items():
                if k in ("id", "label", "caption"):
                    continue
                v = _value(v)
                if v is not None:
                    data[k] = v
            g.add_node(rec["id"], **data)
        elif rec.get("type") == "relationship":
            start, end = rec["start"]["id"], rec["end"]["id"]
            for side in (rec["start"], rec["end"]):
                if side["id"] not in g:   # records list nodes first; a stub only if one is missing
                    g.add_node(side["id"], label=(side.get("labels") or [""])[0], caption=side["id"])
            data = {"type": rec["label"], "label": rec["label"]}
            for k, v in (rec.get("properties") or {}).items():
                if k in ("type", "label", "id"):
                    continue
                v = _value(v)
                if v is not None:
                    data[k] = v
            g.add_edge(start, end, key=rec.get("id") or f"{rec['label']}:{start}:{end}", **data)
    _one_type_per_attribute(g.nodes(data=True))
    _one_type_per_attribute((None, d) for _, _, d in g.edges(data=True))
    return g


def _one_type_per_attribute(items) -> None:
    """GraphML and GEXF declare one type per attribute: ints beside floats become floats,
    any other mixture text."""
    items = list(items)
    types: dict[str, set[type]] = defaultdict(set)
    for _, d in items:
        for k, v in d.items():
            types[k].add(type(v))
    cast = {}
    for k, ts in types.items():
        if ts == {int, float}:
            cast[k] = float
        elif len(ts) > 1:
            cast[k] = str
    if not cast:
        return
    for _, d in items:
        for k in cast.keys() & d.keys():
            d[k] = cast[k](d[k])


_GEXF_NODE_NAMES = {"start": "span_start", "end": "span_end"}
_GEXF_EDGE_NAMES = {"start": "span_start", "end": "span_end"}


def to_gexf_graph(g: nx.MultiDiGraph) -> nx.DiGraph:
    """`to_networkx`'s graph with GEXF's reserved names avoided (see the module doc). A
    plain DiGraph where no two relationships join the same pair of nodes (networkx adds a
    `networkx_key` column to a multigraph's edges)."""
    multi = any(len(keys) > 1 for _, nbrs in g.adjacency() for keys in nbrs.values())
    h = nx.MultiDiGraph() if multi else nx.DiGraph()
    for n, d in g.nodes(data=True):
        data = {_GEXF_NODE_NAMES.get(k, k): v for k, v in d.items() if k not in ("label", "caption")}
        data["node_label"] = d.get("label", "")
        data["label"] = d.get("caption") or str(n)
        h.add_node(n, **data)
    for a, b, key, d in g.edges(keys=True, data=True):
        data = {_GEXF_EDGE_NAMES.get(k, k): v for k, v in d.items() if k not in ("type", "label")}
        data["rel_type"] = d.get("type", "")
        data["label"] = d.get("type", "")
        data["id"] = key
        if multi:
            h.add_edge(a, b, key=key, **data)
        else:
            h.add_edge(a, b, **data)
    return h


def _atomic(path: str | Path, write: Callable[[str], None]) -> None:
    """Call `write(temporary path)` and rename the result into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class Written:
    format: str
    nodes: int = 0
    relationships: int = 0
    records: int = 0
    sheets: dict[str, int] = field(default_factory=dict)   # xlsx: data rows per sheet

    def describe(self) -> str:
        if self.format == "xlsx":
            return ", ".join(f"{name} {rows}" for name, rows in self.sheets.items()) + " rows"
        if self.format == "jsonl":
            return f"{self.records} records"
        return f"{self.nodes} nodes and {self.relationships} relationships"


def write_graph(records: Iterable[dict[str, Any]], path: str | Path, fmt: str) -> Written:
    """GraphML or GEXF 1.2draft of the records, written atomically."""
    g = to_networkx(records)
    if fmt == "graphml":
        _atomic(path, lambda tmp: nx.write_graphml(g, tmp, encoding="utf-8", prettyprint=True))
    elif fmt == "gexf":
        h = to_gexf_graph(g)
        _atomic(path, lambda tmp: nx.write_gexf(h, tmp, encoding="utf-8", prettyprint=True, version="1.2draft"))
    else:
        raise ExportError(f"{fmt} is not a graph format")
    return Written(fmt, nodes=g.number_of_nodes(), relationships=g.number_of_edges())


def write_export(records: Iterable[dict[str, Any]], path: str | Path, fmt: str) -> Written:
    """Write records in any export format (jsonl, graphml, gexf, xlsx)."""
    if fmt == "jsonl":
        return Written("jsonl", records=write_records(records, path))
    if fmt in ("graphml", "gexf"):
        return write_graph(records, path, fmt)
    if fmt == "xlsx":
        tabs = tables(records)
        _atomic(path, lambda tmp: write_xlsx(tabs, tmp))
        return Written("xlsx", sheets={t.title: len(t.rows) for t in tabs})
    raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


# --------------------------------------------------------------------------- tables
@dataclass
class Column:
    header: str
    width: int | None = None          # characters; None: from the contents
    kind: str = "text"                # text, int, date


@dataclass
class Table:
    name: str                         # the CSV route's name (measures → /measures.csv)
    title: str                        # the sheet's name
    columns: list[Column]
    rows: list[list[Any]]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


KIND_NAMES = {"task": "任务", "action": "举措", "opening": "开放措施", "safeguard": "保障措施"}
AGENCY_LEVELS = {"central": "中央", "provincial": "省级", "municipal": "市级", "district": "区县级", "other": "其他"}
REGION_LEVELS = {"country": "国家", "province": "省级", "municipality": "直辖市", "city": "地级市",
                 "county": "县", "district": "市辖区", "new_area": "新区", "zone": "功能区", "area": "地区"}
#: Excel's limit on one cell's text.
CELL_MAX = 32_767
#: Rows any one table may have before an export refuses (the API's bound).
MAX_TABLE_ROWS = 500_000
LIST_SEP = "、"


@dataclass
class _Graph:
    """The records indexed for the tables."""
    nodes: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    out: dict[str, list[tuple[str, str, dict[str, Any]]]] = field(default_factory=lambda: defaultdict(list))
    inc: dict[str, list[tuple[str, str, dict[str, Any]]]] = field(default_factory=lambda: defaultdict(list))

    def of(self, label: str) -> list[tuple[str, dict[str, Any]]]:
        return [(i, p) for i, (l, p) in self.nodes.items() if l == label]

    def label(self, nid: str) -> str | None:
        node = self.nodes.get(nid)
        return node[0] if node else None

    def props(self, nid: str) -> dict[str, Any]:
        node = self.nodes.get(nid)
        return node[1] if node else {}


def _current(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Records without older versions' nodes (`version_of`) and their relationships; nodes
    come before relationships, as in every export."""
    history: set[str] = set()
    for rec in records:
        if rec.get("type") == "node" and "version_of" in (rec.get("properties") or {}):
            history.add(rec["id"])
        elif not (history and rec.get("type") == "relationship"
                  and (rec["start"]["id"] in history or rec["end"]["id"] in history)):
            yield rec


def _index(records: Iterable[dict[str, Any]]) -> _Graph:
    g = _Graph()
    for rec in records:
        if rec.get("type") == "node":
            g.nodes[rec["id"]] = ((rec.get("labels") or [""])[0], rec.get("properties") or {})
        elif rec.get("type") == "relationship":
            s, e, props = rec["start"]["id"], rec["end"]["id"], rec.get("properties") or {}
            g.out[s].append((rec["label"], e, props))
            g.inc[e].append((rec["label"], s, props))
    return g


def _measure_order(item: tuple[str, dict[str, Any]]):
    nid, p = item
    start = p.get("start")
    return (p.get("document") or "", start if start is not None else 0, nid)


def _date(v: Any) -> dt.date | str | None:
    if not v:
        return None
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        return str(v)


def _join(values: Iterable[str], sep: str = LIST_SEP) -> str:
    return sep.join(v for v in values if v)


def measures_table(g: _Graph) -> Table:
    cols = [Column("措施编号", 20), Column("来源文件", 28), Column("章节", 24), Column("类型", 10),
            Column("领域", 14), Column("措施", 60), Column("牵头单位", 30), Column("配合单位", 40),
            Column("完成时限", 18), Column("截止日期", 12, "date"), Column("适用地区", 20), Column("所属任务", 40)]
    rows = []
    for nid, p in sorted(g.of("Measure"), key=_measure_order):
        leads = sorted(g.props(a).get("name", a) for t, a, _ in g.inc[nid] if t == "LEADS")
        coops = sorted(g.props(a).get("name", a) for t, a, _ in g.inc[nid] if t == "COOPERATES")
        regions = sorted(g.props(r).get("name", r) for t, r, _ in g.out[nid] if t == "APPLIES_TO")
        parent = next((caption("Measure", g.props(m)) for t, m, _ in g.out[nid]
                       if t == "PART_OF" and g.label(m) == "Measure"), None)
        rows.append([nid, p.get("document"), p.get("section"), KIND_NAMES.get(p.get("kind"), p.get("kind")),
                     p.get("field"), p.get("text"), _join(leads), _join(coops), p.get("deadline"),
                     _date(p.get("due")), _join(regions), parent])
    return Table("measures", "措施", cols, rows)


def opening_table(g: _Graph) -> Table:
    """Opening measures with the provisions they adjust: a row per measure and provision (a
    measure that names none has one row with the provision left empty)."""
    cols = [Column("措施编号", 20), Column("来源文件", 28), Column("领域", 14), Column("开放措施", 60),
            Column("法规名称", 36), Column("条", 14), Column("款项", 12), Column("调整起始", 12, "date"),
            Column("调整截止", 12, "date")]
    rows = []
    for nid, p in sorted(((i, p) for i, p in g.of("Measure") if p.get("kind") == "opening"), key=_measure_order):
        provs = []
        for t, lp, props in g.out[nid]:
            if t != "ADJUSTS_REGULATION":
                continue
            q = g.props(lp)
            no = q.get("article_no")
            provs.append(((q.get("instrument") or "", no if no is not None else -1, q.get("article") or "",
                           q.get("clause") or ""), q, props))
        provs.sort(key=lambda x: x[0])
        base = [nid, p.get("document"), p.get("field"), p.get("text")]
        if not provs:
            rows.append(base + [None] * 5)
        for _, q, props in provs:
            rows.append(base + [q.get("instrument"), q.get("article"), q.get("clause"),
                                _date(props.get("from")), _date(props.get("until"))])
    return Table("opening-provisions", "开放措施与法规条款", cols, rows)


def _measure_list(g: _Graph, ids: Iterable[str]) -> str:
    items = sorted(((m, g.props(m)) for m in ids), key=_measure_order)
    text = "\n".join(f"{p.get('text', m)}（{p.get('document', '')}）" for m, p in items)
    return text if len(text) <= CELL_MAX else text[:CELL_MAX - 1] + "…"


def agencies_table(g: _Graph) -> Table:
    cols = [Column("机构编号", 20), Column("机构名称", 30), Column("级别", 8), Column("别名", 30),
            Column("牵头数", 8, "int"), Column("配合数", 8, "int"), Column("牵头措施", 70), Column("配合措施", 70)]
    rows = []
    for nid, p in g.of("Agency"):
        leads = sorted({m for t, m, _ in g.out[nid] if t == "LEADS"})
        coops = sorted({m for t, m, _ in g.out[nid] if t == "COOPERATES"})
        n_leads = sum(1 for t, _, _ in g.out[nid] if t == "LEADS")
        n_coops = sum(1 for t, _, _ in g.out[nid] if t == "COOPERATES")
        aliases = p.get("aliases") or []
        rows.append([nid, p.get("name"), AGENCY_LEVELS.get(p.get("level"), p.get("level")),
                     _join(aliases if isinstance(aliases, list) else [aliases]), n_leads, n_coops,
                     _measure_list(g, leads), _measure_list(g, coops)])
    rows.sort(key=lambda r: (-r[4], -r[5], r[1] or ""))
    return Table("agencies", "机构", cols, rows)


def documents_table(g: _Graph) -> Table:
    """Documents read from a file (one only cited by another has no row, as in `/documents`)."""
    cols = [Column("文件编号", 20), Column("文件名", 30), Column("标题", 50), Column("文号", 20),
            Column("发文机关", 24), Column("日期", 12, "date"), Column("施行起", 12, "date"),
            Column("施行止", 12, "date"), Column("措施数", 8, "int")]
    rows = []
    for nid, p in g.of("Document"):
        if not p.get("file"):
            continue
        count = sum(1 for t, _, _ in g.inc[nid] if t == "FROM_DOCUMENT")
        rows.append([nid, p.get("file"), p.get("title"), p.get("doc_number"), p.get("issuer"),
                     _date(p.get("date")), _date(p.get("in_force_from")), _date(p.get("in_force_until")), count])
    rows.sort(key=lambda r: (r[1] or "", r[0]))
    return Table("documents", "文件", cols, rows)


def regions_table(g: _Graph) -> Table:
    cols = [Column("地区编号", 20), Column("地区名称", 20), Column("级别", 10), Column("行政区划代码", 12),
            Column("上级地区", 16), Column("别名", 24), Column("措施数", 8, "int")]
    rows = []
    for nid, p in g.of("Region"):
        count = sum(1 for t, s, _ in g.inc[nid] if t == "APPLIES_TO" and g.label(s) == "Measure")
        parent = next((g.props(r).get("name", r) for t, r, _ in g.out[nid]
                       if t == "PART_OF" and g.label(r) == "Region"), None)
        aliases = p.get("aliases") or []
        rows.append([nid, p.get("name"), REGION_LEVELS.get(p.get("level"), p.get("level")), p.get("code"),
                     parent, _join(aliases if isinstance(aliases, list) else [aliases]), count])
    rows.sort(key=lambda r: (-r[6], r[1] or ""))
    return Table("regions", "地区", cols, rows)


def implements_table(g: _Graph) -> Table:
    """Which local measure carries out which national one (IMPLEMENTS), a row per link
    (`implementation_matrix_table` arranges the same links as a matrix)."""
    cols = [Column("地方措施编号", 20), Column("地方文件", 28), Column("地方措施", 60), Column("牵头单位", 30),
            Column("国家措施编号", 20), Column("国家文件", 28), Column("国家措施", 60)]
    rows = []
    for nid, p in sorted(g.of("Measure"), key=_measure_order):
        for t, target, _ in g.out[nid]:
            if t != "IMPLEMENTS":
                continue
            q = g.props(target)
            leads = sorted(g.props(a).get("name", a) for t2, a, _ in g.inc[nid] if t2 == "LEADS")
            rows.append([nid, p.get("document"), p.get("text"), _join(leads),
                         target, q.get("document"), q.get("text")])
    return Table("implements", "地方落实", cols, rows)


def implementation_matrix_table(g: _Graph) -> Table | None:
    """The implementation matrix: a row per measure of every document that others carry out
    (IMPLEMENTS), a column per document that carries any out, each cell the implementing
    measure with its lead and due date (`policykg implementation DOC` answers the same for
    one document); None when nothing implements anything."""
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)     # (national measure, local file) -> cells
    national_docs, local_docs = set(), set()
    for nid, p in g.of("Measure"):
        for t, target, _ in g.out[nid]:
            if t != "IMPLEMENTS":
                continue
            leads = _join(sorted(g.props(a).get("name", a) for t2, a, _ in g.inc[nid] if t2 == "LEADS"))
            extra = "；".join(x for x in (f"牵头：{leads}" if leads else "", f"到期：{p['due']}" if p.get("due") else "") if x)
            cells[(target, p.get("document") or "")].append(p.get("text", "") + (f"（{extra}）" if extra else ""))
            national_docs.add(g.props(target).get("document"))
            local_docs.add(p.get("document") or "")
    if not cells:
        return None
    columns = sorted(local_docs)
    cols = [Column("国家文件", 28), Column("国家措施编号", 20), Column("国家措施", 60), Column("落实文件数", 10, "int")]
    cols += [Column(f"落实：{doc}", 50) for doc in columns]
    rows = []
    for nid, p in sorted(((i, q) for i, q in g.of("Measure") if q.get("document") in national_docs), key=_measure_order):
        row = [LIST_SEP.join(cells.get((nid, doc), [])) for doc in columns]
        rows.append([p.get("document"), nid, p.get("text"), sum(1 for c in row if c), *row])
    return Table("implementation", "落实矩阵", cols, rows)


TABLES: list[Callable[[_Graph], Table | None]] = [
    measures_table, opening_table, agencies_table, documents_table, regions_table, implements_table,
    implementation_matrix_table,
]
TABLE_NAMES = ("measures", "opening-provisions", "agencies", "documents", "regions", "implements", "implementation")


#: Records (nodes + relationships) a table export reads at most (the API's bound).
MAX_RECORDS = 5_000_000


def check_size(counts: dict[str, int]) -> None:
    """Refuse, before reading anything, a store too large for a table export."""
    total = sum(counts.values())
    if total > MAX_RECORDS or any(n > MAX_TABLE_ROWS for n in counts.values()):
        raise ExportTooLarge(f"the store holds {total:,} nodes and relationships, more than a table export "
                             f"reads; export the graph as jsonl instead")


def tables(records: Iterable[dict[str, Any]], only: str | None = None) -> list[Table]:
    """The analyst tables of the records (or only the one named, e.g. "measures"): current
    versions only, as the store's questions answer (older versions are in the graph exports)."""
    g = _index(_current(records))
    out = []
    for make in TABLES:
        t = make(g)
        if t is None or (only is not None and t.name != only):
            continue
        if len(t.rows) > MAX_TABLE_ROWS:
            raise ExportTooLarge(f"the {t.title} table has {len(t.rows):,} rows, more than the "
                                 f"{MAX_TABLE_ROWS:,} an export holds; export the graph as jsonl instead")
        out.append(t)
    return out


def _cell_text(v: Any) -> Any:
    if isinstance(v, str):
        v = _clean(v)
        return v if len(v) <= CELL_MAX else v[:CELL_MAX - 1] + "…"
    return v


def _display_width(v: Any) -> int:
    if v is None:
        return 0
    s = v.isoformat() if isinstance(v, dt.date) else str(v)
    line = max(s.split("\n"), key=len) if s else ""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in line)   # CJK shows twice as wide


def _widths(t: Table) -> list[float]:
    out = []
    for i, c in enumerate(t.columns):
        widest = max([_display_width(c.header)] + [_display_width(r[i]) for r in t.rows[:2000]])
        cap = c.width or 60
        out.append(max(8, min(cap, widest + 2)))
    return out


def write_xlsx(tabs: list[Table], path: str | Path) -> None:
    """One sheet per table: bold frozen header row, auto-filter over the table, column
    widths from the contents (capped), dates as Excel dates. Write-only: rows stream out."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for t in tabs:
        ws = wb.create_sheet(t.title)
        last = get_column_letter(len(t.columns))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{last}{len(t.rows) + 1}"
        widths = _widths(t)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        header = []
        for c in t.columns:
            cell = WriteOnlyCell(ws, value=c.header)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in t.rows:
            cells = []
            for c, w, v in zip(t.columns, widths, row):
                cell = WriteOnlyCell(ws, value=_cell_text(v))
                if isinstance(v, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                if isinstance(v, str) and (len(v) > w or "\n" in v):
                    cell.alignment = wrap
                else:
                    cell.alignment = top
                cells.append(cell)
            ws.append(cells)
    wb.save(str(path))


def xlsx_bytes(tabs: list[Table]) -> bytes:
    fd, tmp = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        write_xlsx(tabs, tmp)
        return Path(tmp).read_bytes()
    finally:
        Path(tmp).unlink(missing_ok=True)


def table_csv(t: Table) -> str:
    """A table as CSV, UTF-8 with a BOM so that spreadsheets read the Chinese right."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(t.headers)
    for row in t.rows:
        w.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row])
    return "\ufeff" + buf.getvalue()
