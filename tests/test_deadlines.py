"""Deadlines as dates (Measure.due), the deadline a prose item prints, a document's period in
force and a suspension's period (extractors/deadlines.py)."""
import json
from datetime import date

import pytest

from policykg.extractors.deadlines import due, due_iso, in_force, printed_deadline, suspension_period, words
from policykg.extractors.pipeline import extract_source
from policykg.extractors.text import SourceText
from policykg.graph.export import fragment_records
from policykg.graph.model import Label, RelType

# Every deadline wording of corpus/*.txt and ../shared/eval/dev/docs/*.txt (as extracted, or
# as the gold files print it), with the document's date and the last day it allows.
SEEN = [
    # corpus/004 (天津, 2018-09-14): the 时限 column
    ("2018年底", "2018-09-14", "2018-12-31"),
    ("2019年底", "2018-09-14", "2019-12-31"),
    ("2018年9月", "2018-09-14", "2018-09-30"),
    ("2019年底取得阶段性成果", "2018-09-14", "2019-12-31"),
    ("持续推进", "2018-09-14", None),
    ("持续推动", "2018-09-14", None),
    # corpus/002 (国函〔2018〕79号, 2018-06-01): the note below its tables
    ("2018年底前", "2018-06-01", "2018-12-31"),
    # dev documents, prose items
    ("2019年上半年", "2018-12-29", "2019-06-30"),            # gbf2018_128
    ("2019年6月底前", "2018-12-29", "2019-06-30"),           # gbf2018_128
    ("2021年3月底前", "2018-12-29", "2021-03-31"),           # gbf2018_128
    ("2018年12月底前", "2018-10-27", "2018-12-31"),          # gbh2018_71
    ("2019年12月底前", "2018-10-27", "2019-12-31"),          # gbh2018_71
    ("2020年4月底前", "2018-10-27", "2020-04-30"),           # gbh2018_71
    ("1年内", "2019-01-01", "2020-01-01"),                   # gbf2019_2
    ("2019年2月底前", "2018-12-26", "2019-02-28"),           # gbf2018_127
    ("2012年10月底前", "2012-09-01", "2012-10-31"),          # gz2012
    ("2022年4月25日前", "2022-05-21", "2022-04-25"),         # ay2022
]

# Wordings of the genre that the documents above do not happen to print.
MORE = [
    ("2019年6月底", "2018-06-01", "2019-06-30"),
    ("2018年9月底前", "2018-06-01", "2018-09-30"),
    ("第三季度", "2018-06-01", "2018-09-30"),
    ("2019年第三季度", "2018-06-01", "2019-09-30"),
    ("三季度", "2018-06-01", "2018-09-30"),
    ("第一季度", "2018-06-01", "2018-03-31"),
    ("2019年下半年", "2018-06-01", "2019-12-31"),
    ("上半年", "2018-06-01", "2018-06-30"),
    ("年底前", "2018-06-01", "2018-12-31"),
    ("今年底", "2018-06-01", "2018-12-31"),
    ("明年上半年", "2018-06-01", "2019-06-30"),
    ("2020年", "2018-06-01", "2020-12-31"),
    ("2020年内", "2018-06-01", "2020-12-31"),
    ("2019年12月31日前", "2018-06-01", "2019-12-31"),
    ("2019年6月中旬", "2018-06-01", "2019-06-20"),
    ("2019年6月上旬", "2018-06-01", "2019-06-10"),
    ("2019年2月下旬", "2018-06-01", "2019-02-28"),
    ("一年内", "2018-06-01", "2019-06-01"),
    ("两年内", "2018-06-01", "2020-06-01"),
    ("三个月内", "2018-06-01", "2018-09-01"),
    ("6个月内", "2018-06-01", "2018-12-01"),
    ("一个月内", "2019-01-31", "2019-02-28"),       # no 31 February: the month's last day
    ("十二个月内", "2018-06-01", "2019-06-01"),
    ("30天内", "2018-06-01", "2018-07-01"),
    ("2018—2020年", "2018-06-01", "2020-12-31"),
    ("2018-2020年", "2018-06-01", "2020-12-31"),
    ("2018年至2020年", "2018-06-01", "2020-12-31"),
    ("2018年7月1日起至2020年6月30日止", "2018-06-01", "2020-06-30"),
    ("2012年起5年内", "2012-09-01", "2016-12-31"),
    ("二〇一九年六月底前", "2018-06-01", "2019-06-30"),
    ("２０１９年６月底前", "2018-06-01", "2019-06-30"),
    ("长期坚持", "2018-06-01", None),
    ("逐步推进", "2018-06-01", None),
    ("长期", "2018-06-01", None),
    ("常态化", "2018-06-01", None),
    ("20个工作日内", "2018-06-01", None),        # needs a holiday calendar
]


