"""Document metadata: title, own number, issuer, date and the numbers a document cites.

`read_metadata` reads them from the text and, for web pages, from the page's own metadata
(`hints`: ArticleTitle, <title>, the 政府信息公开 box; see formats.page_hints); the pipeline
component settles the home region afterwards (`settle_home`).

The title follows the genre of Chinese government documents: it ends with a
document-type word (文种: 通知, 意见, 方案 … in data/title_words.txt), usually holds
关于/印发/转发, is no sentence, may be broken over lines (关于… / …的通知), stands near the
document number, the issuer and the addressees, and may run into the page's other text
on a scraped page (…的通知发布日期:2018-07-13…). Candidates from the hints and the text
are scored on that evidence; navigation (data/navigation_words.txt, or a line of several
short items) is never a title, and no title is better than a wrong one.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from policykg.extractors.entities import DATE_RE, DOC_NUMBER_RE, Mention, Recogniser, clean_number, doc_numbers
from policykg.extractors.formats import labelled_fields
from policykg.extractors.gazetteer import Gazetteer, RegionEntry


@dataclass
class Meta:
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    issuer_mention: Mention | None = None
    date: str | None = None
    cites: list[tuple[str, int, int]] = field(default_factory=list)
    home: RegionEntry | None = None


# --------------------------------------------------------------------- genre words
#: How far into a document its title, number and header are looked for.
HEAD_CHARS = 8000
HEAD_LINES = 160
#: Lines joined into one title at most, and the longest title.
MAX_TITLE_LINES = 4
MAX_TITLE_CHARS = 160
MIN_TITLE_CHARS = 6
#: The score a title needs (see `_score`).
MIN_SCORE = 3

#: Words by which a title names who issues it, then what it does (国务院办公厅关于…,
#: …人民政府转发…): the body before them is the issuer.
_ACTS = r"(?:关于|印发|转发|批转|颁布|公布|发布)"
#: The last words of a body's name (安化县人民政府办公室, 全国人民代表大会常务委员会).
_ORGAN = (r"(?:人民政府|政府|办公厅|办公室|委员会|常委会|人大常委会|党委|委|厅|局|部|署|院|办|会|中心|"
          r"银行|总局|总署|小组|指挥部|公司)")
_ORGAN_PREFIX = re.compile(rf"^([\u4e00-\u9fff]{{2,30}}?{_ORGAN})(?={_ACTS})")
_OPENERS = re.compile(r"^(?:关于|《|“|中共|中国共产党|中华人民共和国|全国|国务院|最高人民)")
_CONTENT = re.compile(r"关于|印发|转发|批转|同意|颁布|公布")
_SENTENCE = re.compile(r"[。；！？!?]")
_NOT_IN_TITLE = re.compile(r"[。；！？!?，,：:]|\t")
_BAD_START = re.compile(r"^[的和与及、》”）)〉」』，。\-—·]")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_ISO_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_SEPARATORS = re.compile(r"\s*[>»›＞→|｜]\s*|\s{1,}")
_CRUMB = re.compile(r"[>»›＞→]")
#: Labels of a page's metadata box or header line: a title running into one of them ends there.
_CUT_LABELS = re.compile(r"(?:发布日期|发布时间|成文日期|发文日期|印发日期|发文字号|发文机关|发布机构|索引号|"
                         r"主题分类|信息来源)\s*[:：]?|(?:文号|来源|时间|日期|作者|浏览次数|点击数|字号)\s*[:：]")
_TITLE_LABEL = re.compile(r"^(?:标题|名称|文件名称|信息名称|公文标题|文件标题|题名)\s*[:：]\s*(.+)$")
_ADDRESSEES = re.compile(r"^[^。；]{2,300}[：:]$")
_ADOPTED = re.compile(r"^[（(]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[^（）()]{0,80}?"
                      r"(?:通过|发布|公布|印发|修订|修正|批准)[）)]$")
_HTML_TITLE_SPLIT = re.compile(r"\s*[_|｜]\s*|\s+[-—–－]+\s+|(?<=[\u4e00-\u9fff》）)])[-－](?=[\u4e00-\u9fff])")


@dataclass
class Genre:
    """The genre words of one gazetteer, compiled once."""

    title_end: re.Pattern
    glued: re.Pattern        # a title's end followed by the start of another (…的通知关于…)
    markers: re.Pattern
    items: frozenset[str]
    list_heads: frozenset[str]


_GENRES: dict[int, tuple[Gazetteer, Genre]] = {}


def genre(gaz: Gazetteer) -> Genre:
    cached = _GENRES.get(id(gaz))
    if cached is not None and cached[0] is gaz:
        return cached[1]
    words = gaz.title_words or ["通知", "意见", "方案", "决定", "批复", "办法", "规定"]
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    g = Genre(
        title_end=re.compile(rf"(?:{alt})(?:[（(][^（）()]{{1,24}}[）)])?$"),
        glued=re.compile(rf"(?:{alt})(?:[（(][^（）()]{{1,24}}[）)])?(?=关于|[\u4e00-\u9fff]{{2,20}}?{_ORGAN}{_ACTS})"),
        markers=re.compile("|".join(re.escape(w) for w, kind in gaz.navigation_words if kind == "marker") or r"(?!)"),
        items=frozenset(w for w, kind in gaz.navigation_words if kind == "item"),
        list_heads=frozenset(w for w, kind in gaz.navigation_words if kind == "list"),
    )
    _GENRES[id(gaz)] = (gaz, g)
    return g


def _compact(s: str) -> str:
    return "".join(s.split())


def _balanced(s: str) -> bool:
    for a, b in ("《》", "（）", "()", "“”", "〈〉", "【】", "「」"):
        n = s.count(a)
        if n != s.count(b):
            return False
        if not n:
            continue
        depth = 0
        for ch in s:
            if ch == a:
                depth += 1
            elif ch == b:
                depth -= 1
                if depth < 0:
                    return False
        if depth:
            return False
    return True


def is_navigation(line: str, g: Genre) -> bool:
    """Page chrome: a breadcrumb (首页 > 政务公开 > …), a menu line of several short items,
    a line with a chrome marker (当前位置, 【打印】, 字号：) or a bare menu word."""
    line = line.strip()
    if not line:
        return False
    if g.markers.search(line):
        return True
    items = [i for i in _SEPARATORS.split(line) if i]
    if len(items) == 1:
        return line in g.items or line in g.list_heads
    if _CRUMB.search(line):
        return True
    if any(i in g.items for i in items):
        return True
    if len(items) >= 3 and all(len(i) <= 12 for i in items):
        # a menu, unless the items read as one title spaced out (关于 印发… 的通知)
        joined = "".join(items)
        return not (g.title_end.search(joined) and _CONTENT.search(joined))
    return False


# --------------------------------------------------------------------- title
@dataclass
class _Line:
    index: int
    start: int            # offset in the text
    text: str             # stripped


@dataclass
class _Candidate:
    title: str
    first: int            # index of its first and last line (-1: not from the text)
    last: int
    source: str           # lines | label | runon | hint
    score: float = 0.0


def _lines(text: str) -> list[_Line]:
    """The header's lines: up to the first body paragraph (included)."""
    out, pos = [], 0
    for i, raw in enumerate(text[:HEAD_CHARS].split("\n", HEAD_LINES)[:HEAD_LINES]):
        ln = _Line(i, pos + len(raw) - len(raw.lstrip()), raw.strip())
        out.append(ln)
        if _is_body(ln.text):
            break
        pos += len(raw) + 1
    return out


