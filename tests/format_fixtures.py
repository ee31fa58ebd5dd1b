"""Format variants of the seed documents (HTML, DOCX, PDF, GB18030 text), written by the
tests themselves from the seed .txt files: nothing binary is committed.

A seed is split into prose paragraphs and tables with the project's own segmenter (rows cut
by a page break rejoined, as the extractor does), then written out the way such a document
reaches users: a government web page with its chrome, a Word file with real tables, a PDF
with a text layer and ruled tables, a GB18030 text file. Merged cells are real merges: an
empty first-column cell under a filled one becomes part of a row span; a header cell
followed by empty header cells spans them.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from policykg.extractors.gazetteer import default_gazetteer
from policykg.extractors.layout import Paragraph, Table, segment
from policykg.extractors.genres.tables import _align, _ncols, _repair_breaks, column_roles
from policykg.extractors.text import read_source

VARIANTS = ("html", "docx", "pdf", "gb18030")


@dataclass
class SeedTable:
    title: str | None
    header: list[str]
    rows: list[list[str]]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _paragraph_text(text: str) -> str:
    """A paragraph's lines as one line: the segmenter joined them because a page break cut
    the paragraph (or a line was wrapped), so they join without a break."""
    return _squash("".join(part.strip() for part in text.split("\n")))


def seed_blocks(path: Path) -> list[str | SeedTable]:
    """The seed as paragraphs (str) and tables, in document order."""
    text = read_source(path).text
    gaz = default_gazetteer()
    out: list[str | SeedTable] = []
    for block in segment(text):
        if isinstance(block, Paragraph):
            para = _paragraph_text(block.text)
            if para:
                out.append(para)
            continue
        assert isinstance(block, Table)
        n = _ncols(block)
        rows = _align(block.rows, n)
        roles = column_roles(Table(block.start, block.end, block.title, block.header, rows), gaz, n)
        rows = _repair_breaks(rows, roles, default_gazetteer().numbering.cell_item)
        header = [_squash(h) for h in block.header]
        if header and len(header) < n:
            header = [""] * (n - len(header)) + header
        cells = [[_squash(c.text) for c in row.cells] for row in rows]
        cells = [r for r in cells if any(r)]
        out.append(SeedTable(block.title, header, cells))
    return out


def _row_spans(rows: list[list[str]]) -> list[int]:
    """Rows spanned by each first-column cell: an empty cell under a filled one continues it
    (0 for a continuation row)."""
    spans = [1] * len(rows)
    owner = None
    for r, row in enumerate(rows):
        if row[0] or owner is None:
            owner = r
        else:
            spans[owner] += 1
            spans[r] = 0
    return spans


def _header_spans(header: list[str]) -> list[int]:
    """Columns spanned by each header cell: a filled cell spans the empty ones after it."""
    spans = [1] * len(header)
    owner = None
    for c, h in enumerate(header):
        if h or owner is None:
            owner = c
        else:
            spans[owner] += 1
            spans[c] = 0
    return spans


def _title_of(blocks) -> str:
    """The document's title line: a short first paragraph, if it has one."""
    first = next((b for b in blocks if isinstance(b, str)), "")
    return first if len(first) <= 60 and not first.endswith(("。", "；", "：")) else ""


# --------------------------------------------------------------------- HTML
_PAGE_HEAD = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}_政府信息公开</title>
<link rel="stylesheet" href="/css/common.css">
<style>body{{font-family:"SimSun";}} .content p{{text-indent:2em;line-height:2;}}</style>
<script type="text/javascript">var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script");
hm.src = "https://hm.example.cn/hm.js?1234"; document.getElementsByTagName("head")[0].appendChild(hm); }})();</script>
</head>
<body>
<div class="header">
  <div class="logo"><a href="/"><img src="/images/logo.png" alt="人民政府门户网站"></a>人民政府门户网站</div>
  <div class="search"><form action="/search"><input type="text" name="q" placeholder="请输入关键词"><button>搜索</button></form></div>
  <ul class="nav">
    <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zcwj/">政策文件</a></li>
    <li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/sjfb/">数据发布</a></li>
  </ul>
