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


def _two_row_header_markup(grid: Grid, over: tuple[str, int, int], tag: str = "td") -> str:
    """A header of two rows: `over` = (label, first column, span) heads a group of columns
    whose own labels are in the second row; the other header cells span both rows."""
    label, first, span = over
    top, low = ["<tr>"], ["<tr>"]
    for c, h in enumerate(grid.header):
        cell = f'<p align="center"><b><span style="font-family:黑体">{html.escape(h)}</span></b></p>'
        if c == first:
            top.append(f'<{tag} colspan="{span}"><p align="center"><b>{html.escape(label)}</b></p></{tag}>')
        if first <= c < first + span:
            low.append(f"<{tag}>{cell}</{tag}>")
        else:
            top.append(f'<{tag} rowspan="2" valign="center">{cell}</{tag}>')
    return "".join(top) + "</tr>\n" + "".join(low) + "</tr>\n"


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
              title_in_table: bool = False, header_over: tuple[str, int, int] | None = None) -> str:
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
        if header_over:
            body += _two_row_header_markup(grid, header_over, "th" if th else "td")
        else:
            body += _header_markup(grid, "th" if th else "td", lost_header_span)
        body += _rows_markup(grid, rows, spans, nbsp_for_merged and k == len(parts) - 1)
        body += "</tbody>\n</table>\n"
    return _page(prose, body, grid.title)


# ===================================================================== DOCX
def write_docx(prose: list[str], grid: Grid, path: Path, split: int | None = None,
               lost_header_span: bool = False) -> Path:
    """A Word file: prose paragraphs, the title, a grid table with the header's 试点任务 over
    two columns (or, with `lost_header_span`, a header row one cell short) and the group
    and task cells vertically merged; 牵头单位 and 配合单位 as two paragraphs of their cell.
    With `split`, the rows from `split` on are a second table after an empty paragraph,
    its header repeated."""
    import docx

    document = docx.Document()
    for p in prose:
        document.add_paragraph(p.strip())
    document.add_paragraph(grid.title)
    parts = [range(0, len(grid.rows))] if split is None else [range(0, split), range(split, len(grid.rows))]
    spans = _all_spans(grid)
    for k, part in enumerate(parts):
        if k:
            document.add_paragraph("")
        table = document.add_table(rows=1 + len(part), cols=grid.ncols)
        table.style = "Table Grid"
        cells = [list(r.cells) for r in table.rows]
        heads = [h for h in grid.header if h]
        if lost_header_span:
            for c, h in enumerate(heads):
                cells[0][c].text = h
            tr = table.rows[0]._tr
            for tc in tr.findall(docx.oxml.ns.qn("w:tc"))[len(heads):]:
                tr.remove(tc)
        else:
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
        for i, r in enumerate(part):
            for c, text in enumerate(grid.rows[r]):
                if not text:
                    continue
                lines = text.split("\n")
                cell = cells[1 + i][c]
                cell.text = lines[0]
                for ln in lines[1:]:
                    cell.add_paragraph(ln)
        for i, r in enumerate(part):
            for c in range(grid.ncols):
                span = min(spans[r][c], part.stop - r)
                if span > 1:
                    cells[1 + i][c].merge(cells[1 + i + span - 1][c])
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
              landscape_page: bool = False, repeat_header: bool = True, split_in_row: bool = False,
              header_over: tuple[str, int, int] | None = None) -> Path:
    """A4 pages with page numbers; the table ruled (GRID), merged cells as SPANs, the header
    repeated on every page (repeatRows=1) or only on the first, cells wrapping over several
    lines, and with `split_in_row` a row's cells continuing on the next page."""
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
    extra = []
    if header_over:                           # two header rows: a label over a group of columns
        label, first, span = header_over
        upper = [Paragraph(escape(h), head) if not first <= c < first + span else "" for c, h in enumerate(grid.header)]
        upper[first] = Paragraph(escape(label), head)
        lower = [Paragraph(escape(h), head) if first <= c < first + span else "" for c, h in enumerate(grid.header)]
        data = [upper, lower]
        extra = [("SPAN", (first, 0), (first + span - 1, 0))]
        extra += [("SPAN", (c, 0), (c, 1)) for c in range(grid.ncols) if not first <= c < first + span]
    nhead = len(data)
    for row in grid.rows:
        data.append([Paragraph("<br/>".join(escape(ln) for ln in t.split("\n")), cell) if t else "" for t in row])
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")] + extra
    c = 0
    while c < len(grid.header) and not header_over:
        span = 1
        while c + span < len(grid.header) and not grid.header[c + span]:
            span += 1
        if span > 1:
            style.append(("SPAN", (c, 0), (c + span - 1, 0)))
        c += span
    for r, spans in enumerate(_all_spans(grid)):
        for c, span in enumerate(spans):
            if span > 1:
                style.append(("SPAN", (c, nhead + r), (c, nhead + r + span - 1)))
    if widths is None:
        widths = [1.0] * grid.ncols
    total = doc.width
    story.append(Table(data, colWidths=[total * w / sum(widths) for w in widths], repeatRows=nhead if repeat_header else 0,
                       splitInRow=1 if split_in_row else 0, style=TableStyle(style)))

    def page_number(canvas, document):
        canvas.saveState()
        canvas.setFont(_FONT, 9)
        canvas.drawCentredString(size[0] / 2, 10 * mm, f"- {document.page} -")
        canvas.restoreState()

    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return path