def _is_number_line(s: str) -> bool:
    return bool(DOC_NUMBER_RE.fullmatch(_compact(s)))


def _is_body(s: str) -> bool:
    """A paragraph of the document's text (the header, where the title is, lies before it)."""
    return len(s) >= 40 and bool(_SENTENCE.search(s))


def _fragment(s: str, g: Genre) -> bool:
    """Could be (part of) a title printed over lines."""
    if not s or len(s) > MAX_TITLE_CHARS or not _CJK_RE.search(s):
        return False
    if _NOT_IN_TITLE.search(s) or _is_number_line(s) or is_navigation(s, g):
        return False
    if DOC_NUMBER_RE.search(s) or DATE_RE.search(s) or _ISO_DATE.search(s):
        return False
    return True


def _clean_title(s: str) -> str:
    """Whitespace collapsed; a space between Chinese characters is layout (关于印发 XX 的通知,
    a title's source line break) and goes, except inside 《》 or （） (a quoted title as
    printed: 2025年修订 公开征求意见稿) and between joint issuers (中共中央 国务院关于…)."""
    s = re.sub(r"\s+", " ", s).strip(" \u3000")
    if " " not in s:
        return s
    out: list[str] = []
    depth = 0
    for m in re.finditer(r"\S+", s):
        word = m.group(0)
        if out:
            before = "".join(out)
            joint = re.search(rf"(?:{_ORGAN}|中共中央)$", before) and "关于" not in before
            layout = re.search(r"[\u4e00-\u9fff》”）)]$", before) and re.match(r"[\u4e00-\u9fff《“（(]", word)
            if layout and not joint and depth <= 0:
                out[-1] += word
            else:
                out.append(word)
        else:
            out.append(word)
        depth += word.count("《") + word.count("（") + word.count("(") - word.count("》") - word.count("）") - word.count(")")
    return " ".join(out)


