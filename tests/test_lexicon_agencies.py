"""The central-body lexicon (extractors/data/agencies.tsv), loaded as the extractor loads it."""
import json
from collections import defaultdict
from pathlib import Path

import pytest

from policykg.extractors.entities import Recogniser
from policykg.extractors.gazetteer import DATA_DIR, Gazetteer

GAZ = Gazetteer.load()
REC = Recogniser(GAZ)
SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"
GOLD_FILES = sorted((SHARED / "gold").glob("*.json")) + sorted((SHARED / "dev" / "gold").glob("*.json"))

#: Gold aliases the lexicon leaves out on purpose: generic phrases (they name a body only
#: inside one document) and 人行, which is also a substring of 个人行为 / 人行道.
NOT_LEXICON_ALIASES = {"教育行政部门", "人力资源社会保障行政部门", "各成员单位", "联席会议", "联席会议办公室",
                       "试点工作小组", "试点工作小组办公室", "人行"}
#: Gold bodies that belong to one document (the pilot's joint procurement office and its groups).
DOCUMENT_BODIES = {"联合采购办公室", "联合采购办公室专家组", "联合采购办公室监督组", "联合采购办公室集中采购小组"}


def _rows():
    for line in (DATA_DIR / "agencies.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _is_local(name: str) -> bool:
    """Region-qualified bodies (北京市体育局, 中共北京市委宣传部, 国家税务总局重庆市税务局,
    中共安化县委宣传部): a region the gazetteer knows, or a county, in the name."""
    if "县" in name:
        return True
    for surface, region in GAZ.regions.items():
        if region.level != "country" and surface in name:
            return True
    return False


def _gold_agencies():
    out = {}
    for path in GOLD_FILES:
        for agency in json.loads(path.read_text(encoding="utf-8")).get("agencies", []):
            out.setdefault(agency["name"], set()).update(agency.get("aliases") or [])
    return out


def names(text):
    return [m.name for m in REC.agencies(text, None) if not m.generic]


def test_lexicon_agencies_rows_are_well_formed():
    rows = list(_rows())
    assert len(rows) > 200
    for row in rows:
        assert 2 <= len(row) <= 3, row
        assert row[1] in ("central", "other"), row
        surfaces = [row[0], *(row[2].split("|") if len(row) > 2 else [])]
        assert all(s and s == s.strip() for s in surfaces), row


def test_lexicon_agencies_no_surface_claimed_by_two_bodies():
    claims = defaultdict(set)
    for row in _rows():
        for surface in [row[0], *(row[2].split("|") if len(row) > 2 else [])]:
            claims[surface].add(row[0])
    shared = {s: c for s, c in claims.items() if len(c) > 1}
    assert shared == {}


def test_lexicon_agencies_every_surface_resolves_in_a_duty_list():
    """Each name and alias, written in a responsibility list, reads as its own body (no other
    pattern, generic phrase or local reading shadows it)."""
    wrong = []
    for surface, entry in GAZ.agencies.items():
        for text in (f"（{surface}负责）", f"（财政部、{surface}等按职责分工负责）"):
            found = REC.agencies(text, None)
            if entry.name not in [m.name for m in found] or any(m.generic for m in found):
                wrong.append((text, entry.name))
    assert wrong == []


@pytest.mark.skipif(not GOLD_FILES, reason="shared gold annotations not present")
def test_lexicon_agencies_gold_central_bodies_resolve():
    missing = []
    for name, aliases in _gold_agencies().items():
        if _is_local(name) or name in DOCUMENT_BODIES:
            continue
        if name in GAZ.agencies and GAZ.agencies[name].level != "central":
            continue        # 试点地区: a document's collective, not a central body
        for surface in (name, *(aliases - NOT_LEXICON_ALIASES)):
            entry = GAZ.agencies.get(surface)
            if entry is None or entry.name != name:
                missing.append((surface, name, entry and entry.name))
    assert missing == []


def test_lexicon_agencies_party_organs_and_mass_organisations():
    assert names("（扶贫办、中央统战部、全国总工会等负责）") == [
        "国务院扶贫开发领导小组办公室", "中共中央统一战线工作部", "中华全国总工会"]
    assert names("（中央和国家机关工委、共青团中央、全国妇联、全国工商联、供销合作总社、中国残联、中国科协负责）") == [
        "中央和国家机关工作委员会", "中国共产主义青年团中央委员会", "中华全国妇女联合会", "中华全国工商业联合会",
        "中华全国供销合作总社", "中国残疾人联合会", "中国科学技术协会"]
    assert names("由中央组织部、中央编办、中央网信办、中央军委后勤保障部会同团中央组织实施。") == [
        "中共中央组织部", "中央机构编制委员会办公室", "中央网络安全和信息化委员会办公室",
        "中央军事委员会后勤保障部", "中国共产主义青年团中央委员会"]


def test_lexicon_agencies_state_council_short_forms():
    text = ("（粮食和储备局、邮政局、林草局、疾控局、国防科工局、烟草局、铁路局、医保局、"
            "乡村振兴局、金融监管总局、国家数据局、中国气象局、新华社按职责分工负责）")
    assert names(text) == [
        "国家粮食和物资储备局", "国家邮政局", "国家林业和草原局", "国家疾病预防控制局", "国家国防科技工业局",
        "国家烟草专卖局", "国家铁路局", "国家医疗保障局", "国家乡村振兴局", "国家金融监督管理总局", "国家数据局",
        "中国气象局", "新华通讯社"]


def test_lexicon_agencies_old_bodies_keep_their_own_names():
    """A body named before a reform stays itself: it is not read as its successor."""
    text = "（农业部、国土资源部、环境保护部、卫生计生委、质检总局、安全监管总局、食品药品监管总局、旅游局、海洋局负责）"
    assert names(text) == [
        "农业部", "国土资源部", "环境保护部", "国家卫生和计划生育委员会", "国家质量监督检验检疫总局",
        "国家安全生产监督管理总局", "国家食品药品监督管理总局", "国家旅游局", "国家海洋局"]
    assert names("银监会、保监会和银保监会") == [
        "中国银行业监督管理委员会", "中国保险监督管理委员会", "中国银行保险监督管理委员会"]


def test_lexicon_agencies_state_companies_and_branches():
    assert names("（国家电网有限公司、国铁集团、中国邮政集团有限公司、农发行、国家融资担保基金负责）") == [
        "国家电网有限公司", "中国国家铁路集团有限公司", "中国邮政集团有限公司", "中国农业发展银行",
        "国家融资担保基金有限责任公司"]
    # A central body before a region and a branch word is still that body's branch.
    assert names("人民银行重庆营业管理部、中国农业发展银行天津分行") == [
        "中国人民银行重庆营业管理部", "中国农业发展银行天津分行"]


def test_lexicon_agencies_common_words_are_not_bodies():
    """Short forms left out because ordinary text holds them (个人行为, 集中办理)."""
    assert names("规范个人行为，推行一窗受理、集中办理。") == []