TIANJIN_WIDTHS = [1.3, 0.6, 2.6, 5.0, 1.2, 2.8]


# ===================================================================== tables written here
#: Two municipal task tables with other column sets, written for these tests (no converter
#: produced them): separate 牵头单位 / 配合单位 columns, a 配合单位 cell merged over two rows and
#: a placeholder (——); a 具体措施 cell holding items 1. 2. 3., a 责任单位 cell saying who
#: leads and who supports in words, 序号 and 改革事项 merged over two rows.
OWN_TABLES: dict[str, tuple[list[str], Grid]] = {
    "chongqing_tasks": (
        ["重庆市人民政府办公厅关于印发重庆市推进服务业扩大开放重点任务分工方案的通知",
         "各区县（自治县）人民政府，市政府各部门，有关单位：",
         "经市政府同意，现将《重庆市推进服务业扩大开放重点任务分工方案》印发给你们，请认真贯彻执行。",
         "重庆市人民政府办公厅",
         "2019年3月20日"],
        Grid("重庆市推进服务业扩大开放重点任务分工表",
             ["序号", "重点任务", "牵头单位", "配合单位", "完成时间"],
             [["1", "放宽外资金融机构准入条件，支持外资银行在我市设立分支机构。", "市金融局", "市商务委、市发展改革委", "2019年底"],
              ["2", "建设国际贸易“单一窗口”，推动口岸通关全流程无纸化。", "市口岸办", "市商务委、市交通运输委", "2019年6月"],
              ["3", "开展服务贸易统计监测，建立重点企业直报制度。", "市商务委", "市统计局、市财政局", "持续推进"],
              ["4", "支持知识产权质押融资，扩大专利保险试点范围。", "市知识产权局", "", "2020年底"],
              ["5", "落实研发费用加计扣除政策，减轻科技服务企业税负。", "市税务局", "市财政局、市科技局", "持续推进"],
              ["6", "完善外籍人才出入境便利措施，简化外国人来华工作许可办理流程。", "市公安局", "市人力社保局、市外办", "2019年底"],
              ["7", "推进旅游服务国际化，开发面向入境游客的精品旅游线路。", "市文化旅游委", "——", "2020年6月"],
              ["8", "培育会展服务品牌，引进国际知名展会落户。", "市商务委", "市贸促会、市公安局、市交通运输委", "持续推进"],
              ["9", "扩大教育服务对外开放，支持中外合作办学项目建设。", "市教委", "市人力社保局", "2020年底"],
              ["10", "推动医疗服务开放，支持社会资本举办国际化医疗机构。", "市卫生健康委", "市发展改革委、市商务委", "2020年底"]],
             merged={3}),
    ),
    "zhengzhou_reforms": (
        ["郑州市人民政府关于印发郑州市优化营商环境改革事项清单的通知",
         "各县（市、区）人民政府，市人民政府各部门：",
         "现将《郑州市优化营商环境改革事项清单》印发给你们，请结合实际认真组织实施。",
         "郑州市人民政府",
         "2019年5月8日"],
        Grid("郑州市优化营商环境改革事项清单",
             ["序号", "改革事项", "具体措施", "责任单位", "时间节点"],
             [["1", "深化商事制度改革", "1.推行企业登记全程电子化，实现营业执照网上申请、网上审核。"
                                       "2.开展“证照分离”改革全覆盖试点。3.压缩企业开办时间至3个工作日以内。",
               "市市场监管局牵头，市公安局、市税务局配合", "2019年底"],
              ["2", "优化工程建设项目审批", "1.精简审批环节，推行联合审图和联合验收。2.建设工程建设项目审批管理系统，实现审批事项网上办理。",
               "市住房城乡建设委牵头，市发展改革委、市政务服务办配合", "2019年9月"],
              ["3", "提升跨境贸易便利化水平", "推行进口货物“提前申报”，压缩货物整体通关时间。", "市口岸办负责", "2019年6月"],
              ["", "", "降低进出口环节合规成本，公示口岸收费目录清单。", "市商务局、市发展改革委按职责分工负责", "持续推进"],
              ["4", "优化纳税服务", "1.推行税务事项网上办理。2.简并申报缴税次数，压减纳税时间。", "市税务局负责", "2019年底"],
              ["5", "加强政务服务平台建设", "推进政务服务事项“一网通办”，实现市、县、乡三级政务服务事项网上办理。",
               "市政务服务办牵头，市发展改革委配合", "2019年底"]],
             merged={0, 1}),
    ),
}