</div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zcwj/">政策文件</a></div>
<div class="main">
<div id="sidebar" class="left-menu"><h3>政策文件</h3><ul><li><a href="#">国务院文件</a></li><li><a href="#">部门文件</a></li><li><a href="#">政策解读</a></li></ul></div>
<div class="article">
<div class="content" id="UCAP-CONTENT">
"""

_PAGE_TAIL = """</div>
<div class="article-info">来源：政府信息公开专栏 &nbsp; 【字号：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>】 &nbsp; <a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()" onclick="window.close()">【关闭窗口】</a></div>
<div class="share-box">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="related"><!-- 相关链接 --></div>
</div>
</div>
<div class="footer">
  <p>主办单位：人民政府办公厅 &nbsp; 承办：政务服务数据管理局</p>
  <p>网站标识码：1000000001 &nbsp; ICP备05000000号 &nbsp; 公网安备 11010202000001号</p>
</div>
<script type="text/javascript">document.write('<span id="counter"></span>');</script>
</body>
</html>
"""


def html_page(blocks, charset: str = "utf-8") -> str:
    title = _title_of(blocks)
    out = [_PAGE_HEAD.format(charset=charset, title=html.escape(title))]
    first = bool(title)
    for b in blocks:
        if isinstance(b, str):
            if first:
                out.append(f'<h1 style="text-align:center">{html.escape(b)}</h1>\n')
                first = False
            else:
                out.append(f'<p style="text-indent:2em;">\u3000\u3000{html.escape(b)}</p>\n')
            continue
        out.append('<table border="1" cellspacing="0" cellpadding="4" width="100%" style="border-collapse:collapse">\n')
        if b.title:
            out.append(f"<caption><strong>{html.escape(b.title)}</strong></caption>\n")
        if b.header:
            out.append("<thead><tr>")
            for h, span in zip(b.header, _header_spans(b.header)):
                if span:
                    attr = f' colspan="{span}"' if span > 1 else ""
                    out.append(f"<th{attr}>{html.escape(h)}</th>")
            out.append("</tr></thead>\n")
        out.append("<tbody>\n")
        for row, span in zip(b.rows, _row_spans(b.rows)):
            out.append("<tr>")
            if span:
                attr = f' rowspan="{span}"' if span > 1 else ""
                out.append(f'<td{attr} valign="middle"><p>{html.escape(row[0])}</p></td>')
            for cell in row[1:]:
                out.append(f"<td><p>{html.escape(cell)}</p></td>" if cell else "<td>&nbsp;</td>")
            out.append("</tr>\n")
        out.append("</tbody></table>\n")
    out.append(_PAGE_TAIL)
    return "".join(out)


def write_html(seed: Path, folder: Path, encoding: str = "utf-8") -> Path:
    blocks = seed_blocks(seed)
    charset = "gb2312" if encoding.lower() in ("gb18030", "gbk", "gb2312") else encoding
    path = Path(folder) / (seed.stem + ".html")
    path.write_bytes(html_page(blocks, charset).encode(encoding))
    return path


# --------------------------------------------------------------------- DOCX
def write_docx(seed: Path, folder: Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    blocks = seed_blocks(seed)
    document = docx.Document()
    first = bool(_title_of(blocks))
    for b in blocks:
        if isinstance(b, str):
            p = document.add_paragraph(b)
            if first:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                first = False
            else:
                p.paragraph_format.first_line_indent = Pt(21)
            continue
        if b.title:
            document.add_paragraph(b.title).alignment = WD_ALIGN_PARAGRAPH.CENTER
        ncols = max(len(r) for r in ([b.header] if b.header else []) + b.rows)
        body = [b.header] if b.header else []
        table = document.add_table(rows=len(body) + len(b.rows), cols=ncols)
        table.style = "Table Grid"
        cells = [list(r.cells) for r in table.rows]
        if b.header:
            for c, (h, span) in enumerate(zip(b.header, _header_spans(b.header))):
                if span:
                    cells[0][c].text = h
                    if span > 1:
                        cells[0][c].merge(cells[0][c + span - 1])
        off = len(body)
        spans = _row_spans(b.rows)
        for r, row in enumerate(b.rows):
            for c, text in enumerate(row):
                if text:
                    cells[off + r][c].text = text
        for r, span in enumerate(spans):
            if span > 1:
                cells[off + r][0].merge(cells[off + r + span - 1][0])
    path = Path(folder) / (seed.stem + ".docx")
    document.save(str(path))
    return path


# --------------------------------------------------------------------- PDF
_FONT = "STSong-Light"


def _pdf_styles():
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    body = ParagraphStyle("body", fontName=_FONT, fontSize=10.5, leading=17, firstLineIndent=21,
                          wordWrap="CJK", spaceAfter=5)
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=22, alignment=TA_CENTER,
                           firstLineIndent=0, spaceAfter=10)
    caption = ParagraphStyle("caption", parent=body, fontSize=11, alignment=TA_CENTER, firstLineIndent=0)
    cell = ParagraphStyle("cell", fontName=_FONT, fontSize=8, leading=11, wordWrap="CJK")
    return body, title, caption, cell


def _column_widths(table: SeedTable, total: float) -> list[float]:
    ncols = len(table.rows[0])
    weight = []
    for c in range(ncols):
        lengths = sorted(len(r[c]) for r in table.rows)
        typical = lengths[len(lengths) * 3 // 4] if lengths else 1
        weight.append(max(typical, 6) ** 0.7)
    s = sum(weight)
    return [total * w / s for w in weight]


def write_pdf(seed: Path, folder: Path) -> Path:
    """A4 pages, a CID font, ruled tables (header repeated on each page), page numbers."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table as PdfTable, TableStyle

    body, title_style, caption, cell = _pdf_styles()
    blocks = seed_blocks(seed)
    path = Path(folder) / (seed.stem + ".pdf")
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                            topMargin=25 * mm, bottomMargin=25 * mm, title=_title_of(blocks))
    story = []
    first = bool(_title_of(blocks))
    for b in blocks:
        if isinstance(b, str):
            story.append(Paragraph(escape(b), title_style if first else body))
            first = False
            continue
        if b.title:
            story.append(Paragraph(escape(b.title), caption))
        data, style = [], [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]
        if b.header:
            data.append([Paragraph(escape(h), cell) if h else "" for h in b.header])
            for c, span in enumerate(_header_spans(b.header)):
                if span > 1:
                    style.append(("SPAN", (c, 0), (c + span - 1, 0)))
        off = len(data)
        for row in b.rows:
            data.append([Paragraph(escape(t), cell) if t else "" for t in row])
        for r, span in enumerate(_row_spans(b.rows)):
            if span > 1:
                style.append(("SPAN", (0, off + r), (0, off + r + span - 1)))
        story.append(PdfTable(data, colWidths=_column_widths(b, doc.width), repeatRows=1 if b.header else 0,
                              style=TableStyle(style)))
        story.append(Spacer(1, 8))

    def page_number(canvas, document):
        canvas.saveState()
        canvas.setFont(_FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {document.page} —")
        canvas.restoreState()

    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return path


# --------------------------------------------------------------------- text
def write_gb18030(seed: Path, folder: Path) -> Path:
    path = Path(folder) / (seed.stem + ".txt")
    path.write_bytes(seed.read_bytes().decode("utf-8").encode("gb18030"))
    return path


WRITERS = {"html": write_html, "docx": write_docx, "pdf": write_pdf, "gb18030": write_gb18030}


def write_variant(seed: Path, variant: str, folder: Path) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return WRITERS[variant](seed, folder)
