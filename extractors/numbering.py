"""Item numbering (一、 （一） 1. （1） ①): the levels of `data/numbering.tsv`, compiled once.

The prose reader builds its item tree from these levels; the layout reader and the table
reader ask whether a line or a cell opens an item. Numbers are read as cn2an reads them
(numerals.py; Chinese numerals) so that a list's order can be checked.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Level:
    depth: int
    marker: re.Pattern      # anchored at the start of a unit's text
    source: str
    where: frozenset[str]


@dataclass
class Numbering:
    levels: list[Level] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> "Numbering":
        levels = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            where = frozenset(w.strip() for w in (cols[2] if len(cols) > 2 else "").split(",") if w.strip())
            levels.append(Level(int(cols[0]), re.compile(cols[1]), cols[1], where))
        return cls(levels).compile()

    def compile(self) -> "Numbering":
        def plain(src: str) -> str:
            return re.sub(r"\(\?P<n>", "(?:", src)

        def alts(where: str | None = None) -> str:
            found = [plain(lv.source) for lv in self.levels if where is None or where in lv.where]
            return "|".join(found) or "(?!)"      # no level of that kind: never matches
        #: a line or paragraph that opens an item (or an attachment)
        self.item_start = re.compile(rf"^\s*(?:{alts()}|附件)")
        #: a table cell's text that opens a new item (not the rest of the cell above)
        self.cell_item = re.compile(rf"^\s*(?:{alts('cells')})")
        #: a sub-item marker inside a cell, with the marker as group 1
        self.sub_item = re.compile(rf"(?:(?<=^)|(?<=[\s。；;]))({alts('cells')})\s*(?=[^\d\s])")
        inline, colon = alts("inline"), alts("colon")
        #: where a paragraph holds the start of another item
        self.inline_cut = re.compile(rf"(?<=[。；！？])\s*(?={inline})" + (rf"|(?<=[。；！？：])\s*(?={colon})" if colon else ""))
        first = next((lv for lv in self.levels if lv.depth == 1), None)
        second = next((lv for lv in self.levels if lv.depth == 2), None)
        #: a short heading glued to the next level's marker (一、总体要求（一）指导思想。)
        self.glued_heading = (re.compile(rf"([^。，；：]{{2,14}}?)(?={plain(second.source)})")
                              if first and second else None)
        return self

    def match(self, text: str) -> tuple[int, re.Match] | None:
        """The level and marker a unit's text opens with, if any."""
        for lv in self.levels:
            m = lv.marker.match(text)
            if m:
                return lv.depth, m
        return None


@lru_cache(maxsize=1024)
def ordinal(number: str) -> int | None:
    """一 → 1, 十二 → 12, 3 → 3, ③ → 3; None where it is no number. (Cached: a document
    repeats a few dozen markers, and cn2an, for the forms numerals.py
    lacks, takes ~0.3 ms a call.)"""
    if not number:
        return None
    if number.isdigit() and number.isascii():
        return int(number)
    if len(number) == 1 and unicodedata.category(number) == "No":
        value = unicodedata.numeric(number, None)
        return int(value) if value is not None else None
    from policykg.extractors.numerals import to_int

    try:
        return to_int(number, "strict")
    except (ValueError, KeyError):
        return None