def _title_shaped(s: str, g: Genre, strict: bool = True) -> bool:
    if not (MIN_TITLE_CHARS <= len(s) <= MAX_TITLE_CHARS) or not g.title_end.search(s):
        return False
    if _SENTENCE.search(s) or not _balanced(s) or _BAD_START.search(s) or g.glued.search(s):
        return False
    if strict and _NOT_IN_TITLE.search(s):
        return False
    return not is_navigation(s, g)


def _opener(s: str, rec: Recogniser) -> bool:
    if _OPENERS.search(s) or _ORGAN_PREFIX.search(s):
        return True
    if rec.any_region_re.match(s):
        return True
    found = rec.agencies(s[:40], None)
    return bool(found) and found[0].start == 0 and not found[0].generic


def _text_candidates(lines: list[_Line], g: Genre, rec: Recogniser) -> tuple[list[_Candidate], set[int], int]:
    """Candidates from the text's header, the lines that are in a list of links, and the
    index of the first body line."""
    cands: list[_Candidate] = []
    body_at = len(lines)
    for ln in lines:
        if _is_body(ln.text):
            body_at = ln.index
            break
    # Lines under a list heading (相关文件, 热点) are links to other documents.
    listed: set[int] = set()
    in_list = False
    for ln in lines[:body_at]:
        if ln.text in g.list_heads or ln.text.rstrip("：:") in g.list_heads:
            in_list = True
            continue
        if in_list and ln.text and not _fragment(ln.text, g) and not DATE_RE.search(ln.text) \
                and not _ISO_DATE.search(ln.text):
            in_list = False
        if in_list and ln.text:
            listed.add(ln.index)
    # Runs of title fragments (blank lines do not break a run).
    run: list[_Line] = []
    runs: list[list[_Line]] = []
    for ln in lines[:body_at]:
        if not ln.text:
            continue
        if _fragment(ln.text, g):
            run.append(ln)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    for run in runs:
        for a in range(len(run)):
            joined = ""
            for b in range(a, min(len(run), a + MAX_TITLE_LINES)):
                if joined and _title_shaped(_clean_title(joined), g) and _opener(run[b].text, rec):
                    break               # a complete title, and the next line starts another
                joined += run[b].text
                if len(joined) > MAX_TITLE_CHARS:
                    break
                title = _clean_title(joined)
                if _title_shaped(title, g):
                    cands.append(_Candidate(title, run[a].index, run[b].index, "lines"))
    # A labelled box printed in the text (标题：…, or 标题 | … in a table row).
    head = lines[:min(len(lines), body_at + 1)]
    labelled = labelled_fields([ln.text.split("\t") for ln in head if ln.text]).get("标题")
    if labelled:
        value = _clean_title(_cut_runon(labelled, g) or labelled)
        at = next((ln.index for ln in head if _compact(labelled) in _compact(ln.text)), -1)
        if _title_shaped(value, g, strict=False):
            cands.append(_Candidate(value, at, at, "label"))
    # A title running into the rest of its line (scraped pages).
    for ln in head:
        s = ln.text
        # (the rest of the line may be chrome: 浏览次数, 字号; the title part must not be)
        if _TITLE_LABEL.match(s) or "\t" in s or _fragment(s, g):
            continue
        title = _cut_runon(s, g)
        if title:
            cands.append(_Candidate(_clean_title(title), ln.index, ln.index, "runon"))
    return cands, listed, body_at


