"""Gazetteers: the data files under extractors/data, loaded once into lookup tables.

A user extends recognition by editing those files (or pointing `Gazetteer.load` at a
folder of their own with the same file names); no code names a body or a place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from policykg.extractors.numbering import Numbering

DATA_DIR = Path(__file__).parent / "data"

#: City short forms that are also common words; only their full names are recognised.
_AMBIGUOUS_SHORT = {"白银", "来宾", "安康", "中山", "北海", "黄山", "朝阳", "白山", "长治", "吉安",
                    "普洱", "四平", "大同", "海东", "中卫", "定西", "平凉", "铜川", "武威", "安顺",
                    "吉林", "丽水", "海口", "三明", "通化", "南平", "宁德", "新余", "永州", "金昌", "白城"}


def _rows(path: Path) -> list[list[str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(line.split("\t"))
    return out


def _words(path: Path) -> list[str]:
    return [r[0].strip() for r in _rows(path) if r[0].strip()]


@dataclass(frozen=True)
class RegionEntry:
    name: str
    level: str
    parent: str | None
    aliases: tuple[str, ...]

    @property
    def short(self) -> str:
        """The name without its administrative suffix (北京市 → 北京)."""
        m = re.fullmatch(r"(.{2,}?)(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)", self.name)
        return m.group(1) if m else self.name


@dataclass(frozen=True)
class AgencyEntry:
    name: str
    level: str
    aliases: tuple[str, ...]


@dataclass
class Gazetteer:
    agencies: dict[str, AgencyEntry] = field(default_factory=dict)   # surface → entry
    local_bases: dict[str, str] = field(default_factory=dict)         # printed base → canonical base
    branch_suffixes: list[str] = field(default_factory=list)
    branch_of: list[str] = field(default_factory=list)
    generic_agencies: list[str] = field(default_factory=list)
    regions: dict[str, RegionEntry] = field(default_factory=dict)     # surface → entry
    region_by_name: dict[str, RegionEntry] = field(default_factory=dict)
    zone_suffixes: dict[str, str] = field(default_factory=dict)       # suffix → specific|generic
    generic_zones: set[str] = field(default_factory=set)
    title_words: list[str] = field(default_factory=list)             # 文种 a title ends with
    navigation_words: list[tuple[str, str]] = field(default_factory=list)  # (word, marker|item|list)
    leading_words: list[str] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    columns: list[tuple[str, str]] = field(default_factory=list)
    body_suffixes: list[str] = field(default_factory=list)
    declarations: list[tuple[re.Pattern, str]] = field(default_factory=list)
    numbering: Numbering = field(default_factory=lambda: Numbering([]).compile())

    @classmethod
    def load(cls, folder: Path | str = DATA_DIR) -> "Gazetteer":
        folder = Path(folder)
        g = cls()
        for row in _rows(folder / "agencies.tsv"):
            name, level = row[0].strip(), (row[1].strip() if len(row) > 1 else "central")
            aliases = tuple(a for a in (row[2].split("|") if len(row) > 2 else []) if a)
            entry = AgencyEntry(name, level or "central", aliases)
            for surface in (name, *aliases):
                g.agencies.setdefault(surface, entry)
        for row in _rows(folder / "local_agencies.tsv"):
            g.local_bases[row[0].strip()] = (row[1].strip() if len(row) > 1 else row[0].strip())
        g.branch_suffixes = _words(folder / "branch_suffixes.txt")
        g.branch_of = _words(folder / "branch_of.txt")
        g.generic_agencies = _words(folder / "generic_agencies.txt")
        for row in _rows(folder / "regions.tsv"):
            name, level = row[0].strip(), row[1].strip()
            parent = row[2].strip() if len(row) > 2 and row[2].strip() else None
            aliases = tuple(a for a in (row[3].split("|") if len(row) > 3 else []) if a)
            entry = RegionEntry(name, level, parent, aliases)
            g.region_by_name[name] = entry
            surfaces = {name, *aliases}
            if level in ("province", "municipality", "city") and entry.short not in _AMBIGUOUS_SHORT:
                surfaces.add(entry.short)
            for s in surfaces:
                if len(s) >= 2:
                    g.regions.setdefault(s, entry)
        for row in _rows(folder / "zones.txt"):
            g.zone_suffixes[row[1].strip()] = row[0].strip()
        g.generic_zones = set(_words(folder / "generic_zones.txt"))
        g.title_words = sorted(_words(folder / "title_words.txt"), key=len, reverse=True)
        g.navigation_words = [(r[0].strip(), r[1].strip()) for r in _rows(folder / "navigation_words.txt")]
        g.leading_words = sorted(_words(folder / "leading_words.txt"), key=len, reverse=True)
        g.sections = {r[0].strip(): r[1].strip() for r in _rows(folder / "sections.tsv")}
        g.columns = [(r[0].strip(), r[1].strip()) for r in _rows(folder / "columns.tsv")]
        g.body_suffixes = _words(folder / "body_suffixes.txt")
        g.numbering = Numbering.load(folder / "numbering.tsv")
        g.declarations = [(re.compile(r[0].strip()), r[1].strip()) for r in _rows(folder / "declarations.tsv")]
        return g

    def region_chain(self, name: str) -> list[RegionEntry]:
        """The region and its ancestors, nearest first."""
        out, seen = [], set()
        entry = self.region_by_name.get(name)
        while entry is not None and entry.name not in seen:
            out.append(entry)
            seen.add(entry.name)
            entry = self.region_by_name.get(entry.parent) if entry.parent else None
        return out


@lru_cache(maxsize=4)
def default_gazetteer(folder: str | None = None) -> Gazetteer:
    return Gazetteer.load(folder or DATA_DIR)
