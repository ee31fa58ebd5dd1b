"""Who leads and who supports: responsibility cells and responsibility sentences.

Cells (责任单位 columns) are read clause by clause: 牵头单位：… / 配合单位：… labels, or the
verb after a list of bodies (负责推进, 牵头 → lead; 支持指导, 配合, 负责落实政策保障 beside
another lead → cooperate). Prose gives a body responsibility only where it is the subject
of a duty (X要…, X负责…, 由X牵头, X作为…责任主体), never where it is an object
(向商务部报送, 争取商务部支持) or a source (按照公安部关于…).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from policykg.extractors.duties import COOP, LEAD, Duties
from policykg.extractors.entities import Mention

LABEL_HEAD = re.compile(r"^\s*[\u4e00-\u9fff]{2,6}\s*[：:]\s*")
# Prose: words that may follow a subject list before its duty.
PREDICATE = re.compile(
    r"^(?:等(?:有关)?(?:部门|单位|部门和单位))?(?:（[^）]{0,8}）)?(?:分管副?[市省区县]长|主要负责同志|各成员单位|成员单位)?"
    # an adverbial before the duty: 在职责范围内，分别负责…
    r"(?:在[^，。；]{1,14}?(?:内|中)[，,]?)?(?:分别|各自)?"
    r"(?:要|须|需|需要|应|应当|必须|负责|牵头|会同|配合|参与|作为|按照|按|根据|共同|统筹|组织|另行|切实|抓紧|加强|做好|进一步)")
REPORT_ONLY = re.compile(r"^(?:要|须|应)?(?:及时|每年|定期|按要求)?(?:向|报)[^，。；]*(?:报告|请示|报送|汇报|备案)[^，。；]*$")
SUBJECT_BEFORE = re.compile(r"(?:^|[，。；：！？\n])\s*(?:由|请|同时|并|另外|其中|各)?\s*$")
LIST_GLUE = re.compile(r"^\s*[、和及与]\s*$")
CONJUNCT_TAIL = re.compile(r"[和及与、][^，。；：！？]{1,24}?(?=要|须|应|负责|牵头)")


@dataclass
class Role:
    mention: Mention
    role: str
    start: int      # evidence span
    end: int


_STARTS: tuple[list[Mention], int, list[int] | None] | None = None


def _within(mentions: list[Mention], s: int, e: int) -> list[Mention]:
    """`[m for m in mentions if s <= m.start and m.end <= e]`, by bisection when `mentions`
    is sorted by start (as `Recogniser.agencies` returns them; the starts of the last list
    seen are kept, since every clause and sentence of a document asks about the same list,
    which is not changed while it is read). Speed only: the same mentions in the same order."""
    global _STARTS
    cached = _STARTS
    if cached is None or cached[0] is not mentions or cached[1] != len(mentions):
        starts = [m.start for m in mentions]
        if any(a > b for a, b in zip(starts, starts[1:])):
            starts = None       # unsorted: filter the whole list
        cached = _STARTS = (mentions, len(mentions), starts)
    starts = cached[2]
    if starts is None:
        return [m for m in mentions if s <= m.start and m.end <= e]
    return [m for m in mentions[bisect_left(starts, s):bisect_right(starts, e)] if m.end <= e]


def _duties(duties: Duties | None) -> Duties:
    """The duty lexicon given, else the default data's (for callers outside a pipeline)."""
    if duties is not None:
        return duties
    from policykg.extractors.gazetteer import default_gazetteer

    return default_gazetteer().duties


# Compiled once (a module-level re call looks its pattern up in re's cache at each call).
_CLAUSE_END = re.compile(r"[；;\n]")
_LIST_ITEM = re.compile(r"[^、，,；;：:]+")
_SENTENCE_END = re.compile(r"[。！？!?]")


def _clauses(text: str, offset: int, duties: Duties) -> list[tuple[int, int]]:
    """Clauses of a responsibility: split at ；/newline and where a label (配合单位：) starts."""
    out, pos = [], 0
    for m in _CLAUSE_END.finditer(text):
        out.append((offset + pos, offset + m.start()))
        pos = m.end()
    out.append((offset + pos, offset + len(text)))
    split = []
    for s, e in out:
        cuts = [s] + [s + m.start() for m in duties.label_any.finditer(text[s - offset:e - offset]) if m.start() > 0] + [e]
        split += [(a, b) for a, b in zip(cuts, cuts[1:])]
    return [(s, e) for s, e in split if e > s]