def _cut_runon(s: str, g: Genre) -> str | None:
    """The title at the start of a line that runs on into other text: cut where a label
    (发布日期, 发文字号, 索引号 …), a document number or a date begins, if what comes before
    is title-shaped. A date ending the line marks an item of a list of links, not a title."""
    cuts: list[int] = [m.start() for m in _CUT_LABELS.finditer(s, MIN_TITLE_CHARS)]
    for m in doc_numbers(s[:MAX_TITLE_CHARS + 40]):
        if m.group("num") and s[max(0, m.start() - 1):m.start()] not in ("（", "("):
            number = clean_number(m.group(0))
            cuts.append(m.end() - len(number) if _compact(m.group(0)).endswith(number) else m.start())
    for m in list(DATE_RE.finditer(s[:MAX_TITLE_CHARS + 40])) + list(_ISO_DATE.finditer(s[:MAX_TITLE_CHARS + 40])):
        if len(s) - m.end() > 20:
            cuts.append(m.start())
    for at in sorted(set(cuts)):
        if at < MIN_TITLE_CHARS or at > MAX_TITLE_CHARS:
            continue
        head = s[:at].rstrip(" ：:（(【[")
        if _title_shaped(_clean_title(head), g, strict=False) and not _NOT_IN_TITLE.search(head.replace("\t", "")):
            return head
    return None


def _hint_titles(hints: dict[str, str], g: Genre) -> list[tuple[str, str]]:
    """(title, kind) from the page's own metadata: kind `named` for ArticleTitle and the
    标题 label, `page` for the parts of <title> (标题_栏目_站名)."""
    out: list[tuple[str, str]] = []
    for key in ("ArticleTitle", "标题", "og:title", "dc.title"):
        value = hints.get(key)
        if value and "..." not in value and "…" not in value:
            out.append((_clean_title(value), "named"))
    page = hints.get("html_title")
    if page:
        for part in _HTML_TITLE_SPLIT.split(page):
            part = part.strip()
            if part and "..." not in part and "…" not in part:
                out.append((_clean_title(part), "page"))
    return [(t, kind) for t, kind in out if _title_shaped(t, g, strict=False)]


def read_title(text: str, rec: Recogniser, hints: dict[str, str] | None = None) -> str | None:
    """The document's own title, or None when no candidate has the genre's evidence."""
    g = genre(rec.gaz)
    lines = _lines(text)
    cands, listed, body_at = _text_candidates(lines, g, rec)
    hint_titles = _hint_titles(hints or {}, g)
    if not cands and not hint_titles:
        return None
    compact_full = _compact(text) if hint_titles else ""
    compact_text = _compact(text[:HEAD_CHARS])       # where a title is repeated
    hinted = {_compact(t) for t, _ in hint_titles}
    for t, kind in hint_titles:
        if _compact(t) in compact_full:
            cands.append(_Candidate(t, -1, -1, "hint"))
        elif kind == "named" or _CONTENT.search(t):
            # The page names it but the text does not print it: ArticleTitle and the 标题
            # label are the page's word for it; a part of <title> must look the part.
            cands.append(_Candidate(t, -1, -1, "hint-unverified" if kind == "named" else "page-unverified"))
    if not cands:
        return None
    by_index = {ln.index: ln for ln in lines}
    number_lines = [ln.index for ln in lines[:body_at + 1] if ln.text and _is_number_line(ln.text)]
    addressee_lines = [ln.index for ln in lines[:body_at + 1] if _ADDRESSEES.match(ln.text or "")]
    first_line = next((ln.index for ln in lines if ln.text), -1)
    # Disjoint complete titles standing one after another: a list of links.
    line_titles: dict[int, set[str]] = {}
    for c in cands:
        if c.source == "lines":
            for i in range(c.first, c.last + 1):
                line_titles.setdefault(i, set()).add(c.title)
    for c in cands:
        c.score = _score(c, rec, hinted, compact_text, number_lines, addressee_lines, first_line,
                         listed, cands, by_index)
    best = max(cands, key=lambda c: (c.score, len(c.title) if not c.source.endswith("-unverified") else 0, -c.first))
    return best.title if best.score >= MIN_SCORE else None


