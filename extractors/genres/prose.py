"""Numbered prose and headed paragraphs.

Numbered items (the levels of data/numbering.tsv: 一、 （一） 1. （1） ①) and paragraphs that
open with a short heading sentence form a tree; the leaves outside framing sections
(data/sections.tsv) are measures, their heading sentence being the measure's text.
Responsibility comes from the item's own sentences (X要…, 由X牵头), a parenthetical or a
责任单位： line after it, a section's opening duty, and the document's declarations.
Paragraphs in 组织实施-like sections, the preamble and long unheaded items are measures
where they give a named body a duty.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from policykg.extractors.deadlines import printed_deadline
from policykg.extractors.entities import Mention, Recogniser, adjusted_in_prose
from policykg.extractors.gazetteer import Gazetteer
from policykg.extractors.genres.base import Context, Draft, Genre, genres
from policykg.extractors.layout import Paragraph, clean
from policykg.extractors.numbering import Numbering, ordinal
from policykg.extractors.roles import LEAD, inline_roles, is_duty_paragraph, prose_duties

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


_HEADING_MARKS = re.compile(r"[。．.\s]")      # compiled once: read for every unit


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
    lex = gaz.duties
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
        if u.level is None and is_duty_paragraph(u.text, lex) and stack:
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
        key = _HEADING_MARKS.sub("", u.heading or "")
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
            duties = prose_duties(doc_text, para.start, para.end, agencies, lex)
            named = [d for d in duties if d.roles]
            if not named:
                continue
            s, e = duties[0].start, named[-1].end
            text = clean(doc_text[s:e])
            roles = [r for d in duties for r in d.roles]
            drafts.append(Draft(text, s, e, "task", section=section, roles=roles, scope=(s, e),
                                provisions=adjusted_in_prose(rec, doc_text[s:e], s),
                                deadline=printed_deadline(doc_text[para.start:para.end])))

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
            shared = [r for b in u.body if is_duty_paragraph(b.text, lex)
                      for r in inline_roles(doc_text, b.start, b.end, agencies, first_leads, resolve, lex)]
            if shared:
                for d in drafts[first:]:
                    if not d.roles:
                        d.roles = list(shared)
            # X要…重点做好以下工作： — the subject of a section's opening duty leads its items.
            intro = [r for b in u.body if b.text.rstrip().endswith(("：", ":"))
                     for d in prose_duties(doc_text, b.start, b.end, agencies, lex) for r in d.roles if r.role == LEAD]
            for d in drafts[first:]:
                if not any(r.role == LEAD for r in d.roles):
                    d.roles = d.roles + intro
            return
        if u.heading is not None and (u.heading.endswith(("。", "；")) or u.body or len(clean(u.text)) > len(u.heading)):
            body_start = u.heading_end or u.end
            body_end = max([u.end] + [b.end for b in u.body])
            duties = prose_duties(doc_text, u.start, body_end, agencies, lex)
            roles = [r for d in duties for r in d.roles] + inline_roles(doc_text, u.start, body_end, agencies, first_leads, resolve, lex)
            body = clean(doc_text[body_start:body_end]) if body_end > body_start else None
            drafts.append(Draft(u.heading, u.start, u.heading_end or u.end, kind_of(u), section=section,
                                body=body or None, roles=roles, scope=(u.start, body_end),
                                provisions=adjusted_in_prose(rec, doc_text[u.start:body_end], u.start),
                                # The first time in its own text that sets when it is due.
                                deadline=printed_deadline(doc_text[u.start:body_end])))
        elif u.heading is None:
            duty_measure([u] + u.body, section)
        for c in u.children:
            visit(c, section)

    duty_measure(preamble, None)
    for r in roots:
        visit(r, None)
    return drafts


@genres("policykg.prose.v1")
class NumberedProse(Genre):
    """Running text: numbered items at every level, headed paragraphs, organise-style
    paragraphs that assign duties."""

    name = "prose"

    def claims(self, block, ctx: Context) -> bool:
        return isinstance(block, Paragraph)

    def drafts(self, blocks: list, ctx: Context) -> list[Draft]:
        return prose_measures(blocks, ctx.text, ctx.agencies, ctx.rec, ctx.first_leads, ctx.resolve)
