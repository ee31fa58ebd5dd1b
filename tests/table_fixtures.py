"""Real-world table fixtures: the Tianjin task table of corpus/004 and two tables written
here, served the way users get them (a CMS web page, the same page with the table split in
two, a PDF printed from it, a Word file), each beside its plain-text reference.

Nothing here goes through the project's segmenter: the Tianjin table is read from the .txt
by this module's own small parser (blank-separated rows of tab-led cell lines), and the
own tables are written as data. The markup is written by hand the way government CMSs
write it (`<table border=1 cellspacing=0><tbody><tr><td rowspan=3><p><span>…`): merged
group and task cells are real rowspans / vMerge / SPANs, the header's first cell spans two
columns, a responsibility cell holds 牵头单位：… and 配合单位：… on two lines (<br>, two <p>,
two Word paragraphs, two PDF lines).
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
TIANJIN = next((ROOT / "corpus").glob("004_*.txt"))


@dataclass
class Grid:
    """A table as its printed rows: `rows` hold every cell's text (a cell's lines joined by
    "\\n"); `merged[c]` says that column's empty cells continue the one above (a rowspan)."""
    title: str
    header: list[str]                  # with "" after a header cell spanning two columns
    rows: list[list[str]]
    merged: set[int] = field(default_factory=set)

    @property
    def ncols(self) -> int:
        return len(self.rows[0])


# ===================================================================== the Tianjin table
def tianjin() -> tuple[list[str], Grid, str]:
    """The prose lines before the table, the table, and the reference text (the .txt)."""
    text = TIANJIN.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("\t"))
    prose = [ln for ln in lines[:start] if ln.strip()]
    title = prose.pop()                        # 天津市深化服务贸易创新发展试点任务明细表
    rows: list[list[str]] = []
    current: list[str] = []
    for ln in lines[start:] + [""]:
        if not ln.strip() and not ln.startswith("\t"):
            if current:
                rows.append(current)
                current = []
            continue
        if ln.startswith("\t"):
            current.append(ln[1:].strip())
        else:                                  # 配合单位：… on the cell's second line
            current[-1] += "\n" + ln.strip()
    header, rows = rows[0], rows[1:]
    ncols = max(len(r) for r in rows)
    assert all(len(r) == ncols for r in rows), "every Tianjin row has all its cells"
    # 试点任务 spans the group and number columns (the header has one cell fewer).
    header = header[:1] + [""] * (ncols - len(header)) + header[1:]
    grid = Grid(title, header, rows, merged={0, 1, 2})
    return prose, grid, text


def _spans(rows: list[list[str]], col: int, merged: bool, owner_cols: tuple[int, ...] = ()) -> list[int]:
    """Rows spanned by each cell of `col` (0: covered by the cell above). An empty cell
    continues the one above; a cell of a column merged with its left neighbour
    (`owner_cols`) never reaches past a new value there."""
    spans = [1] * len(rows)
    if not merged:
        return spans
    owner = None
    for r, row in enumerate(rows):
        starts = any(rows[r][c] for c in owner_cols)
        if row[col] or owner is None or starts:
            owner = r
        else:
            spans[owner] += 1
            spans[r] = 0
    return spans


def _all_spans(grid: Grid) -> list[list[int]]:
    """spans[r][c] for every cell; a column's span never crosses a new value to its left."""
    cols = []
    for c in range(grid.ncols):
        left = tuple(k for k in range(c) if k in grid.merged)
        cols.append(_spans(grid.rows, c, c in grid.merged, left))
    return [[cols[c][r] for c in range(grid.ncols)] for r in range(len(grid.rows))]