def _list_bodies(doc_text: str, cs: int, ce: int, inside: list[Mention], resolve, duties: Duties) -> list[Mention]:
    """The bodies of a responsibility clause, read as a list (A、B，C等负责): each item that
    the gazetteer names whole keeps its mention; an item it names only in part, or not at
    all, is offered to `resolve` (a body of the document's region written as printed)."""
    clause = doc_text[cs:ce]
    head = LABEL_HEAD.match(clause)
    pos = head.end() if head else 0
    out: list[Mention] = []
    for piece in _LIST_ITEM.finditer(clause[pos:]):
        s = cs + pos + piece.start()
        text = piece.group(0)
        end = duties.item_end.search(text)
        text = text[:end.start()] if end else text
        lead = len(text) - len(text.lstrip())
        s += lead
        text = text.strip()
        e = s + len(text)
        within = [m for m in inside if s <= m.start and m.end <= e]
        if text and (not within or within[-1].end < e or within[0].start > s):
            found = resolve(text, s) if resolve is not None else None
            if found is not None:
                out.append(found)
                continue
        out += within
    covered = {(m.start, m.end) for m in out}
    # Mentions outside the list's items (after a verb: 会同X) stay as they were.
    out += [m for m in inside if (m.start, m.end) not in covered and not any(o.start <= m.start and m.end <= o.end for o in out)]
    out.sort(key=lambda m: m.start)
    return out


def first_named_leads(doc_text: str, declarations: list[tuple[re.Pattern, str]]) -> bool:
    """Whether a document states that the first body named for a task leads it
    (a `first_leads` declaration of declarations.tsv)."""
    return any(_found(rx, doc_text) for rx, what in declarations if what == "first_leads")


def _found(rx: re.Pattern, text: str) -> bool:
    """`rx.search(text) is not None`, trying `rx` only where a match can start when the
    characters it can start with are known (the first_leads declaration opens with an
    optional word: the engine tried it at every character, 1.7 % of extraction)."""
    opener = _opener(rx)
    if opener is None:
        return rx.search(text) is not None
    return any(rx.match(text, m.start()) for m in opener.finditer(text))


@lru_cache(maxsize=64)
def _opener(rx: re.Pattern) -> re.Pattern | None:
    """A class of the characters every match of `rx` starts with, or None where they are
    not a short list of characters (a negated class, a lookaround, a flag, an empty match)."""
    chars = _first_chars(rx)
    return re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]") if chars else None


def _first_chars(rx: re.Pattern) -> set[str] | None:
    try:
        from re import _constants as C, _parser as P     # Python 3.11+
        items = P.parse(rx.pattern, rx.flags & ~re.UNICODE)
    except Exception:
        return None
    if rx.flags & (re.IGNORECASE | re.VERBOSE):
        return None

    def seq(items) -> tuple[set[str], bool] | None:
        """(the first characters, whether the sequence can match empty)."""
        out: set[str] = set()
        for op, av in items:
            found = one(op, av)
            if found is None:
                return None
            out |= found[0]
            if not found[1]:
                return out, False
        return out, True

    def one(op, av) -> tuple[set[str], bool] | None:
        if op is C.LITERAL:
            return {chr(av)}, False
        if op is C.IN:
            chars: set[str] = set()
            for o, a in av:
                if o is C.LITERAL:
                    chars.add(chr(a))
                elif o is C.RANGE and a[1] - a[0] < 64:
                    chars.update(map(chr, range(a[0], a[1] + 1)))
                else:
                    return None
            return chars, False
        if op is C.SUBPATTERN:
            _group, add, drop, sub = av
            return None if add or drop else seq(sub)
        if op is C.BRANCH:
            found = [seq(alt) for alt in av[1]]
            if any(f is None for f in found):
                return None
            return set().union(*(f[0] for f in found)), any(f[1] for f in found)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, _hi, sub = av
            found = seq(sub)
            return None if found is None else (found[0], found[1] or lo == 0)
        return None         # anchors, lookarounds, references, any character: not known

    found = seq(items)
    return None if found is None or found[1] or not found[0] else found[0]