def _score(c: _Candidate, rec: Recogniser, hinted: set[str], compact_text: str, number_lines: list[int],
           addressee_lines: list[int], first_line: int, listed: set[int], cands: list[_Candidate],
           by_index: dict) -> float:
    key = _compact(c.title)
    score = 0.0
    if c.source == "hint":
        score += 5
    elif c.source == "hint-unverified":
        score += 3
    elif c.source == "page-unverified":
        score += 2
    elif key in hinted:
        score += 5
    if c.source == "label":
        score += 4
    if c.source == "runon":
        score += 2
    if _CONTENT.search(c.title):
        score += 2
    if _opener(c.title, rec):
        score += 2
    elif c.source == "lines":
        score -= 1                      # a title's tail: a fuller one starts on a line above
    near = False
    if c.first >= 0:
        near = any(c.last < n <= c.last + 3 or c.first - 3 <= n < c.first for n in number_lines)
        near = near or any(c.last < n <= c.last + 3 for n in addressee_lines)
        if near:
            score += 2
        if c.first == first_line:
            score += 1
        if any(i in listed for i in range(c.first, c.last + 1)):
            score -= 6
        elif not near and c.source == "lines":
            # Several different complete titles next to each other are a list of links.
            others = {o.title for o in cands if o.source == "lines" and o.title != c.title
                      and (o.last < c.first or o.first > c.last)
                      and min(abs(o.first - c.last), abs(c.first - o.last)) <= 2
                      and _CONTENT.search(o.title) and _compact(o.title) != key}
            if len(others) >= 2 or (len(others) == 1 and key not in hinted):
                score -= 4
    if compact_text.count(key) >= 2:
        score += 1
    return score


# --------------------------------------------------------------------- metadata
def read_metadata(text: str, rec: Recogniser, hints: dict[str, str] | None = None) -> Meta:
    hints = hints or {}
    meta = Meta()
    meta.title = read_title(text, rec, hints)
    # Own number: the first one not cited in brackets, near the top; else the page's.
    own = None
    for m in doc_numbers(text[:1500]):
        prev = text[max(0, m.start() - 1):m.start()]
        if m.group("num") and prev not in ("（", "(", "》"):
            own = m
            break
    if own:
        meta.doc_number = clean_number(own.group(0))
    elif hints.get("发文字号"):
        m = DOC_NUMBER_RE.search(hints["发文字号"])
        if m and m.group("num"):
            meta.doc_number = clean_number(m.group(0))
    numbers = []
    for m in doc_numbers(text):
        num = clean_number(m.group(0))
        if num != meta.doc_number and num not in [n for n, _, _ in numbers]:
            numbers.append((num, m.start(), m.end()))
    meta.cites = numbers
    # Date and issuer: the signature, a body followed by a date on its own.
    agencies = rec.agencies(text, None)
    starts = [a.start for a in agencies]                    # sorted: agencies() sorts by start
    reach = 40 + max((a.end - a.start for a in agencies), default=0)
    for dm in DATE_RE.finditer(text):
        line_start = text.rfind("\n", 0, dm.start()) + 1
        line_end = text.find("\n", dm.end())
        line_end = len(text) if line_end < 0 else line_end
        before = text[line_start:dm.start()].strip()
        after = text[dm.end():line_end].strip()
        # Only bodies starting within reach of the date can end 0-40 characters before it.
        near = agencies[bisect_left(starts, dm.start() - reach):bisect_right(starts, dm.start())]
        signer = next((a for a in reversed(near) if 0 <= dm.start() - a.end <= 40
                       and not text[a.end:dm.start()].strip(" \t\n\u3000")), None)
        standalone = not before and not after
        if signer is None and not standalone:
            continue
        if signer is None and standalone:
            prev_text = text[max(0, line_start - 60):line_start]
            signer = next((a for a in reversed(agencies)
                           if line_start - 60 <= a.start and a.end <= line_start and not prev_text[prev_text.rfind(a.text) + len(a.text):].strip()), None)
        y, mo, d = (int(x) for x in dm.groups())
        meta.date = f"{y:04d}-{mo:02d}-{d:02d}"
        if signer is not None and not signer.generic:
            meta.issuer, meta.issuer_mention = signer.name, signer
        elif standalone:
            # A signature: the body on the line above the date, printed in full, if the
            # gazetteer does not know it (a county's office).
            above = text[:line_start].rstrip()
            name = above[above.rfind("\n") + 1:].strip()
            body = _literal_body(name, rec)
            if body is not None:
                at = above.rfind(name)
                meta.issuer = body.name
                meta.issuer_mention = Mention(at, at + len(name), name, body.name, body.kind, body.level, body.region)
        break
    if meta.date is None:
        meta.date = _adoption_date(text) or _hint_date(hints.get("成文日期"))
    _issuer_from_title(text, meta, rec)
    if meta.issuer is None and hints.get("发文机关"):
        _issuer_from_hint(text, hints["发文机关"], meta, rec)
    return meta


