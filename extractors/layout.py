"""Segment a document's text into prose paragraphs and tables.

Tables arrive as text in two shapes: tab-separated rows (cells broken across lines and
pages, stray <p> tags already blanked by `text.normalise`) and one-cell-per-line rows
separated by blank lines. Both become `Table` objects with the same row/cell model, as do
tables read from HTML, DOCX and PDF (see `formats.py`, which writes tab-separated rows).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policykg.extractors.numbering import Numbering

TERMINAL = "。！？；;!?）)”」』】"
PLACEHOLDER = re.compile(r"^[—\-－–_/／、\s]*$|^(无|暂无|不涉及)$")
_WS = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+(?=[\d])|(?<=\d)\s+(?=[^\x00-\x7f])")


# After _WS every gap is one space: the same rule as _CJK_GAP, anchored on that space.
_ONE_GAP = re.compile(r" (?:(?<=[^\x00-\x7f] )(?=[^\x00-\x7f]|\d)|(?<=\d )(?=[^\x00-\x7f]))")


@lru_cache(maxsize=1 << 14)
def clean(text: str) -> str:
    """Display form: whitespace collapsed, and dropped between Chinese characters.
    (Kept for recent texts: the same cell and paragraph texts are cleaned many times.)"""
    text = _WS.sub(" ", text)
    if " " not in text:
        return text
    return _ONE_GAP.sub("", text).strip()


@dataclass
class Line:
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class Cell:
    text: str
    start: int
    end: int

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def placeholder(self) -> bool:
        return bool(PLACEHOLDER.match(self.text.strip()))

    def incomplete(self) -> bool:
        t = self.text.strip()
        return bool(t) and not self.placeholder and t[-1] not in TERMINAL

    def join(self, other: "Cell", sep: str = "") -> "Cell":
        if self.empty:
            return Cell(other.text, other.start, other.end)
        if other.empty:
            return self
        return Cell(self.text.rstrip() + sep + other.text.lstrip(), min(self.start, other.start), max(self.end, other.end))


@dataclass
class Row:
    cells: list[Cell]
    after_break: bool = False   # a blank line (page break) came before this row


@dataclass
class Paragraph:
    start: int
    end: int
    text: str   # raw slice of the document text; offsets map one to one


@dataclass
class Table:
    start: int
    end: int
    title: str | None
    header: list[str]
    rows: list[Row] = field(default_factory=list)


Block = Paragraph | Table


def split_lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _is_tab_row(line: Line) -> bool:
    """A line of a tab-separated table: a tab between cells (not only a leading one)."""
    t = line.text.rstrip(" ")
    return "\t" in t.lstrip("\t") or t.count("\t") >= 2


def _two_cell_continuation(lines: list[Line], j: int, rows: list["Row"]) -> bool:
    """`\\tvalue` right under a two-cell tab row is a row of that table whose first cell is
    empty (a merged cell continuing), not the start of a one-cell-per-line table."""
    return (bool(rows) and len(rows[-1].cells) == 2 and j > 0 and not lines[j - 1].blank
            and _is_cell_line(lines[j]) and not lines[j].blank)


def _is_cell_line(line: Line) -> bool:
    return line.text.startswith("\t") and "\t" not in line.text[1:]


def _cells_of(line: Line) -> list[Cell]:
    cells, pos = [], line.start
    for part in line.text.split("\t"):
        lead = len(part) - len(part.lstrip())
        cells.append(Cell(part.strip(), pos + lead, pos + len(part.rstrip())))
        pos += len(part) + 1
    return cells


def _looks_like_header(cells: list[Cell]) -> bool:
    filled = [c.text for c in cells if not c.empty]
    return len(filled) >= 2 and all(len(t) <= 12 and not re.search(r"[。，；]", t) for t in filled)


def segment(text: str, numbering: "Numbering | None" = None) -> list[Block]:
    """Blocks in document order: paragraphs of prose and tables. `numbering` (the
    lexicon's item markers; the default data when None) says where an item starts."""
    if numbering is None:
        from policykg.extractors.gazetteer import default_gazetteer

        numbering = default_gazetteer().numbering
    lines = split_lines(text)
    blocks: list[Block] = []
    i, n = 0, len(lines)
    prose: list[Line] = []

    def flush_prose():
        blocks.extend(_paragraphs(prose, text, numbering.item_start))
        prose.clear()

    while i < n:
        line = lines[i]
        if _is_tab_row(line):
            j, rows, brk = i, [], False
            while j < n and (lines[j].blank or _is_tab_row(lines[j]) or _two_cell_continuation(lines, j, rows)):
                if lines[j].blank:
                    brk = True
                else:
                    rows.append(Row(_cells_of(lines[j]), after_break=brk))
                    brk = False
                j += 1
            title = _title_before(prose)
            flush_prose()
            blocks.append(_make_table(rows, title, lines[i].start, lines[j - 1].end))
            i = j
            continue
        if _is_cell_line(line) and _cell_table_ahead(lines, i):
            j, rows, current, brk = i, [], [], False
            while j < n:
                ln = lines[j]
                if ln.blank and not ln.text.startswith("\t"):   # a lone tab is an empty cell
                    if current:
                        rows.append(Row(current, after_break=brk))
                        current = []
                    brk = True
                    # A table ends at a blank line followed by prose.
                    k = j + 1
                    while k < n and lines[k].blank and not lines[k].text.startswith("\t"):
                        k += 1
                    if k >= n or not lines[k].text.startswith("\t"):
                        j = k
                        break
                    j += 1
                    continue
                if ln.text.startswith("\t"):
                    cell_text = ln.text[1:]
                    lead = len(cell_text) - len(cell_text.lstrip())
                    current.append(Cell(cell_text.strip(), ln.start + 1 + lead, ln.end))
                elif current:
                    # A cell broken over lines: 牵头单位：… / 配合单位：…
                    current[-1] = Cell((current[-1].text + "\n" + ln.text.strip()).strip(), current[-1].start, ln.end)
                j += 1
            if current:
                rows.append(Row(current, after_break=brk))
            title = _title_before(prose)
            flush_prose()
            blocks.append(_make_table(rows, title, line.start, lines[min(j, n) - 1].end))
            i = j
            continue
        prose.append(line)
        i += 1
    flush_prose()
    return blocks


def _cell_table_ahead(lines: list[Line], i: int) -> bool:
    """One-cell-per-line tables: several consecutive tab-led single-cell lines."""
    count = 0
    for ln in lines[i:i + 8]:
        if _is_cell_line(ln) or ln.text == "\t":
            count += 1
        elif ln.blank:
            continue
        else:
            break
    return count >= 3


def _title_before(prose: list[Line]) -> str | None:
    for ln in reversed(prose):
        if ln.blank:
            continue
        t = clean(ln.text)
        if len(t) <= 40 and not re.search(r"[。；]$", t):
            prose.remove(ln)
            return t
        return None
    return None


def _make_table(rows: list[Row], title: str | None, start: int, end: int) -> Table:
    header: list[str] = []
    if rows and _looks_like_header(rows[0].cells):
        header = [c.text for c in rows[0].cells]
        rows = rows[1:]
    return Table(start, end, title, header, rows)


def _paragraphs(lines: list[Line], text: str, item_start: re.Pattern) -> list[Paragraph]:
    """Join lines into paragraphs; a long line cut without final punctuation continues
    after a page break (blank lines) on the next non-blank line."""
    out: list[Paragraph] = []
    cur: list[Line] = []
    pending_break = False
    for ln in lines:
        if ln.blank:
            if cur:
                pending_break = True
            continue
        if cur:
            prev = clean(cur[-1].text)
            if len(prev) >= 25 and prev[-1] not in TERMINAL + "：:" and not item_start.match(ln.text):
                cur.append(ln)
                pending_break = False
                continue
            out.append(Paragraph(cur[0].start, cur[-1].end, text[cur[0].start:cur[-1].end]))
            cur = []
        cur.append(ln)
        pending_break = False
    if cur:
        out.append(Paragraph(cur[0].start, cur[-1].end, text[cur[0].start:cur[-1].end]))
    del pending_break
    return out