def declared_leads(doc_text: str, declarations: list[tuple[re.Pattern, str]], mentions: list[Mention],
                   resolve, duties: Duties | None = None) -> list[tuple[int, Role]]:
    """Bodies an `all_lead` declaration makes lead every measure after it: (where it is said, role)."""
    out = []
    for rx, what in declarations:
        if what != "all_lead":
            continue
        for m in rx.finditer(doc_text):
            s, e = m.span("body")
            for body in _list_bodies(doc_text, s, e, _within(mentions, s, e), resolve, _duties(duties)):
                if not body.generic:
                    out.append((m.start(), Role(body, LEAD, m.start(), m.end())))
    return out


def cell_roles(doc_text: str, start: int, end: int, mentions: list[Mention], first_leads: bool = False,
               role: str | None = None, resolve=None, duties: Duties | None = None) -> list[Role]:
    """Roles from a responsibility cell spanning doc_text[start:end].

    `role` forces one role for every body (a 牵头单位 or 配合单位 column); `first_leads`
    applies the convention some documents state: in a bare list the first body leads;
    `resolve(text, start)` names a list item the gazetteer does not (see `_list_bodies`);
    `duties` is the duty lexicon.
    """
    duties = _duties(duties)
    found: list[tuple[Mention, str, bool, int, int]] = []   # mention, role, weak, clause span
    for cs, ce in _clauses(doc_text[start:end], start, duties):
        clause = doc_text[cs:ce]
        inside = _list_bodies(doc_text, cs, ce, _within(mentions, cs, ce), resolve, duties)
        bodies = [m for m in inside if not m.generic]
        if not bodies:
            continue
        if role is not None:
            found += [(m, role, False, cs, ce) for m in bodies]
            continue
        marked = [m for m in bodies if duties.lead_mark.match(doc_text[m.end:ce])]
        if marked:
            # 市发展改革委（牵头）、市财政局: the marked body leads its list, the others support.
            found += [(m, LEAD if m in marked else COOP, False, cs, ce) for m in bodies]
            continue
        if duties.label_lead.match(clause):
            found += [(m, LEAD, False, cs, ce) for m in bodies]
            continue
        if duties.label_resp.match(clause) and duties.cell_verb(doc_text[bodies[-1].end:ce]) is None:
            # 责任单位：A、B、C — all responsible, unless the document says the first one leads;
            # beside a 牵头单位： of the same cell they are its supporters (weak).
            found += [(m, LEAD, True, cs, ce) if (k == 0 or not first_leads) else (m, COOP, False, cs, ce)
                      for k, m in enumerate(bodies)]
            continue
        if duties.label_coop.match(clause):
            found += [(m, COOP, False, cs, ce) for m in bodies]
            continue
        # 商务部会同有关部门和单位支持指导: bodies after 会同 support, those before take the verb.
        tail = doc_text[inside[-1].end:ce]
        if first_leads and duties.cell_verb(tail) is None:
            found += [(m, LEAD if k == 0 else COOP, False, cs, ce) for k, m in enumerate(bodies)]
            continue
        role_, weak = duties.cell_verb(tail) or (LEAD, False)
        if "，" in clause or "," in clause:
            # 市商务委牵头，市财政局、市税务局配合: each comma part carries its own verb.
            parts = _split_keep(clause, cs, "，,")
            if len(parts) > 1 and all(duties.cell_verb(doc_text[ps:pe]) is not None for ps, pe in parts
                                      if any(ps <= m.start < pe for m in bodies)):
                for ps, pe in parts:
                    part_bodies = [m for m in bodies if ps <= m.start and m.end <= pe]
                    if part_bodies:
                        r, w = duties.cell_verb(doc_text[part_bodies[-1].end:pe]) or (LEAD, False)
                        found += [(m, r, w, cs, ce) for m in part_bodies]
                continue
        for m in bodies:
            before = doc_text[cs:m.start]
            if "会同" in before and role_ == LEAD:
                found.append((m, COOP, False, cs, ce))
            else:
                found.append((m, role_, weak, cs, ce))
    has_lead = any(r == LEAD and not weak for _, r, weak, _, _ in found)
    out: dict[str, Role] = {}
    for m, role, weak, cs, ce in found:
        if weak:
            role = COOP if has_lead else LEAD
        prev = out.get(m.name)
        if prev is None or (prev.role == COOP and role == LEAD):
            out[m.name] = Role(m, role, cs, ce)
    return list(out.values())