def _adoption_date(text: str) -> str | None:
    """A decision's or law's date printed under its title: （2016年12月25日第十二届全国人民
    代表大会常务委员会第二十五次会议通过）."""
    for ln in _lines(text)[:12]:
        m = _ADOPTED.match(ln.text)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _hint_date(value: str | None) -> str | None:
    if not value:
        return None
    m = DATE_RE.search(value) or _ISO_DATE.search(value)
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def _issuer_from_title(text: str, meta: Meta, rec: Recogniser) -> None:
    """The body a title names before 关于/印发/转发: the issuer when the signature names
    none, and the fuller name when the signature's is a part of it (安阳市人民政府 signs,
    the title says 安阳市人民政府办公室)."""
    if not meta.title:
        return
    m = _ORGAN_PREFIX.match(meta.title)
    named = m.group(1) if m else None
    if named is None:
        m = re.match(rf"(.+?){_ACTS}", meta.title)
        if m:
            found = [a for a in rec.agencies(m.group(1), None) if not a.generic and a.start == 0]
            if found and meta.issuer is None:
                meta.issuer, meta.issuer_mention = found[0].name, _located(text, found[0])
        return
    if meta.issuer is not None and not (len(named) > len(meta.issuer) and
                                        (named.startswith(meta.issuer) or
                                         (meta.issuer_mention is not None and named.startswith(meta.issuer_mention.text)))):
        return
    found = [a for a in rec.agencies(named, None) if not a.generic and a.start == 0]
    if found and found[0].end == len(named):
        meta.issuer, meta.issuer_mention = found[0].name, _located(text, found[0])
        return
    if found and not named.startswith(found[0].text):
        return
    body = _literal_body(named, rec)
    if body is not None:
        meta.issuer, meta.issuer_mention = body.name, _located(text, body)


def _issuer_from_hint(text: str, value: str, meta: Meta, rec: Recogniser) -> None:
    """The page's 发文机关, if the document prints it."""
    value = _compact(value)
    if value not in text:
        return
    found = [a for a in rec.agencies(value, None) if not a.generic]
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(value):
        meta.issuer, meta.issuer_mention = found[0].name, _located(text, found[0])
        return
    body = _literal_body(value, rec)
    if body is not None:
        meta.issuer, meta.issuer_mention = body.name, _located(text, body)


#: A body's full name starts with its region (安化县…, 湘乡市…) or is national.
_QUALIFIED = re.compile(r"^(?:全国|中共中央|国务院|中华人民共和国|最高人民|"
                        r"[\u4e00-\u9fff]{1,7}?(?:省|市|县|区|自治州|州|旗|盟))")
_ORGAN_NAME = re.compile(rf"^[\u4e00-\u9fff]{{2,30}}?{_ORGAN}$")


def _literal_body(name: str, rec: Recogniser) -> Mention | None:
    """A body printed in full that the gazetteer does not know (安化县人民政府办公室), or
    knows in part (安阳市人民政府 + 办公室); never a bare 市人民政府 that needs its region."""
    if not _ORGAN_NAME.match(name) or not _QUALIFIED.match(name) or name[0] in "省市县区州":
        return None
    found = [a for a in rec.agencies(name, None) if not a.generic and a.start == 0]
    base = found[0] if found and name.startswith(found[0].text) else None
    if base is not None and base.end == len(name):
        return base
    canonical = base.name + name[base.end:] if base else name
    return Mention(0, len(name), name, canonical, "agency", base.level if base else "other",
                   base.region if base else None)


def _located(text: str, mention: Mention) -> Mention | None:
    """The mention at the place it is printed in the document's header (its evidence), or
    None when the text does not print it there."""
    at = text.find(mention.text, 0, HEAD_CHARS)
    if at < 0:
        return None
    return Mention(at, at + len(mention.text), mention.text, mention.name, mention.kind, mention.level,
                   mention.region)


def settle_home(meta: Meta, home: RegionEntry | None, rec: Recogniser) -> None:
    """Record the document's home region; an issuer named before it was known (市人民政府)
    gets qualified now."""
    meta.home = home
    if meta.issuer_mention is not None and meta.issuer_mention.region is None and home is not None:
        was = meta.issuer_mention
        requalified = rec.agencies(was.text, home)
        if requalified and not requalified[0].generic:
            r = requalified[0]          # offsets into the mention's text: back to the document's
            meta.issuer = r.name
            meta.issuer_mention = Mention(was.start + r.start, was.start + r.end, r.text, r.name, r.kind,
                                          r.level, r.region)