@pytest.mark.parametrize("printed,doc_date,expected", SEEN + MORE)
def test_deadlines_wording_gives_the_last_day_it_allows(printed, doc_date, expected):
    assert due_iso(printed, doc_date) == expected
    assert due_iso(printed, date.fromisoformat(doc_date)) == expected


def test_deadlines_every_wording_seen_in_the_corpus_is_in_the_table(corpus):
    """The table above covers every deadline the extraction and the gold files print."""
    from conftest import SHARED

    table = {w for w, _, _ in SEEN}
    gold = set()
    for path in list((SHARED / "eval").glob("*/gold/*.json")) + list((SHARED / "eval" / "gold").glob("*.json")):
        for m in json.loads(path.read_text(encoding="utf-8"))["measures"]:
            if m.get("deadline"):
                gold.add(m["deadline"])
    assert gold <= table, gold - table


def test_deadlines_relative_wordings_need_the_documents_date():
    assert due("一年内", None) is None and due("第三季度", None) is None and due("年底前", None) is None
    assert due("2018年底前", None) == date(2018, 12, 31)     # an absolute one does not
    assert due(None, "2018-06-01") is None and due("", None) is None


def test_deadlines_no_date_words_are_data():
    assert {"长期坚持", "持续推进", "持续推动", "逐步推进"} <= words().no_date


@pytest.mark.parametrize("text,expected", [
    ("（二）制定实施方案。试点城市负责编制实施方案。2019年上半年，试点城市政府印发实施方案。", "2019年上半年"),
    ("（四）开展评估总结。2021年3月底前，试点城市政府进行评估总结。", "2021年3月底前"),
    ("（一）制定实施方案。试点地区要抓紧制定具体实施方案，并于2018年12月底前报送国务院办公厅备案。", "2018年12月底前"),
    ("（二）招采合一，保证使用。试点地区公立医疗机构应优先使用，确保1年内完成合同用量。", "1年内"),
    ("以上工作要在2019年2月底前完成。", "2019年2月底前"),
    ("2020年内建成全市统一平台。", "2020年内"),
    # no deadline: a target, a start, a span's end, a period from an event, a span of work,
    # a past date opening a clause
    ("（四）试点目标。到2020年，系统构建指标体系。", None),
    ("2012年起5年内，大力实施六大人才行动计划。", None),
    ("5年内重点引进100名市管企业中高级经营管理人才。", None),
    ("自本意见印发之日起至2023年12月31日前，新取得的土地可不配建公租房。", None),
    ("在签订《土地成交确认书》后一个月内缴纳土地出让总价款的50%。", None),
    ("2016年2月，国务院批复同意开展服务贸易创新发展试点。", None),
    ("本决定自2017年1月1日起施行。", None),
    ("持续推进城中村改造。", None),
])
def test_deadlines_prose_item_prints_its_first_deadline(text, expected):
    assert printed_deadline(text) == expected


@pytest.mark.parametrize("text,doc_date,expected", [
    ("本意见自印发之日起施行。", "2016-09-26", ("2016-09-26", None)),
    ("本决定自2017年1月1日起施行。", "2016-12-25", ("2017-01-01", None)),
    ("本决定自2017年1月1日起施行。本决定实施期限为二年。", "2016-12-25", ("2017-01-01", "2018-12-31")),
    ("本政策措施自2022年6月1日起实行，有效期至2023年12月31日止。", "2022-09-27", ("2022-06-01", "2023-12-31")),
    ("本办法自印发之日起施行，有效期3年。", "2019-03-01", ("2019-03-01", "2022-02-28")),
    ("本通知有效期至2020年12月31日。", "2019-03-01", (None, "2020-12-31")),
    ("深化服务贸易创新发展试点期限为2年，自2018年7月1日起至2020年6月30日止。", "2018-06-01",
     ("2018-07-01", "2020-06-30")),
    ("试点期为3年。", "2019-01-01", (None, "2021-12-31")),               # counted from the document's date
    ("本方案自印发之日起实施。试点期为3年。", "2019-01-01", ("2019-01-01", "2021-12-31")),
    # a measure's own window is no period of the document
    ("自本意见印发之日起至2023年12月31日前，房地产开发项目新取得的土地可不配建公租房。", "2022-05-21", (None, None)),
    ("许可证有效期5年，期满可申请延续。", "2019-01-01", (None, None)),
])
def test_deadlines_document_period_in_force(text, doc_date, expected):
    assert in_force(text, doc_date).iso() == expected


def test_deadlines_document_period_counts_from_the_documents_date():
    """试点期为3年 with only the document's date to count from: from its date."""
    text = "本方案试点期为3年。"
    assert in_force(text, "2019-01-01").iso() == (None, "2021-12-31")