def text_form(prose: list[str], grid: Grid) -> str:
    """The reference: the document as a plain-text file in the project's text form (prose
    lines, the title line, tab-separated rows, an empty cell under a merged one)."""
    lines = list(prose) + ["", grid.title, "\t".join(grid.header)]
    lines += ["\t".join(c.replace("\n", " ") for c in row) for row in grid.rows]
    return "\n".join(lines) + "\n"


#: Header groups the tables are also printed with: a label over two columns of the header.
HEADER_OVER = {"chongqing_tasks": ("责任单位", 2, 2), "zhengzhou_reforms": ("改革任务", 1, 2)}


def write_own(name: str, variant: str, folder: Path, two_row_header: bool = False) -> Path:
    """One of OWN_TABLES as .txt (the reference), .html (hand-written CMS markup) or .pdf;
    `two_row_header`: a header of two rows (HEADER_OVER), the text form keeping the lower."""
    prose, grid = OWN_TABLES[name]
    over = HEADER_OVER[name] if two_row_header else None
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}{'_two_row_header' if over else ''}.{variant}"
    if variant == "txt":
        path.write_text(text_form(prose, grid), encoding="utf-8")
    elif variant == "html":
        path.write_text(html_page(prose, grid, header_over=over), encoding="utf-8")
    elif variant == "pdf":
        write_pdf(prose, grid, path, widths=[0.5, 3, 1.5, 2.2, 1], header_over=over)
    else:
        raise ValueError(variant)
    return path


def word_html_page(prose: list[str], grid: Grid) -> str:
    """The page as Word's "save as web page" leaves it, pasted into a CMS: MsoNormalTable,
    <p class=MsoNormal> with <span lang=EN-US><o:p></o:p></span>, mso- styles, conditional
    comments and the trailing row of zero-height cells."""
    spans = _all_spans(grid)
    out = [f"<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:16.0pt;"
           f"font-family:方正小标宋简体'>{html.escape(grid.title)}<span lang=EN-US><o:p></o:p></span></span></b></p>\n",
           "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=640 "
           "style='width:480.0pt;border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt'>\n"]
    out.append("<tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>")
    c = 0
    while c < len(grid.header):
        span = 1
        while c + span < len(grid.header) and not grid.header[c + span]:
            span += 1
        attr = f" colspan={span}" if span > 1 else ""
        out.append(f"<td{attr} style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'>"
                   f"<p class=MsoNormal align=center style='text-align:center'><b><span style='font-family:黑体'>"
                   f"{html.escape(grid.header[c])}</span></b><span lang=EN-US><o:p></o:p></span></p></td>")
        c += span
    out.append("</tr>\n")
    for r, row in enumerate(grid.rows):
        out.append(f"<tr style='mso-yfti-irow:{r + 1}'>")
        for c, text in enumerate(row):
            if spans[r][c] == 0:
                continue
            attr = f" rowspan={spans[r][c]}" if spans[r][c] > 1 else ""
            paras = "".join(f"<p class=MsoNormal style='line-height:15.0pt'><span style='font-size:10.5pt;"
                            f"font-family:仿宋_GB2312'>{html.escape(ln)}<span lang=EN-US><o:p></o:p></span></span></p>"
                            for ln in text.split("\n")) if text else \
                "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
            out.append(f"<td width=80{attr} valign=top style='border:solid windowtext 1.0pt;border-top:none'>{paras}</td>")
        out.append("</tr>\n")
    out.append("<![if !supportMisalignedColumns]><tr height=0>"
               + "".join("<td width=80 style='border:none'></td>" for _ in range(grid.ncols))
               + "</tr><![endif]>\n</table>\n<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>\n")
    return _page(prose, "".join(out), grid.title)
