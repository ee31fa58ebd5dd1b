"""Places: every division with its code, names several divisions bear, and how the genre
writes places (short lists, a province before its city, self-references)."""
from policykg.extractors.entities import Recogniser
from policykg.extractors.gazetteer import default_gazetteer
from policykg.extractors.pipeline import extract_source
from policykg.extractors.text import SourceText

GAZ = default_gazetteer()
REC = Recogniser(GAZ)


def _regions(text, home=None):
    return sorted({m.name for m in REC.regions(text, GAZ.region_by_name.get(home) if home else None, [])})


def _fragment(text):
    return extract_source(SourceText(file="p.txt", path="p.txt", text=text, sha256="0", encoding="utf-8"))


def test_places_divisions_have_codes_and_parents():
    assert GAZ.regions["安化县"].code == "430923" and GAZ.regions["安化县"].parent == "益阳市"
    assert GAZ.regions["延庆区"].name == "北京市延庆区"          # a district is written with its city
    assert GAZ.regions["秀山县"].name == "重庆市秀山土家族苗族自治县"   # short form of an autonomous county
    assert GAZ.regions["郫县"].name == "成都市郫都区"             # an old name resolves to today's code
    assert GAZ.regions["西安"].name == "西安市" and GAZ.regions["吉林"].name == "吉林省"


def test_places_a_name_several_divisions_bear_needs_the_home_region():
    assert _regions("在鼓楼区开展试点", "福州市") == ["福州市鼓楼区"]
    assert _regions("在鼓楼区开展试点", "南京市") == ["南京市鼓楼区"]
    assert _regions("在鼓楼区开展试点") == []


def test_places_ordinary_words_are_no_places():
    assert _regions("加快城区更新改造，推进新城区建设", "大同市") == []
    assert _regions("与美国、日本、香港等地区开展合作") == []


def test_places_short_list_with_the_kind_said_once():
    assert _regions("鼓励房山、门头沟、怀柔等区建设冰雪场地", "北京市") == [
        "北京市怀柔区", "北京市房山区", "北京市门头沟区"]


def test_places_a_province_before_its_city_only_locates_it():
    assert _regions("在河南省洛阳市、湖北省襄阳市开展试点") == ["洛阳市", "襄阳市"]


def test_places_county_document_qualifies_its_bodies():
    frag = _fragment("宁乡市人民政府办公室关于印发促进消费若干措施的通知\n"
                     "宁乡市人民政府办公室\n2023年3月1日\n"
                     "一、发放消费券。在全市范围内分批发放消费券。（责任单位：市商务局、市财政局）\n")
    names = {n.name for n in frag.nodes.values() if n.label.value == "Agency"}
    assert {"宁乡市商务局", "宁乡市财政局"} <= names
    region = next(n for n in frag.nodes.values() if n.label.value == "Region" and n.name == "宁乡市")
    assert region.code == "430182"
