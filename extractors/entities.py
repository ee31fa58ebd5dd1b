"""Recognisers for agencies, regions, legal provisions and document numbers.

Each takes the whole document text (plus the document's own region, which qualifies local
bodies such as 市商务委) and returns mentions with character offsets. They are pure
functions over compiled patterns built from the gazetteer; the spaCy components in
`pipeline.py` call them and keep the results on the Doc.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from policykg.extractors.gazetteer import Gazetteer, RegionEntry

CJK = "\u4e00-\u9fff"
NUM = "一二三四五六七八九十百千零〇两\\d"


@dataclass
class Mention:
    start: int
    end: int
    text: str
    name: str            # canonical name ("" for generic phrases)
    kind: str            # agency | generic | region
    level: str = "other"
    region: str | None = None   # the region a local body belongs to

    @property
    def generic(self) -> bool:
        return self.kind == "generic"


@dataclass
class Provision:
    instrument: str
    article: str | None
    start: int
    end: int
    clause: str | None = None       # 第二款 (第三项) of the article


def _alt(words) -> str:
    """A pattern for any of `words`, preferring the longest that lets the whole match succeed.

    Written as a trie (北京市|北京 → 北京(?:市)?) rather than a flat longest-first alternation:
    the same strings, in the same order of preference (the words that can match at one
    position are prefixes of one another, and a trie tries the longer continuation before
    ending the shorter word), but the engine tests one branch per distinct next character
    instead of every word at every position (speed only)."""
    root: dict = {}
    for w in set(words):
        if not w:
            continue
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}        # a word ends here

    def build(node: dict) -> str:
        kids = sorted(k for k in node if k)
        parts = [re.escape(ch) + build(node[ch]) for ch in kids]
        if not parts:
            return ""
        # Many branches: one class test of the next character first (the engine would
        # otherwise test the branches one by one; about a third off the agency scan).
        guard = f"(?=[{''.join(re.escape(c) for c in kids)}])" if len(kids) >= 8 else ""
        if "" in node:
            return f"(?:{guard}(?:{'|'.join(parts)}))?"     # greedy: the longer word first
        return parts[0] if len(parts) == 1 else f"{guard}(?:{'|'.join(parts)})"

    return build(root)


#: What may stand right before a local body that agency_re reads by its prefix (市商务委).
_BODY_AFTER = "和及与由同的、向请对"
# Where a local body's 省/市/区/县 can open one of agency_re's matches that no lexicon word
# opens (its `local` and `unknown` branches): after the boundary they require. The other
# 省市区县 (市场, 地区) were a third of all tries, all failed (speed only). The character
# first, then the one before it, so the engine can skip to the next 省市区县 (a lookbehind
# first is tried at every position: 5× slower); the text's first character is `_local_starts`'.
_LOCAL_PREFIX = re.compile(rf"[省市区县](?<=[^{CJK}][省市区县]|[{_BODY_AFTER}][省市区县])")


def _local_starts(text: str) -> set[int]:
    """Where `_LOCAL_PREFIX` allows a local body's prefix: after the boundary, or at 0."""
    found = {m.start() for m in _LOCAL_PREFIX.finditer(text)}
    if text[:1] in ("省", "市", "区", "县"):
        found.add(0)
    return found


# A word's kinds: it opens an agency name (generic phrase, central body, local body's
# base), it is a place, a self-reference (本市), or it can end a regional body's name
# (branch suffix or local base: 天津|海关, 天津市|商务委).
AGENCY_WORD, REGION_WORD, SELF_WORD, SUFFIX_WORD = 1, 2, 4, 8


class _Automaton:
    """An Aho-Corasick automaton of the lexicon's words (ahocorasick_rs, Rust), each word
    with its kind bits. 0.3 ms a document where pyahocorasick took 3.7 ms: its root node
    has a branch for every first character of 7,000 place names."""

    def __init__(self, kinds: dict[str, int]):
        import ahocorasick_rs

        self.words = [w for w in kinds if w]
        self.kinds = [kinds[w] for w in self.words]
        self.auto = ahocorasick_rs.AhoCorasick(self.words) if self.words else None

    def scan(self, text: str, reach: int) -> tuple[set[int], list["_Place"]]:
        """One pass: where an agency name can start, and the places the text names read as
        `re.finditer` reads (self|names) — leftmost first, at each start a self-reference
        before a name, else the longest name, going on after it.

        An agency name can start where an agency word starts, and where a place starts
        that a suffix word follows within `reach` characters of its longest name's end
        (天津市|…|商务委): a place with no suffix after it opens no regional body. Most
        places open none: trying agency_re at each of them was a third of its tries, all
        failed (speed only)."""
        starts: set[int] = set()
        best: dict[int, tuple[int, bool]] = {}      # start -> (end, is a self-reference)
        if self.auto is None:
            return starts, []
        kinds = self.kinds
        place_end: dict[int, int] = {}              # start -> the end of the longest place
        suffixes: list[int] = []                    # where suffix words start
        for i, s, e in self.auto.find_matches_as_indexes(text, overlapping=True):
            k = kinds[i]
            if k & AGENCY_WORD:
                starts.add(s)
            if k & SUFFIX_WORD:
                suffixes.append(s)
            if k & REGION_WORD and e > place_end.get(s, -1):
                place_end[s] = e
            if k & (REGION_WORD | SELF_WORD):
                own = bool(k & SELF_WORD)
                have = best.get(s)
                if have is None or (own, e) > (have[1], have[0]) and (own or not have[1]):
                    best[s] = (e, own)
        if place_end and suffixes:
            suffixes.sort()
            for s, e in place_end.items():
                k = bisect_right(suffixes, s)
                if k < len(suffixes) and suffixes[k] <= e + reach:
                    starts.add(s)
        places, last = [], 0
        for s in sorted(best):
            if s >= last:
                e, own = best[s]
                places.append(_Place(text, s, e, own))
                last = e
        return starts, places


