"""Deadlines and periods as dates: a measure's completion time as printed (2018年底前,
2019年上半年, 1年内, 持续推进) read as the last day it allows, relative to the document's
own date; the deadline a prose item prints in its own text; the period a document is in
force (自2017年1月1日起施行, 有效期至2023年12月31日止, 试点期限为2年) and the period a
suspension of rules runs (暂时调整实施…, 试点期间).

The words are data (data/deadline_words.tsv): the parts of a year and of a month with
their last day, the words that make a time a deadline (前, 底前, 内, 完成) or a start
(起, 自, 至), the words that name a document or a period, and the wordings that name no
date (持续推进). Numerals are read as cn2an reads them (numerals.py).

Why no time-parsing library. Checked on our wordings (document date 2018-06-01):
- jionlp (Apache-2.0) `parse_time` reads the absolute wordings right (2018年底前,
  2019年6月底, 2019年上半年, 第三季度, 2018—2020年, 2012年起5年内) but rounds relative
  periods up to a calendar boundary (1年内 → 2019-12-31, 三个月内 → 2018-08-31, where the
  document's date plus the period is meant), prints a banner on stdout when imported,
  adds ~0.5 s of import time, and requires jiojio (148 MB, GPLv3): not usable in an MIT
  project.
- jionlp-time (its time parser repackaged as MIT, one release in 2023, unmaintained):
  the same code and the same errors, and a relicence of Apache code we cannot vouch for.
- ChineseTimeNLP / cntime-nlp (MIT, ports of Time-NLP): 2018年底 → 2018-01-01,
  2019年6月底 → 2019-06-01, 第三季度 → today, 2018—2020年 → a 2020-year timedelta.
- dateparser (BSD) with languages=["zh"]: only 2018年9月 and 2020年 (→ 2020-06-30); None
  for 年底, 月底, 上半年, 季度, 年内, ranges.
The wordings of policy documents are a small closed set; the parser below reads them in
microseconds with no dependency but cn2an.

Conventions (the last day the wording allows):
- a year, a month, a part of either: its last day (2020年 → 2020-12-31, 2018年9月 →
  2018-09-30, 第三季度 → 09-30 of the document's year, or of the year named);
- a range (2018—2020年, 2018年7月1日起至2020年6月30日止): its end;
- a period from the document's date (1年内, 三个月内): as the civil code counts one
  (民法典 第二百零一条, 第二百零三条): the first day is not counted, so it ends on the
  corresponding day (2018-06-01 + 1年内 → 2019-06-01; a month without that day ends on
  its last day); 工作日 periods need a holiday calendar and give no date;
- a period from a day that counts (自2017年1月1日起施行 …实施期限为二年): the day before the
  corresponding day (→ 2018-12-31);
- 2012年起5年内: the end of the fifth year counted from 2012 (2016-12-31).
"""
from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "deadline_words.tsv"

_FULLWIDTH = str.maketrans("０１２３４５６７８９—–－‒―～~", "0123456789-------")
_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}


def _alt(words) -> str:
    """Longest first, so that the longest word that fits wins at a position."""
    found = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(map(re.escape, found)) or "(?!)"


@lru_cache(maxsize=256)
def _number(raw: str) -> int | None:
    if raw.isdigit():
        return int(raw)
    if len(raw) == 4 and all(c in _CN_DIGIT for c in raw):     # 二〇一八 (a year, digit by digit)
        return int("".join(str(_CN_DIGIT[c]) for c in raw))
    from policykg.extractors.numerals import to_int
    try:
        return to_int(raw, "smart")
    except (ValueError, KeyError, TypeError):
        return None


def add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:                  # 29 February in a common year: its month's last day
        return d.replace(year=d.year + n, day=28)


def add_months(d: date, n: int) -> date:
    k = d.month - 1 + n
    y, m = d.year + k // 12, k % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


