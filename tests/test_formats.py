"""HTML, DOCX and PDF readers: each writes the plain-text conventions of the .txt seeds
(tab-separated table rows, one paragraph per line), and a seed read from any format scores
as its .txt does."""
import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from policykg.errors import InputError
from policykg.extractors import formats
from policykg.extractors.formats import to_text
from policykg.extractors.layout import Table, segment
from policykg.extractors.text import read_source

from conftest import SHARED, seed
from format_fixtures import VARIANTS, seed_blocks, write_html, write_variant

SCORED = ("000", "002", "003")
MEASURES = ("measures", "backing", "roles", "provisions", "regions")


def _tables(text):
    return [b for b in segment(text) if isinstance(b, Table)]


# ===================================================================== HTML
def _page(body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>页面</title></head><body>{body}</body></html>"


def test_formats_html_table_becomes_tab_rows_with_merged_cells():
    page = _page("""
      <p>　　一、总体要求</p>
      <table border="1"><caption>试点任务表</caption>
        <thead><tr><th colspan="2">试点任务</th><th>责任单位</th></tr></thead>
        <tbody>
          <tr><td rowspan="2">完善<br>管理体制</td><td>加强统筹。</td><td>商务部牵头</td></tr>
          <tr><td><p>强化协调。</p><p>形成机制。</p></td><td>商务部\t支持</td></tr>
          <tr><td>扩大开放</td><td colspan="2">分阶段推出举措。</td></tr>
          <tr><td></td><td></td><td></td></tr>
        </tbody></table>
      <p>二、保障措施</p>""")
    text, encoding = to_text(page.encode("utf-8"), ".html", "t.html")
    assert encoding == "utf-8"
    assert text == ("一、总体要求\n\n试点任务表\n"
                    "试点任务\t\t责任单位\n"
                    "完善 管理体制\t加强统筹。\t商务部牵头\n"
                    "\t强化协调。 形成机制。\t商务部 支持\n"
                    "扩大开放\t分阶段推出举措。\t\n"
                    "\n二、保障措施\n")
    (table,) = _tables(text)
    assert table.title == "试点任务表" and table.header == ["试点任务", "", "责任单位"]
    assert [[c.text for c in r.cells] for r in table.rows][1] == ["", "强化协调。 形成机制。", "商务部 支持"]


def test_formats_two_column_table_keeps_its_merged_first_cells():
    page = _page("""<table><tr><th>任务</th><th>责任单位</th></tr>
      <tr><td rowspan="2">建设平台。</td><td>商务部</td></tr><tr><td>财政部</td></tr>
      <tr><td>完善机制。</td><td>统计局</td></tr></table><p>后文。</p>""")
    text, _ = to_text(page.encode(), ".html", "t.html")
    assert text == "任务\t责任单位\n建设平台。\t商务部\n\t财政部\n完善机制。\t统计局\n\n后文。\n"
    (table,) = _tables(text)
    assert [[c.text for c in r.cells] for r in table.rows] == [["建设平台。", "商务部"], ["", "财政部"],
                                                              ["完善机制。", "统计局"]]


def test_formats_html_nested_table_is_flattened_into_its_cell_and_layout_tables_are_read_as_text():
    inner = "<table><tr><td>甲</td><td>乙</td></tr></table>"
    page = _page(f"<table><tr><th>项目</th><th>内容</th></tr><tr><td>一</td><td>说明{inner}</td></tr></table>")
    text, _ = to_text(page.encode(), ".html", "t.html")
    assert text == "项目\t内容\n一\t说明 甲 乙\n"
    # A page laid out in a table: the outer table holds the page, the inner one the data.
    data = "<table><tr><td>领域</td><td>举措</td></tr><tr><td>金融</td><td>允许外资银行开展人民币业务。</td></tr></table>"
    layout = _page(f"<table><tr><td>网站首页</td><td><p>正文第一段。</p>{data}<p>正文第二段。</p></td></tr></table>")
    text, _ = to_text(layout.encode(), ".html", "t.html")
    assert "领域\t举措\n金融\t允许外资银行开展人民币业务。\n" in text
    assert "正文第一段。\n" in text and "正文第二段。" in text


def test_formats_html_header_row_short_of_a_cell_spans_its_first_cell():
    # 试点任务 printed over 领域 and 序号, its colspan lost: the header has a cell fewer.
    page = _page("""<table border="1" cellspacing="0"><tbody>
      <tr><td><p>试点任务</p></td><td><p>具体内容</p></td><td><p>工作举措</p></td><td><p>责任部门</p></td></tr>
      <tr><td rowspan="2"><p><span>完善管理体制</span></p></td><td rowspan="2"><p>1</p></td>
          <td rowspan="2"><p><span><font>强化统筹协调机制。</font></span></p></td>
          <td><p>巩固联席会议机制。</p></td><td><p>牵头单位：市商务委<br>配合单位：市金融局</p></td></tr>
      <tr><td><p>建立重点领域促进机制。</p></td><td><p>牵头单位：市商务委</p><p>配合单位：市财政局</p></td></tr>
      </tbody></table>""")
    text, _ = to_text(page.encode(), ".html", "t.html")
    assert text == ("试点任务\t\t具体内容\t工作举措\t责任部门\n"
                    "完善管理体制\t1\t强化统筹协调机制。\t巩固联席会议机制。\t牵头单位：市商务委 配合单位：市金融局\n"
                    "\t\t\t建立重点领域促进机制。\t牵头单位：市商务委 配合单位：市财政局\n")
    (table,) = _tables(text)
    assert table.header == ["试点任务", "", "具体内容", "工作举措", "责任部门"]


def test_formats_html_table_split_in_parts_with_its_title_in_a_row_is_one_table():
    head = "<tr><th>序号</th><th>重点任务</th><th>牵头单位</th></tr>"
    page = _page(f"""<table border="1"><tr><td colspan="3"><b>重点任务分工表</b></td></tr>{head}
      <tr><td>1</td><td>建设单一窗口。</td><td>市口岸办</td></tr></table>
      <p>&nbsp;</p>
      <table border="1">{head}<tr><td>2</td><td>开展统计监测。</td><td>市商务委</td></tr>
      <tr><td>&nbsp;</td><td>完善直报制度。</td><td>&nbsp;</td></tr></table>
      <table border="1"><tr><td>3</td><td>扩大开放。</td><td>市发展改革委</td></tr></table><p>后文。</p>""")
    text, _ = to_text(page.encode(), ".html", "t.html")
    assert text == ("重点任务分工表\n序号\t重点任务\t牵头单位\n1\t建设单一窗口。\t市口岸办\n"
                    "2\t开展统计监测。\t市商务委\n\t完善直报制度。\t\n3\t扩大开放。\t市发展改革委\n\n后文。\n")
    (table,) = _tables(text)
    assert table.title == "重点任务分工表" and len(table.rows) == 4
    # two tables with headers of their own stay two
    other = _page(f"<table>{head}<tr><td>1</td><td>甲任务。</td><td>市商务委</td></tr></table>"
                  "<table><tr><th>序号</th><th>改革事项</th><th>责任单位</th></tr>"
                  "<tr><td>1</td><td>乙事项。</td><td>市财政局</td></tr></table>")
    assert to_text(other.encode(), ".html", "t.html")[0] == ("序号\t重点任务\t牵头单位\n1\t甲任务。\t市商务委\n\n"
                                                         "序号\t改革事项\t责任单位\n1\t乙事项。\t市财政局\n")


def test_formats_html_labelled_box_is_printed_as_label_lines_not_a_table():
    page = _page("""<table class="xxgk"><tr><td>索 引 号：</td><td>000125-00-2018-0001</td><td>主题分类：</td><td>商贸</td></tr>
      <tr><td>发布机构：</td><td>人民政府办公厅</td><td>发布日期：</td><td>2018-09-18</td></tr></table>
      <p>关于印发实施方案的通知</p>""")
    text, _, hints = formats.read_document(page.encode(), ".html", "t.html")
    assert text == ("索 引 号：000125-00-2018-0001\n主题分类：商贸\n发布机构：人民政府办公厅\n发布日期：2018-09-18\n"
                    "关于印发实施方案的通知\n")
    assert not _tables(text) and hints["索引号"] == "000125-00-2018-0001" and hints["发文机关"] == "人民政府办公厅"


def test_formats_html_navigation_and_scripts_are_stripped():
    page = _page("""
      <div id="header"><a href="/">首页</a><a href="/news">新闻</a></div>
      <nav><a href="/">导航</a></nav>
      <div class="breadcrumb">当前位置：首页 &gt; 政策</div>
      <ul class="main-menu"><li>政务公开</li></ul>
      <div class="sidebar-box">相关文件</div>
      <script>var x = "脚本";</script><style>p {color: red}</style><noscript>请启用脚本</noscript>
      <iframe src="x"></iframe><form><input value="搜索"></form>
      <article><header><h1>关于试点工作的通知</h1><p>发布日期：2018-07-13</p></header>
        <div class="content"><p>各有关单位：</p><p>现将方案印发给你们。</p><p style="display:none">隐藏</p></div>
        <div class="share">分享到：微信</div>
        <a href="javascript:window.print()">【打印本页】</a>
      </article>
      <aside>推荐阅读</aside>
      <footer>版权所有</footer><div id="footer-links">网站地图</div>""")
    text, _ = to_text(page.encode(), ".html", "t.html")
    assert text == "关于试点工作的通知\n发布日期：2018-07-13\n各有关单位：\n现将方案印发给你们。\n"


def test_formats_html_keeps_a_content_wrapper_whatever_its_class():
    body = "".join(f"<p>第{i}条 规定的内容在这里展开说明。</p>" for i in range(30))
    page = _page(f'<div class="nav-layout-wrapper">{body}</div><div class="nav">首页</div>')
    text, _ = to_text(page.encode(), ".html", "t.html")
    assert text.count("\n") == 30 and "首页" not in text


@pytest.mark.parametrize("head, encoding", [
    ('<meta charset="gb2312">', "gb18030"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=GBK">', "gb18030"),
    ("", "gb18030"),                                    # no declaration: not UTF-8, so GB18030
    ('<meta charset="utf-8">', "gb18030"),              # mislabelled: the bytes are GB18030
])
def test_formats_html_encoding_detection_gb18030(head, encoding):
    page = _page("<p>国务院关于同意深化服务贸易创新发展试点的批复</p><p>𠀀字（四字节）</p>", head)
    text, found = to_text(page.encode("gb18030"), ".html", "t.html")
    assert found == encoding
    assert text == "国务院关于同意深化服务贸易创新发展试点的批复\n𠀀字（四字节）\n"


def test_formats_html_encoding_detection_utf8_and_bom():
    page = _page("<p>深化试点</p>", '<meta charset="gbk">')
    assert to_text(page.encode("utf-8"), ".html", "t.html") == ("深化试点\n", "utf-8")   # mislabelled
    assert to_text(b"\xef\xbb\xbf" + _page("<p>深化试点</p>", "").encode(), ".html", "t.html") == ("深化试点\n", "utf-8-sig")
    assert to_text(_page("<p>深化试点</p>", "").encode("utf-16"), ".html", "t.html") == ("深化试点\n", "utf-16")


def test_formats_html_seed_in_gb18030_reads_like_utf8(tmp_path):
    utf8 = write_variant(seed("002"), "html", tmp_path / "utf8")
    (tmp_path / "gb").mkdir()
    gb = write_html(seed("002"), tmp_path / "gb", encoding="gb18030")
    assert b'charset=gb2312' in gb.read_bytes()
    a, b = read_source(utf8), read_source(gb)
    assert a.text == b.text and (a.encoding, b.encoding) == ("utf-8", "gb18030")


def test_formats_html_survives_deep_nesting():
    for open_tag, close_tag in (("<div>", "</div>"), ('<div class="c"><span>', "</span></div>"), ("<b>", "</b>")):
        page = _page("<p>开头</p>" + open_tag * 10_000 + "深层文字" + close_tag * 10_000 + "<p>结尾</p>")
        start = time.perf_counter()
        text, _ = to_text(page.encode(), ".html", "deep.html")
        assert text == "开头\n深层文字\n结尾\n"
        assert time.perf_counter() - start < 10


def test_formats_html_errors_name_the_file_and_cause(tmp_path):
    for name, raw, cause in (("空.html", b"", "empty"), ("空白.html", b"  \n ", "empty"),
                             ("bin.html", b"\x89PNG\x00\x00\x01\x02", "binary"),
                             ("deep.html", _page("<table><tr><td>" * 3000 + "x").encode(), "nested too deeply"),
                             ("no text.html", _page("<script>x()</script>").encode(), "no text")):
        path = tmp_path / name
        path.write_bytes(raw)
        with pytest.raises(InputError) as exc:
            read_source(path)
        assert name in str(exc.value) and cause in exc.value.cause


# ===================================================================== DOCX
def _docx(build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_formats_docx_paragraphs_and_tables_in_body_order_with_merges():
    def build(d):
        d.add_paragraph("关于试点工作的通知")
        d.add_paragraph("任务分工表")
        t = d.add_table(rows=5, cols=3)
        cells = [list(r.cells) for r in t.rows]
        cells[0][0].text, cells[0][2].text = "试点任务", "责任单位"
        cells[0][0].merge(cells[0][1])                      # gridSpan 2
        cells[1][0].text, cells[1][1].text, cells[1][2].text = "完善\n管理体制", "加强统筹。", "商务部牵头"
        cells[2][1].text, cells[2][2].text = "强化协调。", "商务部\t支持"
        cells[3][1].text = "形成机制。"
        cells[1][0].merge(cells[3][0])                      # vMerge restart / continue
        cells[4][0].text, cells[4][1].text = "扩大开放", "分阶段推出举措。"
        cells[4][1].merge(cells[4][2])
        p = d.add_paragraph("第一条\t内容")
        p.add_run().add_break()
        p.add_run("第二行")
    text = formats.docx_to_text(_docx(build), "t.docx")
    assert text == ("关于试点工作的通知\n任务分工表\n"
                    "试点任务\t\t责任单位\n"
                    "完善 管理体制\t加强统筹。\t商务部牵头\n"
                    "\t强化协调。\t商务部 支持\n"
                    "\t形成机制。\t\n"
                    "扩大开放\t分阶段推出举措。\t\n"
                    "\n第一条 内容\n第二行\n")
    (table,) = _tables(text)
    assert table.title == "任务分工表" and len(table.rows) == 4


def test_formats_docx_nested_table_and_one_column_box():
    def build(d):
        outer = d.add_table(rows=2, cols=2)
        outer.cell(0, 0).text, outer.cell(0, 1).text = "项目", "内容"
        outer.cell(1, 0).text = "一"
        inner = outer.cell(1, 1).add_table(rows=1, cols=2)
        inner.cell(0, 0).text, inner.cell(0, 1).text = "甲", "乙"
        box = d.add_table(rows=2, cols=1)
        box.cell(0, 0).text, box.cell(1, 0).text = "附注一。", "附注二。"
    assert formats.docx_to_text(_docx(build), "t.docx") == "项目\t内容\n一\t甲 乙\n\n附注一。\n附注二。\n"


def test_formats_docx_errors_name_the_file_and_cause(tmp_path, monkeypatch):
    not_zip = tmp_path / "旧格式.docx"
    not_zip.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)       # an OLE .doc renamed
    with pytest.raises(InputError) as exc:
        read_source(not_zip)
    assert "旧格式.docx" in str(exc.value) and exc.value.cause.startswith("not a valid .docx (")

    other_zip = tmp_path / "other.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "not a word document")
    other_zip.write_bytes(buf.getvalue())
    with pytest.raises(InputError, match=r"not a valid \.docx \("):
        read_source(other_zip)

    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(_docx(lambda d: d.add_paragraph("正文"))[:-200])
    with pytest.raises(InputError, match=r"not a valid \.docx"):
        read_source(truncated)

    bomb = tmp_path / "bomb.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\x00" * 3_000_000)
    bomb.write_bytes(buf.getvalue())
    assert bomb.stat().st_size < 50_000
    monkeypatch.setattr(formats, "MAX_DOCX_UNCOMPRESSED", 1_000_000)
    with pytest.raises(InputError) as exc:
        read_source(bomb)
    assert "zip bomb" in exc.value.cause and "bomb.docx" in str(exc.value)
    assert formats.MAX_DOCX_UNCOMPRESSED == 1_000_000


# ===================================================================== PDF
def _pdf(build_story, pagesize=None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from format_fixtures import _pdf_styles

    styles = _pdf_styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=pagesize or A4)
    doc.build(build_story(*styles))
    return buf.getvalue()


def _grid_table(data, spans=(), widths=None, repeat=0):
    from reportlab.lib import colors
    from reportlab.platypus import Table as PdfTable, TableStyle

    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    style += [("SPAN", a, b) for a, b in spans]
    return PdfTable(data, colWidths=widths, style=TableStyle(style), repeatRows=repeat)


def test_formats_pdf_paragraphs_rejoined_and_tables_as_tab_rows():
    from reportlab.platypus import Paragraph

    long = "深化服务贸易创新发展试点期间，暂时调整实施相关行政法规、国务院文件和经国务院批准的部门规章的部分规定，具体由国务院另行印发。" * 2

    def story(body, title, caption, cell):
        c = lambda t: Paragraph(t, cell)  # noqa: E731
        return [Paragraph("关于试点工作的通知", title), Paragraph(long, body), Paragraph("任务分工表", caption),
                _grid_table([[c("试点任务"), "", c("责任单位")],
                             [c("完善管理体制"), c("加强国务院服务贸易发展部际联席会议工作统筹、政策协调、信息共享。"), c("商务部牵头推进")],
                             ["", c("强化协调。"), c("商务部支持指导")],
                             [c("扩大开放"), c("分阶段推出开放便利举措。"), ""]],
                            spans=[((0, 0), (1, 0)), ((0, 1), (0, 2))], widths=[80, 220, 120]),
                Paragraph("二、保障措施", body)]
    text = formats.pdf_to_text(_pdf(story), "t.pdf")
    assert text == ("关于试点工作的通知\n" + long + "\n任务分工表\n"
                    "试点任务\t\t责任单位\n"
                    "完善管理体制\t加强国务院服务贸易发展部际联席会议工作统筹、政策协调、信息共享。\t商务部牵头推进\n"
                    "\t强化协调。\t商务部支持指导\n"
                    "扩大开放\t分阶段推出开放便利举措。\t\n"
                    "\n二、保障措施\n")
    (table,) = _tables(text)
    assert table.title == "任务分工表" and table.header == ["试点任务", "", "责任单位"]


def test_formats_pdf_table_across_pages_is_one_table_without_repeated_headers():
    from reportlab.platypus import Paragraph

    def story(body, title, caption, cell):
        rows = [[Paragraph("序号", cell), Paragraph("工作举措", cell)]]
        rows += [[Paragraph(str(i), cell), Paragraph(f"第{i}项举措：推进服务贸易便利化。", cell)] for i in range(1, 121)]
        return [Paragraph("工作举措表", caption), _grid_table(rows, widths=[60, 300], repeat=1), Paragraph("完。", body)]
    text = formats.pdf_to_text(_pdf(story), "t.pdf")
    (table,) = _tables(text)
    assert table.header == ["序号", "工作举措"] and text.count("序号") == 1
    assert [r.cells[0].text for r in table.rows] == [str(i) for i in range(1, 121)]
    assert sum(r.after_break for r in table.rows) >= 1                # the page break is kept
    assert text.endswith("完。\n") and "— " not in text


def test_formats_pdf_cell_lines_broken_on_purpose_keep_apart_wrapped_ones_join():
    from reportlab.platypus import Paragraph

    def story(body, title, caption, cell):
        c = lambda t: Paragraph(t, cell)  # noqa: E731
        # 牵头单位：市商务委 fills its narrow column to the edge: only the label tells the
        # next line is a line of its own
        rows = [[c("序号"), c("工作举措"), c("责任部门")],
                [c("1"), c("巩固本市已经建立的服务贸易联席会议机制，发挥政府部门的政策优势、信息优势和平台优势。"),
                 c("牵头单位：市商务委<br/>配合单位：市金融局、市财政局、市发展改革委")],
                [c("2"), c("1.推行企业登记全程电子化。<br/>2.压缩企业开办时间。"), c("市市场监管局<br/>负责")]]
        return [_grid_table(rows, widths=[30, 200, 81])]
    text = formats.pdf_to_text(_pdf(story), "t.pdf")
    assert text == ("序号\t工作举措\t责任部门\n"
                    "1\t巩固本市已经建立的服务贸易联席会议机制，发挥政府部门的政策优势、信息优势和平台优势。"
                    "\t牵头单位：市商务委 配合单位：市金融局、市财政局、市发展改革委\n"
                    "2\t1.推行企业登记全程电子化。 2.压缩企业开办时间。\t市市场监管局 负责\n")


def test_formats_pdf_row_going_on_over_a_page_break_is_one_row():
    from reportlab.platypus import Paragraph

    long = "推动新的租赁业态和租赁模式加速聚集，实现租赁主要业务领域的全覆盖。" * 6

    def story(body, title, caption, cell):
        c = lambda t: Paragraph(t, cell)  # noqa: E731
        rows = [[c("序号"), c("工作举措"), c("完成时限")]]
        rows += [[c(str(i)), c(f"第{i}项举措：{long}"), c("持续推进")] for i in range(1, 13)]
        from reportlab.lib import colors
        from reportlab.platypus import Table as PdfTable, TableStyle
        return [PdfTable(rows, colWidths=[40, 300, 80], splitInRow=1,
                         style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))]
    text = formats.pdf_to_text(_pdf(story), "t.pdf")
    (table,) = _tables(text)
    cells = [[c.text for c in r.cells] for r in table.rows]
    assert [r[0] for r in cells if r[0]] == [str(i) for i in range(1, 13)]
    assert all(r[1].startswith("第") and r[1].endswith("全覆盖。") for r in cells if r[0])
    assert sum(1 for r in cells if not r[0]) == 0          # no row is left in halves


