"""Measures from tables and prose, with their responsibilities, provisions and deadlines.

Tables: columns get roles from their headers (columns.tsv) and their contents; a row
gives one measure per measure cell, an empty cell continues the one above, and the
responsibility cell attaches to the most specific measure of its row.

Prose: numbered items (一、 （一） 1. （1） ①) and paragraphs opening with a short
heading sentence form a tree; the leaves outside framing sections are measures, their
heading sentence being the measure's text. Paragraphs in 组织实施-like sections, the
preamble and long unheaded items are measures where they give a named body a duty.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from policykg.extractors.entities import Mention, Provision, Recogniser
from policykg.extractors.gazetteer import Gazetteer
from policykg.extractors.numbering import Numbering, ordinal
from policykg.extractors.layout import Cell, Paragraph, Row, Table, clean
from policykg.extractors.entities import adjusted_in_prose
from policykg.extractors.roles import COOP, LEAD, Role, cell_roles, inline_roles, is_duty_paragraph, prose_duties

MEASURE_KINDS = ("task", "action", "opening", "safeguard")


@dataclass
class Draft:
    text: str
    start: int
    end: int
    kind: str
    section: str | None = None
    field: str | None = None
    deadline: str | None = None
    parent: int | None = None          # index of the parent draft
    body: str | None = None
    roles: list[Role] = dc_field(default_factory=list)
    provisions: list[Provision] = dc_field(default_factory=list)
    scope: tuple[int, int] | None = None   # where to look for the regions it names
    table: bool = False                     # read from a table row


# ===================================================================== tables
def column_roles(table: Table, gaz: Gazetteer, ncols: int) -> list[str]:
    header = [""] * (ncols - len(table.header)) + table.header if table.header else [""] * ncols
    roles = []
    for h in header:
        role = ""
        for word, r in gaz.columns:
            if word in h:
                role = r
                break
        roles.append(role)
    cols = [[row.cells[c].text for row in table.rows if c < len(row.cells) and not row.cells[c].empty]
            for c in range(ncols)]
    for c, values in enumerate(cols):
        if not values:
            continue
        digits = sum(v.isdigit() for v in values) / len(values)
        short = sum(len(clean(v)) <= 14 and not re.search(r"[。；，]", v) for v in values) / len(values)
        duty = sum(bool(re.search(r"牵头|负责|配合|支持指导|单位[：:]", v)) for v in values) / len(values)
        cites = sum(bool(re.search(r"《[^》]+》", v)) for v in values) / len(values)
        if digits >= 0.7:
            roles[c] = "number"
        elif roles[c] in MEASURE_KINDS and short >= 0.7 and c == 0:
            roles[c] = "group"
        elif not roles[c]:
            if duty >= 0.5:
                roles[c] = "responsibility"
            elif cites >= 0.5:
                roles[c] = "provisions"
            elif short >= 0.7 and all(re.search(r"\d{4}年|持续|长期|年底|月底|季度", v) for v in values[:5]):
                roles[c] = "deadline"
            elif short >= 0.7:
                roles[c] = "group"
            else:
                # A measure column without a header of its own shares the one to its left
                # (试点任务 spanning a merged group column and the task column).
                left = next((header[k] for k in range(c - 1, -1, -1) if header[k]), "")
                roles[c] = next((r for w, r in gaz.columns if w in left and r in MEASURE_KINDS), "task")
    if not any(r in MEASURE_KINDS for r in roles):
        # No measure column found: the widest text column is one.
        widths = [sum(len(v) for v in col) for col in cols]
        best = max(range(ncols), key=lambda c: widths[c] if roles[c] not in ("responsibility", "provisions") else -1)
        roles[best] = "task"
    return roles


def _ncols(table: Table) -> int:
    lengths = [len(r.cells) for r in table.rows if len(r.cells) >= 2]
    if not lengths:
        return max([len(table.header)] + [len(r.cells) for r in table.rows] or [1])
    return max(max(set(lengths), key=lengths.count), len(table.header))


def _align(rows: list[Row], ncols: int) -> list[Row]:
    """Ragged rows lost leading cells (merged cells in the source): align them right."""
    out = []
    for row in rows:
        cells = list(row.cells)
        while len(cells) > ncols and cells[-1].empty:
            cells.pop()
        while len(cells) > ncols and cells[0].empty:
            cells.pop(0)
        if len(cells) < ncols:
            pad = Cell("", cells[0].start if cells else 0, cells[0].start if cells else 0)
            cells = [pad] * (ncols - len(cells)) + cells
        out.append(Row(cells, row.after_break))
    return out


def _repair_breaks(rows: list[Row], roles: list[str], cell_item: re.Pattern) -> list[Row]:
    """Rejoin cells that a page break cut in two (the second half starts a new 'row')."""
    text_cols = {c for c, r in enumerate(roles) if r in MEASURE_KINDS or r == "provisions"}
    out: list[Row] = []
    for row in rows:
        if out and row.after_break:
            prev = out[-1]
            incomplete = [c for c, cell in enumerate(prev.cells)
                          if cell.incomplete() and (c in text_cols or len(cell.text) > 20)]
            filled = [c for c, cell in enumerate(row.cells) if not cell.empty]
            first = row.cells[filled[0]].text if filled else ""
            if incomplete and filled and not cell_item.match(first):
                cells = list(prev.cells)
                if set(filled) <= set(incomplete):
                    for c in filled:
                        cells[c] = cells[c].join(row.cells[c])
                    out[-1] = Row(cells, prev.after_break)
                    continue
                if len(incomplete) == 1 and len(filled) == 1:
                    src, dst = incomplete[0], filled[0]
                    cells[dst] = cells[src].join(row.cells[dst])
                    if src != dst:
                        cells[src] = Cell("", cells[src].start, cells[src].start)
                    out[-1] = Row(cells, prev.after_break)
                    continue
        out.append(row)
    return out


def split_subitems(cell: Cell, sub_item: re.Pattern) -> list[Cell]:
    """A cell holding 1. … 2. … is several measures (`sub_item`: Numbering.sub_item)."""
    marks = list(sub_item.finditer(cell.text))
    if len(marks) < 2:
        return [cell]
    out = []
    for k, m in enumerate(marks):
        s = m.end()
        e = marks[k + 1].start() if k + 1 < len(marks) else len(cell.text)
        piece = cell.text[s:e]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            out.append(Cell(piece, cell.start + s + lead, cell.start + s + lead + len(piece)))
    return out or [cell]


def table_measures(table: Table, doc_text: str, agencies: list[Mention], rec: Recogniser,
                   gaz: Gazetteer, section: str | None, first_leads: bool = False, resolve=None) -> list[Draft]:
    ncols = _ncols(table)
    rows = _align(table.rows, ncols)
    roles = column_roles(Table(table.start, table.end, table.title, table.header, rows), gaz, ncols)
    rows = _repair_breaks(rows, roles, gaz.numbering.cell_item)
    measure_cols = [c for c, r in enumerate(roles) if r in MEASURE_KINDS]
    kinds = {c: roles[c] for c in measure_cols}
    if len(measure_cols) >= 2 and kinds[measure_cols[0]] == kinds[measure_cols[-1]] == "task":
        kinds[measure_cols[-1]] = "action"
    title = table.title or section
    drafts: list[Draft] = []
    carried: dict[int, Cell] = {}          # last non-empty value per non-measure column
    current: dict[int, int | None] = {c: None for c in measure_cols}  # draft index per level
    last_group = None
    for row in rows:
        cells = row.cells
        group_cols = [c for c, r in enumerate(roles) if r == "group"]
        group = " ".join(clean(cells[c].text) for c in group_cols if not cells[c].empty)
        if group and group != last_group:
            # A new section of the table: merged cells do not reach across it.
            carried = {c: v for c, v in carried.items() if roles[c] == "group"}
            current = {c: None for c in measure_cols}
            last_group = group
        for c, r in enumerate(roles):
            if r not in MEASURE_KINDS and not cells[c].empty:
                carried[c] = cells[c]
        new_in_row: list[int] = []
        for level, c in enumerate(measure_cols):
            cell = cells[c]
            if cell.empty or cell.placeholder:
                if not cell.empty:              # —— : no measure at this level in this row
                    for deeper in measure_cols[level:]:
                        current[deeper] = None
                elif level == len(measure_cols) - 1 or any(not cells[d].empty for d in measure_cols[:level]):
                    current[c] = None if level == len(measure_cols) - 1 or new_in_row else current[c]
                continue
            parent = None
            if level > 0:
                parent = next((current[d] for d in reversed(measure_cols[:level]) if current[d] is not None), None)
            first_new = None
            for piece in split_subitems(cell, gaz.numbering.sub_item):
                text = clean(piece.text)
                if len(text) < 4:
                    continue
                drafts.append(Draft(text, piece.start, piece.end, kinds[c], section=title,
                                    parent=parent, scope=(piece.start, piece.end), table=True))
                new_in_row.append(len(drafts) - 1)
                if first_new is None:
                    first_new = len(drafts) - 1
            current[c] = first_new
            for deeper in measure_cols[level + 1:]:
                current[deeper] = None
        if not new_in_row:
            continue
        deepest_level = max(measure_cols.index(next(c for c in measure_cols if drafts[i].kind == kinds[c]))
                            for i in new_in_row)
        targets = [i for i in new_in_row
                   if measure_cols.index(next(c for c in measure_cols if drafts[i].kind == kinds[c])) == deepest_level]
        field_value = " / ".join(clean(cells[c].text if not cells[c].empty else carried.get(c, cells[c]).text)
                                 for c, r in enumerate(roles) if r in ("field", "group") and (not cells[c].empty or c in carried))
        for c, r in enumerate(roles):
            value = cells[c] if not cells[c].empty else carried.get(c)
            if value is None or value.empty or value.placeholder:
                continue
            if r in ("responsibility", "leading", "cooperating"):
                forced = {"leading": LEAD, "cooperating": COOP}.get(r)
                found = cell_roles(doc_text, value.start, value.end, agencies, first_leads, forced, resolve)
                for i in targets:
                    drafts[i].roles = [x for x in drafts[i].roles if forced is not None] + found
            elif r == "deadline":
                for i in targets:
                    drafts[i].deadline = clean(value.text)
            elif r == "provisions":
                provs = rec.provisions(doc_text[value.start:value.end])
                for p in provs:
                    p.start += value.start
                    p.end += value.start
                for i in targets:
                    drafts[i].provisions = provs
        for i in new_in_row:
            drafts[i].field = field_value or None
    return drafts


# ===================================================================== prose
HEADED = 99            # the level of a paragraph that opens with a short heading sentence
SENT_END = re.compile(r"[。！？]")


@dataclass
class Unit:
    level: int | None      # marker depth, HEADED, or None for a plain paragraph
    start: int
    end: int
    text: str              # raw text without the marker
    heading: str | None = None
    heading_end: int | None = None
    children: list["Unit"] = dc_field(default_factory=list)
    body: list["Unit"] = dc_field(default_factory=list)
    parent: "Unit | None" = None
    role: str = ""         # section role from sections.tsv
    ordinal: int | None = None   # the marker's number (三 → 3)


def _units(paras: list[Paragraph], gaz: Gazetteer) -> list[Unit]:
    out: list[Unit] = []
    section_words = sorted(gaz.sections, key=len, reverse=True)
    for p in paras:
        cuts = [0] + _inline_cuts(p.text, gaz.numbering) + [len(p.text)]
        for a, b in zip(cuts, cuts[1:]):
            piece = p.text[a:b]
            lead = len(piece) - len(piece.lstrip())
            start, text = p.start + a + lead, piece.strip()
            if not text:
                continue
            out += _unit_of(start, text, section_words, gaz.numbering)
    return out


def _inline_cuts(text: str, numbering: Numbering) -> list[int]:
    """Where items run together in one paragraph (。（二）…). Not where a list continues
    that a colon opened inside the item (满足下列条件：1．…；2．…): those are its text."""
    cuts = []
    for m in numbering.inline_cut.finditer(text):
        found = numbering.match(text[m.end():])
        if found is not None and "n" in found[1].re.groupindex:
            level, mark = found
            n = ordinal(mark.group("n"))
            if n is not None and n > 1:
                before = text[(cuts[-1] if cuts else 0):m.start()]
                opened = [x for x in re.finditer(r"[：:]\s*", before)
                          if (f := numbering.match(before[x.end():])) and f[0] == level
                          and ordinal(f[1].group("n")) == 1]
                if opened:
                    continue
        cuts.append(m.start())
    return cuts


def _unit_of(start: int, text: str, section_words: list[str], numbering: Numbering) -> list[Unit]:
    found = numbering.match(text)
    if found:
        level, m = found
        rest = text[m.end():]
        lead = len(rest) - len(rest.lstrip())
        u = Unit(level, start + m.end() + lead, start + len(text), rest.strip(),
                 ordinal=ordinal(m.group("n")) if "n" in m.re.groupindex else None)
        # 一、总体要求（一）指导思想。 : a heading glued to the next marker.
        if level == 1 and numbering.glued_heading is not None:
            g = numbering.glued_heading.match(u.text)
            if g:
                head = Unit(1, u.start, u.start + g.end(), g.group(1), ordinal=u.ordinal)
                return [head] + _unit_of(u.start + g.end(), u.text[g.end():], section_words, numbering)
        # 四、组织实施试点地区… : a section word glued to its first paragraph.
        for w in section_words:
            if u.text.startswith(w) and len(u.text) > len(w) + 8 and u.text[len(w)] not in "。，；：、和及与":
                head = Unit(level, u.start, u.start + len(w), w, ordinal=u.ordinal)
                body = Unit(None, u.start + len(w), u.end, u.text[len(w):])
                return [head, body]
        return [u]
    return [Unit(None, start, start + len(text), text)]


def _heading(u: Unit, limit: int) -> None:
    m = SENT_END.search(u.text)
    first = u.text[: m.end()] if m else u.text
    if len(clean(first)) <= limit:
        u.heading = clean(first)
        u.heading_end = u.start + len(first)


def _is_headed_paragraph(u: Unit) -> bool:
    m = SENT_END.search(u.text)
    if not m:
        return False
    first = clean(u.text[: m.end()])
    rest = u.text[m.end():].strip()
    return 4 <= len(first) <= 26 and not re.search(r"[，；：,]", first) and len(rest) >= 10 and not first.startswith("——")


def _is_stopper(u: Unit) -> bool:
    """Signature, date and title lines end the item above them."""
    t = clean(u.text)
    return u.level is None and (len(t) <= 30 and not re.search(r"[。；，]", t) or t.startswith("附件"))


def _addresses_everyone(u: Unit, agencies: list[Mention]) -> bool:
    """A paragraph whose subject is a collective phrase (各地区、各部门要…)."""
    first = next((m for m in agencies if m.start >= u.start), None)
    if first is None or not first.generic or first.start - u.start > 8:
        return False
    # The subject runs from the paragraph's start (各地区、各部门) to its duty word.
    return (u.text.startswith(("各", "有关", "相关")) or first.start == u.start) and bool(
        re.match(r"[、，和及与\s]*(?:[^，。；]{0,12}?)?(?:要|应|须|需)", u.text[first.end - u.start:]))


def _has_own_body(u: Unit) -> bool:
    """Text after the heading sentence in the item's own paragraph."""
    return u.heading_end is not None and len(clean(u.text)) > len(u.heading or "") + 10


