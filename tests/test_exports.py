"""Exports for analysts' tools, read back with the libraries those tools' users read them
with: GraphML and GEXF through networkx (what Gephi and yEd open), the workbook through
openpyxl; against both stores (the Neo4j ones marked neo4j)."""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import openpyxl
import pytest
from fastapi.testclient import TestClient

from policykg.api.app import create_app
from policykg.errors import StoreUnavailable
from policykg.graph import exports
from policykg.graph.model import Label, RelType
from policykg.jobs import export_graph, export_store

from conftest import ROOT

NODE_LABELS = {label.value for label in Label}
SHEETS = ["措施", "开放措施与法规条款", "机构", "文件", "地区", "地方落实", "落实矩阵"]
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"




@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request):
    return request.getfixturevalue("embedded_store" if request.param == "embedded" else "neo4j_store")


def _node_counts(counts: dict[str, int]) -> tuple[int, int]:
    nodes = sum(n for k, n in counts.items() if k in NODE_LABELS)
    return nodes, sum(counts.values()) - nodes


def _by_label(g, key: str = "label") -> dict[str, int]:
    out: dict[str, int] = {}
    for _, d in g.nodes(data=True):
        out[d[key]] = out.get(d[key], 0) + 1
    return out


def _by_type(g, key: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for *_, d in g.edges(data=True):
        out[d[key]] = out.get(d[key], 0) + 1
    return out


def _split(counts: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    return ({k: n for k, n in counts.items() if k in NODE_LABELS},
            {k: n for k, n in counts.items() if k not in NODE_LABELS})


def _provision_34(g, label_key: str):
    return next(d for _, d in g.nodes(data=True)
                if d.get(label_key) == "LegalProvision" and d.get("article") == "第三十四条")


def test_exports_format_from_option_or_suffix():
    assert exports.infer_format("a.graphml") == "graphml"
    assert exports.infer_format("a.GEXF") == "gexf"
    assert exports.infer_format("a.xlsx") == "xlsx"
    assert exports.infer_format("a.json") == exports.infer_format("a.jsonl") == "jsonl"
    assert exports.infer_format("a.txt") == exports.infer_format("export") == "jsonl"   # jsonl by default
    assert exports.infer_format("a.graphml", "xlsx") == "xlsx"                        # the option wins
    with pytest.raises(exports.ExportError):
        exports.infer_format("a.csv", "csv")


def test_exports_graphml_round_trip(store, tmp_path):
    out = tmp_path / "kg.graphml"
    written = export_graph(store, out)          # the suffix says graphml
    counts = store.counts()
    n_nodes, n_rels = _node_counts(counts)
    assert (written.format, written.nodes, written.relationships) == ("graphml", n_nodes, n_rels)

    # Well-formed XML whose every data element names a declared key (what yEd needs).
    root = ET.parse(out).getroot()
    keys = {k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.iter(f"{GRAPHML_NS}key")}
    used = {d.get("key") for d in root.iter(f"{GRAPHML_NS}data")}
    assert used <= keys.keys()
    declared = {(f, name): t for f, name, t in keys.values()}
    assert len(declared) == len(keys)           # one type per attribute
    assert declared[("node", "label")] == "string" and declared[("node", "caption")] == "string"
    assert declared[("node", "start")] in ("int", "long") and declared[("edge", "start")] in ("int", "long")

    g = nx.read_graphml(out, force_multigraph=True)
    assert (g.number_of_nodes(), g.number_of_edges()) == (n_nodes, n_rels)
    labels, types = _split(counts)
    assert _by_label(g) == labels and _by_type(g, "type") == types
    assert all(d["label"] == d["type"] for *_, d in g.edges(data=True))

    m = store.search_measures(q="多式联运监管中心").items[0]
    node = g.nodes[m.id]
    assert node["label"] == "Measure" and node["kind"] == m.kind and node["document"] == m.document
    assert node["text"] == m.text and node["start"] == m.start and node["caption"] == (
        m.text if len(m.text) <= 24 else m.text[:23] + "…")
    lead = next(b for b in store.backers(m.id) if b.role == "lead")
    edge = next(d for _, _, d in g.in_edges(m.id, data=True) if d["type"] == "LEADS")
    assert g.nodes[lead.agency.id]["caption"] == lead.agency.name == g.nodes[lead.agency.id]["name"]
    assert edge["document"] == m.document and isinstance(edge["start"], int) and edge["end"] > edge["start"]

    prov = _provision_34(g, "label")
    assert prov["caption"] == f"《{prov['instrument']}》第三十四条" and prov["article_no"] == 34
    agencies = {a.id: a for a in store.agencies()}
    with_aliases = next(a for a in agencies.values() if len(a.aliases) > 1)
    assert g.nodes[with_aliases.id]["aliases"].split("|") == sorted(with_aliases.aliases)
    assert all(None not in d.values() for _, d in g.nodes(data=True))
    docs = [d for _, d in g.nodes(data=True) if d["label"] == "Document" and d.get("doc_number")]
    assert docs and all(d["caption"] == d["doc_number"] for d in docs)


def test_exports_gexf_round_trip(store, tmp_path):
    out = tmp_path / "kg.gexf"
    written = export_graph(store, out)
    counts = store.counts()
    n_nodes, n_rels = _node_counts(counts)
    assert (written.format, written.nodes, written.relationships) == ("gexf", n_nodes, n_rels)

    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.gexf.net/1.2draft}gexf" and root.get("version") == "1.2"
    graph = root.find("{http://www.gexf.net/1.2draft}graph")
    # Static and directed: no time intervals, so Gephi opens it as an ordinary graph.
    assert graph.get("mode") == "static" and graph.get("defaultedgetype") == "directed"
    assert not [e for e in root.iter() if e.get("start") is not None and e.tag.endswith(("node", "edge"))]

    g = nx.read_gexf(out)
    assert (g.number_of_nodes(), g.number_of_edges()) == (n_nodes, n_rels)
    labels, types = _split(counts)
    assert _by_label(g, "node_label") == labels and _by_type(g, "rel_type") == types
    assert _by_type(g, "label") == types

    m = store.search_measures(q="多式联运监管中心").items[0]
    node = g.nodes[m.id]
    assert node["node_label"] == "Measure" and node["kind"] == m.kind and node["span_start"] == m.start
    assert node["label"] == (m.text if len(m.text) <= 24 else m.text[:23] + "…")   # what Gephi shows
    prov = _provision_34(g, "node_label")
    assert prov["label"] == f"《{prov['instrument']}》第三十四条"
    lead = next(b for b in store.backers(m.id) if b.role == "lead")
    assert g.nodes[lead.agency.id]["label"] == lead.agency.name
    edge = g.edges[lead.agency.id, m.id] if not g.is_multigraph() else next(iter(g[lead.agency.id][m.id].values()))
    assert edge["rel_type"] == "LEADS" and edge["document"] == m.document and edge["span_end"] > edge["span_start"]


def test_exports_xlsx_round_trip(store, tmp_path):
    out = tmp_path / "kg.xlsx"
    written = export_graph(store, out)
    counts = store.counts()
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"
        assert all(c.value and c.font.bold for c in ws[1])
        assert all(8 <= ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width <= 70
                   for i in range(1, ws.max_column + 1))
        assert written.sheets[ws.title] == ws.max_row - 1
    rows = {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    heads = {t: r[0] for t, r in rows.items()}
    assert heads["措施"][:8] == ("措施编号", "来源文件", "章节", "类型", "领域", "措施", "牵头单位", "配合单位")
    assert {"完成时限", "截止日期", "适用地区"} <= set(heads["措施"])
    assert heads["开放措施与法规条款"][3:7] == ("开放措施", "法规名称", "条", "款项")
    assert heads["机构"][1:6] == ("机构名称", "级别", "别名", "牵头数", "配合数")
    assert heads["文件"][1:6] == ("文件名", "标题", "文号", "发文机关", "日期")

    assert len(rows["措施"]) - 1 == counts["Measure"]
    assert len(rows["机构"]) - 1 == counts["Agency"] == len(store.agencies())
    assert len(rows["文件"]) - 1 == len(store.documents())
    assert len(rows["地区"]) - 1 == counts["Region"]
    assert len(rows["地方落实"]) - 1 == counts["IMPLEMENTS"]
    # The matrix sheet: a row per measure of the State Council's approval, a column per
    # implementing plan, filled where `policykg implementation` has a cell.
    from policykg.graph.compare import implementation

    matrix = implementation(store, "国函〔2018〕79号")
    head = rows["落实矩阵"][0]
    body = rows["落实矩阵"][1:]
    assert len(body) == matrix.measures
    for col in matrix.columns:
        k = head.index(f"落实：{col.document.file}")
        filled = {r[1] for r in body if r[k]}
        assert filled == {row.measure.id for row in matrix.rows if row.cells.get(col.document.id)}
    opening = store.opening_measures()
    assert len(rows["开放措施与法规条款"]) - 1 == sum(max(1, len(o.provisions)) for o in opening)

    # The same answers as the store's questions.
    measures = {r[0]: dict(zip(heads["措施"], r)) for r in rows["措施"][1:]}
    m = store.search_measures(q="多式联运监管中心").items[0]
    backers = store.backers(m.id)
    row = measures[m.id]
    assert row["措施"] == m.text and row["来源文件"] == m.document
    assert set(row["牵头单位"].split("、")) == {b.agency.name for b in backers if b.role == "lead"}
    assert set((row["配合单位"] or "").split("、")) - {""} == {b.agency.name for b in backers if b.role == "cooperate"}
    detail = store.measure(m.id)
    assert set((row["适用地区"] or "").split("、")) - {""} == set(detail.regions)
    due = next(r for r in measures.values() if r["截止日期"] is not None)
    assert due["完成时限"] and hasattr(due["截止日期"], "year")              # an Excel date
    agencies = {r[0]: r for r in rows["机构"][1:]}
    for a in store.agencies():
        assert agencies[a.id][1:6:3] == (a.name, a.leads) and agencies[a.id][5] == a.cooperates
    docs = {r[1]: r for r in rows["文件"][1:]}
    for d in store.documents():
        assert docs[d.file][0] == d.id and docs[d.file][3] == d.doc_number and docs[d.file][-1] == d.measures
    provisions = {(r[0], r[4], r[5], r[6]) for r in rows["开放措施与法规条款"][1:] if r[4]}
    assert provisions == {(o.measure.id, p.instrument, p.article, getattr(p, "clause", None))
                         for o in opening for p in o.provisions}


@pytest.mark.neo4j
def test_exports_identical_from_both_stores(embedded_store, neo4j_store):
    a, b = exports.to_networkx(embedded_store.records()), exports.to_networkx(neo4j_store.records())
    for g in (a, b):        # a clock reading of each store's own load
        for _, data in g.nodes(data=True):
            data.pop("loaded_at", None)
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))
    ta, tb = exports.tables(embedded_store.records()), exports.tables(neo4j_store.records())
    assert [(t.title, t.rows) for t in ta] == [(t.title, t.rows) for t in tb]