@pytest.mark.parametrize("text,period,expected", [
    ("五、深化试点期间，暂时调整实施相关行政法规的部分规定。", ("2018-07-01", "2020-06-30"), ("2018-07-01", "2020-06-30")),
    ("授权国务院在试点城市行政区域暂时调整适用有关规定。", ("2017-01-01", "2018-12-31"), ("2017-01-01", "2018-12-31")),
    ("暂时调整实施有关规定，期限为三年。", ("2019-01-01", None), ("2019-01-01", "2021-12-31")),
    ("原则同意总体方案。", ("2019-01-01", None), (None, None)),       # no suspension: no period
])
def test_deadlines_suspension_takes_the_period(text, period, expected):
    from policykg.extractors.deadlines import Period

    p = Period(*(date.fromisoformat(x) if x else None for x in period))
    assert suspension_period(text, p).iso() == expected


FIXTURE = """某某市人民政府办公室关于印发某某市深化改革试点实施方案的通知
某政办发〔2019〕12号
各区人民政府，市政府各委、办、局：
现将《某某市深化改革试点实施方案》印发给你们，请认真贯彻执行。
某某市人民政府办公室
2019年3月15日
某某市深化改革试点实施方案
一、主要任务
（一）制定实施细则。市发展改革委要抓紧制定实施细则，并于2019年6月底前报市政府。
（二）建设信息平台。市经济和信息化局负责建设全市统一的信息平台，确保1年内完成平台建设。
（三）持续优化服务。市政务服务管理局要持续推进流程再造，不断提升服务水平。
二、组织实施
本方案自印发之日起施行，有效期2年。
"""


def test_deadlines_extracted_document_gets_period_and_due(nlp):
    frag = extract_source(SourceText(file="dl.txt", path="dl.txt", text=FIXTURE, sha256="0", encoding="utf-8"), nlp)
    (doc,) = [d for d in frag.by_label(Label.DOCUMENT) if d.file]
    assert doc.date == "2019-03-15"
    assert (doc.in_force_from, doc.in_force_until) == ("2019-03-15", "2021-03-14")
    got = {m.text: (m.deadline, m.due) for m in frag.by_label(Label.MEASURE)}
    assert got["制定实施细则。"] == ("2019年6月底前", "2019-06-30")
    assert got["建设信息平台。"] == ("1年内", "2020-03-15")
    assert got["持续优化服务。"] == (None, None)
    # The export carries the new keys where they apply and omits them where null.
    records = list(fragment_records(frag))
    (drec,) = [r for r in records if r["type"] == "node" and r["labels"] == ["Document"] and r["properties"].get("file")]
    assert drec["properties"]["in_force_from"] == "2019-03-15" and drec["properties"]["in_force_until"] == "2021-03-14"
    by_text = {r["properties"]["text"]: r["properties"] for r in records if r["type"] == "node" and r["labels"] == ["Measure"]}
    assert by_text["制定实施细则。"]["due"] == "2019-06-30"
    assert "due" not in by_text["持续优化服务。"] and "deadline" not in by_text["持续优化服务。"]


def test_deadlines_table_column_and_note(fragments):
    """The Tianjin 时限 column (004) and the note below the State Council's tables (002)."""
    m004 = {m.deadline: m.due for m in fragments["004"].by_label(Label.MEASURE) if m.deadline}
    assert m004["2018年底"] == "2018-12-31" and m004["2019年底取得阶段性成果"] == "2019-12-31"
    assert m004["2018年9月"] == "2018-09-30" and m004["持续推进"] is None
    kinds = {}
    for m in fragments["002"].by_label(Label.MEASURE):
        kinds.setdefault(m.kind, set()).add((m.deadline, m.due))
    assert kinds["opening"] == {("2018年底前", "2018-12-31")}
    assert kinds["safeguard"] == {("2018年底前", "2018-12-31")}
    assert kinds["task"] == {(None, None)}           # 试点任务: the note does not name them


def test_deadlines_suspensions_of_the_approval_run_for_the_pilot(fragments):
    frag = fragments["002"]
    (doc,) = [d for d in frag.by_label(Label.DOCUMENT) if d.file]
    assert (doc.in_force_from, doc.in_force_until) == ("2018-07-01", "2020-06-30")
    adjusts = [r for r in frag.relationships.values() if r.type == RelType.ADJUSTS_REGULATION]
    assert adjusts and all(r.properties()["from"] == "2018-07-01" and r.properties()["until"] == "2020-06-30"
                           for r in adjusts)
    # Other relationships keep their properties as before: evidence only.
    leads = [r for r in frag.relationships.values() if r.type == RelType.LEADS]
    assert leads and all(set(r.properties()) == {"document", "start", "end", "evidence"} for r in leads)
