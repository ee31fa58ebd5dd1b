"""Forms of the genre that the seeds do not show, on a plan written the way city plans are."""
from pathlib import Path

import pytest

from policykg.extractors.pipeline import extract_file
from policykg.graph.model import Label, RelType

FIXTURE = Path(__file__).parent / "fixtures" / "genre_forms.txt"


@pytest.fixture(scope="module")
def frag(nlp):
    return extract_file(FIXTURE, nlp)


def _backing(frag, start_of_text):
    m = next(n for n in frag.by_label(Label.MEASURE) if n.text.startswith(start_of_text))
    out = []
    for (t, s, e) in frag.relationships:
        if e == m.id and t in (RelType.LEADS.value, RelType.COOPERATES.value):
            out.append((frag.nodes[s].name, "lead" if t == RelType.LEADS.value else "cooperate"))
    return m, sorted(out)


def test_genre_forms_metadata_of_a_city_notice(frag):
    (doc,) = [d for d in frag.by_label(Label.DOCUMENT) if d.file]
    assert (doc.doc_number, doc.issuer, doc.date, doc.region) == ("沪府办发〔2018〕35号", "上海市人民政府办公厅", "2018-10-09", "上海市")


def test_genre_forms_first_named_body_leads_when_the_plan_says_so(frag):
    _, backing = _backing(frag, "强化跨部门统筹协调机制")
    assert backing == [("上海市发展和改革委员会", "cooperate"), ("上海市商务委员会", "lead"), ("上海市财政局", "cooperate")]


def test_genre_forms_responsibility_inside_the_item(frag):
    _, backing = _backing(frag, "推进服务贸易地方立法探索")
    assert ("上海市司法局", "lead") in backing and ("上海市商务委员会", "cooperate") in backing


def test_genre_forms_responsibility_line_after_the_item(frag):
    _, backing = _backing(frag, "推动金融领域开放")
    assert backing == [("上海银保监局", "cooperate"), ("中国人民银行上海总部", "lead")]


def test_genre_forms_sub_items_share_the_closing_responsibility(frag):
    for start in ("支持外国律师事务所", "允许符合条件的外籍人员"):
        m, backing = _backing(frag, start)
        assert ("上海市司法局", "lead") in backing and len(backing) == 3


def test_genre_forms_prose_adjustment_of_provisions(frag):
    m = next(n for n in frag.by_label(Label.MEASURE) if n.text.startswith("推动金融领域开放"))
    provs = sorted((frag.nodes[e].instrument, frag.nodes[e].article, frag.nodes[e].clause)
                   for (t, s, e) in frag.relationships if t == RelType.ADJUSTS_REGULATION.value and s == m.id)
    # The article is the node's article; its paragraph (款) is the clause.
    assert provs == [("中华人民共和国外资银行管理条例", "第三十五条", None),
                     ("中华人民共和国外资银行管理条例", "第三十四条", "第二款")]


def test_genre_forms_lead_and_support_columns(frag):
    m, backing = _backing(frag, "开展服务贸易统计监测")
    assert m.deadline == "持续推进"
    assert backing == [("上海市商务委员会", "cooperate"), ("上海市统计局", "lead"), ("国家外汇管理局上海市分局", "cooperate")]


def test_genre_forms_regions_and_hierarchy(frag):
    names = {r.name for r in frag.by_label(Label.REGION)}
    assert {"上海市", "上海市浦东新区"} <= names
    pudong = next(r for r in frag.by_label(Label.REGION) if r.name == "上海市浦东新区")
    parents = [frag.nodes[e].name for (t, s, e) in frag.relationships if t == RelType.PART_OF.value and s == pudong.id]
    assert parents == ["上海市"]
