"""Tables of responsibilities and catalogues of suspended provisions.

Columns get roles from their headers (data/columns.tsv) and their contents; a row gives one
measure per measure cell, an empty cell continues the one above (a merged cell), and the
responsibility cell attaches to the most specific measure of its row. Separate 牵头单位 /
配合单位 columns give the role themselves.
"""
from __future__ import annotations

import re

from policykg.extractors.deadlines import printed_deadline
from policykg.extractors.entities import Mention, Recogniser
from policykg.extractors.gazetteer import Gazetteer
from policykg.extractors.genres.base import MEASURE_KINDS, Context, Draft, Genre, genres
from policykg.extractors.layout import Cell, Row, Table, clean
from policykg.extractors.roles import COOP, LEAD, cell_roles

# What column_roles looks for in every cell of a column (compiled once: a module-level
# re.search looks its pattern up in re's cache at each of ~70,000 calls per 300 documents).
_CLAUSE_MARK = re.compile(r"[。；，]")
_DUTY_WORD = re.compile(r"牵头|负责|配合|支持指导|单位[：:]")
_CITED = re.compile(r"《[^》]+》")
_TIME_WORD = re.compile(r"\d{4}年|持续|长期|年底|月底|季度")


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
        short = sum(len(clean(v)) <= 14 and not _CLAUSE_MARK.search(v) for v in values) / len(values)
        duty = sum(bool(_DUTY_WORD.search(v)) for v in values) / len(values)
        cites = sum(bool(_CITED.search(v)) for v in values) / len(values)
        if digits >= 0.7:
            roles[c] = "number"
        elif roles[c] in MEASURE_KINDS and short >= 0.7 and c == 0:
            roles[c] = "group"
        elif not roles[c]:
            if duty >= 0.5:
                roles[c] = "responsibility"
            elif cites >= 0.5:
                roles[c] = "provisions"
            elif short >= 0.7 and all(_TIME_WORD.search(v) for v in values[:5]):
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
    # The instrument a catalogue names once, in its title, for rows that give only 第X条.
    named = next((p.instrument for p in rec.provisions(title or "") if p.article is None), None)
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
                found = cell_roles(doc_text, value.start, value.end, agencies, first_leads, forced, resolve, gaz.duties)
                for i in targets:
                    drafts[i].roles = [x for x in drafts[i].roles if forced is not None] + found
            elif r == "deadline":
                for i in targets:
                    drafts[i].deadline = clean(value.text)
            elif r == "provisions":
                provs = rec.provisions(doc_text[value.start:value.end], named)
                named = next((p.instrument for p in reversed(provs)), named)
                for p in provs:
                    p.start += value.start
                    p.end += value.start
                for i in targets:
                    drafts[i].provisions = provs
        for i in new_in_row:
            drafts[i].field = field_value or None
    return drafts


@genres("policykg.table.v1")
class ResponsibilityTable(Genre):
    """A table of tasks (and actions, safeguards, opening measures) with the columns it
    has: responsibility, 牵头/配合, deadline, provisions, field."""

    name = "table"
    runs = False            # each table is read on its own

    def claims(self, block, ctx: Context) -> bool:
        return isinstance(block, Table)

    def drafts(self, blocks: list, ctx: Context) -> list[Draft]:
        out: list[Draft] = []
        for table in blocks:
            base = len(out)
            found = table_measures(table, ctx.text, ctx.agencies, ctx.rec, ctx.gaz, table.title,
                                   ctx.first_leads, ctx.resolve)
            deadline, kinds = noted_deadline(table, ctx.text, ctx.gaz)
            for d in found:
                if d.parent is not None:
                    d.parent += base
                if deadline and d.deadline is None and d.kind in kinds:
                    d.deadline = deadline
            out.extend(found)
        return out


_NOTE = re.compile(r"^[ \t　]*注\s*\d*\s*[：:](?P<note>[^\n]+)", re.M)
_ATTACHMENT = re.compile(r"^[ \t　]*附件", re.M)


def noted_deadline(table: Table, text: str, gaz: Gazetteer) -> tuple[str | None, set[str]]:
    """A note below the tables that sets their deadline (注：…各领域开放便利举措及政策保障措施
    原则上应于2018年底前出台): the deadline as printed and the kinds of measure whose column
    headers it names (开放便利举措 → opening). None before the next attachment."""
    m = _NOTE.search(text, table.end)
    if m is None or _ATTACHMENT.search(text, table.end, m.start()):
        return None, set()
    note = clean(m.group("note"))
    deadline = printed_deadline(note)
    if not deadline:
        return None, set()
    kinds = set()
    for h in table.header:
        role = next((r for word, r in gaz.columns if word in h), "")
        if role in MEASURE_KINDS and clean(h) and clean(h) in note:
            kinds.add(role)
    return deadline, kinds


@genres("policykg.catalogue.v1")
class CatalogueTable(ResponsibilityTable):
    """A catalogue of the provisions a decision suspends (序号 | 法律规定 | 调整内容): a table
    with a provisions column and no responsibility column. Its measures are opening
    measures, one per suspension, however many rows repeat it."""

    name = "catalogue"

    def claims(self, block, ctx: Context) -> bool:
        if not isinstance(block, Table):
            return False
        roles = {next((r for word, r in ctx.gaz.columns if word in h), "") for h in block.header}
        return "provisions" in roles and not roles & {"responsibility", "leading", "cooperating"}

    def drafts(self, blocks: list, ctx: Context) -> list[Draft]:
        out = super().drafts(blocks, ctx)
        for d in out:
            if d.kind == "task" and d.provisions:
                d.kind = "opening"
        return out