class _Place:
    """A place named in a text, answering as a match of (?P<self>…)|(?P<name>…) would."""

    __slots__ = ("_text", "_start", "_end", "_self")

    def __init__(self, text: str, start: int, end: int, own: bool):
        self._text, self._start, self._end, self._self = text, start, end, own

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, name: int | str = 0) -> str | None:
        word = self._text[self._start:self._end]
        if name == 0:
            return word
        if name == "self":
            return word if self._self else None
        if name == "name":
            return None if self._self else word
        raise IndexError(name)


def _match_at(pattern: re.Pattern, text: str, starts) -> list[re.Match]:
    """`pattern.finditer(text)` for a pattern that can only match at `starts`: tried there
    alone, in order, each match going on from where the last one ended."""
    out, last = [], 0
    for pos in sorted(starts):
        if pos < last:
            continue
        m = pattern.match(text, pos)
        if m is not None:
            out.append(m)
            last = m.end() if m.end() > pos else pos + 1
    return out


def _adjusting(verbs: list[tuple[str, str, str]]) -> tuple[re.Pattern, re.Pattern]:
    """(a verb before the instrument: 暂时调整实施《…》; 《…》 then a verb: 对《…》的修订) from
    provision_verbs.tsv, longest verb first, each with what may not follow it."""
    def alt(where: str) -> str:
        found = sorted((v for v in verbs if v[1] in (where, "both")), key=lambda v: (-len(v[0]), v[0]))
        return "|".join(re.escape(v) + (f"(?![{re.escape(no)}])" if no else "") for v, _, no in found) or "(?!)"

    before = re.compile(f"(?:{alt('before')})")
    after = re.compile(r"《[^《》]{2,80}》(?:第[^，。；《》]{1,20}?条(?:第[^，。；《》]{1,6}?款)?)?(?:的|进行)?"
                       f"(?:{alt('after')})")
    return before, after


class _Prefixes:
    """The longest of some words that a text starts with (`match(text)`: the word or None).
    A dictionary look-up per length: compiling the words into a pattern took longer than
    every look-up of a run."""

    def __init__(self, words):
        self.words = set(words)
        self.lengths = sorted({len(w) for w in self.words if w}, reverse=True)

    def match(self, text: str) -> str | None:
        for n in self.lengths:
            if n <= len(text) and text[:n] in self.words:
                return text[:n]
        return None