def test_exports_jsonl_stays_the_default(store, tmp_path):
    out = tmp_path / "kg.json"
    assert export_store(store, out) == sum(store.counts().values())
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == sum(store.counts().values()) and lines[0].startswith('{"id"')


def test_exports_neighbourhood(store, tmp_path):
    m = store.search_measures(q="多式联运监管中心").items[0]
    hood = store.graph(m.id, 2, 5000)
    written = export_graph(store, tmp_path / "m.graphml", node=m.id, depth=2)
    assert (written.nodes, written.relationships) == (len(hood.nodes), len(hood.edges))
    g = nx.read_graphml(tmp_path / "m.graphml", force_multigraph=True)
    assert m.id in g and g.number_of_nodes() == len(hood.nodes) and g.number_of_edges() == len(hood.edges)
    with pytest.raises(Exception, match="no node"):
        export_graph(store, tmp_path / "x.graphml", node="m-unknown")


def test_exports_awkward_values(tmp_path):
    """Control characters, lists, mixed types and missing endpoints still give files the
    readers take."""
    records = [
        {"type": "node", "id": "a", "labels": ["Agency"], "properties": {"id": "a", "name": "甲\x01局", "aliases": ["甲", "乙"]}},
        {"type": "node", "id": "m", "labels": ["Measure"], "properties": {"id": "m", "text": "x" * 40, "kind": "task",
                                                                          "document": "d.txt", "start": 1, "end": 2.5}},
        {"type": "relationship", "id": "LEADS:a:m", "label": "LEADS", "start": {"id": "a", "labels": ["Agency"]},
         "end": {"id": "m", "labels": ["Measure"]}, "properties": {"document": "d.txt", "start": 0, "end": None}},
        {"type": "relationship", "id": "COOPERATES:a:m", "label": "COOPERATES", "start": {"id": "a", "labels": ["Agency"]},
         "end": {"id": "m", "labels": ["Measure"]}, "properties": {}},      # a second edge on the same pair
        {"type": "relationship", "id": "PART_OF:m:z", "label": "PART_OF", "start": {"id": "m", "labels": ["Measure"]},
         "end": {"id": "z", "labels": ["Measure"]}, "properties": {}},
    ]
    for fmt in ("graphml", "gexf", "xlsx"):
        exports.write_export(records, tmp_path / f"a.{fmt}", fmt)
    g = nx.read_graphml(tmp_path / "a.graphml")
    assert g.nodes["a"]["name"] == "甲局" and g.nodes["a"]["aliases"] == "甲|乙" and g.nodes["m"]["end"] == 2.5
    assert g.nodes["m"]["caption"] == "x" * 23 + "…" and "end" not in g.edges["a", "m", "LEADS:a:m"]
    assert (g.number_of_nodes(), g.number_of_edges()) == (3, 3)
    h = nx.read_gexf(tmp_path / "a.gexf")
    assert (h.number_of_nodes(), h.number_of_edges()) == (3, 3)
    assert sorted(d["rel_type"] for *_, d in h.edges(data=True)) == ["COOPERATES", "LEADS", "PART_OF"]
    assert openpyxl.load_workbook(tmp_path / "a.xlsx")["机构"]["B2"].value == "甲局"


