from policykg.extractors.entities import Recogniser
from policykg.extractors.gazetteer import default_gazetteer
from policykg.extractors.roles import cell_roles, prose_duties

REC = Recogniser(default_gazetteer())
TIANJIN = REC.gaz.region_by_name["天津市"]


def roles_of_cell(text, home=None):
    mentions = REC.agencies(text, home)
    return sorted((r.mention.name, r.role) for r in cell_roles(text, 0, len(text), mentions))


def duties(text, home=None):
    mentions = REC.agencies(text, home)
    return sorted((r.mention.name, r.role) for d in prose_duties(text, 0, len(text), mentions) for r in d.roles)


def test_roles_lead_and_support_in_cells():
    assert roles_of_cell("试点地区负责推进；商务部支持指导") == [("商务部", "cooperate"), ("试点地区", "lead")]
    assert roles_of_cell("商务部牵头推进") == [("商务部", "lead")]
    assert roles_of_cell("试点地区负责推进；商务部会同有关部门和单位支持指导") == [("商务部", "cooperate"), ("试点地区", "lead")]


def test_roles_policy_support_is_cooperation_only_beside_a_lead():
    assert roles_of_cell("试点地区负责推进；海关总署负责落实政策保障") == [("海关总署", "cooperate"), ("试点地区", "lead")]
    assert roles_of_cell("外汇局负责推进并落实政策保障") == [("国家外汇管理局", "lead")]
    assert roles_of_cell("试点地区和商务部、财政部等有关部门和单位负责推进") == [
        ("商务部", "lead"), ("试点地区", "lead"), ("财政部", "lead")]


def test_roles_labelled_cells():
    cell = "牵头单位：市商务委、市财政局\n配合单位：天津保监局、市金融局"
    assert roles_of_cell(cell, TIANJIN) == [("天津保监局", "cooperate"), ("天津市商务委员会", "lead"),
                                            ("天津市财政局", "lead"), ("天津市金融工作局", "cooperate")]


def test_roles_prose_subjects_not_objects():
    text = ("省商务厅要会同有关单位积极争取商务部等国家有关部门的工作指导和政策支持，加强对试点工作的统筹协调。")
    assert duties(text, REC.gaz.region_by_name["广东省"]) == [("广东省商务厅", "lead")]
    assert duties("试点中的重大问题，商务部要及时向国务院请示报告。") == []
    assert duties("按照公安部关于支持服务业扩大开放综合试点出入境政策，为外籍人才办理在华永久居留提供便利。") == []


def test_roles_prose_support_and_by_phrases():
    text = ("国务院服务贸易发展部际联席会议成员单位要结合各试点地区发展基础，加强协同指导，积极予以支持。"
            "商务部要充分发挥作用，加强统筹协调。深化试点期间，具体由国务院另行印发。")
    assert duties(text) == [("商务部", "lead"), ("国务院", "lead"), ("国务院服务贸易发展部际联席会议", "cooperate")]


HANGZHOU = REC.gaz.region_by_name["杭州市"]


def roles_with_items(text, home):
    mentions = REC.agencies(text, home)
    found = cell_roles(text, 0, len(text), mentions, resolve=lambda item, s: REC.list_body(item, s, home))
    return sorted((r.mention.name, r.role) for r in found)


def test_roles_each_label_opens_a_clause():
    # 牵头单位：A，配合单位：B — one clause per label, not all leads.
    assert roles_with_items("牵头单位：市卫生健康委，配合单位：市民政局、市财政局", HANGZHOU) == [
        ("杭州市卫生健康委员会", "lead"), ("杭州市民政局", "cooperate"), ("杭州市财政局", "cooperate")]


def test_roles_list_items_the_lexicon_lacks_are_bodies_of_the_home_region():
    # Party organs and mass organisations are named as printed, qualified by the home region.
    assert roles_with_items("市委宣传部牵头，市总工会、市妇联配合", HANGZHOU) == [
        ("中共杭州市委宣传部", "lead"), ("杭州市妇联", "cooperate"), ("杭州市总工会", "cooperate")]
    # The whole item wins over a shorter body inside it (市政府 in 市政府外办).
    assert roles_with_items("责任单位：市政府外办、市政府口岸办", HANGZHOU) == [
        ("杭州市政府口岸办", "lead"), ("杭州市政府外办", "lead")]
    # Collective phrases stay no body; without a home region 市X局 names no one.
    assert roles_with_items("责任单位：各区、县（市）政府，有关部门", HANGZHOU) == []
    assert roles_with_items("责任单位：市档案局", None) == []