def test_formats_header_of_two_rows_is_one_row_of_column_labels():
    page = _page("""<table border="1"><tr><th rowspan="2">序号</th><th rowspan="2">重点任务</th>
      <th colspan="2">责任单位</th><th rowspan="2">完成时间</th></tr><tr><th>牵头单位</th><th>配合单位</th></tr>
      <tr><td>1</td><td>建设单一窗口。</td><td>市口岸办</td><td>市商务委</td><td>2019年底</td></tr></table>""")
    assert to_text(page.encode(), ".html", "t.html")[0] == ("序号\t重点任务\t牵头单位\t配合单位\t完成时间\n"
                                                         "1\t建设单一窗口。\t市口岸办\t市商务委\t2019年底\n")
    from reportlab.platypus import Paragraph

    def story(body, title, caption, cell):
        c = lambda t: Paragraph(t, cell)  # noqa: E731
        rows = [[c("序号"), c("重点任务"), c("责任单位"), "", c("完成时间")],
                ["", "", c("牵头单位"), c("配合单位"), ""]]
        rows += [[c(str(i)), c(f"第{i}项任务：推进服务贸易便利化。"), c("市商务委"), c("市财政局"), c("持续推进")]
                 for i in range(1, 81)]
        spans = [((2, 0), (3, 0))] + [((k, 0), (k, 1)) for k in (0, 1, 4)]
        return [_grid_table(rows, spans=spans, widths=[30, 200, 60, 60, 60], repeat=2)]
    text = formats.pdf_to_text(_pdf(story), "t.pdf")
    (table,) = _tables(text)
    assert table.header == ["序号", "重点任务", "牵头单位", "配合单位", "完成时间"]
    assert [r.cells[0].text for r in table.rows] == [str(i) for i in range(1, 81)]
    assert text.count("牵头单位") == 1 and "责任单位" not in text


