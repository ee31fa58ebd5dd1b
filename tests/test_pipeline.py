import json
import subprocess
import sys

import pytest

from policykg.extractors.pipeline import PIPES, build_nlp
from policykg.graph.export import fragment_records, write_records
from policykg.graph.model import Label, RelType

from conftest import SHARED


def _measures(frag):
    return {n.text: n for n in frag.by_label(Label.MEASURE)}


def _rels(frag, rel_type, end=None, start=None):
    return [(frag.nodes[s], frag.nodes[e]) for (t, s, e) in frag.relationships
            if t == rel_type.value and (end is None or e == end) and (start is None or s == start)]


def test_pipeline_components_are_registered_by_name():
    nlp = build_nlp()
    assert nlp.lang == "zh" and tuple(nlp.pipe_names) == PIPES
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "policykg.char_tokenizer.v1"


def test_pipeline_tokenizer_matches_blank_zh_characters():
    import spacy

    text = "《中华人民共和国外资银行管理条例》第三十四条 规定，\t试点地区负责推进\n\n1. ATA单证册  2018年"
    ours = [t.text for t in build_nlp().make_doc(text) if not t.is_space]
    theirs = [t.text for t in spacy.blank("zh").make_doc(text) if not t.is_space]
    assert ours == theirs
    assert build_nlp().make_doc(text).text == text


def test_pipeline_metadata_of_an_approval(fragments):
    (doc,) = [d for d in fragments["002"].by_label(Label.DOCUMENT) if d.file]
    assert (doc.title, doc.doc_number, doc.issuer, doc.date) == (
        "国务院关于同意深化服务贸易创新发展试点的批复", "国函〔2018〕79号", "国务院", "2018-06-01")
    cited = {d.doc_number for d in fragments["002"].by_label(Label.DOCUMENT) if not d.file}
    assert {"国办函〔2010〕69号", "海关总署2011年第十五号公告"} <= cited


def test_pipeline_metadata_of_a_scraped_notice(fragments):
    (doc,) = [d for d in fragments["003"].by_label(Label.DOCUMENT) if d.file]
    assert (doc.doc_number, doc.issuer, doc.date, doc.region) == ("粤府函〔2018〕204号", "广东省人民政府", "2018-07-10", "广东省")


def test_pipeline_opening_measures_adjust_their_provisions(fragments):
    frag = fragments["002"]
    m = _measures(frag)["允许外商独资银行、中外合资银行、外国银行分行在提交开业申请时同时申请人民币业务。"]
    assert m.kind == "opening" and m.field.endswith("银行业")
    provs = [(p.instrument, p.article) for _, p in _rels(frag, RelType.ADJUSTS_REGULATION, start=m.id)]
    assert provs == [("中华人民共和国外资银行管理条例", "第三十四条")]


def test_pipeline_safeguards_take_the_row_responsibility(fragments):
    frag = fragments["002"]
    m = next(n for t, n in _measures(frag).items() if t.startswith("推进船舶联合登临检查"))
    backers = sorted((a.name, "L" if (RelType.LEADS.value, a.id, m.id) in frag.relationships else "C")
                     for a, _ in _rels(frag, RelType.LEADS, end=m.id) + _rels(frag, RelType.COOPERATES, end=m.id))
    assert backers == [("交通运输部", "C"), ("海关总署", "C"), ("试点地区", "L")]
    # A merged responsibility cell continues: the row below has none of its own.
    below = _measures(frag)["推动以数字技术为支撑、高端服务为先导的“服务+”整体出口。"]
    assert len(_rels(frag, RelType.COOPERATES, end=below.id)) == 4


def test_pipeline_repeated_fragments_are_one_node(fragments):
    texts = [t for t in _measures(fragments["003"]) if t.startswith("试点地区人民政府（管委会）要加强")]
    assert len(texts) == 1


def test_pipeline_actions_are_part_of_their_tasks(fragments):
    frag = fragments["004"]
    m = next(n for t, n in _measures(frag).items() if t.startswith("支持出版物进出口平台的建设"))
    assert m.kind == "action" and m.deadline == "2019年底取得阶段性成果"
    (parent,) = [p for _, p in _rels(frag, RelType.PART_OF, start=m.id)]
    assert parent.text == "探索建设一批服务贸易境外促进中心。"


def test_pipeline_evidence_points_into_the_text(fragments):
    from conftest import text_of

    text = text_of("002")
    for rel in fragments["002"].relationships.values():
        if rel.type in (RelType.LEADS, RelType.COOPERATES, RelType.ADJUSTS_REGULATION):
            ev = rel.evidence
            assert ev.document == "002_49e808efe8358f81.txt"
            assert ev.text.replace(" ", "")[:8] in text[ev.start:ev.end].replace(" ", "").replace("\n", "")


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="../shared/eval is not beside the repo")
def test_pipeline_scores_against_the_shared_gold(merged, tmp_path):
    out = tmp_path / "seeds.jsonl"
    write_records(fragment_records(merged), out)
    result = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(out), str(SHARED / "eval" / "gold"),
                             "--json"], capture_output=True, text=True, check=True)
    summary = json.loads(result.stdout)["summary"]
    assert summary["measures"]["f1"] >= 0.95
    assert summary["backing"]["f1"] >= 0.95
    assert summary["roles"]["f1"] >= 0.92
    assert summary["provisions"]["f1"] >= 0.95
    assert summary["regions"]["f1"] >= 0.90
    assert summary["agency_duplicate_nodes"] == 0