def _split_keep(text: str, offset: int, seps: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for i, ch in enumerate(text):
        if ch in seps:
            out.append((offset + pos, offset + i))
            pos = i + 1
    out.append((offset + pos, offset + len(text)))
    return [(a, b) for a, b in out if b > a]




INLINE_DUTY = re.compile(r"[（(]([^（）()]{2,160})[）)]")


def is_duty_paragraph(text: str, duties: Duties | None = None) -> bool:
    """A paragraph that only says who is responsible (责任单位：… or （…牵头…）)."""
    return bool(_duties(duties).duty_paragraph.match(text))


def inline_roles(doc_text: str, start: int, end: int, mentions: list[Mention], first_leads: bool = False,
                 resolve=None, duties: Duties | None = None) -> list[Role]:
    """Responsibility written inside or after a measure's own text: （牵头单位：市商务委；配合单位：…）,
    （市商务委牵头，市财政局配合）, or a 责任单位：… line."""
    duties = _duties(duties)
    text = doc_text[start:end]
    spans = []
    for m in INLINE_DUTY.finditer(text):
        if duties.paren_words.search(m.group(1)):
            spans.append((start + m.start(1), start + m.end(1)))
    for m in duties.label_line.finditer(text):
        s = start + m.start(1)
        if not any(a <= s < b for a, b in spans):
            spans.append((s, start + m.end(1)))
    out: list[Role] = []
    for s, e in spans:
        out += cell_roles(doc_text, s, e, mentions, first_leads=first_leads, resolve=resolve, duties=duties)
    return out




def _sentences(text: str, offset: int) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((offset + pos, offset + m.end()))
        pos = m.end()
    if text[pos:].strip():
        out.append((offset + pos, offset + len(text)))
    return out


@dataclass
class SentenceDuty:
    start: int
    end: int
    roles: list[Role]
    generic_subject: bool


def prose_duties(doc_text: str, start: int, end: int, mentions: list[Mention],
                 duties: Duties | None = None) -> list[SentenceDuty]:
    """Sentences of doc_text[start:end] that give someone a duty, with the roles they give."""
    duties = _duties(duties)
    out = []
    for ss, se in _sentences(doc_text[start:end], start):
        inside = _within(mentions, ss, se)
        roles, generic = _sentence_roles(doc_text, ss, se, inside, duties)
        if roles or generic:
            out.append(SentenceDuty(ss, se, roles, generic))
    return out


def _sentence_roles(text: str, ss: int, se: int, mentions: list[Mention], duties: Duties) -> tuple[list[Role], bool]:
    roles: list[Role] = []
    generic_subject = False
    i = 0
    while i < len(mentions):
        first = mentions[i]
        before = text[ss:first.start]
        by_you = before.endswith(("由", "请"))        # 由X牵头; 请X…完成 (a request makes X responsible)
        if not (SUBJECT_BEFORE.search(before) or by_you):
            i += 1
            continue
        # Extend over a list: 商务部、北京市人民政府 / 各区政府、有关部门和单位
        group, j = [first], i + 1
        while j < len(mentions) and LIST_GLUE.match(text[group[-1].end:mentions[j].start]):
            group.append(mentions[j])
            j += 1
        after = text[group[-1].end:se]
        if not (by_you or PREDICATE.match(after)):
            # X和省级担保、再担保基金（机构）要…: a subject list whose last items are no body.
            tail = CONJUNCT_TAIL.match(after)
            if tail is None or not PREDICATE.match(after[tail.end():]):
                i = j
                continue
            after = after[tail.end():]
        clause_end = re.search(r"[。；！？]", after)
        predicate = after[: clause_end.start()] if clause_end else after
        if REPORT_ONLY.match(predicate.strip()):
            i = j
            continue
        role = LEAD if by_you else duties.prose_role(predicate)
        for m in group:
            if m.generic:
                generic_subject = True
            else:
                roles.append(Role(m, role, ss, se))
        # 会同X、Y和Z: they support the subject's duty.
        k = j
        while k < len(mentions):
            m = mentions[k]
            if text[max(ss, m.start - 2):m.start] == "会同" and m.start < group[-1].end + len(predicate) + 1:
                listed = [m]
                while k + 1 < len(mentions) and LIST_GLUE.match(text[listed[-1].end:mentions[k + 1].start]):
                    k += 1
                    listed.append(mentions[k])
                roles += [Role(x, COOP, ss, se) for x in listed if not x.generic]
            k += 1
        i = j
    return roles, generic_subject
