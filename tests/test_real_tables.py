"""Tables as users get them: the Tianjin task table of corpus/004 and two tables written
here, read from a CMS web page, the page split into two tables, a Word file and PDFs, give
the same measures and the same LEADS/COOPERATES links (agency, measure, role) as their
plain-text reference. Fixtures: tests/table_fixtures.py (built here, nothing binary is
committed; each file is written once per session)."""
from __future__ import annotations

from pathlib import Path

import pytest

import table_fixtures as tf

#: The Tianjin variants: how each is written (prose, grid, path).
TIANJIN = {
    "html_rowspan": lambda p, g, path: path.write_text(tf.html_page(p, g), encoding="utf-8"),
    "html_header_span_lost": lambda p, g, path: path.write_text(tf.html_page(p, g, lost_header_span=True),
                                                                encoding="utf-8"),
    "html_split_th_nbsp": lambda p, g, path: path.write_text(
        tf.html_page(p, g, split=22, th=True, nbsp_for_merged=True), encoding="utf-8"),
    "html_title_row": lambda p, g, path: path.write_text(
        tf.html_page(p, g, title_in_table=True, lost_header_span=True), encoding="utf-8"),
    "html_word_export": lambda p, g, path: path.write_text(tf.word_html_page(p, g), encoding="utf-8"),
    "docx_vmerge": lambda p, g, path: tf.write_docx(p, g, path),
    "docx_split_short_header": lambda p, g, path: tf.write_docx(p, g, path, split=22, lost_header_span=True),
    "pdf_header_repeated": lambda p, g, path: tf.write_pdf(p, g, path, widths=tf.TIANJIN_WIDTHS),
    "pdf_header_once": lambda p, g, path: tf.write_pdf(p, g, path, widths=tf.TIANJIN_WIDTHS, repeat_header=False),
    "pdf_rows_over_pages": lambda p, g, path: tf.write_pdf(p, g, path, widths=tf.TIANJIN_WIDTHS,
                                                           landscape_page=True, repeat_header=False,
                                                           split_in_row=True),
}


def _suffix(variant: str) -> str:
    return "." + variant.split("_")[0]


def _key(text: str, pdf: bool) -> str:
    from policykg.graph.model import normalise_text

    text = normalise_text(text)
    # reportlab's STSong-Light prints no U+00B7 (中国·天津): the PDF never holds it.
    return text.replace("·", "") if pdf else text