def test_formats_pdf_borderless_table_falls_back_to_the_text_strategy():
    from reportlab.platypus import Paragraph, Table as PdfTable

    def story(body, title, caption, cell):
        rows = [["序号", "任务", "责任单位", "完成时限"]]
        rows += [[str(i), f"推进第{i}项改革任务", "市商务委", "2018年底"] for i in range(1, 7)]
        return [Paragraph("关于试点工作的说明。请各单位认真落实。", body), Paragraph("任务分工表", caption),
                PdfTable([[Paragraph(c, cell) for c in r] for r in rows], colWidths=[40, 200, 100, 80]),
                Paragraph("以上任务请按期完成。", body)]
    text = formats.pdf_to_text(_pdf(story), "t.pdf")
    (table,) = _tables(text)
    assert table.title == "任务分工表" and table.header == ["序号", "任务", "责任单位", "完成时限"]
    assert [c.text for c in table.rows[-1].cells] == ["6", "推进第6项改革任务", "市商务委", "2018年底"]
    assert text.startswith("关于试点工作的说明。请各单位认真落实。\n") and text.endswith("\n以上任务请按期完成。\n")


def test_formats_pdf_page_numbers_are_dropped(tmp_path):
    path = write_variant(seed("003"), "pdf", tmp_path)
    text = read_source(path).text
    assert "—" not in text.replace("——", "")
    assert len(text.splitlines()) == len(seed_blocks(seed("003")))


