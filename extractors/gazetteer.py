"""Gazetteers: the data files under extractors/data, loaded once into lookup tables.

A user extends recognition by editing those files (or pointing `Gazetteer.load` at a
folder of their own with the same file names); no code names a body or a place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from policykg.extractors.duties import Duties
from policykg.extractors.numbering import Numbering

DATA_DIR = Path(__file__).parent / "data"

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
    code: str | None = None      # GB/T 2260 code of an administrative division

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
    region_options: dict[str, tuple[RegionEntry, ...]] = field(default_factory=dict)  # one surface, several divisions
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
    self_references: dict[str, str] = field(default_factory=dict)     # 本市 -> city
    duties: Duties = field(default_factory=lambda: Duties([]).compile())
    provision_verbs: list[tuple[str, str, str]] = field(default_factory=list)   # verb, before|after|both, not after

    @classmethod
    def load(cls, folder: Path | str = DATA_DIR, divisions=None) -> "Gazetteer":
        """The lexicon of a data folder; `divisions` (default: `divisions.load_divisions()`)
        are the administrative divisions."""
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
        g._load_regions(folder, divisions)
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
        g.duties = Duties.load(folder / "duty_words.tsv")
        g.provision_verbs = [(r[0].strip(), r[1].strip(), r[2].strip() if len(r) > 2 else "")
                             for r in _rows(folder / "provision_verbs.tsv")]
        g.self_references = {r[0].strip(): r[1].strip() for r in _rows(folder / "self_references.tsv")}
        g.declarations = [(re.compile(r[0].strip()), r[1].strip()) for r in _rows(folder / "declarations.tsv")]
        return g

    def _load_regions(self, folder: Path, divisions) -> None:
        """Every division (name, code, parent, surfaces), then the places of regions.tsv."""
        if divisions is None:
            from policykg.extractors.divisions import load_divisions

            divisions = load_divisions()
        ethnic = sorted(_words(folder / "ethnic_groups.txt"), key=len, reverse=True)
        words = set(_words(folder / "division_words.txt"))
        by_code = {d.code: d for d in divisions}
        names: dict[str, str] = {}                  # code -> node name
        for d in divisions:
            parent = by_code.get(d.parent_code) if d.parent_code else None
            # A district (区), or anything under a municipality, is written with its city
            # (北京市延庆区, 重庆市秀山土家族苗族自治县); a county with its own name (安化县).
            qualify = d.level == "county" and parent is not None and (
                parent.level == "municipality" or d.name.endswith("区"))
            names[d.code] = parent.name + d.name if qualify else d.name
        taken: dict[str, list[str]] = {}
        for code, name in names.items():
            taken.setdefault(name, []).append(code)
        for name, codes in taken.items():
            for code in codes[1:] if len(codes) > 1 else ():
                d = by_code[code]
                names[code] = by_code[d.parent_code].name + d.name if d.parent_code else d.name
        # A city's short form (西安 for 西安市) is a surface when no other province or city has
        # it; a county's name (西安区) is no competitor: it is always written with its suffix.
        city_short: dict[str, list[str]] = {}
        for d in divisions:
            if d.level in ("province", "municipality", "city"):
                stem = re.sub(r"(市|地区|盟)$", "", d.name)
                if 2 <= len(stem) < len(d.name):
                    city_short.setdefault(stem, []).append(d.code)
        surfaces: dict[str, list[RegionEntry]] = {}
        # Compiled once, not per division (its 56-name alternation, escaped afresh for each of
        # 3,300 divisions, was a third of this method: speed only).
        autonomous_re = re.compile(r"(.+?)(?:%s)+自治(州|县|旗)" % "|".join(map(re.escape, ethnic))) if ethnic else None
        for d in divisions:
            parent = by_code.get(d.parent_code) if d.parent_code else None
            level = d.level if d.level != "county" else ("district" if d.name.endswith("区") else "county")
            name = names[d.code]
            # City short forms that are also common words are left out; a province keeps its
            # own (吉林 is the province).
            short_forms = [a for a in d.aliases if a not in words]
            stem = re.sub(r"(市|地区|盟)$", "", d.name)
            if (d.level == "city" and city_short.get(stem) == [d.code] and stem not in words
                    and stem not in short_forms):
                short_forms.append(stem)
            entry = RegionEntry(name, level, names[parent.code] if parent else None, tuple(short_forms), d.code)
            self.region_by_name[name] = entry
            forms = {name, *short_forms}
            own = [d.name, *short_forms]
            autonomous = autonomous_re.fullmatch(d.name) if autonomous_re is not None else None
            if autonomous and len(autonomous.group(1)) >= 2:
                own.append(autonomous.group(1) + autonomous.group(2))        # 秀山县, 恩施州
            for form in own:
                if parent is not None and d.level == "county":
                    forms.add(parent.name + form)                               # 益阳市安化县
                if form not in words:
                    forms.add(form)
            for form in forms:
                if len(form) >= 2:
                    surfaces.setdefault(form, []).append(entry)
        for form, entries in surfaces.items():
            unique = list(dict.fromkeys(entries))
            if len(unique) > 1:
                self.region_options[form] = tuple(unique)
            self.regions[form] = unique[0]
        for row in _rows(folder / "regions.tsv"):
            name, level = row[0].strip(), row[1].strip()
            parent = row[2].strip() if len(row) > 2 and row[2].strip() else None
            aliases = tuple(a for a in (row[3].split("|") if len(row) > 3 else []) if a)
            known = self.region_by_name.get(name)
            entry = known or RegionEntry(name, level, parent, aliases)
            self.region_by_name[name] = entry
            for form in {name, *aliases}:
                if len(form) >= 2:
                    self.regions.setdefault(form, entry)

    def pick_region(self, surface: str, home: RegionEntry | None) -> RegionEntry | None:
        """The region a printed name stands for: for a name several divisions bear (朝阳区,
        鼓楼区), the one within the document's home region, else none."""
        options = self.region_options.get(surface)
        if options is None:
            return self.regions.get(surface)
        if home is None:
            return None
        home_chain = [r.name for r in self.region_chain(home.name)]      # nearest first
        ranked = []
        for option in options:
            chain = {r.name for r in self.region_chain(option.name)}
            depth = next((i for i, h in enumerate(home_chain) if h in chain), None)
            if depth is not None:
                ranked.append((depth, option))
        ranked.sort(key=lambda t: t[0])
        if not ranked or len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
            return None         # outside the home region, or still two of them
        return ranked[0][1]

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
