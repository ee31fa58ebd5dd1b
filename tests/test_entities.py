from policykg.extractors.entities import Recogniser, clean_number
from policykg.extractors.gazetteer import default_gazetteer

from conftest import text_of

REC = Recogniser(default_gazetteer())
GAZ = REC.gaz
TIANJIN, BEIJING, GUANGDONG = (GAZ.region_by_name[n] for n in ("天津市", "北京市", "广东省"))


def names(mentions):
    return [m.name for m in mentions if not m.generic]


def test_entities_central_abbreviations_resolve():
    text = "试点地区负责推进；人民银行、银保监会、证监会、外汇局、发展改革委等部门和单位负责落实政策保障"
    assert names(REC.agencies(text, None)) == ["试点地区", "中国人民银行", "中国银行保险监督管理委员会",
                                                "中国证券监督管理委员会", "国家外汇管理局", "国家发展和改革委员会"]


def test_entities_local_bodies_take_the_document_region():
    text = "牵头单位：市商务委、市发展改革委\n配合单位：市服务贸易联席会议成员单位、各区人民政府"
    # 各区人民政府 is the districts' governments collectively: no agency.
    assert names(REC.agencies(text, TIANJIN)) == ["天津市商务委员会", "天津市发展和改革委员会",
                                                  "天津市服务贸易联席会议"]
    # The same words in a Beijing plan are Beijing's bodies, never shared nodes.
    assert names(REC.agencies("市商务委", BEIJING)) == ["北京市商务委员会"]
    assert names(REC.agencies("省商务厅要会同有关单位", GUANGDONG)) == ["广东省商务厅"]


def test_entities_collective_phrases_are_not_agencies():
    text = "国务院有关部门要按照职能分工，有关部门和单位参与，各相关单位配合"
    found = REC.agencies(text, None)
    assert names(found) == []
    assert all(m.generic for m in found)


def test_entities_suffix_distributes_over_region_lists():
    assert names(REC.agencies("广州、深圳市人民政府要抓紧制定", GUANGDONG)) == ["广州市人民政府", "深圳市人民政府"]


def test_entities_region_prefixed_and_branch_bodies():
    text = "天津海关、人民银行天津分行、东丽区人民政府、中国出口信用保险公司天津分公司"
    assert names(REC.agencies(text, TIANJIN)) == ["天津海关", "中国人民银行天津分行", "天津市东丽区人民政府",
                                                  "中国出口信用保险公司天津分公司"]


def test_entities_regions_skip_agency_names_and_foreign_partners():
    text = text_of("002")
    blocked = [(m.start, m.end) for m in REC.agencies(text, None)]
    found = {m.name for m in REC.regions(text, None, blocked)}
    assert {"北京市", "河北雄安新区", "重庆两江新区", "京津冀地区", "长江沿线口岸", "广东省"} <= found
    # 黑龙江省 appears only among the addressees (a list of provincial governments).
    assert "黑龙江省" not in found and "中华人民共和国" not in found


def test_entities_zones_by_suffix_and_lists():
    text = text_of("000")
    found = {m.name for m in REC.regions(text, BEIJING, [])}
    assert {"北京天竺综合保税区", "新首钢高端产业综合服务区", "金融街", "古北水镇", "台湖演艺小镇",
            "北京城市副中心文化旅游区", "中关村国家自主创新示范区", "三城一区"} <= found
    assert not {n for n in found if "集聚区" in n and n.startswith("高端人才")}


def test_entities_provisions_articles_that_open_a_statement():
    cell = ("《中华人民共和国外资银行管理条例》第三十四条规定，外资银行营业性机构经营本条例第二十九条或者"
            "第三十一条规定业务范围内的人民币业务的，应当具备下列条件。")
    assert [(p.instrument, p.article) for p in REC.provisions(cell)] == [("中华人民共和国外资银行管理条例", "第三十四条")]
    cell = ("《外商投资电信企业管理规定》第四条规定，具体业务分类依照电信条例的规定执行。第六条规定，出资比例不得超过 49%。"
            "《国务院办公厅关于鼓励服务外包产业加快发展的复函》（国办函〔2010〕69 号）规定，同意完善。")
    assert [(p.instrument, p.article) for p in REC.provisions(cell)] == [
        ("外商投资电信企业管理规定", "第四条"), ("外商投资电信企业管理规定", "第六条"),
        ("国务院办公厅关于鼓励服务外包产业加快发展的复函", None)]


def test_entities_provisions_several_articles_and_parentheses():
    cell = "《X条例》第四条、第六条规定。《Y办法》（海关总署 2011 年第十五号公告）第九条规定，应当缴纳保证金。"
    assert [(p.instrument, p.article) for p in REC.provisions(cell)] == [
        ("X条例", "第四条"), ("X条例", "第六条"), ("Y办法", "第九条")]


def test_entities_document_numbers_lose_leading_words():
    assert clean_number("试点批复的通知粤府函〔2018〕204号") == "粤府函〔2018〕204号"
    assert clean_number("国办函〔2010〕69 号") == "国办函〔2010〕69号"


def test_entities_department_kinds_and_local_bodies_are_not_ministries():
    from policykg.extractors.entities import Recogniser
    from policykg.extractors.gazetteer import default_gazetteer

    rec = Recogniser(default_gazetteer())
    assert [m.name for m in rec.agencies("财政部门要加强资金保障", None) if not m.generic] == []
    home = default_gazetteer().region_by_name["安化县"]
    assert "国家林业局" not in [m.name for m in rec.agencies("由县林业局负责", home)]


def test_entities_party_committees_and_a_shared_region():
    from policykg.extractors.entities import Recogniser
    from policykg.extractors.gazetteer import default_gazetteer

    rec = Recogniser(default_gazetteer())
    gz = default_gazetteer().region_by_name["广州市"]
    # The region inside the full name (local_agencies.tsv: 中共{region}委组织部).
    assert names(rec.agencies("由市委组织部牵头", gz)) == ["中共广州市委组织部"]
    # 省 after a conjunction is the region of the body before it, even with no home region.
    assert names(rec.agencies("江苏省委和省政府要加强领导", None)) == ["中国共产党江苏省委员会", "江苏省人民政府"]