def test_formats_pdf_errors_name_the_file_and_cause(tmp_path):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    def pdf_with(draw, encrypt=None) -> bytes:
        buf = io.BytesIO()
        c = canvas.Canvas(buf, encrypt=encrypt)
        draw(c)
        c.showPage()
        c.save()
        return buf.getvalue()

    cases = (
        ("扫描件.pdf", pdf_with(lambda c: c.rect(100, 100, 300, 400, fill=1)), "no text layer (scanned PDF?)"),
        ("locked.pdf", pdf_with(lambda c: c.drawString(100, 700, "secret"),
                                pdfencrypt.StandardEncryption("user-pw", ownerPassword="owner-pw")), "encrypted"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "not a valid PDF"),
        ("text.pdf", "这是文本文件".encode(), "not a valid PDF"),
    )
    for name, raw, cause in cases:
        path = tmp_path / name
        path.write_bytes(raw)
        with pytest.raises(InputError) as exc:
            read_source(path)
        assert name in str(exc.value) and cause in exc.value.cause
    # An encrypted PDF that opens without a password is read.
    opened = tmp_path / "owner-only.pdf"
    opened.write_bytes(pdf_with(lambda c: c.drawString(100, 700, "readable text"),
                                pdfencrypt.StandardEncryption("", ownerPassword="owner-pw")))
    assert read_source(opened).text == "readable text\n"