def test_roles_guidance_is_support():
    assert roles_of_cell("工业和信息化部指导，试点地区负责落实") == [("工业和信息化部", "cooperate"), ("试点地区", "lead")]


def _measure_roles(text):
    from policykg.extractors.pipeline import extract_source
    from policykg.extractors.text import SourceText

    frag = extract_source(SourceText(file="decl.txt", path="decl.txt", text=text, sha256="0", encoding="utf-8"))
    names = {n.id: getattr(n, "name", None) or getattr(n, "text", None) for n in frag.nodes.values()}
    return sorted((names[k[2]], k[0], names[k[1]]) for k in frag.relationships if k[0] in ("LEADS", "COOPERATES"))


def test_roles_declared_lead_applies_to_every_later_measure():
    text = ("一、重点任务\n"
            "（一）推进政务数据共享。建设统一的数据共享交换平台，推动部门间数据按需共享。"
            "（国家发展改革委指导，试点地区负责落实。以下均由试点地区负责落实，不再列出）\n"
            "（二）完善地方标准体系。制定数据质量、开放和安全的地方标准。（市场监管总局指导）\n")
    assert _measure_roles(text) == [
        ("完善地方标准体系。", "COOPERATES", "国家市场监督管理总局"),
        ("完善地方标准体系。", "LEADS", "试点地区"),
        ("推进政务数据共享。", "COOPERATES", "国家发展和改革委员会"),
        ("推进政务数据共享。", "LEADS", "试点地区")]


def test_roles_a_sections_opening_duty_leads_its_items():
    text = ("三、重点任务\n"
            "商务部要会同有关部门加强指导，重点抓好以下工作：\n"
            "（一）完善促进体系。建立统一的促进平台，加强信息共享和服务对接。\n"
            "（二）优化发展环境。清理不合理的限制措施，营造公平竞争的市场环境。\n")
    assert _measure_roles(text) == [("优化发展环境。", "LEADS", "商务部"), ("完善促进体系。", "LEADS", "商务部")]


def test_roles_subject_list_ending_in_no_body():
    assert duties("国家融资担保基金和省级担保、再担保机构要合理设置合作机构准入条件。") == [
        ("国家融资担保基金有限责任公司", "lead")]


def test_roles_every_body_after_huitong_supports():
    assert duties("生态环境部会同国家发展改革委、工业和信息化部和财政部组织专家评审。") == [
        ("国家发展和改革委员会", "cooperate"), ("工业和信息化部", "cooperate"), ("生态环境部", "lead"), ("财政部", "cooperate")]


def test_roles_a_short_name_the_document_defines():
    text = ("由商务部、财政部组成国务院服务贸易发展部际联席会议（以下简称联席会议），统筹推进试点。"
            "联席会议要定期研究重大问题。")
    assert [(m.text, m.name) for m in REC.agencies(text, None)][-1] == ("联席会议", "国务院服务贸易发展部际联席会议")
    assert ("国务院服务贸易发展部际联席会议", "lead") in duties(text)


def test_roles_lead_mark_and_labels_beside_a_lead():
    # 市X（牵头）、市Y: the marked body leads its list.
    assert roles_with_items("责任单位：市发展改革委（牵头）、市财政局", HANGZHOU) == [
        ("杭州市发展和改革委员会", "lead"), ("杭州市财政局", "cooperate")]
    # 责任单位 beside a 牵头单位 of the same cell support it; alone they lead.
    assert roles_with_items("牵头单位：市商务局；责任单位：市财政局", HANGZHOU) == [
        ("杭州市商务局", "lead"), ("杭州市财政局", "cooperate")]
    assert roles_with_items("责任单位：市商务局、市财政局", HANGZHOU) == [
        ("杭州市商务局", "lead"), ("杭州市财政局", "lead")]
    # Bare labels, and 按职责分工负责 beside a lead.
    assert roles_with_items("牵头：市商务局；配合：市财政局", HANGZHOU) == [
        ("杭州市商务局", "lead"), ("杭州市财政局", "cooperate")]
    assert roles_with_items("市商务局牵头，市财政局按职责分工负责", HANGZHOU) == [
        ("杭州市商务局", "lead"), ("杭州市财政局", "cooperate")]


def test_roles_a_request_and_an_adverbial_before_the_duty():
    assert duties("请财政部会同有关部门研究提出修订建议。") == [("财政部", "lead")]
    assert duties("请科技部、工业和信息化部等部门在年底前完成清理。") == [("工业和信息化部", "lead"), ("科学技术部", "lead")]
    assert duties("商务部、海关总署在职责范围内，分别负责相关监管工作。") == [("商务部", "lead"), ("海关总署", "lead")]