# ===================================================================== HTML
_HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="SiteName" content="人民政府门户网站" />
<meta name="ColumnName" content="政策文件" />
<title>{title}</title>
<link href="/css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/js/jquery.min.js"></script>
</head>
<body>
<div class="top-bar"><div class="w1200"><span>欢迎访问人民政府网站</span><a href="/wza/">无障碍浏览</a><a href="/m/">手机版</a></div></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="" /></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div></div>
<div class="crumbs">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zcwj/">政策文件</a></div>
<div class="w1200 clearfix">
<div class="xxgk-box"><table class="xxgk-table" width="100%"><tbody>
<tr><td class="label">索 引 号：</td><td>000125-00-2018-0001</td><td class="label">主题分类：</td><td>商贸</td></tr>
<tr><td class="label">发布机构：</td><td>人民政府办公厅</td><td class="label">发布日期：</td><td>2018-09-18</td></tr>
</tbody></table></div>
<div class="article-con">
<div class="TRS_Editor" id="zoom">
"""
_TAIL = """</div>
</div>
<div class="article-tools"><a href="javascript:window.print();">【打印】</a><a href="javascript:window.close();">【关闭】</a></div>
<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div>
</div>
<div class="footer"><p>主办：人民政府办公厅 &nbsp;&nbsp; 网站标识码：1200000001</p><p>津ICP备05000000号</p></div>
<script type="text/javascript">var _maq = _maq || [];</script>
</body>
</html>
"""

#: How a cell's lines are joined in the markup, in turn: <br>, two <p>, <br/> inside a <span>.
_LINE_STYLES = ("br", "p", "span")


def _cell_markup(text: str, k: int, center: bool = False) -> str:
    """A CMS cell's content: <p><span style=…>…</span></p>, with nested <font>/<span>, and a
    cell's lines (牵头单位：… / 配合单位：…) as <br>, separate <p>s or <br/> in a <span>."""
    align = ' align="center"' if center else ""
    lines = [html.escape(ln) for ln in text.split("\n")]
    style = _LINE_STYLES[k % len(_LINE_STYLES)]
    font = '<span style="font-family:仿宋_GB2312;font-size:12pt">'
    if style == "p" and len(lines) > 1:
        return "".join(f'<p style="line-height:20pt"{align}>{font}{ln}</span></p>' for ln in lines)
    if style == "span":
        inner = "<br/>".join(f'<font face="仿宋">{ln}</font>' for ln in lines)
        return f'<p style="line-height:20pt"{align}>{font}{inner}</span></p>'
    return f'<p style="line-height:20pt"{align}>{font}{"<br>".join(lines)}</span></p>'


def _header_markup(grid: Grid, tag: str = "td", lost_span: bool = False) -> str:
    """The header row; with `lost_span` the spanning cell has no colspan (the row is short,
    as when a CMS drops the merge)."""
    out = ['<tr style="height:30px">']
    c = 0
    while c < len(grid.header):
        span = 1
        while c + span < len(grid.header) and not grid.header[c + span]:
            span += 1
        attr = f' colspan="{span}"' if span > 1 and not lost_span else ""
        out.append(f'<{tag}{attr} valign="center"><p align="center"><b><span style="font-family:黑体">'
                   f"{html.escape(grid.header[c])}</span></b></p></{tag}>")
        c += span
    out.append("</tr>\n")
    return "".join(out)


def _rows_markup(grid: Grid, rows: range, spans: list[list[int]], nbsp_for_merged: bool = False) -> str:
    """Rows as <tr>s; a merged cell is a rowspan (bounded by `rows`), or, with
    `nbsp_for_merged`, a cell holding only &nbsp; under the filled one (merges lost)."""
    out = []
    for r in rows:
        out.append("<tr>")
        for c, text in enumerate(grid.rows[r]):
            span = spans[r][c]
            if span == 0 and not nbsp_for_merged:
                if r == rows.start:           # the table was split inside the merge
                    out.append('<td valign="center"><p>&nbsp;</p></td>')
                continue
            if nbsp_for_merged and span == 0:
                out.append("<td>&nbsp;</td>")
                continue
            span = min(span, rows.stop - r)
            attr = f' rowspan="{span}"' if span > 1 and not nbsp_for_merged else ""
            out.append(f'<td{attr} valign="center">{_cell_markup(text, r + c, center=c in (1, 4))}</td>')
        out.append("</tr>\n")
    return "".join(out)


def _page(prose: list[str], body: str, title: str) -> str:
    paras = "".join(f'<p style="text-indent:2em">{html.escape(p.strip())}</p>\n' for p in prose)
    return _HEAD.format(title=html.escape(title)) + paras + body + _TAIL


def _table_open() -> str:
    return ('<table border="1" cellspacing="0" cellpadding="0" width="640" align="center" '
            'style="border-collapse:collapse;border:none">\n<tbody>\n')


def html_page(prose: list[str], grid: Grid, split: int | None = None, th: bool = False,
              nbsp_for_merged: bool = False, lost_header_span: bool = False,
              title_in_table: bool = False) -> str:
    """The page: prose, the table's title paragraph, the table (split in two <table>s after
    row `split`, the header repeated, as Word pages become separate tables). Options:
    <th> header cells, merges lost in the second part (cells holding only &nbsp;), the
    header's spanning cell without its colspan, the title as the table's first row."""
    spans = _all_spans(grid)
    title = f'<p align="center"><strong><span style="font-size:16pt">{html.escape(grid.title)}</span></strong></p>\n'
    parts = [range(0, len(grid.rows))] if split is None else [range(0, split), range(split, len(grid.rows))]
    body = "" if title_in_table else title
    for k, rows in enumerate(parts):
        if k:
            body += '<p>&nbsp;</p>\n'
        body += _table_open()
        if title_in_table and not k:
            body += (f'<tr><td colspan="{grid.ncols}" style="border:none"><p align="center"><b>'
                     f'<span style="font-size:16pt">{html.escape(grid.title)}</span></b></p></td></tr>\n')
        body += _header_markup(grid, "th" if th else "td", lost_header_span)
        body += _rows_markup(grid, rows, spans, nbsp_for_merged and k == len(parts) - 1)
        body += "</tbody>\n</table>\n"
    return _page(prose, body, grid.title)