def measures_and_links(frag, pdf: bool = False) -> tuple[set[str], set[tuple[str, str, str]]]:
    from policykg.graph.model import Label

    measures = {n.id: n for n in frag.by_label(Label.MEASURE)}
    agencies = {n.id: n for n in frag.by_label(Label.AGENCY)}
    links = {(agencies[r.start].name, _key(measures[r.end].text, pdf), r.type.value)
             for r in frag.relationships.values()
             if r.type.value in ("LEADS", "COOPERATES") and r.end in measures}
    return {_key(m.text, pdf) for m in measures.values()}, links


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Variant name → its file, written on first use."""
    folder = tmp_path_factory.mktemp("real_tables")
    cache: dict[str, Path] = {}

    def get(variant: str) -> Path:
        if variant not in cache:
            prose, grid, _ = tf.tianjin()
            path = folder / f"tianjin_{variant}{_suffix(variant)}"
            TIANJIN[variant](prose, grid, path)
            cache[variant] = path
        return cache[variant]
    return get


@pytest.fixture(scope="session")
def tianjin_reference(nlp):
    from policykg.extractors.pipeline import extract_file

    return extract_file(tf.TIANJIN, nlp)


def _compare(ref, got, pdf: bool, table_texts: set[str] | None = None) -> str:
    """Counts like '107/107 measures, 145/145 links' (and the table's own share)."""
    rm, rl = measures_and_links(ref, pdf)
    gm, gl = measures_and_links(got, pdf)
    report = f"{len(rm & gm)}/{len(rm)} measures (+{len(gm - rm)}), {len(rl & gl)}/{len(rl)} links (+{len(gl - rl)})"
    if table_texts is not None:
        tm = {m for m in rm if m in table_texts}
        tl = {link for link in rl if link[1] in table_texts}
        report += (f"; table: {len(tm & gm)}/{len(tm)} measures, "
                   f"{len(tl & gl)}/{len(tl)} links")
    assert gm == rm and gl == rl, (report, sorted(rm ^ gm)[:6], sorted(rl ^ gl)[:6])
    return report


def _table_texts(grid: tf.Grid, pdf: bool) -> set[str]:
    """Every measure text a table cell can give (a cell, or an item of a cell)."""
    import re

    out = set()
    for row in grid.rows:
        for cell in row:
            for piece in [cell] + re.split(r"\d[.．]", cell):
                if piece.strip():
                    out.add(_key(piece, pdf))
    return out


@pytest.mark.parametrize("variant", sorted(TIANJIN))
def test_real_tables_tianjin_variant_gives_the_text_measures_and_links(variant, built, nlp, tianjin_reference):
    from policykg.extractors.pipeline import extract_file

    pdf = variant.startswith("pdf")
    frag = extract_file(built(variant), nlp)
    _, grid, _ = tf.tianjin()
    report = _compare(tianjin_reference, frag, pdf, _table_texts(grid, pdf))
    print(variant, report)


def test_real_tables_tianjin_reference_is_the_whole_table(tianjin_reference):
    """The reference itself: every task and action of the 40 tasks is a measure, and the
    responsibility cells give their LEADS and COOPERATES links."""
    _, grid, _ = tf.tianjin()
    texts = _table_texts(grid, False)
    measures, links = measures_and_links(tianjin_reference)
    table_measures = {m for m in measures if m in texts}
    table_links = {link for link in links if link[1] in texts}
    tasks = {_key(r[2], False) for r in grid.rows if r[2]}
    actions = {_key(r[3], False) for r in grid.rows if r[3]}
    assert len(grid.rows) == 43 and tasks | actions <= table_measures
    assert len(table_measures) == 83 and len(table_links) == 145
    assert {role for _, _, role in table_links} == {"LEADS", "COOPERATES"}


@pytest.mark.parametrize("two_row_header", [False, True], ids=["one_header_row", "two_header_rows"])
@pytest.mark.parametrize("variant", ["html", "pdf"])
@pytest.mark.parametrize("name", sorted(tf.OWN_TABLES))
def test_real_tables_own_tables_read_like_their_text(name, variant, two_row_header, nlp, tmp_path_factory):
    from policykg.extractors.pipeline import extract_file

    folder = tmp_path_factory.mktemp(f"own_{name}_{variant}")
    ref = extract_file(tf.write_own(name, "txt", folder), nlp)
    got = extract_file(tf.write_own(name, variant, folder, two_row_header=two_row_header), nlp)
    _, grid = tf.OWN_TABLES[name]
    measures, links = measures_and_links(ref)
    # the reference reads the whole table: one measure per task (and per item of a cell)
    assert len(measures) == {"chongqing_tasks": 10, "zhengzhou_reforms": 15}[name]
    assert len(links) == {"chongqing_tasks": 28, "zhengzhou_reforms": 22}[name]
    print(name, variant, "two header rows" if two_row_header else "", _compare(ref, got, variant == "pdf", _table_texts(grid, variant == "pdf")))


def test_real_tables_own_tables_hand_written_markup_is_cms_like(tmp_path):
    """The HTML is written by hand the way CMSs write it, not by a converter."""
    page = tf.write_own("zhengzhou_reforms", "html", tmp_path).read_text(encoding="utf-8")
    assert '<table border="1" cellspacing="0"' in page and "<tbody>" in page
    assert 'rowspan="2"' in page and "<p style=" in page and "<span style=" in page
    assert "<script" in page and 'class="nav"' in page
