"""The speed-only rewrites in extraction give exactly what the plain forms they replace give."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from policykg.extractors.entities import DOC_NUMBER_RE, Mention, _alt, doc_numbers
from policykg.extractors.pipeline import build_nlp
from policykg.extractors.roles import _within

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEEDS = sorted(p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt"))

TRICKY = [
    "", " ", "  ", "a b", "a  b", "a\tb", " lead", "end ", "中 文 \n 字", "x\u3000 y", "\u2028x \u00a0y",
    "国发〔2018〕79号国发〔2018〕80号", "关于印发某某的通知津政发〔 2019 〕 3 号", "〔2018〕1号",
    "国家税务总局2018年第1号公告", "某某  2018 年 第十号公告", "12018年第2号公告", "abc〔2018〕",
    "（国函〔2018〕79号）和粤府函〔2020〕5号文件", "海关总署 2021年第一百号公告，津政办发〔2021〕11号",
]


def _flat_alt(words) -> str:
    """The former form: a longest-first alternation."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)


@pytest.mark.parametrize("text", SEEDS + TRICKY)
def test_doc_numbers_are_finditer(text):
    assert [m.span() for m in doc_numbers(text)] == [m.span() for m in DOC_NUMBER_RE.finditer(text)]
    assert [m.groupdict() for m in doc_numbers(text)] == [m.groupdict() for m in DOC_NUMBER_RE.finditer(text)]


def test_trie_alternation_prefers_as_the_flat_one():
    words = ["北京", "北京市", "北京市商务局", "天津", "天津市", "天", "滨海新区", "滨海", "市", "商务局", "a.b", "a"]
    texts = ["北京市商务局和天津市、滨海新区", "北京市商局", "天天津市a.b a", "北京市区", "滨海新区商务局"]
    for tail in ("", "商务局", r"(?:市|)商务局", "、"):
        flat = re.compile(f"(?:{_flat_alt(words)}){tail}")
        trie = re.compile(f"(?:{_alt(words)}){tail}")
        for text in texts:
            assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]
    assert _alt([]) == _flat_alt([]) == ""


def test_trie_alternation_with_guarded_branches():
    """Nodes with many branches get a class lookahead: still the same matches."""
    words = [a + b for a in "甲乙丙丁戊己庚辛壬癸" for b in ("", "市", "市局", "省", "省厅")] + ["甲乙", "甲乙丙"]
    text = "甲市局乙省厅丙丁戊市、己庚辛省壬癸市局甲乙丙丁"
    for tail in ("", "局", r"(?:市|)厅", "、"):
        flat = re.compile(f"(?:{_flat_alt(words)}){tail}")
        trie = re.compile(f"(?:{_alt(words)}){tail}")
        assert "(?=[" in _alt(words)
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


@pytest.mark.parametrize("text", SEEDS + TRICKY + ["表情😀 字", " \U00020000 中", " ", "a ", "\t\t", "中\u3000 \n文"])
def test_char_tokenizer_tokens(text):
    """One token per non-space character; a whitespace run is a token unless it is one plain
    space after a character (that character's trailing space); the Doc is lossless."""
    doc = build_nlp().make_doc(text)
    words, spaces = [], []
    for tok in re.findall(r"\S|\s+", text):
        if tok == " " and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
        else:
            words.append(tok)
            spaces.append(False)
    assert [t.text for t in doc] == words
    assert [bool(t.whitespace_) for t in doc] == spaces
    assert doc.text == text


def test_within_is_the_filter():
    ms = [Mention(s, e, "x", "x", "agency") for s, e in [(0, 3), (2, 4), (2, 9), (5, 5), (5, 8), (9, 12)]]
    for s in range(0, 13):
        for e in range(s, 14):
            want = [m for m in ms if s <= m.start and m.end <= e]
            assert _within(ms, s, e) == want
            unsorted = list(reversed(ms))
            assert _within(unsorted, s, e) == [m for m in unsorted if s <= m.start and m.end <= e]


def test_region_list_is_the_search():
    from policykg.extractors.pipeline import _recogniser
    rec = _recogniser(None)
    windows = ["、", "北京、", "、北京、", "上海北京、天津、", "、、天津、", "天津、、", "x天津、", "支持广州、深圳、",
               "天津", "天津市、滨海新区、", "北京市天津、"]
    for text in SEEDS:
        windows += [text[max(0, i - 200):i + 1] for i, ch in enumerate(text) if ch == "、"]
    for w in windows:
        lm = rec.region_list_re.search(w)
        assert rec._region_list(w) == (lm.group(1) if lm else None), w[-40:]


def test_intervals_add_in_order_and_out_of_order():
    from policykg.extractors.entities import _Intervals
    spans = [(5, 9), (0, 3), (5, 7), (2, 12), (12, 13), (1, 2), (20, 21), (20, 25)]
    inc, ref = _Intervals([]), []
    for s, e in spans:
        inc.add(s, e)
        ref.append((s, e))
        fresh = _Intervals(ref)
        assert (inc.spans, inc._starts, inc._maxend, inc.set) == (fresh.spans, fresh._starts, fresh._maxend, fresh.set)


