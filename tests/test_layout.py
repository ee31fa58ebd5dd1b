from policykg.extractors.gazetteer import default_gazetteer
from policykg.extractors.layout import Paragraph, Table, segment
from policykg.extractors.genres.tables import _align, _ncols, _repair_breaks, column_roles

from conftest import text_of


def _tables(prefix):
    return [b for b in segment(text_of(prefix)) if isinstance(b, Table)]


def _prepared(table):
    n = _ncols(table)
    rows = _align(table.rows, n)
    roles = column_roles(Table(table.start, table.end, table.title, table.header, rows), default_gazetteer(), n)
    return roles, _repair_breaks(rows, roles, default_gazetteer().numbering.cell_item)


def test_layout_finds_tab_tables_with_titles():
    tables = _tables("002")
    assert [t.header for t in tables] == [["领域", "涉及行业", "开放便利举措", "现行相关规定"],
                                          ["试点任务", "", "政策保障措施", "责任单位"]]
    assert tables[1].title == "深化服务贸易创新发展试点任务及政策保障措施"


def test_layout_column_roles_from_headers_and_content():
    opening, tasks = _tables("002")
    assert _prepared(opening)[0] == ["group", "field", "opening", "provisions"]
    assert _prepared(tasks)[0] == ["group", "task", "safeguard", "responsibility"]
    (cells,) = _tables("004")
    assert _prepared(cells)[0] == ["group", "number", "task", "action", "deadline", "responsibility"]


def test_layout_repairs_cells_cut_by_page_breaks():
    _, rows = _prepared(_tables("002")[1])
    texts = [c.text for r in rows for c in r.cells]
    joined = [t for t in texts if t.startswith("探索完善跨境交付")]
    assert len(joined) == 1 and joined[0].endswith("有序推进对外开放。")
    # A fragment that lost its column before the break lands with its second half.
    insurance = [r for r in rows if any(c.text.startswith("鼓励保险公司") for c in r.cells)]
    assert len(insurance) == 1
    assert insurance[0].cells[2].text.endswith("简化投保手续。")


def test_layout_one_cell_per_line_rows_keep_empty_cells():
    (table,) = _tables("004")
    assert table.header == ["试点任务", "具体内容", "工作举措", "完成时限", "责任部门"]
    assert len(table.rows) == 43
    assert all(len(r.cells) == 6 for r in table.rows)
    resp = table.rows[0].cells[5].text
    assert resp.startswith("牵头单位：市商务委") and "配合单位：" in resp


def test_layout_joins_paragraphs_across_page_breaks():
    paras = [b for b in segment(text_of("002")) if isinstance(b, Paragraph)]
    assert any("维修、国" in p.text and "际结算" in p.text for p in paras)