# ===================================================================== DOCX
def write_docx(prose: list[str], grid: Grid, path: Path) -> Path:
    """A Word file: prose paragraphs, the title, a grid table with the header's 试点任务 over
    two columns and the group and task cells vertically merged; 牵头单位 and 配合单位 as two
    paragraphs of their cell."""
    import docx

    document = docx.Document()
    for p in prose:
        document.add_paragraph(p.strip())
    document.add_paragraph(grid.title)
    table = document.add_table(rows=1 + len(grid.rows), cols=grid.ncols)
    table.style = "Table Grid"
    cells = [list(r.cells) for r in table.rows]
    for c, h in enumerate(grid.header):
        if h:
            cells[0][c].text = h
    c = 0
    while c < len(grid.header):
        span = 1
        while c + span < len(grid.header) and not grid.header[c + span]:
            span += 1
        if span > 1:
            cells[0][c].merge(cells[0][c + span - 1])
        c += span
    spans = _all_spans(grid)
    for r, row in enumerate(grid.rows):
        for c, text in enumerate(row):
            if not text:
                continue
            lines = text.split("\n")
            cell = cells[1 + r][c]
            cell.text = lines[0]
            for ln in lines[1:]:
                cell.add_paragraph(ln)
    for r in range(len(grid.rows)):
        for c in range(grid.ncols):
            if spans[r][c] > 1:
                cells[1 + r][c].merge(cells[1 + r + spans[r][c] - 1][c])
    document.save(str(path))
    return path


# ===================================================================== PDF
_FONT = "STSong-Light"


def _styles():
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    body = ParagraphStyle("tbody", fontName=_FONT, fontSize=12, leading=20, firstLineIndent=24,
                          wordWrap="CJK", spaceAfter=4)
    title = ParagraphStyle("ttitle", parent=body, fontSize=15, leading=24, alignment=TA_CENTER, firstLineIndent=0)
    cell = ParagraphStyle("tcell", fontName=_FONT, fontSize=9, leading=12, wordWrap="CJK")
    head = ParagraphStyle("thead", parent=cell, alignment=TA_CENTER)
    return body, title, cell, head


def write_pdf(prose: list[str], grid: Grid, path: Path, widths: list[float] | None = None,
              landscape_page: bool = False) -> Path:
    """A4 pages with page numbers; the table ruled (GRID), merged cells as SPANs, the header
    repeated on every page (repeatRows=1), cells wrapping over several lines."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    body, title, cell, head = _styles()
    size = landscape(A4) if landscape_page else A4
    doc = SimpleDocTemplate(str(path), pagesize=size, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=22 * mm, bottomMargin=22 * mm)
    story = [Paragraph(escape(p.strip()), body) for p in prose]
    story.append(Paragraph(escape(grid.title), title))
    data = [[Paragraph(escape(h), head) if h else "" for h in grid.header]]
    for row in grid.rows:
        data.append([Paragraph("<br/>".join(escape(ln) for ln in t.split("\n")), cell) if t else "" for t in row])
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    c = 0
    while c < len(grid.header):
        span = 1
        while c + span < len(grid.header) and not grid.header[c + span]:
            span += 1
        if span > 1:
            style.append(("SPAN", (c, 0), (c + span - 1, 0)))
        c += span
    for r, spans in enumerate(_all_spans(grid)):
        for c, span in enumerate(spans):
            if span > 1:
                style.append(("SPAN", (c, 1 + r), (c, r + span)))
    if widths is None:
        widths = [1.0] * grid.ncols
    total = doc.width
    story.append(Table(data, colWidths=[total * w / sum(widths) for w in widths], repeatRows=1,
                       style=TableStyle(style)))

    def page_number(canvas, document):
        canvas.saveState()
        canvas.setFont(_FONT, 9)
        canvas.drawCentredString(size[0] / 2, 10 * mm, f"- {document.page} -")
        canvas.restoreState()

    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return path


TIANJIN_WIDTHS = [1.3, 0.6, 2.6, 5.0, 1.2, 2.8]
