"""Prose measures: which units of numbered prose are measures."""
from policykg.extractors.pipeline import extract_source
from policykg.extractors.text import SourceText


def _measures(text):
    frag = extract_source(SourceText(file="m.txt", path="m.txt", text=text, sha256="0", encoding="utf-8"))
    return [n.text for n in sorted((n for n in frag.nodes.values() if n.label.value == "Measure"), key=lambda n: n.start)]


def test_measures_item_with_its_own_text_keeps_headed_paragraphs_as_its_body():
    # （一） states its measure and goes on: the headed paragraphs below elaborate it.
    text = ("二、主要任务\n"
            "（一）提升基层治理能力，夯实社会治理基础。推动资源向基层下沉，健全基层工作机制。\n"
            "完善网格管理。整合各类网格资源，实现一网统管，提高问题发现处置效率。\n"
            "加强队伍建设。充实基层工作力量，完善培训和激励机制，提升履职能力。\n"
            "（二）健全多元调解体系。推动人民调解、行政调解和司法调解衔接联动。\n")
    assert _measures(text) == ["提升基层治理能力，夯实社会治理基础。", "健全多元调解体系。"]


def test_measures_heading_item_without_text_has_its_paragraphs_as_measures():
    # A bare heading line: the headed paragraphs under it are the measures.
    text = ("二、主要任务\n"
            "（一）提升基层治理能力\n"
            "完善网格管理。整合各类网格资源，实现一网统管，提高问题发现处置效率。\n"
            "加强队伍建设。充实基层工作力量，完善培训和激励机制，提升履职能力。\n")
    assert _measures(text) == ["完善网格管理。", "加强队伍建设。"]


def test_measures_framing_section_skips_its_own_numbered_list():
    text = ("一、总体要求\n"
            "（一）基本原则。\n"
            "1.需求导向。坚持以群众需求为导向，提升服务的针对性和有效性。\n"
            "2.统筹推进。加强顶层设计和统筹协调，整体推进各项工作落实。\n"
            "二、重点任务\n"
            "（一）建设统一平台。整合现有各类平台资源，建成全市统一的服务平台。\n")
    assert _measures(text) == ["建设统一平台。"]


def test_measures_item_out_of_a_framing_lists_sequence_still_counts():
    # A scraped page ran a task (（五）) into the framing section: out of sequence, it is kept.
    text = ("一、总体要求\n"
            "（一）指导思想。坚持稳中求进工作总基调，推动高质量发展。\n"
            "（五）健全统计监测体系。完善统计监测和分析制度，建立重点企业直报系统。\n")
    assert _measures(text) == ["健全统计监测体系。"]


def test_measures_an_item_with_one_headed_paragraph_is_the_measure():
    # 五、 is a heading line; the one headed paragraph under it is its body (a list of one is no list).
    text = ("五、加大信贷支持力度\n"
            "搭建政银企对接平台。定期组织对接活动，鼓励金融机构加大对重点项目的信贷投放。\n"
            "责任单位：市金融工作局\n"
            "六、优化项目审批\n"
            "压缩审批时限，推行容缺受理和并联审批，提高审批效率。\n")
    assert _measures(text) == ["加大信贷支持力度", "优化项目审批"]


def test_measures_closing_paragraph_addressed_to_everyone_is_no_measure():
    text = ("一、重点任务\n"
            "（一）完善服务体系。建立覆盖城乡的服务网络，提升服务能力。\n"
            "各地区、各部门要高度重视，结合实际抓好落实。科技部要会同有关部门加强督促检查。\n")
    assert _measures(text) == ["完善服务体系。"]


def test_measures_a_list_a_colon_opens_inside_an_item_is_its_text():
    text = ("一、发放购房补贴。购房人同时满足下列条件的，可享受补贴：1．购买新建商品住房；"
            "2．在政策有效期内办理网签备案。（责任单位：县财政局）\n"
            "二、优化公积金政策。提高住房公积金贷款额度。\n")
    assert _measures(text) == ["发放购房补贴。", "优化公积金政策。"]


def test_measures_catalogue_table_of_suspended_provisions():
    # One measure repeated in two rows of a catalogue table keeps both rows' provisions.
    from policykg.graph.model import Label, RelType

    text = ("暂时调整实施有关法律规定目录\n"
            "序号\t法律规定\t调整内容\n"
            "1\t《中华人民共和国港口法》第22条第1款：从事港口经营，应当申请取得许可。\t暂时停止实施港口经营许可。\n"
            "2\t《中华人民共和国港口法》第二十三条：取得许可证后方可经营。\t暂时停止实施港口经营许可。\n")
    frag = extract_source(SourceText(file="c.txt", path="c.txt", text=text, sha256="0", encoding="utf-8"))
    provs = sorted((frag.nodes[e].article, frag.nodes[e].clause) for (t, s, e) in frag.relationships
                   if t == RelType.ADJUSTS_REGULATION.value)
    assert provs == [("第二十三条", None), ("第二十二条", "第一款")]
    assert len([n for n in frag.nodes.values() if n.label == Label.MEASURE]) == 1


def test_measures_catalogue_naming_its_law_once_in_the_title():
    from policykg.graph.model import RelType

    text = ("《中华人民共和国港口法》暂时调整实施的条款目录\n"
            "序号\t法律规定\t调整内容\n"
            "1\t第二十二条：从事港口经营，应当申请取得许可。\t暂时停止实施港口经营许可。\n"
            "2\t第二十六条：港口经营人应当依法经营。\t调整港口经营人的经营范围。\n")
    frag = extract_source(SourceText(file="c.txt", path="c.txt", text=text, sha256="0", encoding="utf-8"))
    provs = sorted((frag.nodes[e].instrument, frag.nodes[e].article) for (t, s, e) in frag.relationships
                   if t == RelType.ADJUSTS_REGULATION.value)
    assert provs == [("中华人民共和国港口法", "第二十二条"), ("中华人民共和国港口法", "第二十六条")]


def test_measures_revising_an_instrument_adjusts_it_whole():
    from policykg.extractors.entities import Recogniser, adjusted_in_prose
    from policykg.extractors.gazetteer import default_gazetteer

    rec = Recogniser(default_gazetteer())
    found = lambda t: [(p.instrument, p.article) for p in adjusted_in_prose(rec, t)]
    assert found("研究提出对《事业单位国有资产管理暂行办法》的修订建议。") == [("事业单位国有资产管理暂行办法", None)]
    assert found("暂时调整适用《中华人民共和国社会保险法》有关规定。") == [("中华人民共和国社会保险法", None)]
    assert found("修改《公路安全保护条例》第3条。") == [("公路安全保护条例", "第三条")]
    assert found("按照修改后的《政府信息公开条例》做好公开工作。") == []
