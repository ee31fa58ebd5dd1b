"""Document metadata: title, own number, issuer, date and the numbers a document cites.

`read_metadata` reads them from the text (and, for web pages, from the page's own
metadata in `hints`); the home region is settled by the pipeline component afterwards.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from policykg.extractors.entities import DATE_RE, DOC_NUMBER_RE, Mention, Recogniser, clean_number, doc_numbers
from policykg.extractors.gazetteer import RegionEntry


@dataclass
class Meta:
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    issuer_mention: Mention | None = None
    date: str | None = None
    cites: list[tuple[str, int, int]] = field(default_factory=list)
    home: RegionEntry | None = None


TITLE_END = r"(?:通知|批复|意见|方案|决定|办法|规定|细则|规划|函|通报|公告|报告|措施|计划|纲要)"


def read_metadata(text: str, rec: Recogniser, hints: dict[str, str] | None = None) -> Meta:
    meta = Meta()
    head = text[:600]
    lines = [ln.strip() for ln in head.split("\n")]
    # Title: the leading short lines before the number, the addressees or the body.
    parts = []
    for ln in lines:
        if not ln:
            continue
        if DOC_NUMBER_RE.fullmatch(ln.replace(" ", "")) or ln.endswith(("：", ":")) or re.search(r"[。；]", ln) and len(ln) > 60:
            break
        if len(ln) > 60:
            m = re.match(rf"^(.{{6,80}}?{TITLE_END})(?=发布日期|[^\u4e00-\u9fff]|[\u4e00-\u9fff]{{1,6}}〔|$)", ln)
            if m and not parts:
                parts.append(m.group(1))
            break
        if re.search(r"[。，]", ln):
            break
        parts.append(ln)
        if re.search(TITLE_END + "$", ln):
            break
    title = "".join(parts)
    if title and re.search(TITLE_END + "$", title):
        meta.title = title
    # Own number: the first one not cited in brackets, near the top.
    own = None
    for m in doc_numbers(text[:1500]):
        prev = text[max(0, m.start() - 1):m.start()]
        if m.group("num") and prev not in ("（", "(", "》"):
            own = m
            break
    if own:
        meta.doc_number = clean_number(own.group(0))
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
        break
    if meta.issuer is None and meta.title:
        m = re.match(r"(.+?)关于", meta.title)
        if m:
            found = [a for a in rec.agencies(m.group(1), None) if not a.generic and a.start == 0]
            if found:
                meta.issuer, meta.issuer_mention = found[0].name, found[0]
    return meta


def settle_home(meta: Meta, home: RegionEntry | None, rec: Recogniser) -> None:
    """Record the document's home region; an issuer named before it was known (市人民政府)
    gets qualified now."""
    meta.home = home
    if meta.issuer_mention is not None and meta.issuer_mention.region is None and home is not None:
        requalified = rec.agencies(meta.issuer_mention.text, home)
        if requalified and not requalified[0].generic:
            meta.issuer, meta.issuer_mention = requalified[0].name, requalified[0]