def test_formats_unknown_suffix_is_an_input_error():
    with pytest.raises(InputError, match="unsupported"):
        to_text(b"data", ".rtf", "x.rtf")


# ===================================================================== fixtures
def test_formats_fixtures_carry_real_merged_cells(tmp_path):
    html = write_variant(seed("002"), "html", tmp_path).read_text(encoding="utf-8")
    assert 'rowspan="' in html and 'colspan="2"' in html and "<script" in html and 'class="nav"' in html
    with zipfile.ZipFile(write_variant(seed("002"), "docx", tmp_path)) as zf:
        xml = zf.read("word/document.xml").decode()
    assert "<w:vMerge/>" in xml or 'w:vMerge w:val="continue"' in xml
    assert 'w:gridSpan w:val="2"' in xml
    gb = write_variant(seed("002"), "gb18030", tmp_path / "gb")
    with pytest.raises(UnicodeDecodeError):
        gb.read_bytes().decode("utf-8")


# ===================================================================== scores
def _score(frag, file_name: str, stem: str, folder: Path) -> dict:
    from policykg.graph.export import fragment_records, write_records

    export = folder / f"{file_name}.jsonl"
    write_records(fragment_records(frag), export)
    gold = json.loads((SHARED / "eval" / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
    gold["document"] = file_name
    gold_path = folder / f"{file_name}.gold.json"
    gold_path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(export), str(gold_path), "--json"],
                            capture_output=True, text=True, check=True)
    summary = json.loads(result.stdout)["summary"]
    return {name: summary[name]["f1"] for name in MEASURES}


@pytest.fixture(scope="module")
def original_scores(nlp, tmp_path_factory):
    from policykg.extractors.pipeline import extract_file

    folder = tmp_path_factory.mktemp("original")
    return {p: _score(extract_file(seed(p), nlp), seed(p).name, seed(p).stem, folder) for p in SCORED}


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="../shared/eval is not beside the repo")
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("prefix", SCORED)
def test_formats_variants_score_like_the_text(prefix, variant, nlp, original_scores, tmp_path):
    from policykg.extractors.pipeline import extract_file

    path = write_variant(seed(prefix), variant, tmp_path / "docs")
    assert path.stem == seed(prefix).stem
    frag = extract_file(path, nlp)
    scores = _score(frag, path.name, seed(prefix).stem, tmp_path)
    for name in MEASURES:
        assert abs(scores[name] - original_scores[prefix][name]) <= 0.01, (name, scores, original_scores[prefix])