# ------------------------------------------------------------------ issue 11, second pass
_CHECKED_TEXTS = SEEDS + TRICKY + [
    "市场监管局和市商务委", "、市商务委", "A市发展改革委", "市", "北京、天津市人民政府", "河北省委和省政府",
    "天津海关负责", "天津市滨海新区商务局", "北京市朝阳区人民政府办公室牵头", "中国人民银行天津分行",
]


@pytest.mark.parametrize("text", _CHECKED_TEXTS)
def test_agency_tries_only_where_a_match_can_start(text):
    """agency_re tried at the automaton's starts gives what finditer gives."""
    from policykg.extractors.pipeline import _recogniser

    rec = _recogniser(None)
    rec._scan = rec._starts_of = None
    got = [(m.span(), m.lastgroup) for m in rec._agency_matches(text + "。" * 1000)]
    want = [(m.span(), m.lastgroup) for m in rec.agency_re.finditer(text + "。" * 1000)]
    assert got == want


def test_local_starts_are_the_boundary_pattern():
    from policykg.extractors.entities import _BODY_AFTER, CJK, _local_starts

    plain = re.compile(rf"(?:(?<![{CJK}])|(?<=[{_BODY_AFTER}]))[省市区县]")
    for text in _CHECKED_TEXTS + ["市", "省市", "和市", "a县", "\n区"]:
        assert _local_starts(text) == {m.start() for m in plain.finditer(text)}


def test_first_leads_search_only_at_opening_characters():
    from policykg.extractors.roles import _first_chars, _found

    assert _first_chars(re.compile(r"(?:排在?|列)?(?:第一位|首位)的?牵头")) == set("排列第首")
    for unknown in (r"[^a]", r"(?=a)a", r"a*", r"^ab", r"(?i)a", r"\d", r".a"):
        assert _first_chars(re.compile(unknown)) is None
    patterns = [r"(?:排在?|列|名列)?(?:第一位|首位|第一个|最前面?)的?(?:单位|部门|者)?(?:为|是|系)?牵头(?:单位|部门)",
                r"(a|b?)c", r"[a-c]x", r"^ab"]
    for p in patterns:
        rx = re.compile(p)
        for text in SEEDS + TRICKY + ["排在第一位的为牵头单位", "最前的是牵头部门", "xc", "bx", "ab", "zab"]:
            assert _found(rx, text) == (rx.search(text) is not None)


def test_suspension_period_reads_the_sentences_that_suspend():
    from datetime import date

    from policykg.extractors import deadlines as dl

    w = dl.words()
    texts = SEEDS + ["暂时调整实施有关规定，期限为三年。", "试点期间，暂停实施第三条；试点期限为2年",
                     "自2018年1月1日起施行。暂时调整适用\n期限为二年。", "没有。", "暂时调整实施。期限为三年。"]
    period = dl.Period(date(2018, 1, 1), None)

    def plain(text, period, document_date):
        norm = dl._normal(text)
        if not w.suspend.search(norm):
            return dl.Period()
        for s in dl._SENTENCES.finditer(norm):
            sent = s.group()
            if w.suspend.search(sent):
                t = w.term.search(sent)
                base = period.start or document_date
                if t and base is not None:
                    return dl.Period(base, dl._term_end(base, t))
        return dl.Period(period.start, period.end)

    for text in texts:
        for p, d in ((period, None), (dl.Period(), None), (dl.Period(), date(2019, 5, 1))):
            assert dl.suspension_period(text, p, d) == plain(text, p, d)


@pytest.mark.parametrize("text", SEEDS + TRICKY + ["表情😀 字", " 中  文 ", "中\u3000 \n文 \u2028 x"])
def test_char_tokenizer_arrays_are_the_plain_reading(text):
    tok = build_nlp().tokenizer
    found = tok._vectorised(text)
    plain = tok._plain(text, tok._orths.__getitem__)
    assert found is None and any(ord(c) > 0xFFFF for c in text) or found == plain


def test_char_tokenizer_whitespace_table_is_the_pattern():
    tok = build_nlp().tokenizer
    _, space = tok._tables()
    for code in range(0x10000):
        assert bool(space[code]) == bool(tok._WS.fullmatch(chr(code)))


def test_intervals_inside_is_the_walk():
    import random

    from policykg.extractors.entities import _Intervals

    rng = random.Random(11)
    for _ in range(300):
        spans = [(a, a + rng.randint(0, 12)) for a in (rng.randint(0, 40) for _ in range(rng.randint(0, 12)))]
        iv = _Intervals(spans)
        if rng.random() < 0.5 and spans:
            iv.add(rng.randint(0, 50), rng.randint(50, 60))
        for s in range(-1, 62):
            for e in range(s, min(s + 15, 64)):
                assert iv.inside(s, e) == any(a <= s and e <= b for a, b in iv.spans)