def _descendants(u: Unit):
    for x in u.body + u.children:
        yield x
        yield from _descendants(x)


def prose_measures(paras: list[Paragraph], doc_text: str, agencies: list[Mention], rec: Recogniser,
                   first_leads: bool = False, resolve=None) -> list[Draft]:
    gaz = rec.gaz
    units = _units(paras, gaz)
    roots: list[Unit] = []
    stack: list[Unit] = []
    body_target: Unit | None = None
    preamble: list[Unit] = []
    seen_item = False
    attachment_list = False
    last_item = max((k for k, u in enumerate(units) if u.level is not None), default=-1)
    for k, u in enumerate(units):
        t = clean(u.text)
        if k > last_item >= 0 and u.level is None and _addresses_everyone(u, agencies):
            # 各地区、各部门要…: the closing paragraph makes everyone responsible for the whole
            # document; it is no part of the last item and no measure.
            body_target = None
            continue
        if u.level is None and t.startswith("附件"):
            stack, body_target = [], None
            attachment_list = bool(re.match(r"附件\s*[：:]", t))
            continue
        if attachment_list and u.level == 3 and not re.search(r"[。；]", t):
            continue
        attachment_list = False
        if u.level is None and is_duty_paragraph(u.text) and stack:
            # 责任单位：… after an item: it belongs to the item; after a sub-list (（1）…（2）…)
            # it belongs to the item that owns the list.
            owner = stack[-1]
            if owner.level in (4, 5) and owner.parent is not None:
                owner = owner.parent
            owner.body.append(u)
            u.parent = owner
            continue
        if u.level is None and _is_stopper(u):
            body_target = None
            continue
        if u.level is None and _is_headed_paragraph(u) and (stack or not seen_item):
            u.level = HEADED
        if u.level is None:
            if body_target is not None:
                body_target.body.append(u)
                u.parent = body_target
            else:
                preamble.append(u)
            continue
        seen_item = True
        while stack and stack[-1].level >= u.level:
            stack.pop()
        u.parent = stack[-1] if stack else None
        (u.parent.children if u.parent else roots).append(u)
        stack.append(u)
        body_target = u
        _heading(u, 32 if u.level != HEADED else 26)
        key = re.sub(r"[。．.\s]", "", u.heading or "")
        u.role = gaz.sections.get(key, "")
        if not u.role and u.heading is None and len(clean(u.text)) <= 14:
            u.role = gaz.sections.get(clean(u.text), "")

    drafts: list[Draft] = []

    def ancestors(u: Unit):
        p = u.parent
        while p is not None:
            yield p
            p = p.parent

    def kind_of(u: Unit) -> str:
        return "safeguard" if any(a.role == "safeguard" for a in ancestors(u)) or u.role == "safeguard" else "task"

    def duty_measure(units_: list[Unit], section: str | None) -> None:
        for para in units_:
            duties = prose_duties(doc_text, para.start, para.end, agencies)
            named = [d for d in duties if d.roles]
            if not named:
                continue
            s, e = duties[0].start, named[-1].end
            text = clean(doc_text[s:e])
            roles = [r for d in duties for r in d.roles]
            drafts.append(Draft(text, s, e, "task", section=section, roles=roles, scope=(s, e),
                                provisions=adjusted_in_prose(rec, doc_text[s:e], s)))

    def visit(u: Unit, section: str | None):
        own_section = u.heading or clean(u.text)[:20]
        if u.level == HEADED and any(a.role == "skip" for a in ancestors(u)):
            return
        if u.role == "skip":
            # Framing text (its own numbered list too: 1.问题导向 2.开放融合). An item out of
            # the list's sequence was filed under it by a scrambled page, and still counts.
            expected = 1
            for c in u.children:
                if c.level != HEADED and c.ordinal is not None and c.ordinal != expected:
                    visit(c, section)
                elif c.ordinal is not None:
                    expected = c.ordinal + 1
            return
        if u.role == "organise":
            duty_measure(u.body, own_section)
            for c in u.children:
                visit(c, own_section)
            return
        if (u.children and u.heading is not None and u.role != "heading" and u.level != HEADED
                and all(c.level == HEADED for c in u.children) and (_has_own_body(u) or len(u.children) == 1)):
            # A numbered item that states its measure and goes on in its own paragraph, or
            # that has one headed paragraph below it (a list of one is no list): the headed
            # paragraphs elaborate it (they are its body, not measures).
            u.body = u.body + [x for c in u.children for x in (c, *_descendants(c))]
            u.children = []
        if u.role == "heading" or (u.children and u.heading is not None):
            first = len(drafts)
            for c in u.children:
                visit(c, own_section if u.level and u.level <= 2 else section)
            # A responsibility line closing a list applies to the items that have none of their own.
            shared = [r for b in u.body if is_duty_paragraph(b.text)
                      for r in inline_roles(doc_text, b.start, b.end, agencies, first_leads, resolve)]
            if shared:
                for d in drafts[first:]:
                    if not d.roles:
                        d.roles = list(shared)
            # X要…重点做好以下工作： — the subject of a section's opening duty leads its items.
            intro = [r for b in u.body if b.text.rstrip().endswith(("：", ":"))
                     for d in prose_duties(doc_text, b.start, b.end, agencies) for r in d.roles if r.role == LEAD]
            for d in drafts[first:]:
                if not any(r.role == LEAD for r in d.roles):
                    d.roles = d.roles + intro
            return
        if u.heading is not None and (u.heading.endswith(("。", "；")) or u.body or len(clean(u.text)) > len(u.heading)):
            body_start = u.heading_end or u.end
            body_end = max([u.end] + [b.end for b in u.body])
            duties = prose_duties(doc_text, u.start, body_end, agencies)
            roles = [r for d in duties for r in d.roles] + inline_roles(doc_text, u.start, body_end, agencies, first_leads, resolve)
            body = clean(doc_text[body_start:body_end]) if body_end > body_start else None
            drafts.append(Draft(u.heading, u.start, u.heading_end or u.end, kind_of(u), section=section,
                                body=body or None, roles=roles, scope=(u.start, body_end),
                                provisions=adjusted_in_prose(rec, doc_text[u.start:body_end], u.start)))
        elif u.heading is None:
            duty_measure([u] + u.body, section)
        for c in u.children:
            visit(c, section)

    duty_measure(preamble, None)
    for r in roots:
        visit(r, None)
    return drafts
