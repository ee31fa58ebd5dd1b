"""Comparing documents and the implementation matrix (graph/compare.py), on the sample
corpus in the embedded store and in Neo4j; and the precision and recall of IMPLEMENTS."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import ROOT, seed

from comparing import comparable
from policykg.api.app import create_app
from policykg.graph.compare import compare, implementation, match_measures
from policykg.graph.linking import link_fragment, match_key

STATE_COUNCIL = "国函〔2018〕79号"


# ------------------------------------------------------------------------- diff
def test_compare_beijing_plans_share_no_measure(embedded_store):
    # 000 (services trade) and 001 (the capital's functions) are two different Beijing plans:
    # no measure of one restates a measure of the other.
    r = compare(embedded_store, "000", "001")
    assert r.counts == {"a": 25, "b": 36, "carried_over": 0, "changed": 0, "dropped": 25, "added": 36}
    assert r.a.file.startswith("000_") and r.b.file.startswith("001_")


def test_compare_tianjin_against_the_state_council(embedded_store):
    r = compare(embedded_store, "004", STATE_COUNCIL)
    assert r.counts == {"a": 107, "b": 97, "carried_over": 15, "changed": 20, "dropped": 72, "added": 62}
    assert r.b.doc_number == STATE_COUNCIL
    # one-to-one
    assert len({p.a.id for p in r.carried_over + r.changed}) == len({p.b.id for p in r.carried_over + r.changed}) == 35
    abridged = next(p for p in r.changed if p.a.text.startswith("探索完善服务贸易市场准入制度"))
    assert abridged.text_changed
    assert [(o.op, o.b) for o in abridged.text_diff if o.op != "equal"] == [("insert", "跨境交付、境外消费、自然人移动等模式下")]
    for p in r.carried_over:
        assert match_key(p.a.text) == match_key(p.b.text) and p.a.lead == p.b.lead
    for p in r.changed:
        assert p.text_changed or p.changes


def test_compare_matcher_is_one_to_one_and_prefers_equal_texts():
    a = [("a1", "拓宽服务贸易企业融资渠道。"), ("a2", "拓宽服务贸易企业融资渠道"), ("a3", "建立港口收费公示制度。")]
    b = [("b1", "拓宽服务贸易企业的融资渠道。"), ("b2", "拓宽服务贸易企业融资渠道。")]
    assert match_measures(a, b) == [(0, 1, 1.0), (1, 0, pytest.approx(0.96, abs=0.04))]


def _edited_copy(tmp_path: Path) -> Path:
    text = seed("004").read_text(encoding="utf-8")
    edits = [
        # reworded
        ("循序渐进的建立服务贸易发展绩效评价与考核机制", "逐步建立服务贸易发展绩效评价与考核机制"),
        # lead changed (row 3)
        ("牵头单位：市发展改革委、市商务委\n配合单位：各相关单位", "牵头单位：市商务委\n配合单位：各相关单位"),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    # dropped: the second 工作举措 of row 1, a block of its own
    block_start = text.index("\t\n\t\n\t\n\t在服务贸易联席会议制度的统一框架下")
    block_end = text.index("\n\n", block_start) + 2
    dropped_block = text[block_start:block_end]
    text = text[:block_start] + text[block_end:]
    # added: a 工作举措 of row 4 that the original does not have
    anchor = text.index("出台“深化服务贸易创新发展试点实施方案”，推动服贸创新发展。")
    at = text.index("\n\n", anchor) + 2
    added = dropped_block.replace(
        dropped_block.split("\t")[4].split("\n")[0],
        "组织开展服务领域对外开放政策宣讲，梳理重点企业的开放需求，形成开放措施清单并定期评估落实情况。")
    text = text[:at] + added + text[at:]
    path = tmp_path / "104_edited.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_compare_reports_exactly_the_edits_of_a_copy(tmp_path, nlp):
    from policykg.extractors.pipeline import extract_file
    from policykg.graph.embedded import EmbeddedStore

    original = tmp_path / "004_original.txt"
    shutil.copy(seed("004"), original)
    edited = _edited_copy(tmp_path)
    store = EmbeddedStore(tmp_path / "store")
    try:
        for p in (original, edited):
            store.load(extract_file(p, nlp))
        r = compare(store, original.name, edited.name)
    finally:
        store.close()
    print(r.counts)
    assert (r.counts["changed"], r.counts["dropped"], r.counts["added"]) == (2, 1, 1)
    assert r.counts["carried_over"] == r.counts["a"] - 3
    (dropped,), (added,) = r.dropped, r.added
    assert dropped.text.startswith("在服务贸易联席会议制度的统一框架下")
    assert added.text.startswith("组织开展服务领域对外开放政策宣讲")
    reworded = next(p for p in r.changed if p.text_changed)
    assert reworded.a.text.startswith("根据各区政府") and not reworded.changes
    assert [(o.op, o.a, o.b) for o in reworded.text_diff if o.op != "equal"] == [("replace", "循序渐进的", "逐步")]
    lead = next(p for p in r.changed if not p.text_changed)
    assert [c.field for c in lead.changes] == ["lead"]
    assert lead.changes[0].removed == ["天津市发展和改革委员会"] and lead.changes[0].added == []


# ------------------------------------------------------------------------- matrix
def test_compare_implementation_matrix_lists_tianjin_with_its_leads(embedded_store):
    m = implementation(embedded_store, STATE_COUNCIL)
    assert m.measures == 97 and len(m.rows) == 97
    tianjin = next(c for c in m.columns if c.document.file.startswith("004_"))
    assert tianjin.region == "天津市" and tianjin.implemented == 35 and tianjin.share == round(35 / 97, 4)
    guangdong = next(c for c in m.columns if c.document.file.startswith("003_"))
    assert guangdong.region == "广东省" and guangdong.implemented == 9
    cells = [c for row in m.rows for c in row.cells.get(tianjin.document.id, [])]
    assert len(cells) == 38          # 35 national measures, 3 of them by two Tianjin measures
    leads = {name for c in cells for name in c.lead}
    assert "天津市商务委员会" in leads
    assert sum(1 for c in cells if c.lead) >= 25
    assert any(c.due for c in cells)
    implemented = {row.measure.id for row in m.rows if row.cells}
    assert len(implemented) + len(m.unimplemented) == 97 and len(m.unimplemented) == 54
    assert not implemented & {u.id for u in m.unimplemented}


# ------------------------------------------------------------------------- API and CLI
@pytest.fixture(scope="module")
def client(embedded_store):
    with TestClient(create_app(store=embedded_store)) as c:
        yield c


def test_compare_api_answers_and_404s(client, embedded_store):
    r = client.get("/compare", params={"a": "004_d5aede44cc1d1e58.txt", "b": STATE_COUNCIL})
    assert r.status_code == 200
    body = r.json()
    assert {"a", "b", "carried_over", "changed", "dropped", "added"} <= set(body)
    assert body == json.loads(compare(embedded_store, "004", STATE_COUNCIL).model_dump_json())
    missing = client.get("/compare", params={"a": "004", "b": "国函〔2099〕1号"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    doc_id = body["b"]["id"]
    m = client.get(f"/documents/{doc_id}/implementation").json()
    assert m["measures"] == 97 and {c["region"] for c in m["columns"]} == {"天津市", "广东省"}
    assert client.get("/documents/nope/implementation").json()["error"]["code"] == "not_found"
    spec = client.get("/openapi.json").json()
    assert "/compare" in spec["paths"] and "/documents/{document_id}/implementation" in spec["paths"]


def test_compare_cli_prints_counts_and_tables(embedded_store, monkeypatch):
    from typer.testing import CliRunner

    from policykg import cli

    monkeypatch.setattr(cli, "_store", lambda settings: _Keep(embedded_store))
    runner = CliRunner()
    res = runner.invoke(cli.app, ["diff", "004", STATE_COUNCIL])
    assert res.exit_code == 0, res.output
    assert "15 carried over, 20 changed, 72 dropped, 62 added" in res.output.replace("\n", " ")
    res = runner.invoke(cli.app, ["implementation", STATE_COUNCIL])
    assert res.exit_code == 0, res.output
    assert "天津市: 35/97 (36%)" in res.output.replace("\n", " ")
    res = runner.invoke(cli.app, ["diff", "004", "nope"])
    assert res.exit_code == 1


class _Keep:
    def __init__(self, store):
        self.store = store

    def __enter__(self):
        return self.store

    def __exit__(self, *exc):
        pass


# ------------------------------------------------------------------------- both stores


@pytest.mark.neo4j
def test_compare_neo4j_answers_as_the_embedded_store(embedded_store, neo4j_store):
    for a, b in (("000", "001"), ("004", STATE_COUNCIL), ("003", STATE_COUNCIL)):
        assert comparable(compare(neo4j_store, a, b)) == comparable(compare(embedded_store, a, b)), (a, b)
    matrix = implementation(neo4j_store, STATE_COUNCIL)
    assert comparable(matrix) == comparable(implementation(embedded_store, STATE_COUNCIL))
    assert next(c for c in matrix.columns if c.region == "天津市").implemented == 35


# ------------------------------------------------------------------------- IMPLEMENTS quality
# The samples' true links, judged by reading each pair: (local document, local measure,
# national measure of 002), each measure as its comparison key's first 10 and last 6
# characters. Tianjin's 33 task-table rows that restate a State Council task, 5 of Tianjin's
# prose measures, and 9 of Guangdong's forwarded paragraphs. The 004 measures closest to a
# national one without a link (similarity 0.6-0.77) are 工作举措 under a row whose task
# already links, not restatements.
GOLD = [
    ('003', '国务院有关部门要按照…推广试点经验', '国务院有关部门要按照…推广试点经验'),
    ('003', '深化试点期间暂时调整…务院另行印发', '深化试点期间暂时调整…务院另行印发'),
    ('003', '试点地区人民政府管委…发展探索路径', '试点地区人民政府管委…发展探索路径'),
    ('003', '进一步健全统计体系…健全统计体系', '进一步健全统计体系…健全统计体系'),
    ('003', '进一步创新发展模式…创新发展模式', '进一步创新发展模式…创新发展模式'),
    ('003', '进一步完善政策体系…完善政策体系', '进一步完善政策体系…完善政策体系'),
    ('003', '进一步完善管理体制…完善管理体制', '进一步完善管理体制…完善管理体制'),
    ('003', '进一步扩大对外开放…扩大对外开放', '进一步扩大对外开放…扩大对外开放'),
    ('003', '进一步提升便利化水平…升便利化水平', '进一步提升便利化水平…升便利化水平'),
    ('004', '依托自贸试验区经济技…服务出口基地', '依托自贸试验区经济技…服务出口基地'),
    ('004', '修订完善《服务出口重…重点服务进口', '修订完善《服务出口重…重点服务进口'),
    ('004', '借鉴自贸试验区和北京…领域对外开放', '借鉴自贸试验区和北京…领域对外开放'),
    ('004', '健全境外专业人才流动…创新创业渠道', '健全境外专业人才流动…创新创业渠道'),
    ('004', '充分发挥中国北京国际…会的平台作用', '充分发挥中国北京国际…会的平台作用'),
    ('004', '全面建立地方政府服务…价与考核机制', '全面建立地方政府服务…价与考核机制'),
    ('004', '全面建立服务贸易市场…失信联合惩戒', '全面建立服务贸易市场…失信联合惩戒'),
    ('004', '加大出口信用保险和出…易的支持力度', '加大出口信用保险和出…易的支持力度'),
    ('004', '加大出口信用保险对服…易的支持力度', '加大出口信用保险和出…易的支持力度'),
    ('004', '加快推进人民币在服务…域的跨境使用', '加快推进人民币在服务…域的跨境使用'),
    ('004', '发挥好服务贸易创新发…引导基金作用', '发挥好服务贸易创新发…引导基金作用'),
    ('004', '发挥海关特殊监管区域…服务出口基地', '发挥海关特殊监管区域…服务出口基地'),
    ('004', '在试点地区分阶段推出…开放便利举措', '在试点地区分阶段推出…开放便利举措'),
    ('004', '完善服务贸易统计监测…企业直报系统', '完善服务贸易统计监测…企业直报系统'),
    ('004', '完善签证便利政策…签证便利政策', '完善签证便利政策…签证便利政策'),
    ('004', '建立政府部门信息共享…工作数据共享', '建立政府部门信息共享…工作数据共享'),
    ('004', '建立服务贸易发展绩效…价与考核机制', '全面建立地方政府服务…价与考核机制'),
    ('004', '建立服务贸易重点联系…取补贴的行为', '建立服务贸易重点联系…取补贴的行为'),
    ('004', '开展重点联系企业统计…业直报全覆盖', '开展重点联系企业统计…业直报全覆盖'),
    ('004', '强化地方服务贸易跨部…协调决策机制', '强化地方服务贸易跨部…协调决策机制'),
    ('004', '扩大新兴服务业双向开…务业双向开放', '扩大新兴服务业双向开…务业双向开放'),
    ('004', '拓宽服务贸易企业融资…企业融资渠道', '拓宽服务贸易企业融资…企业融资渠道'),
    ('004', '探索创新技术贸易管理…贸易管理模式', '探索创新技术贸易管理…贸易管理模式'),
    ('004', '探索完善服务贸易市场…推进对外开放', '探索完善跨境交付境外…推进对外开放'),
    ('004', '探索建立商务海关税务…贸易监管体系', '探索建立商务海关税务…贸易监管体系'),
    ('004', '探索建设一批服务贸易…境外促进中心', '探索建设一批服务贸易…境外促进中心'),
    ('004', '探索推进服务贸易数字…模式快速发展', '探索推进服务贸易数字…模式快速发展'),
    ('004', '推动试点地区与重点服…开拓国际市场', '推动试点地区与重点服…开拓国际市场'),
    ('004', '提升移动支付消费服务…极发展入境游', '提升移动支付消费服务…极发展入境游'),
    ('004', '更好发挥贸易促进机构…贸易促进作用', '更好发挥贸易促进机构…贸易促进作用'),
    ('004', '深入改革通关监管制度…提供通关便利', '深入改革通关监管制度…提供通关便利'),
    ('004', '研究完善试点地区面向…业所得税政策', '研究完善试点地区面向…业所得税政策'),
    ('004', '科学建设运营全国性区…提高服务效率', '科学建设运营全国性区…提高服务效率'),
    ('004', '积极拓展新兴服务贸易…文化贸易发展', '积极拓展新兴服务贸易…文化贸易发展'),
    ('004', '结合全面实施营改增改…扩大服务出口', '结合全面实施营改增改…扩大服务出口'),
    ('004', '进一步健全统计体系…健全统计体系', '进一步健全统计体系…健全统计体系'),
    ('004', '逐步将有关服务贸易管…贸易单一窗口', '逐步将有关服务贸易管…贸易单一窗口'),
    ('004', '逐步将服务贸易企业纳…贸易单一窗口', '逐步将有关服务贸易管…贸易单一窗口'),
]


def _short_key(text: str) -> str:
    k = match_key(text)
    return k[:10] + "…" + k[-6:]


def _score(pred: dict[str, str], truth: dict[str, set[str]]) -> tuple[float, float]:
    tp = sum(1 for m, t in pred.items() if t in truth.get(m, ()))
    return tp / len(pred), tp / len(truth)


def test_compare_implements_precision_recall_on_the_samples(merged):
    from policykg.graph.model import GraphFragment, Label, RelType

    frag = GraphFragment()
    frag.extend(merged)
    link_fragment(frag)
    ms = {n.id: n for n in frag.by_label(Label.MEASURE)}
    pred = {s: e for (t, s, e) in frag.relationships if t == RelType.IMPLEMENTS.value}
    gold = set(GOLD)
    truth: dict[str, set[str]] = {}
    for m, n in ms.items():
        for t, x in ms.items():
            if (n.document[:3], _short_key(n.text), _short_key(x.text)) in gold and x.document.startswith("002"):
                truth.setdefault(m, set()).add(t)
    precision, recall = _score(pred, truth)
    print(f"samples: {len(pred)} links, {len(truth)} true; precision {precision:.3f}, recall {recall:.3f}")
    assert len(truth) == len(GOLD) == 47
    assert precision >= 0.98 and recall >= 0.98          # measured: 1.000 and 1.000


def test_compare_implements_precision_recall_on_the_bench_corpus(tmp_path, nlp):
    """bench/generate.py: documents 0-3 are the approval (002) re-laid-out with ~10% of its rows
    dropped; cells documents re-lay Tianjin's plan (004) with row blocks dropped and repeated,
    forward documents Guangdong's notice (003), each citing one of the four approvals; prose
    and headed documents (Beijing's) cite one but restate none. A local measure's true targets
    are the measures of the approval it cites whose key is that of its gold target in the
    samples (GOLD): none when the approval dropped that row."""
    sys.path.insert(0, str(ROOT))
    from bench.generate import document
    from policykg.extractors.pipeline import extract_file
    from policykg.graph.model import GraphFragment, Label, RelType

    merged = GraphFragment()
    for i in range(60):
        name, text = document(i, 1)
        (tmp_path / name).write_text(text, encoding="utf-8")
        merged.extend(extract_file(tmp_path / name, nlp))
    link_fragment(merged)
    ms = {n.id: n for n in merged.by_label(Label.MEASURE)}
    doc_of = {s: e for (t, s, e) in merged.relationships if t == RelType.FROM_DOCUMENT.value}
    cites: dict[str, set[str]] = {}
    for (t, s, e) in merged.relationships:
        if t == RelType.CITES.value:
            cites.setdefault(s, set()).add(e)
    by_doc: dict[str, list[str]] = {}
    for m in ms:
        by_doc.setdefault(doc_of.get(m), []).append(m)
    gold: dict[tuple[str, str], set[str]] = {}
    for d, local, national in GOLD:
        gold.setdefault(("cells" if d == "004" else "forward", local), set()).add(national)
    truth: dict[str, set[str]] = {}
    for m, n in ms.items():
        layout = n.document.rsplit("_", 1)[-1].removesuffix(".txt")
        keys = gold.get((layout, _short_key(n.text)))
        if not keys:
            continue
        for c in cites.get(doc_of[m], ()):
            for t in by_doc.get(c, ()):
                if _short_key(ms[t].text) in keys:
                    truth.setdefault(m, set()).add(t)
    pred = {s: e for (t, s, e) in merged.relationships if t == RelType.IMPLEMENTS.value}
    precision, recall = _score(pred, truth)
    print(f"bench (60 documents, seed 1): {len(pred)} links, {len(truth)} true; "
          f"precision {precision:.3f}, recall {recall:.3f}")
    assert len(truth) > 500
    assert precision >= 0.98 and recall >= 0.98          # measured: 1.000 and 1.000