class Recogniser:
    """Compiled patterns for one gazetteer; build once, reuse for every document."""

    #: At most this many characters between a regional body's place and its suffix.
    _REGIONAL_MID = 6

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        # No body is the country's own (中华人民共和国国家监察委员会 is a central body's full name).
        local_alt = _alt(w for w, e in gaz.regions.items() if e.level != "country")
        # Branches of central bodies (中国人民银行天津分行) are named after provinces and cities:
        # a shorter alternation there halves the pattern the engine compiles at start-up.
        branch_region_alt = _alt(w for w, e in gaz.regions.items()
                                 if e.level in ("province", "municipality", "city", "new_area", "zone"))
        base_alt = _alt(gaz.local_bases)
        central_alt = _alt(gaz.agencies)
        branch_alt = _alt(gaz.branch_suffixes)
        branch_of_alt = _alt(gaz.branch_of)
        generic_alt = _alt(gaz.generic_agencies)
        boundary = rf"(?:(?<=[^{CJK}])|(?<=^)|(?<=[{_BODY_AFTER}]))"
        # Every match starts with one of these characters: the lookahead lets the engine skip
        # the other positions at once instead of trying each alternative (speed only).
        firsts = {w[0] for words in (gaz.generic_agencies, gaz.agencies, gaz.regions, gaz.local_bases)
                  for w in words if w} | set("省市区县")
        first_class = "".join(re.escape(c) for c in sorted(firsts))
        self.agency_re = re.compile(
            rf"(?=[{first_class}])"
            rf"(?:(?P<generic>{generic_alt})"
            rf"|(?P<branchof>(?P<bo_central>{central_alt})(?P<bo_region>{branch_region_alt})(?P<bo_suffix>{branch_of_alt}))"
            # The middle never crosses a conjunction (河北省委和省政府 is two bodies).
            rf"|(?P<regional>(?P<rg_region>{local_alt})(?P<rg_mid>(?:(?![和及与、])[{CJK}]){{0,{self._REGIONAL_MID}}}?)(?P<rg_suffix>{branch_alt}|{base_alt}))"
            # A national body's name right after 省/市/区/县 is a local body's (县林业局), and
            # one followed by 门 a kind of department (财政部门), not the ministry.
            rf"|(?<![省市区县])(?P<central>{central_alt})(?!门)"
            rf"|{boundary}(?P<local>(?P<lc_prefix>省|市|区|县|)(?P<lc_base>{base_alt}))"
            rf"|{boundary}(?P<unknown>(?P<uk_prefix>省|市)(?P<uk_body>[{CJK}]{{2,10}})(?P<uk_suffix>委员会|办公室|委|厅|局|办))"
            rf"(?=[^{CJK}]|[、和及与等]|牵头|配合|负责|按职责|会同|要|$))"
        )
        self._scan: tuple[str, list[re.Match], dict[int, Mention]] | None = None
        # Where a match can start: an Aho-Corasick automaton of every lexicon word finds them
        # in one pass, and the patterns are tried only there. With every county of China in
        # the lexicon nearly any character can open a region name, so a first-character
        # guard no longer spares the regex engine its work at each position.
        kinds: dict[str, int] = {}
        for words, kind in ((gaz.generic_agencies, AGENCY_WORD), (gaz.agencies, AGENCY_WORD),
                            (gaz.local_bases, AGENCY_WORD | SUFFIX_WORD), (gaz.branch_suffixes, SUFFIX_WORD),
                            (gaz.regions, REGION_WORD), (gaz.self_references, SELF_WORD)):
            for w in words:
                kinds[w] = kinds.get(w, 0) | kind
        self._words = _Automaton(kinds)
        self._starts_of: tuple[str, tuple[set[int], set[int]]] | None = None
        self._region_list_re: re.Pattern | None = None      # compiled when first needed
        # _region_list reads region lists without this pattern where no name holds 、.
        self._lists_split = not any("、" in name for name in gaz.regions)
        self._region_maxlen = max((len(name) for name in gaz.regions), default=0)
        self.self_re = re.compile(_alt(gaz.self_references))
        zone_alt = _alt(gaz.zone_suffixes)
        self.suffix_re = re.compile(rf"(?:{zone_alt})")
        # What a list item that is a zone ends with, and the endings that make it a zone
        # whatever it says before (`str.endswith` over these took a tenth of the time of
        # the same alternation searched with `$` in every item of every 、-list).
        self.zone_ends = tuple(sfx for sfx in gaz.zone_suffixes if sfx) + ("口岸", "地区")
        self.strong_zone_ends = tuple(sfx for sfx, cls in gaz.zone_suffixes.items() if sfx and cls != "generic")
        self.stop_re = re.compile(rf"[^{CJK}“”（）]|等|{_alt(gaz.leading_words)}")
        # A list starts where a run of characters starts and no run holds 、, so the
        # lookbehind and the possessive runs only spare the engine its backtracking.
        self.list_re = re.compile(rf"(?<![{CJK}“”])[{CJK}“”]++(?:、[{CJK}“”]++)+")
        prefixes = [s for s, e in gaz.regions.items() if e.level in ("province", "municipality", "city")]
        self.region_prefix_re = re.compile(rf"^(?:{_alt(prefixes)})")
        self.body_end_re = re.compile(rf"(?:{_alt(gaz.body_suffixes)})$")
        self.any_region_re = _Prefixes(gaz.regions)
        self.generic_whole = set(gaz.generic_agencies)
        self.adjust_before, self.adjust_after = _adjusting(gaz.provision_verbs)

    # ---------------------------------------------------------------- list items
    def list_body(self, text: str, start: int, home: RegionEntry | None) -> Mention | None:
        """A responsibility list's item (市委组织部, 重庆金融监管局, 联合采购办公室) that the
        lexicon does not name whole: a body when it ends as bodies do (body_suffixes.txt).
        Named as printed; 省/市/区/县 at its start is the document's region at that level."""
        if not 3 <= len(text) <= 30 or not re.fullmatch(rf"[{CJK}（）()]+", text):
            return None
        if text in self.generic_whole or text.startswith(("各", "有关", "相关", "其他", "其它")):
            return Mention(start, start + len(text), text, "", "generic")
        if not self.body_end_re.search(text):
            return None
        prefix = text[0] if text[0] in "省市区县" else ""
        if prefix:
            region = self._home_at(home, prefix)
            if region is None:
                return None         # 市X局 with no home region: which city's is unknown
            return Mention(start, start + len(text), text, region.name + text[1:], "agency",
                           self._level_of(region), region.name)
        prefix = self.any_region_re.match(text)
        if prefix:
            region = self.gaz.pick_region(prefix, home)
            if region is not None and region.level == "country":
                return None
            return Mention(start, start + len(text), text, text, "agency", self._level_of(region),
                           region.name if region else None)
        return Mention(start, start + len(text), text, text, "agency", "other")

    # ---------------------------------------------------------------- agencies
    def agencies(self, text: str, home: RegionEntry | None) -> list[Mention]:
        out: list[Mention] = []
        matches = self._agency_matches(text)
        # A document is read twice: by metadata before its home region is known, and by the
        # agency component with it. A generic phrase or a central body reads the same in any
        # region, so its first reading is kept for the second (speed only).
        scan = self._scan
        fixed = scan[2] if scan is not None and scan[1] is matches else None
        for i, m in enumerate(matches):
            mention = fixed.get(i) if fixed is not None else None
            if mention is None:
                mention = self._agency(m, home or self._shared_region(text, m, out))
                if fixed is not None and m.lastgroup in ("generic", "central"):
                    fixed[i] = mention
            if mention is None:
                continue
            out.append(mention)
            if m.lastgroup == "regional" and mention.kind == "agency":
                out += self._distributed(text, m, mention, home)
        out.sort(key=lambda x: x.start)
        if "以下简称" in text:
            out = self._short_names(text, out)
        return out

    def _shared_region(self, text: str, m: re.Match, before: list[Mention]) -> RegionEntry | None:
        """河北省委和省政府: 省 after a conjunction is the region of the body before it."""
        if m.lastgroup not in ("local", "unknown") or m.start() < 1 or text[m.start() - 1] not in "和及与、":
            return None
        prev = before[-1] if before else None
        if prev is None or prev.end != m.start() - 1 or prev.region is None:
            return None
        return self.gaz.region_by_name.get(prev.region)

    _SHORT_NAME = re.compile(r"[（(]以下简称[“\"]?([^（）()“”\"，。；]{2,20}?)[”\"]?[）)]")

    def _short_names(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """X（以下简称Y）: the document names body X as Y from there on."""
        ends = {m.end: m for m in mentions if m.kind == "agency"}
        added: list[Mention] = []
        for d in self._SHORT_NAME.finditer(text):
            full = ends.get(d.start())
            if full is None:
                continue
            short = d.group(1)
            taken = _Intervals([(m.start, m.end) for m in mentions + added])
            for o in re.finditer(re.escape(short), text[d.end():]):
                s, e = d.end() + o.start(), d.end() + o.end()
                if not taken.overlaps(s, e):
                    added.append(Mention(s, e, short, full.name, "agency", full.level, full.region))
        if not added:
            return mentions
        return sorted(mentions + added, key=lambda x: x.start)

    def _agency_matches(self, text: str) -> list[re.Match]:
        """The pattern's matches in a text; the last text's are kept, since metadata and the
        agency component scan the same document (only the reading of a match depends on
        the home region)."""
        scan = self._scan
        if scan is not None and scan[0] is text:
            return scan[1]
        starts = self._word_starts(text)[0] | _local_starts(text)
        matches = _match_at(self.agency_re, text, starts)
        if len(text) >= 1000:       # a document, not a name re-read on its own
            self._scan = (text, matches, {})    # {} : the mentions `agencies` may reuse
        return matches

    @property
    def region_list_re(self) -> re.Pattern:
        """A list of region names ending in 、 (compiled when first asked: `_region_list`
        reads such lists without it where no name holds 、)."""
        if self._region_list_re is None:
            self._region_list_re = re.compile(rf"((?:(?:{_alt(self.gaz.regions)})、)+)$")
        return self._region_list_re

    def _word_starts(self, text: str) -> tuple[set[int], list["_Place"]]:
        """Where a word that can open an agency starts, and the places the text names: one
        pass of the automaton for both (the last document's kept: metadata, agencies and
        regions all read it)."""
        cached = self._starts_of
        if cached is not None and cached[0] is text:
            return cached[1]
        found = self._words.scan(text, self._REGIONAL_MID)
        if len(text) >= 1000:
            self._starts_of = (text, found)
        return found

    def region_matches(self, text: str) -> list["_Place"]:
        """The places a text names, as `(?P<self>本市|…)|(?P<name>北京市|…)` would find
        them with `finditer` (a self-reference or the longest name at each position)."""
        return self._word_starts(text)[1]

    def _qualify(self, base_name: str, region: RegionEntry | None) -> str:
        """A local body's name in its region: the region before it, or in its place where
        the full name puts it inside (local_agencies.tsv: 中国共产党{region}委员会)."""
        if region is None:
            return base_name.replace("{region}", "")
        if "{region}" in base_name:
            return base_name.replace("{region}", region.name)
        if base_name.startswith(region.name) or base_name.startswith(region.short):
            return base_name
        return region.name + base_name

    def _level_of(self, region: RegionEntry | None) -> str:
        if region is None:
            return "other"
        return {"province": "provincial", "municipality": "municipal", "city": "municipal",
                "district": "district", "county": "district", "new_area": "district",
                "zone": "district"}.get(region.level, "other")

    def _agency(self, m: re.Match, home: RegionEntry | None) -> Mention | None:
        gaz = self.gaz
        s, e, text = m.start(), m.end(), m.group(0)
        # The branch that matched: agency_re's alternatives are its outermost named groups,
        # and a match's lastgroup is the outermost group closed last (one look-up instead of
        # a group() call per branch; speed only).
        kind = m.lastgroup
        if kind == "generic":
            return Mention(s, e, text, "", "generic")
        if kind == "branchof":
            central = gaz.agencies[m.group("bo_central")].name
            region = gaz.pick_region(m.group("bo_region"), home)
            name = central + m.group("bo_region") + m.group("bo_suffix")
            return Mention(s, e, text, name, "agency", self._level_of(region), region.name if region else None)
        if kind == "regional":
            region = gaz.pick_region(m.group("rg_region"), home)
            if region is None:
                # A name several places bear (朝阳区) outside the home region: as printed.
                return Mention(s, e, text, text, "agency", "district", None)
            if region.level == "country":
                return None
            mid, suffix = m.group("rg_mid"), m.group("rg_suffix")
            base = gaz.local_bases.get(suffix, suffix) if not mid else suffix
            if suffix in gaz.local_bases and mid:
                base = gaz.local_bases[suffix]
            if "{region}" in base and mid:
                base = suffix       # a full name with the region inside fits no words between
            printed_region = m.group("rg_region")
            # A region written short (天津海关) keeps its printed form; an administrative
            # name (天津市商务委) is qualified with the full region name.
            if printed_region == region.name or suffix in gaz.local_bases and not mid:
                name = self._qualify(mid + base, region)
            elif "{region}" in base:
                name = self._qualify(base, region)
            else:
                name = printed_region + mid + base
                if region.level in ("district", "new_area", "zone") and home and region.parent:
                    name = self._qualify(name, gaz.region_by_name.get(region.parent))
            return Mention(s, e, text, name, "agency", self._level_of(region), region.name)
        if kind == "central":
            entry = gaz.agencies[m.group("central")]
            return Mention(s, e, text, entry.name, "agency", entry.level)
        if kind == "local":
            prefix, base = m.group("lc_prefix"), m.group("lc_base")
            canonical = gaz.local_bases[base]
            if not prefix and not base.startswith("各"):
                return None  # a bare 商务委 names no region: not enough to be a body
            region = self._home_at(home, prefix)
            if region is None:
                return None
            return Mention(s, e, text, self._qualify(canonical, region), "agency", self._level_of(region), region.name)
        if kind == "unknown":
            region = self._home_at(home, m.group("uk_prefix"))
            if region is None:
                return None
            body = m.group("uk_body") + m.group("uk_suffix")
            return Mention(s, e, text, self._qualify(body, region), "agency", self._level_of(region), region.name)
        return None

    def home_at_level(self, home: RegionEntry, level: str) -> RegionEntry | None:
        """The home region or its ancestor at a self-reference's level (本省 → the province)."""
        chain = self.gaz.region_chain(home.name) or [home]
        if level == "home":
            return chain[0]
        wanted = {"province": ("province", "municipality"), "city": ("city", "municipality"),
                  "county": ("county", "district")}.get(level, (level,))
        return next((r for r in chain if r.level in wanted), None)

    def _home_at(self, home: RegionEntry | None, prefix: str) -> RegionEntry | None:
        """The document's region at the level a prefix names (省 → its province)."""
        if home is None:
            return None
        chain = self.gaz.region_chain(home.name) or [home]
        if prefix == "省":
            return next((r for r in chain if r.level == "province"), None)
        if prefix == "市":
            if chain[0].level == "county" and chain[0].name.endswith("市"):
                return chain[0]         # a county-level city's own 市X局
            return next((r for r in chain if r.level in ("municipality", "city")), None)
        return chain[0]

    def _distributed(self, text: str, m: re.Match, mention: Mention, home) -> list[Mention]:
        """广州、深圳市人民政府 names two bodies: the suffix distributes over the list."""
        before = text[max(0, m.start() - 200):m.start()]
        if not before.endswith("、"):
            return []       # the list pattern ends in 、: no need to run it (speed only)
        listed = self._region_list(before)
        if listed is None:
            return []
        suffix_name = mention.name
        region = self.gaz.pick_region(m.group("rg_region"), home)
        if region is None:
            return []
        for prefix in (region.name, region.short):
            if suffix_name.startswith(prefix):
                suffix_name = suffix_name[len(prefix):]
                break
        out = []
        offset = m.start() - len(listed)
        for part in listed.split("、")[:-1]:
            entry = self.gaz.pick_region(part, home)
            if entry is not None and entry.level != "country":
                out.append(Mention(offset, offset + len(part), part, entry.name + suffix_name,
                                   "agency", self._level_of(entry), entry.name))
            offset += len(part) + 1
        return out

    def _region_list(self, before: str) -> str | None:
        """`region_list_re.search(before).group(1)` (None where it finds nothing), parsed
        backwards instead of searched (speed only).

        Where no region name holds 、, a text matches (name、)+ exactly when each piece
        between the 、 is a name. The match is the leftmost: whole names back from the end,
        then the longest name ending the first piece that is not one."""
        if not self._lists_split:
            lm = self.region_list_re.search(before)
            return lm.group(1) if lm else None
        names = self.gaz.regions
        pieces = before.split("、")
        if len(pieces) < 2 or pieces[-1]:
            return None                 # the pattern ends in 、 at the end ($)
        end = len(before) - 1           # where the 、 after the current piece is
        found = None
        for piece in reversed(pieces[:-1]):
            start = end - len(piece)
            if piece in names:
                found, end = start, start - 1
                if end < 0:
                    break
                continue
            for j in range(max(0, len(piece) - self._region_maxlen), len(piece)):
                if piece[j:] in names:
                    found = start + j
                    break
            break
        return None if found is None else before[found:]

    # ---------------------------------------------------------------- regions
    def regions(self, text: str, home: RegionEntry | None, blocked: list[tuple[int, int]]) -> list[Mention]:
        """Regions named in the text, outside agency names and book titles."""
        out: list[Mention] = []
        taken = _Intervals(blocked)
        for m in self.region_matches(text):
            if taken.overlaps(m.start(), m.end()):
                continue
            if m.group("self"):
                if home is None:
                    continue
                entry = self.home_at_level(home, self.gaz.self_references.get(m.group("self"), "home"))
                if entry is None:
                    continue
            else:
                entry = self.gaz.pick_region(m.group("name"), home)
                if entry is None:
                    continue        # a name several places bear, none of them in the home region
            if entry.level == "country":
                continue
            out.append(Mention(m.start(), m.end(), m.group(0), entry.name, "region", entry.level))
        out = self._drop_qualifiers(out)
        taken_now = _Intervals([(r.start, r.end) for r in out] + list(blocked))
        out += [r for r in self._short_list(text, home) if not taken_now.overlaps(r.start, r.end)]
        named = _Intervals([(r.start, r.end) for r in out])
        blocked_iv = _Intervals(list(blocked))
        out += [z for z in self._zones(text, home, named) if not blocked_iv.overlaps(z.start, z.end)]
        out.sort(key=lambda x: x.start)
        return out

    def _zones(self, text: str, home, named: "_Intervals") -> list[Mention]:
        """Named zones (北京天竺综合保税区, 台湖演艺小镇), by suffix and by lists of places.

        A zone name runs left from its suffix to a boundary (punctuation, 等, a clause word
        such as 支持/依托/在); it is kept if a region name opens it, if its suffix is
        specific (综合保税区, 小镇), or if it stands in a list with another place.
        """
        found: list[Mention] = []
        for m in self.suffix_re.finditer(text):
            e = m.end()
            if e < len(text) and text[e] in "域":
                continue
            s = max(0, m.start() - 14)
            window = text[s:m.start()]
            cut = max((k.end() for k in self.stop_re.finditer(window)), default=0)
            if cut == 0 and s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff":      # [CJK]
                continue        # no boundary within reach: a long descriptive phrase, not a name
            s += cut
            inside = named.within(s, e)
            if any(b == e for a, b in inside):
                continue        # the gazetteer named it already (河北雄安新区)
            if inside:
                s = max(a for a, b in inside)     # 北京城市副中心|文化旅游区 → one name
            name = text[s:e].strip("“”")
            suffix = m.group(0)
            if len(name) < 4 or len(name) <= len(suffix) or name in self.gaz.generic_zones:
                continue
            stripped = self._strip_region(name)
            if stripped in self.gaz.generic_zones or len(stripped) <= len(suffix):
                continue
            cls = self.gaz.zone_suffixes[suffix]
            found.append(Mention(s, e, name, name, "zone", "new_area" if suffix == "新区" else "zone",
                                 "prefixed" if stripped != name else cls))
        accepted = [z for z in found if z.region in ("prefixed", "specific")]
        accepted += self._listed_places(text, found, named)
        out, seen = [], _Intervals([])
        for z in sorted(accepted, key=lambda z: (z.start, -(z.end - z.start))):
            if seen.overlaps(z.start, z.end):
                continue
            seen.add(z.start, z.end)
            entry = self.gaz.regions.get(z.name)
            if entry is not None:
                out.append(Mention(z.start, z.end, z.text, entry.name, "region", entry.level))
            else:
                out.append(Mention(z.start, z.end, z.text, z.name, "region", z.level))
        return out

    def _drop_qualifiers(self, mentions: list[Mention]) -> list[Mention]:
        """河北省邯郸市: a region written right before a region inside it only locates that
        one; it is no place of its own."""
        out = []
        for k, r in enumerate(mentions):
            nxt = mentions[k + 1] if k + 1 < len(mentions) else None
            if nxt is not None and nxt.start == r.end and r.name in {
                    e.name for e in self.gaz.region_chain(nxt.name)[1:]}:
                continue
            out.append(r)
        return out

    _SHORT_LIST = re.compile(rf"([{CJK}]+(?:、[{CJK}]{{2,4}})+)等(区|县|市|省)")
    _KIND_SAID = re.compile("等[区县市省]")

    def _short_list(self, text: str, home) -> list[Mention]:
        """支持延庆、朝阳、海淀等区: places written short, their kind said once after 等
        (the first item is the end of the run of characters before the first 、)."""
        out = []
        found = []
        for k in self._KIND_SAID.finditer(text):
            # The list runs back from 等 over its run of characters (searched there only).
            begin = max(0, k.start() - 120)
            m = self._SHORT_LIST.search(text, begin, k.end())
            while m is not None and m.end() != k.end():
                m = self._SHORT_LIST.search(text, m.end(), k.end())
            if m is not None and (not found or m.start() >= found[-1].end()):
                found.append(m)
        for m in found:
            suffix, pos = m.group(2), m.start(1)
            parts = m.group(1).split("、")
            for k, part in enumerate(parts):
                tails = [part[-n:] for n in (4, 3, 2) if len(part) >= n] if k == 0 else [part]
                for tail in tails:
                    entry = self.gaz.pick_region(tail + suffix, home) or self.gaz.pick_region(tail, home)
                    if entry is not None and entry.level != "country":
                        start = pos + len(part) - len(tail)
                        out.append(Mention(start, start + len(tail), tail, entry.name, "region", entry.level))
                        break
                pos += len(part) + 1
        return out

    def _strip_region(self, name: str) -> str:
        m = self.region_prefix_re.match(name)
        return name[m.end():] if m else name

    _LIST_END = re.compile("[等“”]")

    def _listed_places(self, text, found, named) -> list[Mention]:
        """Items of a 、-list in which at least two items are places are places too."""
        out = []
        generic = self.gaz.generic_zones

        def zone(p: int, t: str) -> bool:
            return ((t.endswith(self.zone_ends) and self._strip_region(t) not in generic and t not in generic)
                    or (p, p + len(t)) in named.set)

        for m in self.list_re.finditer(text):
            items, pos = [], m.start()
            for part in m.group(0).split("、"):
                items.append([pos, part])
                pos += len(part) + 1
            # The list ends at the item that says 等 (…示范区等基地).
            for k, (pos, part) in enumerate(items):
                cut = self._LIST_END.search(part, 1)
                if cut:
                    items[k][1] = part[: cut.start()]
                    items = items[: k + 1]
                    break
            # Most lists hold no places: the test below fails even if the first item (read
            # last: it needs the words before the list cut off) were one (speed only).
            rest = sum(1 for p, t in items[1:] if zone(p, t.strip("“”")))
            if rest + 1 < 2 or (rest + 1) * 2 < len(items):
                continue
            first_pos, first = items[0]
            cut = max((k.end() for k in self.stop_re.finditer(first)), default=0)
            items[0] = [first_pos + cut, first[cut:]]
            places = [(p, t.strip("“”")) for p, t in items]
            zones = [t for p, t in places if zone(p, t)]
            if len(zones) < 2 or len(zones) * 2 < len(places):
                continue
            strong = [t for p, t in places if (p, p + len(t)) in named.set or self._strip_region(t) != t
                      or t.endswith(self.strong_zone_ends)]
            if not strong:
                continue        # 合作基地、研究中心: kinds of place, not places
            for pos, part in places:
                if 2 <= len(part) <= 16 and part not in self.gaz.generic_zones and not named.overlaps(pos, pos + len(part)):
                    if self._strip_region(part) in self.gaz.generic_zones:
                        continue
                    out.append(Mention(pos, pos + len(part), part, part, "zone", "zone", "listed"))
        return out

    # ---------------------------------------------------------------- provisions
    def provisions(self, text: str, instrument: str | None = None) -> list[Provision]:
        """Rules a 现行相关规定-style text cites: 《instrument》 with the articles that follow it;
        articles before any instrument belong to `instrument` (a catalogue that names its law
        once, in its title, and gives only 第X条 in its rows).

        An article counts where it opens a statement (《…》第四条规定 / 。第六条规定): articles
        quoted inside a rule's own wording (本条例第二十九条) are not the rule adjusted.
        """
        out: list[Provision] = []
        current: tuple[str, int | None] | None = (instrument, None) if instrument else None
        pos = 0
        token_re = re.compile(
            rf"《(?P<inst>[^《》]{{2,80}})》(?P<paren>（[^（）]{{0,40}}）)?"
            rf"|(?<![（(])(?P<docnum>[{CJK}]{{1,8}}〔\s*\d{{4}}\s*〕\s*\d+\s*号)(?:文件)?(?=第|[，。；、\s]|规定|$)"
            rf"|(?P<art>(?<![{CJK}])第[{NUM}]+条(?:第[{NUM}]+款)?(?:第[{NUM}]+项)?"
            rf"(?:[、和及，,至](?:第)?[{NUM}]+条(?:第[{NUM}]+款)?)*)"
            rf"|(?P<art2>(?<=[》）号件])第[{NUM}]+条(?:第[{NUM}]+款)?(?:第[{NUM}]+项)?(?:[、和及至](?:第)?[{NUM}]+条(?:第[{NUM}]+款)?)*)"
        )
        for m in token_re.finditer(text):
            if m.group("inst") or m.group("docnum"):
                # A document number cited bare (国发〔2014〕5号第三条) is an instrument too.
                inst = re.sub(r"\s+", "", m.group("inst")) if m.group("inst") else clean_number(m.group("docnum"))
                current = (inst, len(out))
                out.append(Provision(inst, None, m.start(), m.end()))
                pos = m.end()
                continue
            art = m.group("art") or m.group("art2")
            if not art or current is None:
                continue
            # Only articles that open a statement: right after the title, or a sentence start.
            before = text[pos:m.start()] if m.group("art2") else text[max(0, m.start() - 2):m.start()]
            if m.group("art") and not (re.search(r"(^|[。；;\s])\s*$", before) or text[max(0, m.start() - 1):m.start()] in ("》", "）")):
                continue
            inst, idx = current
            arts = _split_articles(art)
            placeholder = (out[idx] if idx is not None and idx < len(out) and out[idx].instrument == inst
                           and out[idx].article is None else None)
            for a, clause in arts:
                if placeholder is not None:
                    placeholder.article, placeholder.clause, placeholder.end = a, clause, m.end()
                    placeholder = None
                else:
                    out.append(Provision(inst, a, m.start(), m.end(), clause))
        return _dedupe_provisions(out)


def adjusted_in_prose(rec: "Recogniser", text: str, offset: int = 0) -> list[Provision]:
    """Provisions a sentence says it suspends, adjusts, revises or repeals (暂时调整实施《…》第…条;
    提出对《…》的修订建议): the instrument as a whole where no article is named."""
    out: list[Provision] = []
    spans = []
    for m in rec.adjust_before.finditer(text):
        end = re.search(r"[。；;]", text[m.end():])
        spans.append((m.end(), m.end() + (end.start() if end else len(text) - m.end())))
    spans += [m.span() for m in rec.adjust_after.finditer(text)]
    for s, e in spans:
        clause = text[s:e]
        if "《" not in clause and "〔" not in clause:
            continue
        for p in rec.provisions(clause):
            p.start += offset + s
            p.end += offset + s
            out.append(p)
    return _dedupe_provisions(out)


_ARTICLE = re.compile(rf"第([{NUM}]+)条((?:第[{NUM}]+款)?(?:第[{NUM}]+项)?)")


def _split_articles(art: str) -> list[tuple[str, str | None]]:
    """第四十三条、第六十三条第二款 → [(第四十三条, None), (第六十三条, 第二款)], numbers
    written in Chinese numerals (第3条 → 第三条) so that one article is one node."""
    out = []
    for p in re.split(r"[、和及，,至]", art):
        p = p.strip()
        if not p:
            continue
        if not p.startswith("第"):
            p = "第" + p
        m = _ARTICLE.match(p)
        if not m:
            out.append((p, None))
            continue
        clause = re.sub(r"第(\d+)(款|项)", lambda x: f"第{_chinese(x.group(1))}{x.group(2)}", m.group(2)) or None
        out.append((f"第{_chinese(m.group(1))}条", clause))
    return out


def _chinese(number: str) -> str:
    """Arabic digits as Chinese numerals (104 → 一百零四); Chinese numerals as they are."""
    if not number.isdigit():
        return number
    from policykg.extractors.numerals import to_chinese

    return to_chinese(number)


def _dedupe_provisions(items: list[Provision]) -> list[Provision]:
    seen, out = set(), []
    for p in items:
        key = (p.instrument, p.article, p.clause)
        if key not in seen:
            seen.add(key)
            out.append(p)
    # An instrument named both as a whole and with articles is adjusted at those articles.
    with_articles = {p.instrument for p in out if p.article}
    return [p for p in out if p.article or p.instrument not in with_articles]


class _Intervals:
    """Sorted spans with logarithmic look-ups (a running maximum of the ends answers
    `overlaps`; the starts, bisected, bound `within`)."""

    def __init__(self, spans):
        self.spans = sorted(spans)
        self._index()

    def _index(self):
        self._starts = [a for a, _ in self.spans]
        self._maxend, top = [], None
        for _, b in self.spans:
            top = b if top is None or b > top else top
            self._maxend.append(top)
        self.set = set(self.spans)

    def add(self, s, e):
        if not self.spans or (s, e) >= self.spans[-1]:
            # In order (as _zones adds them): extend the index instead of rebuilding it.
            top = self._maxend[-1] if self._maxend else None
            self.spans.append((s, e))
            self._starts.append(s)
            self._maxend.append(e if top is None or e > top else top)
            self.set.add((s, e))
            return
        self.spans.append((s, e))
        self.spans.sort()
        self._index()

    def overlaps(self, s, e) -> bool:
        k = bisect_left(self._starts, e)      # spans with a < e
        return k > 0 and self._maxend[k - 1] > s

    def inside(self, s, e) -> bool:
        """Whether a span holds [s, e): among the spans starting at or before s, the
        furthest end reaches e (a look-up, not a walk over them all)."""
        k = bisect_right(self._starts, s)          # spans with a <= s
        return k > 0 and self._maxend[k - 1] >= e

    def covers(self, s, e) -> bool:
        return self.inside(s, e)

    def within(self, s, e) -> list[tuple[int, int]]:
        """Spans lying inside [s, e)."""
        lo, hi = bisect_left(self._starts, s), bisect_right(self._starts, e)
        return [(a, b) for a, b in self.spans[lo:hi] if b <= e]


# ------------------------------------------------------------------ document numbers
DOC_NUMBER_RE = re.compile(
    rf"(?P<num>[{CJK}]{{1,8}}〔\s*\d{{4}}\s*〕\s*\d+\s*号)"
    rf"|(?P<notice>[{CJK}]{{2,10}}\s*\d{{4}}\s*年\s*第[{NUM}]+号公告)")
DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")

# Every DOC_NUMBER_RE match contains one of these: 〔 (a number) or four digits before 年
# (a notice).
_NUMBER_ANCHOR = re.compile(r"〔|\d(?=\d{3}\s*年)")


def doc_numbers(text: str) -> list[re.Match]:
    """`list(DOC_NUMBER_RE.finditer(text))`, the same matches, without trying the pattern at
    every character (speed only).

    A match can only start up to 8 characters before a 〔 (`num`: [CJK]{1,8}〔), or 2 to 10
    characters before the whitespace preceding four digits and 年 (`notice`). The pattern is
    tried at those positions only, left to right, each match resuming after the last one's
    end, as finditer does."""
    starts: set[int] = set()
    for a in _NUMBER_ANCHOR.finditer(text):
        q = a.start()
        if text[q] == "〔":
            starts.update(range(max(0, q - 8), q))
        else:
            k = q
            while k > 0 and text[k - 1].isspace():
                k -= 1
            starts.update(range(max(0, k - 10), k - 1))
    out: list[re.Match] = []
    last = 0
    for p in sorted(starts):
        if p < last:
            continue
        m = DOC_NUMBER_RE.match(text, p)
        if m:
            out.append(m)
            last = m.end()
    return out


_NUMBER_LEFT_STOP = re.compile(r".*(?:的|通知|批复|意见|方案|决定|办法|通告|公告|规定|印发|转发|文件|和|及|、)")


def clean_number(raw: str) -> str:
    """A document number without spaces or the words before it (…的通知粤府函〔…〕 → 粤府函〔…〕)."""
    raw = re.sub(r"\s+", "", raw)
    head, sep, tail = raw.partition("〔")
    if sep:
        m = _NUMBER_LEFT_STOP.match(head)
        if m and m.end() < len(head):
            head = head[m.end():]
    return head + sep + tail