def _cli(*args, data):
    env = {**os.environ, "POLICYKG_DATA": str(data), "PYTHONPATH": str(ROOT)}
    env.pop("NEO4J_URI", None)
    return subprocess.run([sys.executable, "-m", "policykg.cli", "export", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_exports_cli(embedded_store, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(embedded_store.dir, data)
    counts = embedded_store.counts()
    n_nodes, n_rels = _node_counts(counts)

    r = _cli(str(tmp_path / "out.graphml"), data=data)
    assert r.returncode == 0, r.stderr
    assert f"wrote {n_nodes} nodes and {n_rels} relationships" in r.stderr and "(graphml)" in r.stderr
    g = nx.read_graphml(tmp_path / "out.graphml", force_multigraph=True)
    assert (g.number_of_nodes(), g.number_of_edges()) == (n_nodes, n_rels)

    r = _cli(str(tmp_path / "out.bin"), "--format", "gexf", data=data)
    assert r.returncode == 0, r.stderr
    assert nx.read_gexf(tmp_path / "out.bin").number_of_nodes() == n_nodes

    r = _cli(str(tmp_path / "out.xlsx"), data=data)
    assert r.returncode == 0 and "措施 " in r.stderr
    assert openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True).sheetnames == SHEETS

    r = _cli(str(tmp_path / "out.jsonl"), data=data)
    assert r.returncode == 0 and sum(1 for _ in (tmp_path / "out.jsonl").open()) == n_nodes + n_rels

    r = _cli(str(tmp_path / "out.csv"), "--format", "csv", data=data)
    assert r.returncode == 2 and "unknown export format 'csv'" in r.stderr
    r = _cli(str(tmp_path / "n.gexf"), "--node", "m-unknown", data=data)
    assert r.returncode == 1 and "no node with id 'm-unknown'" in r.stderr and not (tmp_path / "n.gexf").exists()


@pytest.fixture(scope="module")
def client(embedded_store):
    with TestClient(create_app(store=embedded_store)) as c:
        yield c


def test_exports_api_workbook_and_csv(client, embedded_store):
    counts = embedded_store.counts()
    r = client.get("/export.xlsx")
    assert r.status_code == 200 and r.headers["content-type"].startswith(exports_xlsx_type())
    assert "policykg.xlsx" in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == SHEETS and wb["措施"].max_row - 1 == counts["Measure"]

    expected = {"measures": counts["Measure"], "agencies": counts["Agency"], "regions": counts["Region"],
                "documents": len(embedded_store.documents()), "implements": counts["IMPLEMENTS"],
                "opening-provisions": sum(max(1, len(o.provisions)) for o in embedded_store.opening_measures())}
    for name, n in expected.items():
        r = client.get(f"/{name}.csv")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert r.text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
        assert len(rows) - 1 == n, name
        sheet = wb[{"measures": "措施", "agencies": "机构", "regions": "地区", "documents": "文件",
                    "implements": "地方落实", "opening-provisions": "开放措施与法规条款"}[name]]
        assert rows[0] == [c.value for c in sheet[1]]      # the sheet's headers
    spec = client.get("/openapi.json").json()["paths"]
    assert "/export.xlsx" in spec and "/measures.csv" in spec


def exports_xlsx_type() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_exports_api_errors_have_the_json_shape(embedded_store, monkeypatch):
    class Down:
        name = "embedded"

        def counts(self):
            raise StoreUnavailable("the store is down")

    with TestClient(create_app(store=Down())) as c:
        for path in ("/export.xlsx", "/measures.csv"):
            r = c.get(path)
            assert r.status_code == 503
            assert r.json() == {"error": {"code": "store_unavailable", "message": "the store is down"}}
        assert c.get("/nothing.csv").json()["error"]["code"] == "not_found"
    monkeypatch.setattr(exports, "MAX_TABLE_ROWS", 10)
    with TestClient(create_app(store=embedded_store)) as c:
        r = c.get("/export.xlsx")
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
        assert "jsonl" in r.json()["error"]["message"]