@dataclass
class Words:
    """The lexicon of data/deadline_words.tsv, compiled once."""
    rows: list[tuple[str, str, str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path = DATA) -> "Words":
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = [c.strip() for c in line.split("\t")]
            rows.append((cols[0], cols[1], cols[2] if len(cols) > 2 else ""))
        return cls(rows).compile()

    def of(self, kind: str) -> list[str]:
        return [w for w, k, _ in self.rows if k == kind]

    def compile(self) -> "Words":
        self.no_date = frozenset(self.of("none"))
        self.year_part = {w: v for w, k, v in self.rows if k == "year"}
        # After a year the part may drop its own 年: 2018年底, 2019年上半年, 2019年年底.
        after_year = dict(self.year_part)
        after_year.update({w[1:]: v for w, v in self.year_part.items() if w.startswith("年") and len(w) > 1})
        self.after_year = after_year
        month_part = {w: v for w, k, v in self.rows if k == "month"}
        self.after_month = {(w[1:] if w.startswith("月") and len(w) > 1 else w): v for w, v in month_part.items()}
        Y = r"(?:\d{4}|[〇零○一二三四五六七八九]{4})"
        N = r"(?:\d{1,3}|[一二两三四五六七八九十]{1,3})"
        # Every time opens with a numeral or one of these (a cheap test at each place).
        opens = set("0123456789〇零○一二三四五六七八九十两今明当") | {w[0] for w in self.year_part}
        self.time = re.compile(
            rf"(?=[{''.join(sorted(opens))}])"
            rf"(?:(?P<full>(?P<fy>{Y})年(?P<fm>{N})月(?P<fd>{N})[日号])"
            rf"|(?P<since>(?P<sy>{Y})年起(?P<sn>{N})个?(?P<su>年|月)(?:以内|之内|内))"
            rf"|(?P<ym>(?:(?P<my>{Y})年|(?P<mrel>今年|明年|当年))?(?P<mm>{N})月(?P<mp>{_alt(self.after_month)})?)"
            rf"|(?P<yp>(?:(?P<py>{Y})年(?P<ppa>{_alt(after_year)})|(?P<prel>今年|明年|当年)?(?P<pp>{_alt(self.year_part)})))"
            rf"|(?P<rel>(?P<rn>{N})(?P<ru>个月|个季度|季度|年|个星期|星期|周|天|日|个工作日|工作日)(?:以内|之内|内))"
            rf"|(?P<year>(?P<yy>{Y})年))")
        self.range_to = re.compile(r"\s*(?:起)?\s*(?:-|至|到)\s*")
        self.bare_year_range = re.compile(rf"(?P<a>{Y})\s*-\s*(?=(?P<b>{Y})年)")
        due = self.of("due")
        self.due_after = re.compile(rf"(?:{_alt(due)})")
        self.due_words = set(due)
        self.start_before = re.compile(rf"(?:{_alt(self.of('start'))})\s*$")
        self.start_after = re.compile(r"(?:起|开始|以来|之后|后)")
        self.self_words = re.compile(_alt(self.of("self")))
        self.term = re.compile(rf"(?:{_alt(self.of('term'))})(?:为|是)?\s*(?P<n>{N})\s*(?P<u>个月|年)")
        self.suspend = re.compile(_alt(self.of("suspend")))
        #: No suspending word runs over a sentence's end (what suspension_period relies on).
        self.suspend_in_sentences = not any(c in word for word in self.of("suspend") for c in "。；\n")
        D = rf"{Y}年{N}月{N}[日号]"
        self.from_issue = re.compile(r"自(?:[^，。；]{0,12}?)(?:印发|发布|公布|下发|颁布|发文)之日起(?:施行|实施|执行|实行|生效)?")
        self.from_date = re.compile(rf"自\s*(?P<d>{D})\s*起")
        self.until_date = re.compile(rf"(?:至|到|截至|有效期至)\s*(?P<d>{D})(?:止|前|为止)?")
        self.date = re.compile(rf"(?P<y>{Y})年(?P<m>{N})月(?P<d>{N})[日号]")
        self.in_force_verb = re.compile(r"起(?:施行|实施|执行|实行|生效)")
        return self


@lru_cache(maxsize=1)
def words() -> Words:
    return Words.load()


_WIDE = re.compile("[０-９—–－‒―～~]+")


def _normal(text: str) -> str:
    """Full-width digits and dashes as ASCII, one character for one (offsets hold).
    (str.translate walks every character of a long text; a regex finds the few.)

    Kept (speed only: 2.4 % of extraction was this): the last long text, since in_force
    and suspension_period read the same document, and the last 1,024 short ones (cells and
    clauses repeat). Only one document is held, so memory stays flat."""
    global _normal_last
    if len(text) <= 1000:
        return _normal_short(text)
    last = _normal_last
    if last is not None and last[0] is text:
        return last[1]
    out = _WIDE.sub(_wide_ascii, text)
    _normal_last = (text, out)
    return out


def _wide_ascii(m: re.Match) -> str:
    return m.group().translate(_FULLWIDTH)


_normal_last: tuple[str, str] | None = None


@lru_cache(maxsize=1024)
def _normal_short(text: str) -> str:
    return _WIDE.sub(_wide_ascii, text)


def _last_day(m: re.Match, doc: date | None, w: Words) -> date | None:
    """The last day the time expression matched by `w.time` allows."""
    g = m.groupdict()
    try:
        if g["full"]:
            return date(_number(g["fy"]), _number(g["fm"]), _number(g["fd"]))
        if g["since"]:
            y, n = _number(g["sy"]), _number(g["sn"])
            if g["su"] == "年":
                return date(y + n - 1, 12, 31)
            return add_months(date(y, 1, 1), n) - timedelta(days=1)
        if g["ym"]:
            y = _year(g["my"], g["mrel"], doc)
            mo = _number(g["mm"])
            if y is None or mo is None or not 1 <= mo <= 12:
                return None
            end = _month_end(y, mo)
            day = int(w.after_month.get(g["mp"] or "", 31))
            return end if day >= end.day else date(y, mo, day)
        if g["yp"]:
            part = g["ppa"] or g["pp"]
            y = _year(g["py"], g["prel"], doc)
            if y is None:
                return None
            mo, day = (int(x) for x in w.after_year[part].split("-"))
            return date(y, mo, day)
        if g["rel"]:
            n, unit = _number(g["rn"]), g["ru"]
            if doc is None or n is None or "工作日" in unit:
                return None
            if unit == "年":
                return add_years(doc, n)
            if unit == "个月":
                return add_months(doc, n)
            if "季度" in unit:
                return add_months(doc, 3 * n)
            if unit in ("周", "星期", "个星期"):
                return doc + timedelta(weeks=n)
            return doc + timedelta(days=n)
        if g["year"]:
            return date(_number(g["yy"]), 12, 31)
    except (TypeError, ValueError):
        return None
    return None


def _year(printed: str | None, relative: str | None, doc: date | None) -> int | None:
    if printed:
        return _number(printed)
    if doc is None:
        return None
    return doc.year + (1 if relative == "明年" else 0)


def _first_time(text: str, w: Words, pos: int = 0) -> re.Match | None:
    return w.time.search(text, pos)


def _range_end(text: str, m: re.Match, w: Words) -> re.Match:
    """The time a range's start (m) runs to (2018年-2020年, …起至2020年6月30日止), or m."""
    c = w.range_to.match(text, m.end())
    if c:
        n = w.time.match(text, c.end())
        if n:
            return n
    return m


@lru_cache(maxsize=4096)
def _due(printed: str, doc: date | None) -> date | None:
    w = words()
    text = re.sub(r"\s+", "", _normal(printed))
    if not text or text in w.no_date:
        return None
    b = w.bare_year_range.search(text)          # 2018-2020年: the end year
    m = _first_time(text, w)
    if b and (m is None or b.start() <= m.start()):
        m = w.time.match(text, b.start("b"))
    if m is None:
        return None
    return _last_day(_range_end(text, m, w), doc, w)


def due(printed: str | None, document_date: date | str | None) -> date | None:
    """The last day the completion time `printed` allows, read relative to the document's
    date (a date or its ISO form), or None for a wording that names no date (持续推进) or
    that needs the document's date where there is none."""
    if not printed:
        return None
    if isinstance(document_date, str):
        document_date = _iso_date(document_date)
    return _due(printed, document_date)


def due_iso(printed: str | None, document_date: date | str | None) -> str | None:
    d = due(printed, document_date)
    return d.isoformat() if d else None


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


_CLAUSE_START = re.compile(r"(?:^|[。；：！？\n]|[一二三四五六七八九十]、|（[一二三四五六七八九十]+）|\d+[.．、])\s*(?:在|于)?\s*$")


def printed_deadline(text: str) -> str | None:
    """The first time phrase in a prose measure's own text that sets when it is due, as
    printed: a time followed by a deadline word (2019年6月底前, 于2018年12月底前报送 →
    2018年12月底前, 1年内完成 → 1年内, 2020年内), or a part of a year that opens a clause
    (2019年上半年，…). Not a target (到2020年，…), a start (自…起, 2019年起), the end of a span (至2023年
    12月31日前), a period counted from an event (成交后1年内), a past date that opens a clause
    (2016年2月，国务院批复…) or a span of work (5年内重点引进…)."""
    if not text:
        return None
    w = words()
    norm = _normal(text)
    pos = 0
    while True:
        m = w.time.search(norm, pos)
        if m is None:
            return None
        pos = m.end()
        before = norm[max(0, m.start() - 12):m.start()]
        if w.start_before.search(before):
            continue
        end_m = _range_end(norm, m, w)
        end = end_m.end()
        after = norm[end:end + 4]
        if w.start_after.match(after):
            continue
        g = m.groupdict()
        clause = norm[:m.start()][-40:]
        if g["rel"] or g["since"]:
            # A period counts from the document only where nothing else starts it in its
            # clause (成交之日起, 签订后), and sets a deadline only before a completion verb.
            head = re.split(r"[，。；：]", clause)[-1]
            if re.search(r"(?:起|后|之后|以后)", head):
                continue
            if after.startswith("完成"):
                return text[m.start():end]
            continue
        due_word = w.due_after.match(norm, end)
        if due_word and due_word.group() != "完成":
            return text[m.start():due_word.end()]
        if due_word or norm[end - 1:end] == "内":
            return text[m.start():end]
        if before.endswith("到"):
            continue        # 到2020年，… : a target, not a deadline
        if _CLAUSE_START.search(clause) and norm[end:end + 1] in "，,":
            last = end_m.groupdict()
            if last["yp"] or (last["ym"] and last["mp"]):     # 2019年上半年，… (not 2016年2月，…)
                return text[m.start():end]


@dataclass
class Period:
    start: date | None = None
    end: date | None = None

    def __bool__(self) -> bool:
        return self.start is not None or self.end is not None

    def iso(self) -> tuple[str | None, str | None]:
        return (self.start.isoformat() if self.start else None, self.end.isoformat() if self.end else None)


def _date_of(m: re.Match | None, w: Words) -> date | None:
    if m is None:
        return None
    d = w.date.match(m.group("d"))
    try:
        return date(_number(d.group("y")), _number(d.group("m")), _number(d.group("d")))
    except (TypeError, ValueError, AttributeError):
        return None


def _term_end(start: date, m: re.Match) -> date | None:
    n = _number(m.group("n"))
    if n is None:
        return None
    return (add_years(start, n) if m.group("u") == "年" else add_months(start, n)) - timedelta(days=1)


_SENTENCES = re.compile(r"[^。；\n]+")


def in_force(text: str, document_date: date | str | None) -> Period:
    """The period the document is in force where its text says: 自印发之日起施行 (from its
    date), 自2017年1月1日起施行, 自…起至2020年6月30日止, 有效期X年, 有效期至…, 试点期限为
    X年, 实施期限为二年 (from + X years - 1 day). The first sentence saying each wins."""
    if isinstance(document_date, str):
        document_date = _iso_date(document_date)
    w = words()
    start = end = None
    term: re.Match | None = None
    for s in _SENTENCES.finditer(_normal(text)):
        sent = s.group()
        if "自" not in sent and "至" not in sent and "期" not in sent:
            continue        # no start, end or term can be read here (speed only)
        self_ = w.self_words.search(sent)
        t = w.term.search(sent)
        if not (self_ or t or "有效期" in sent or w.in_force_verb.search(sent)):
            continue
        # 自本意见印发之日起至2022年12月31日前，… opens a measure's own window: a start
        # counts before a verb of force (起施行) or a stated end (…起至…止), an end with 止.
        ud = w.until_date.search(sent)
        ends = ud is not None and (ud.group().endswith("止") or "有效期" in sent[:ud.start() + 3])
        if start is None:
            issue = w.from_issue.search(sent)
            fd = w.from_date.search(sent)
            if issue and (w.in_force_verb.match(sent, issue.end() - 1) or issue.group().endswith(("施行", "实施", "执行", "实行", "生效"))
                          or (ends and (self_ or t))):
                start = document_date
            elif fd and (w.in_force_verb.match(sent, fd.end() - 1) or (ends and (self_ or t))):
                start = _date_of(fd, w)
        if end is None and ends and (self_ or t or "有效期" in sent):
            end = _date_of(ud, w)
        # 许可证有效期5年 is a licence's term: a term counts after the document's own name
        # (本办法…有效期3年, 试点期限为2年) or opening the sentence (有效期3年).
        if term is None and t and ((self_ and self_.start() <= t.start()) or not sent[:t.start()].strip(" 　，,")):
            term = t
    if end is None and term is not None:
        base = start or document_date
        if base is not None:
            end = _term_end(base, term)
    return Period(start, end)


def suspension_period(text: str, period: Period, document_date: date | str | None = None) -> Period:
    """The period a suspension of rules runs, where the text scopes one in time: a term in
    the sentence that suspends (暂时调整实施…，期限为三年), else the document's own period
    where the text suspends rules (暂时调整适用, 试点期间). Empty where it does neither."""
    if isinstance(document_date, str):
        document_date = _iso_date(document_date)
    w = words()
    norm = _normal(text)
    # Where the suspending words are, found once: a sentence suspends when one starts in it
    # (a word holds no 。；\n, so none runs over a sentence's end), instead of searching
    # every sentence for them (speed only).
    hits = [m.start() for m in w.suspend.finditer(norm)]
    if not hits:
        return Period()
    base = period.start or document_date
    if base is not None:
        for s in _SENTENCES.finditer(norm):
            k = bisect_left(hits, s.start())
            if (k < len(hits) and hits[k] < s.end()) if w.suspend_in_sentences else w.suspend.search(s.group()):
                t = w.term.search(s.group())
                if t:
                    return Period(base, _term_end(base, t))
    return Period(period.start, period.end)
