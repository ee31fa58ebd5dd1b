"""Readers for HTML, DOCX and PDF documents.

Every reader turns its format into the plain-text conventions the rest of extraction
already understands (`layout.segment`), so that all formats feed the same table and
section model:

- one paragraph per line;
- a table as tab-separated rows, one row per line, every row with the table's full column
  count; a cell's inner whitespace is collapsed to one space; an empty cell stays an empty
  string between tabs. A vertically merged cell's continuation rows get an empty cell (an
  empty cell continues the one above); a horizontally spanned cell appears once, followed
  by empty cells for the columns it spans. A short title line (caption, or the paragraph
  before) comes right before the table, and a blank line after it. A table continued on
  the next page of a PDF keeps going after a blank line, as page breaks do in text files.

What the markup loses or adds is put back into that form (`_shape`, `_join_split_tables`):
a header row a cell short (its first cell's colspan lost: 试点任务 over 领域 and 序号) spans
its first cell; a title printed in the table's first row is its title line; a table split
into several (a <table> per printed page, Word parts between paragraph marks) is one, its
repeated header dropped; a labelled 信息公开 box (索引号 | … | 发布日期 | …) prints
label：value lines, not a table. A cell's own lines (牵头单位：… <br> 配合单位：…, Word
paragraphs) are kept apart by a space; in a PDF a cell's line joins the next where the text
wrapped (it ran to the cell's edge) and keeps a space where the source broke it, and a row
going on over a page break (drawn without its bottom rule) is one row.

`to_text(raw, suffix, path)` returns (text, encoding-name); every failure is an
`InputError` naming the file and the cause. `read_document(raw, suffix, path)` also returns
the page-level hints a web page carries outside its text (see `page_hints`).
"""
from __future__ import annotations

import codecs
import io
import re
import statistics
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from policykg.errors import InputError

#: Largest total uncompressed size of a .docx's zip members (zip-bomb guard).
MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
#: Largest number of pages read from one PDF.
MAX_PDF_PAGES = 2000
#: Widest column span honoured in HTML and DOCX tables, and the most grid cells of a table.
MAX_SPAN = 100
MAX_TABLE_CELLS = 200_000

_WS = re.compile(r"\s+")
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2010-\u2027"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \u00a0]+(?=[{_CJK}])")
_EDGE = " \t\n\r\f\v\u00a0\u3000\u200b\ufeff"


def to_text(raw: bytes, suffix: str, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Read an HTML, DOCX or PDF document into text in the plain-text conventions."""
    text, encoding, _ = read_document(raw, suffix, path)
    return text, encoding


def read_document(raw: bytes, suffix: str, path: Path | str = "<bytes>") -> tuple[str, str, dict[str, str]]:
    """`to_text`, and the page-level hints (empty but for HTML pages)."""
    suffix = suffix.lower()
    if not raw.strip():
        raise InputError(path, "the file is empty")
    if suffix in (".html", ".htm"):
        return html_read(raw, path)
    if suffix == ".docx":
        return docx_to_text(raw, path), "utf-8", {}
    if suffix == ".pdf":
        return pdf_to_text(raw, path), "pdf", {}
    raise InputError(path, f"unsupported file type {suffix or '(no suffix)'}")


# ===================================================================== shared model
@dataclass
class _Table:
    rows: list[list[str]]
    title: str | None = None
    continued: bool = False        # continues the previous table after a page break
    box: bool = False              # a labelled box (索引号 | … ), printed as label：value lines


def cell_text(text: str | None) -> str:
    """A cell's text on one line: tabs, newlines and runs of whitespace become one space."""
    return _WS.sub(" ", text or "").strip(_EDGE)


_INLINE_WS = re.compile(r"[ \t\f\v\r]+")
_HTML_WS = re.compile(r"[ \t\n\r\f]+")


def _line_text(text: str) -> str:
    """A prose line: no tabs (they mark tables), whitespace runs collapsed, edges trimmed."""
    return _INLINE_WS.sub(" ", text).strip(_EDGE)


def _square(rows: list[list[str]]) -> list[list[str]]:
    """Rows with the table's full column count; rows with no text at all are dropped."""
    rows = [[cell_text(c) for c in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    ncols = max(len(r) for r in rows)
    return [r + [""] * (ncols - len(r)) for r in rows]


_SENTENCE = re.compile(r"[。；;，]")


def _header_like(row: list[str]) -> bool:
    """A header row: at least two filled cells, all short labels (no sentence, no number)."""
    filled = [c for c in row if c]
    return (len(filled) >= 2 and all(len(c) <= 20 and not _SENTENCE.search(c) for c in filled)
            and not any(c.isdigit() for c in filled))


def _shape(table: _Table) -> _Table:
    """A table's rows in the plain-text form, whatever its markup lost or added:
    - a first row with one cell over the table (its title printed inside it) followed by the
      header becomes the table's title;
    - a header of two rows (a label over a group of columns, 责任单位 over 牵头单位 |
      配合单位) is one row of the column labels;
    - a header row shorter than the rows below lost the span of its first cell (试点任务 over
      领域 and 序号): that cell spans the missing columns.
    Rows may arrive short (a row with fewer cells than the table); the rest are padded at
    the end by `_square`."""
    rows = [[cell_text(c) for c in row] for row in table.rows]
    rows = [r for r in rows if any(r)]
    title = table.title
    if (len(rows) >= 2 and sum(1 for c in rows[0] if c) == 1 and rows[0][0] and len(rows[0][0]) <= 60
            and not _SENTENCE.search(rows[0][0]) and _header_like(rows[1])):
        title = title or rows[0][0]
        rows = rows[1:]
    if len(rows) >= 3 and _header_like(rows[0]) and _header_like(rows[1]):
        upper, lower = rows[0], rows[1]
        n = max(len(upper), len(lower))
        upper, lower = upper + [""] * (n - len(upper)), lower + [""] * (n - len(lower))
        # A header of two rows: the lower one labels the columns under a spanning upper
        # cell (责任单位 over 牵头单位 | 配合单位); the other upper cells span both rows.
        grouped = [c for c in range(n) if lower[c]]
        if (len(grouped) >= 2 and any(upper[c] and not lower[c] for c in range(n))
                and all(not upper[c] or (c + 1 < n and not upper[c + 1]) for c in grouped)):
            rows = [[lower[c] or upper[c] for c in range(n)]] + rows[2:]
    if rows:
        ncols = max(len(r) for r in rows)
        head = rows[0]
        while head and not head[-1]:
            head = head[:-1]
        body = rows[1:]
        if (body and 2 <= len(head) < ncols and _header_like(head)
                and sum(len(r) == ncols for r in body) * 2 >= len(body)):
            rows[0] = head[:1] + [""] * (ncols - len(head)) + head[1:]
    return _Table(rows, title, table.continued, table.box or _is_box(rows))


def _join_split_tables(items: list) -> list:
    """A table split into several (a web page's <table> per printed page, a Word table
    broken by a paragraph mark), with nothing between them, is one table: the parts after
    the first lose a header that repeats the first part's."""
    out: list = []
    for item in items:
        if isinstance(item, str) and not item.strip(" \t\n\r\f\v\u00a0\u3000\u200b\ufeff"):
            continue                        # an empty paragraph (Word's mark between tables)
        prev = out[-1] if out else None
        if (isinstance(item, _Table) and isinstance(prev, _Table) and not item.continued and not item.box
                and not prev.box and item.rows and prev.rows and not (item.title and item.title != prev.title)):
            ncols = max(len(r) for r in prev.rows)
            if max(len(r) for r in item.rows) == ncols and ncols >= 2:
                rows = item.rows
                header = prev.rows[0] + [""] * (ncols - len(prev.rows[0]))
                first = rows[0] + [""] * (ncols - len(rows[0]))
                if first == header:
                    rows = rows[1:]
                elif _header_like(first):
                    out.append(item)        # a table of its own with a header of its own
                    continue
                out[-1] = _Table(prev.rows + rows, prev.title, prev.continued)
                continue
        out.append(item)
    return out


def _box_lines(rows: list[list[str]]) -> list[str]:
    """A labelled box (索引号 | … | 发布日期 | …) as the lines a text file prints: one
    "label：value" line per pair."""
    out = []
    for row in rows:
        cells = [cell_text(c) for c in row if cell_text(c)]
        k = 0
        while k < len(cells):
            label = cells[k]
            if _LABEL_CELL.match(label) and k + 1 < len(cells) and not _LABEL_CELL.match(cells[k + 1]):
                sep = "" if label.endswith((":", "：")) else "："
                out.append(f"{label}{sep}{cells[k + 1]}")
                k += 2
                continue
            out.append(label)
            k += 1
    return out


def _is_box(rows: list[list[str]]) -> bool:
    """Rows of label/value pairs (a 信息公开 box), not a data table: every row holding text
    holds a label, and no more values than labels."""
    labels = 0
    for row in rows:
        cells = [cell_text(c) for c in row if cell_text(c)]
        if not cells:
            continue
        n = sum(1 for c in cells if _LABEL_CELL.match(c))
        if n == 0 or len(cells) - n > n:
            return False
        labels += n
    return labels >= 2


def render(items: list) -> str:
    """Lines and tables in document order → text in the plain-text conventions."""
    out: list[str] = []
    items = _join_split_tables([_shape(it) if isinstance(it, _Table) else it for it in items])
    for item in items:
        if isinstance(item, _Table):
            if item.box:
                out.extend(_box_lines(item.rows))
                continue
            rows = _square(item.rows)
            if not rows:
                continue
            if len(rows[0]) < 2:            # a one-column "table" is a box of paragraphs
                out.extend(r[0] for r in rows)
                continue
            if item.continued:              # a page break inside the table: one blank line,
                if out and out[-1] == "" and len(rows[0]) == 2 and not rows[0][0]:
                    out.pop()               # but "\tvalue" after a blank line would start a
                elif out and out[-1] != "":  # one-cell-per-line table
                    out.append("")
            elif item.title:
                if out and out[-1] != "":
                    out.append("")
                out.append(_line_text(item.title))
            out.extend("\t".join(r) for r in rows)
            out.append("")
        else:
            for ln in str(item).split("\n"):
                ln = _line_text(ln)
                if ln:
                    out.append(ln)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


# ===================================================================== HTML
_DROP_TAGS = {"script", "style", "noscript", "nav", "aside", "form", "iframe", "head", "title",
              "template", "svg", "canvas", "select", "button", "object", "embed", "frameset", "map"}
_SECTION_CHROME = {"header", "footer"}        # dropped unless inside an <article>/<main>
_NAV_WORDS = re.compile(r"nav|menu|footer|breadcrumb|crumbs|share|sidebar|header|top-?bar", re.IGNORECASE)
_BLOCK_TAGS = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
               "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1",
               "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main",
               "menu", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
               "thead", "tr", "ul", "option", "center", "marquee"}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.IGNORECASE)
_GB_ALIASES = {"gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "csgb2312", "x-euc-cn", "euc-cn", "ms936",
               "windows-936", "gb18030"}
_FLATTEN_BLOCK = re.compile(r"</?(?:div|section|article|main|center|blockquote|p|li|ul|ol|dl|dd|dt)\b[^>]*>",
                            re.IGNORECASE)
_FLATTEN_INLINE = re.compile(r"</?(?:span|font|b|i|u|em|strong|a|small|big|sub|sup|label|s|strike|tt|code|mark)\b[^>]*>",
                             re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HEADER_ONLY = (re.compile("header", re.IGNORECASE),
                re.compile(r"nav|menu|footer|breadcrumb|crumbs|share|sidebar|top-?bar", re.IGNORECASE))


def _canonical_encoding(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    if name in _GB_ALIASES:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(raw: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode an HTML page: BOM, then <meta charset>/http-equiv (or the XML declaration),
    then UTF-8, then GB18030; bytes that are valid UTF-8 are read as UTF-8."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(enc, errors="replace").lstrip("\ufeff"), enc
    if b"\x00" in raw[:4096]:
        raise InputError(path, "binary data, not an HTML page")
    head = raw[:8192]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    declared = _canonical_encoding(m.group(1).decode("ascii", "replace")) if m else None
    tried = []
    # Valid UTF-8 with non-ASCII bytes is UTF-8 whatever the page declares: GB text is
    # practically never valid UTF-8, and pages mislabelled as gb2312 are common.
    order = ("utf-8", declared, "gb18030") if not raw.isascii() else (declared, "utf-8", "gb18030")
    for enc in order:
        if not enc or enc in tried:
            continue
        tried.append(enc)
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    # Mislabelled or mixed bytes: the declared encoding with replacement characters.
    enc = declared or "gb18030"
    return raw.decode(enc, errors="replace"), enc


def html_to_text(raw: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    text, encoding, _ = html_read(raw, path)
    return text, encoding


def html_read(raw: bytes, path: Path | str = "<bytes>") -> tuple[str, str, dict[str, str]]:
    """An HTML page's text (navigation and other chrome dropped), its encoding, and its hints."""
    text, encoding = decode_html(raw, path)
    root = _parse_html(text, path)
    body = root.find("body")
    if body is None:
        body = root
    items = _HtmlReader(body).read()
    out = render(items)
    if not out.strip():
        raise InputError(path, "the HTML page holds no text")
    return out, encoding, page_hints(root, items)


# ----------------------------------------------------------------- page-level hints
# Chinese government sites follow the 政府网站发展指引 (2017): an article page names its
# article in <meta name="ArticleTitle">, its date in PubDate, its source in ContentSource,
# and 政府信息公开 pages print a labelled box (索引号 / 发文机关 / 成文日期 / 标题 / 发文字号 /
# 发布日期 …) above the text. These hints are returned beside the text, never mixed into it;
# extractors/metadata.py checks them against the text before trusting them.

#: <meta name=…> (lower-cased) → hint key.
_META_HINTS = {"articletitle": "ArticleTitle", "pubdate": "PubDate", "contentsource": "ContentSource",
               "columnname": "ColumnName", "sitename": "SiteName", "og:title": "og:title",
               "dc.title": "dc.title", "firstpublishedtime": "PubDate"}
#: A 信息公开 box's labels → the canonical label the hint is stored under.
_LABELS = {
    "标题": "标题", "名称": "标题", "文件名称": "标题", "信息名称": "标题", "公文标题": "标题", "文件标题": "标题",
    "题名": "标题",
    "发文字号": "发文字号", "文号": "发文字号", "发文文号": "发文字号", "文件编号": "发文字号", "文件字号": "发文字号",
    "发文机关": "发文机关", "发文机构": "发文机关", "发布机构": "发文机关", "发布机关": "发文机关", "发文单位": "发文机关",
    "发布单位": "发文机关", "制发机关": "发文机关", "成文机关": "发文机关",
    "成文日期": "成文日期", "发文日期": "成文日期", "印发日期": "成文日期", "签发日期": "成文日期", "成文时间": "成文日期",
    "发布日期": "发布日期", "发布时间": "发布日期", "公开日期": "发布日期", "公开时间": "发布日期",
    "索引号": "索引号", "主题分类": "主题分类", "分类": "主题分类", "体裁分类": "体裁分类", "组配分类": "组配分类",
    "主题词": "主题词", "关键词": "主题词", "有效性": "有效性", "效力状态": "有效性", "时效": "有效性",
    "生效日期": "生效日期", "实施日期": "生效日期", "失效日期": "失效日期", "废止日期": "失效日期",
    "来源": "来源", "信息来源": "来源", "文章来源": "来源", "公开方式": "公开方式", "公开范围": "公开范围",
}
#: Labels (as printed) trusted on a line of their own; the others count only in a box of
#: several labels (名称：… on its own is as likely a form's field).
_STRONG_LABELS = {"标题", "发文字号", "发文机关", "成文日期", "索引号", "发布日期"}
# A label may be padded to the box's width (索  引  号, 标　　题).
_LABEL_ALT = "|".join(r"\s*".join(map(re.escape, w)) for w in sorted(_LABELS, key=len, reverse=True))
_LABEL_CELL = re.compile(rf"^\s*[\[【]?\s*({_LABEL_ALT})\s*[\]】]?\s*[:：]?\s*$")
#: A label inside a cell or line: at its start or after whitespace, followed by a colon,
#: or in brackets ([发文字号] 京科发〔2026〕10号, 【成文日期】2021-06-30).
_LABEL_IN = re.compile(rf"(?:^|(?<=[\s|｜]))(?:({_LABEL_ALT})\s*[:：]|[\[【]\s*({_LABEL_ALT})\s*[\]】]\s*[:：]?)\s*")
#: Any other short "word：" or "[word]" after whitespace ends the value before it (浏览次数：).
_OTHER_LABEL = re.compile(r"\s+(?:[\u4e00-\u9fffA-Za-z][^\s:：]{1,7}[:：]|[\[【][\u4e00-\u9fff]{2,8}[\]】])")
_BODY_PARAGRAPH = re.compile(r"[。；]")


def page_hints(root, items: list) -> dict[str, str]:
    """A page's metadata outside its text: gov meta tags (ArticleTitle, PubDate,
    ContentSource, ColumnName, SiteName), the <title> (as `html_title`) and the labelled
    信息公开 box (as 标题, 发文字号, 发文机关, 成文日期, 发布日期, 索引号 …)."""
    hints: dict[str, str] = {}
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip().lower()
        key = _META_HINTS.get(name)
        value = cell_text(el.get("content"))
        if key and value and key not in hints:
            hints[key] = value
    title = root.find(".//title")
    if title is not None:
        value = cell_text(title.text_content())
        if value:
            hints["html_title"] = value
    rows = []
    for item in items:
        rows.extend(item.rows if isinstance(item, _Table) else [[str(item)]])
    for key, value in labelled_fields(rows).items():
        hints.setdefault(key, value)
    return hints


def _label(raw: str) -> str:
    return _LABELS[_WS.sub("", raw)]


def labelled_fields(rows) -> dict[str, str]:
    """The labelled metadata of a page's 信息公开 box, read from its rows of cells (a line
    of text is a row of one cell) up to the first body paragraph: a label and its value in
    one cell (发文字号：国办发〔2018〕1号), or a label cell (or line) followed by its value
    cell (or line). Labels other than the strong ones count only in a box holding at least
    two labels."""
    cells: list[str] = []
    for row in rows:
        if len(row) == 1 and len(row[0]) > 150 and _BODY_PARAGRAPH.search(row[0]):
            break                               # the document's text has begun
        cells.extend(cell_text(c) for c in row)
    found: dict[str, str] = {}
    inline_only: set[str] = set()
    i = 0
    while i < len(cells):
        text = cells[i]
        if not text:
            i += 1
            continue
        m = _LABEL_CELL.match(text)
        if m:
            label = _label(m.group(1))
            nxt = cells[i + 1] if i + 1 < len(cells) else ""
            if nxt and not _LABEL_CELL.match(nxt) and not _LABEL_IN.match(nxt):
                found.setdefault(label, _value(nxt))
                i += 2
                continue
            i += 1
            continue
        marks = list(_LABEL_IN.finditer(text))
        for k, lm in enumerate(marks):
            end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
            value = _value(text[lm.end():end])
            raw = lm.group(1) or lm.group(2)
            label = _label(raw)
            if value and label not in found:
                found[label] = value
                if len(marks) == 1 and lm.start() == 0 and _WS.sub("", raw) in _STRONG_LABELS:
                    inline_only.add(label)
        i += 1
    if len(found) < 2:
        found = {k: v for k, v in found.items() if k in inline_only}
    return found


def _value(text: str) -> str:
    other = _OTHER_LABEL.search(text)
    if other:
        text = text[:other.start()]
    return cell_text(text)


def _parse_html(text: str, path) -> "object":
    import lxml.etree
    import lxml.html

    def parse(markup: str):
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
        try:
            root = lxml.html.document_fromstring(markup.encode("utf-8", errors="replace"), parser=parser)
        except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
            raise InputError(path, f"cannot parse the HTML ({exc or type(exc).__name__})") from None
        too_deep = any("Excessive depth" in e.message or e.type_name == "ERR_RESOURCE_LIMIT"
                       for e in parser.error_log)
        return root, too_deep

    root, too_deep = parse(text)
    if too_deep:
        # libxml2 stops at a nesting limit and silently drops the rest: flatten the generic
        # containers (their text stays, block ones become line breaks) and parse again.
        flat = _FLATTEN_INLINE.sub("", _FLATTEN_BLOCK.sub("<br>", text))
        root, too_deep = parse(flat)
        if too_deep:
            raise InputError(path, "the HTML is nested too deeply to be read")
    return root


class _Lines:
    """Accumulates inline text into lines."""

    def __init__(self):
        self.items: list = []
        self.buf: list[str] = []

    def text(self, s: str | None, pre: bool = False):
        if s:
            self.buf.append(s if pre else _HTML_WS.sub(" ", s))

    def newline(self):
        if self.buf:
            line = "".join(self.buf)
            self.buf = []
            for part in line.split("\n"):
                part = _line_text(part)
                if part:
                    self.items.append(part)

    def table(self, t: _Table):
        self.newline()
        self.items.append(t)


def _tag(el) -> str:
    t = el.tag
    return t.lower() if isinstance(t, str) else ""


class _HtmlReader:
    def __init__(self, body):
        self.body = body
        self.order = list(body.iter())      # keeps the element proxies (the keys below) alive
        self.lengths = self._text_lengths(self.order)
        self.total = max(1, self.lengths.get(body, 0))

    @staticmethod
    def _text_lengths(order: list) -> dict:
        """Text length of every element, in one bottom-up pass (no recursion)."""
        lengths: dict = {}
        for el in reversed(order):
            n = len(el.text or "") if isinstance(el.tag, str) else 0
            for ch in el:
                n += lengths.get(ch, 0) + len(ch.tail or "")
            lengths[el] = n
        return lengths

    def _major(self, el) -> bool:
        """Holds much of the page's text: never chrome, whatever its class says."""
        return self.lengths.get(el, 0) >= 0.4 * self.total and self.lengths.get(el, 0) > 200

    def _in_content(self, el) -> bool:
        return any(_tag(a) in ("article", "main") for a in el.iterancestors())

    def dropped(self, el) -> bool:
        tag = _tag(el)
        if tag in _DROP_TAGS:
            return True
        style = el.get("style")
        if el.get("hidden") is not None or (style and _HIDDEN_STYLE.search(style)):
            return True
        if tag in _SECTION_CHROME and not self._in_content(el):
            return True
        if tag in ("a", "button") and ((el.get("href") or "").strip().lower().startswith("javascript:")
                                       or el.get("onclick") is not None):
            return True                     # a control (print, close, font size), not content
        names = " ".join(filter(None, (el.get("id"), el.get("class"), el.get("role"))))
        if names and _NAV_WORDS.search(names) and tag not in ("body", "html", "td", "th", "tr", "table"):
            if _HEADER_ONLY[0].search(names) and not _HEADER_ONLY[1].search(names) and self._in_content(el):
                return False                # an article's own header: its title, its date
            return not self._major(el)
        return False

    def read(self) -> list:
        out = _Lines()
        self._walk(self.body, out, flatten_tables=False)
        out.newline()
        return out.items

    def _walk(self, root, out: _Lines, flatten_tables: bool, pre: bool = False):
        """Depth-first over `root`'s content with an explicit stack (no recursion)."""
        out.text(root.text, pre)
        stack: list[tuple[object, bool, bool]] = [(ch, False, pre) for ch in reversed(root)]
        while stack:
            el, leaving, in_pre = stack.pop()
            tag = _tag(el)
            if leaving:
                if tag in _BLOCK_TAGS:
                    out.newline()
                out.text(el.tail, in_pre)
                continue
            if not tag or self.dropped(el):
                if tag in _BLOCK_TAGS:
                    out.newline()
                out.text(el.tail, in_pre)
                continue
            if tag == "br":
                out.text("\n", True)
                out.newline()
                out.text(el.tail, in_pre)
                continue
            if tag == "table" and not flatten_tables:
                table = self._table(el)
                if table is not None:
                    out.table(table)
                    out.text(el.tail, in_pre)
                    continue
            if tag in _BLOCK_TAGS:
                out.newline()
            if tag in ("td", "th") and flatten_tables:
                out.text(" ", in_pre)
            child_pre = in_pre or tag in ("pre", "textarea", "listing", "plaintext")
            out.text(el.text, child_pre)
            stack.append((el, True, in_pre))
            stack.extend((ch, False, child_pre) for ch in reversed(el))

    # ----------------------------------------------------------------- tables
    def _rows_of(self, table) -> tuple[list, object]:
        rows, caption = [], None
        for ch in table:
            tag = _tag(ch)
            if tag == "tr":
                rows.append(ch)
            elif tag in ("thead", "tbody", "tfoot"):
                rows.extend(r for r in ch if _tag(r) == "tr")
            elif tag == "caption" and caption is None:
                caption = ch
        return rows, caption

    def _table(self, table) -> _Table | None:
        """A data table as rows of cell texts, or None for a layout table (read as blocks)."""
        trs, caption = self._rows_of(table)
        grid: dict[tuple[int, int], object] = {}
        taken: set[tuple[int, int]] = set()
        nrows = len(trs)
        for r, tr in enumerate(trs):
            c = 0
            for td in tr:
                if _tag(td) not in ("td", "th"):
                    continue
                while (r, c) in taken:
                    c += 1
                rs = _span(td.get("rowspan"), nrows - r, zero_means=nrows - r)
                cs = _span(td.get("colspan"), MAX_SPAN)
                grid[(r, c)] = td
                for dr in range(rs):
                    for dc in range(cs):
                        taken.add((r + dr, c + dc))
                c += cs
            if len(taken) > MAX_TABLE_CELLS:
                return None                 # absurd spans: read the table as text
        ncols = max((c for _, c in taken), default=-1) + 1
        if ncols <= 1 or not trs:
            return None
        # A wrapper table (the page's layout) holds most of its text in inner tables.
        inner = [t for t in table.iter("table") if t is not table]
        if inner:
            outer_inner = [t for t in inner if not any(a in inner for a in t.iterancestors("table"))]
            inner_len = sum(self.lengths.get(t, 0) for t in outer_inner)
            if inner_len > 0.5 * max(1, self.lengths.get(table, 0)):
                return None
        extent = [0] * nrows                # a row ends at its last cell (a short header row)
        for r, c in taken:
            if r < nrows:
                extent[r] = max(extent[r], c + 1)
        rows = []
        for r in range(nrows):
            row = []
            for c in range(extent[r]):
                td = grid.get((r, c))
                row.append(self._cell(td) if td is not None else "")
            rows.append(row)
        title = None
        if caption is not None:
            sub = _Lines()
            self._walk(caption, sub, flatten_tables=True)
            sub.newline()
            title = " ".join(str(i) for i in sub.items) or None
        return _Table(rows, title)

    def _cell(self, td) -> str:
        if self.dropped(td):
            return ""
        sub = _Lines()
        self._walk(td, sub, flatten_tables=True)
        sub.newline()
        return cell_text(" ".join(str(i) for i in sub.items))


def _span(value, limit: int, zero_means: int = 1) -> int:
    """A rowspan/colspan/gridSpan value, bounded; junk counts as 1."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    if n == 0:
        return max(1, zero_means)
    return max(1, min(n, limit))


# ===================================================================== DOCX
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_SKIP_DOCX = {_w("delText"), _w("instrText"), _w("del"), _w("rPr"), _w("pPr"), _w("tcPr"), _w("trPr"),
              _w("tblPr"), _w("tblGrid"), _w("sectPr"), _w("fldData"), _w("moveFrom"), f"{{{_MC}}}Fallback"}


def docx_to_text(raw: bytes, path: Path | str = "<bytes>") -> str:
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise InputError(path, f"not a valid .docx ({exc})") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_DOCX_UNCOMPRESSED:
        raise InputError(path, f"not read: its zip members expand to {total} bytes, over the "
                               f"{MAX_DOCX_UNCOMPRESSED}-byte limit (zip bomb?)")
    try:
        import docx

        document = docx.Document(io.BytesIO(raw))
        body = document.element.body
    except InputError:
        raise
    except Exception as exc:  # python-docx raises many kinds on broken packages
        raise InputError(path, f"not a valid .docx ({type(exc).__name__}: {exc})") from None
    items: list = []
    stack = list(reversed(list(body)))
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag == _w("p"):
            items.append(_docx_text(el))
        elif tag == _w("tbl"):
            items.append(_docx_table(el))
        elif tag in (_w("sdt"), _w("sdtContent"), _w("customXml"), f"{{{_MC}}}AlternateContent",
                     f"{{{_MC}}}Choice"):
            stack.extend(reversed([c for c in el if c.tag != _w("sdtPr")]))
    text = render(items)
    if not text.strip():
        raise InputError(path, "the .docx holds no text")
    return text


def _docx_text(root) -> str:
    """Text of a paragraph (or of a whole cell): runs, tabs as spaces, breaks as newlines;
    inner paragraphs (cells, text boxes) on lines of their own."""
    parts: list[str] = []
    stack = [root]
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_DOCX:
            continue
        if tag == _w("t"):
            parts.append(el.text or "")
            continue
        if tag in (_w("tab"), _w("ptab")):
            parts.append(" ")
            continue
        if tag in (_w("br"), _w("cr")):
            parts.append("\n")
            continue
        if tag == _w("noBreakHyphen"):
            parts.append("-")
            continue
        if tag == _w("p") and el is not root:
            parts.append("\n")
        stack.extend(reversed(list(el)))
    return "".join(parts)


def _docx_val(el, path: str) -> str | None:
    found = el.find(path)
    if found is None:
        return None
    return found.get(_w("val"), "")


def _docx_table(tbl) -> _Table:
    rows: list[list[str]] = []
    trs = []
    stack = list(reversed(list(tbl)))
    while stack:                          # rows, also inside content controls
        el = stack.pop()
        if el.tag == _w("tr"):
            trs.append(el)
        elif el.tag in (_w("sdt"), _w("sdtContent"), _w("customXml")):
            stack.extend(reversed(list(el)))
    for tr in trs:
        row: list[str] = []
        before = _docx_val(tr, f"{_w('trPr')}/{_w('gridBefore')}") or _docx_val(tr, f"{_w('tblPrEx')}/{_w('gridBefore')}")
        row += [""] * _span(before, MAX_SPAN) if before else []
        cells = []
        cstack = list(reversed(list(tr)))
        while cstack:
            el = cstack.pop()
            if el.tag == _w("tc"):
                cells.append(el)
            elif el.tag in (_w("sdt"), _w("sdtContent"), _w("customXml")):
                cstack.extend(reversed(list(el)))
        for tc in cells:
            span = _span(_docx_val(tc, f"{_w('tcPr')}/{_w('gridSpan')}"), MAX_SPAN)
            vmerge = _docx_val(tc, f"{_w('tcPr')}/{_w('vMerge')}")
            hmerge = _docx_val(tc, f"{_w('tcPr')}/{_w('hMerge')}")
            continued = (vmerge is not None and vmerge != "restart") or (hmerge is not None and hmerge != "restart")
            text = "" if continued else cell_text(_docx_text(tc))
            row += [text] + [""] * (span - 1)
        rows.append(row)
    return _Table(rows)


# ===================================================================== PDF
_PAGE_NUMBER = re.compile(r"^[\s\-—–－_·•]*(?:第\s*)?[0-9０-９ivxlcIVXLC]+\s*(?:页)?(?:\s*[/／]\s*[0-9]+|\s*共\s*[0-9]+\s*页)?[\s\-—–－_·•]*$")


@dataclass
class _PLine:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float
    page_width: float
    page_height: float
    lead: float = 0.0       # width of the first unbreakable piece (a Latin word, a character)


@dataclass
class _PTable:
    page: int
    top: float
    rows: list[list[str]] = field(default_factory=list)
    open_bottom: bool = False      # its last row goes on over the page break (no bottom rule)


def pdf_to_text(raw: bytes, path: Path | str = "<bytes>") -> str:
    if b"%PDF-" not in raw[:1024]:
        raise InputError(path, "not a valid PDF (no %PDF header)")
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError as exc:  # pragma: no cover - installed with the project
        raise InputError(path, f"cannot read PDF files here ({exc})") from None
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            pages = pdf.pages
            if len(pages) > MAX_PDF_PAGES:
                raise InputError(path, f"more than {MAX_PDF_PAGES} pages")
            flow: list = []
            nchars = 0
            for number, page in enumerate(pages):
                got, count = _pdf_page(page, number)
                flow.extend(got)
                nchars += count
                page.flush_cache()
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on broken or encrypted files
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc  # pdfplumber wraps
        name = type(inner).__name__
        if isinstance(inner, PDFPasswordIncorrect):
            raise InputError(path, "encrypted PDF (needs a password)") from None
        if "Encrypt" in name or "Password" in name:
            raise InputError(path, f"encrypted PDF ({inner or name})") from None
        raise InputError(path, f"not a valid PDF ({name}: {inner})" if str(inner) else f"not a valid PDF ({name})") from None
    if nchars == 0:
        raise InputError(path, "no text layer (scanned PDF?)")
    text = render(_pdf_items(flow))
    if not text.strip():
        raise InputError(path, "no text layer (scanned PDF?)")
    return text


def _pdf_page(page, number: int) -> tuple[list, int]:
    chars = page.chars
    if not chars:
        return [], 0
    seen = set()
    for c in chars:                        # fake bold: the same glyph drawn twice
        key = (c["text"], round(c["x0"]), round(c["top"]))
        if key in seen and not c["text"].isspace():
            page = page.dedupe_chars()
            chars = page.chars
            break
        seen.add(key)
    settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    closing = _open_row_lines(page)
    if closing:
        settings["explicit_horizontal_lines"] = closing
    tables = [t for t in page.find_tables(settings) if _table_shape_ok(t)]
    if not tables and _looks_tabular(page):
        tables = [t for t in page.find_tables({"vertical_strategy": "text", "horizontal_strategy": "text",
                                                "min_words_vertical": 3, "min_words_horizontal": 2})
                  if _table_shape_ok(t, min_rows=3)]
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    items: list = []
    rest = page.filter(outside) if boxes else page
    for ln in rest.extract_text_lines(strip=True, return_chars=True):
        text = ln["text"]
        if not text.strip():
            continue
        sizes = [c.get("size", 0) for c in ln["chars"] if not c["text"].isspace()] or [10.0]
        items.append(_PLine(number, ln["x0"], ln["x1"], ln["top"], ln["bottom"], _CJK_GAP.sub("", text),
                            statistics.median(sizes), float(page.width), float(page.height),
                            _lead_width(ln["chars"])))
    for t in tables:
        rows = _pdf_table_rows(t, chars)
        # The whole last row is open (not one merged cell), and holds text.
        open_bottom = bool(rows) and any(rows[-1]) and any(
            abs(line["top"] - t.bbox[3]) <= 2 and line["x1"] - line["x0"] >= 0.9 * (t.bbox[2] - t.bbox[0])
            for line in closing)
        items.append(_PTable(number, t.bbox[1], rows, open_bottom))
    items.sort(key=lambda it: it.top)
    return items, len(chars)


def _open_row_lines(page) -> list[dict]:
    """Rules closing a table's open rows: a row that continues on the next page is often
    drawn without its bottom rule (and its rest without a top rule), so its column rules
    end in the air and the table finder would drop the row. Where two or more vertical
    rules end at the same height with no horizontal rule there, a rule is added across them."""
    edges = page.edges
    verticals = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 3]
    if len(verticals) < 2:
        return []
    horizontals = [e for e in edges if e["orientation"] == "h"]
    ends: dict[int, list[tuple[float, float]]] = {}
    for v in verticals:
        x = v["x0"]
        for y in (v["top"], v["bottom"]):
            if not any(abs(h["top"] - y) <= 2 and h["x0"] - 2 <= x <= h["x1"] + 2 for h in horizontals):
                ends.setdefault(round(y), []).append((x, y))
    out = []
    for key, found in ends.items():
        found += [p for k in (key - 1, key + 1) for p in ends.get(k, []) if k not in ends or k > key]
        xs = sorted({round(x, 1) for x, _ in found})
        if len(xs) < 2:
            continue
        y = statistics.median(y for _, y in found)
        if any(abs(line["top"] - y) <= 2 for line in out):
            continue
        out.append({"x0": xs[0], "x1": xs[-1], "top": y, "bottom": y, "width": xs[-1] - xs[0], "height": 0,
                    "object_type": "line"})
    return out


_CLOSING = set("，。、；：！？）」』】》〉”’,.;:!?)]%")


def _lead_width(chars: list[dict]) -> float:
    """Width of a line's first piece that cannot be broken: a run of Latin letters or digits,
    or one character with the closing punctuation that must stay with it."""
    cs = [c for c in chars if not c["text"].isspace()]
    if not cs:
        return 0.0
    k = 1
    if cs[0]["text"].isascii() and cs[0]["text"].isalnum():
        while k < len(cs) and cs[k]["text"].isascii() and not cs[k]["text"].isspace() \
                and cs[k]["x0"] - cs[k - 1]["x1"] < 1.0:
            k += 1
    while k < len(cs) and cs[k]["text"] in _CLOSING:
        k += 1
    return cs[k - 1]["x1"] - cs[0]["x0"]


def _table_shape_ok(t, min_rows: int = 1) -> bool:
    rows = t.rows
    if len(rows) < min_rows:
        return False
    ncols = max((len(r.cells) for r in rows), default=0)
    return ncols >= 2


def _looks_tabular(page) -> bool:
    """Worth trying the text strategy: no ruling lines, and several consecutive lines of
    text with wide gaps between words (columns)."""
    if page.lines or len(page.rects) > 2:
        return False
    run = best = 0
    for ln in page.extract_text_lines(return_chars=True):
        cs = [c for c in ln["chars"] if not c["text"].isspace()]
        size = statistics.median([c.get("size", 10) for c in cs]) if cs else 10
        gaps = sum(1 for a, b in zip(cs, cs[1:]) if b["x0"] - a["x1"] > 2.5 * size)
        run = run + 1 if gaps >= 1 else 0
        best = max(best, run)
    return best >= 3


def _join(a: str, b: str) -> str:
    """Join two visual lines of one paragraph or cell: no space between Chinese text."""
    if not a:
        return b
    if not b:
        return a
    if _CJK_CHAR.match(a[-1]) or _CJK_CHAR.match(b[0]):
        return a + b
    if a[-1].isdigit() and b[0].isdigit():      # a number wrapped in a narrow column
        return a + b
    if a.endswith("-") and a[-2:-1].isalpha():
        return a + b
    return a + " " + b


#: A cell line that starts a line of the source, wherever the line before ends: a label
#: (配合单位：) or an item marker (2． （二） ②).
_LINE_START = re.compile(r"^(?:[\u4e00-\u9fff]{2,6}[：:]|\d{1,2}[.．、](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[)）]"
                         r"|[一二三四五六七八九十]{1,3}、|[\u2460-\u2473])")


def _pdf_table_rows(table, chars: list[dict]) -> list[list[str]]:
    """A ruled table's cells as text. A cell's visual lines join as one paragraph where the
    text wrapped (the line before ran to the cell's right edge) and with a space where the
    line was broken on purpose (a short line, or a line that starts a label 配合单位：… or
    an item 2．…), as <br> and Word paragraphs do."""
    def centre_in(ch, box) -> bool:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        return box[0] <= cx < box[2] and box[1] <= cy < box[3]

    bbox = table.bbox
    inside = [ch for ch in chars if centre_in(ch, bbox)]
    out: list[list[str]] = []
    for row in table.rows:
        row_chars = [ch for ch in inside if centre_in(ch, row.bbox)]
        cells: list[str] = []
        for box in row.cells:
            if box is None:
                cells.append("")
                continue
            got = [ch for ch in row_chars if centre_in(ch, box)]
            cells.append(_pdf_cell_text(got, box) if got else "")
        out.append(cells)
    return out


def _pdf_cell_text(chars: list[dict], box) -> str:
    from pdfplumber.utils.text import chars_to_textmap

    lines = [ln for ln in chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=True)
             if ln["text"].strip()]
    if not lines:
        return ""
    pad = max(0.0, min(ln["x0"] - box[0] for ln in lines))      # the cell's inner margin
    right = box[2] - pad
    out = ""
    prev = None
    for ln in lines:
        text = _CJK_GAP.sub("", ln["text"].strip())
        if prev is not None:
            cs = [c for c in prev["chars"] if not c["text"].isspace()]
            size = statistics.median([c.get("size", 10) for c in cs]) if cs else 10.0
            full = prev["x1"] + max(_lead_width(ln["chars"]), size) >= right - 0.6 * size
            out = _join(out, text) if full and not _LINE_START.match(text) else (out + " " + text if out else text)
        else:
            out = text
        prev = ln
    return cell_text(out)


def _pdf_cell(text: str | None) -> str:
    if not text:
        return ""
    out = ""
    for part in text.split("\n"):
        out = _join(out, _CJK_GAP.sub("", part.strip()))
    return cell_text(out)


def _row_goes_on(last: list[str], first: list[str]) -> bool:
    """`first` (a page's first row) is the rest of `last` (the row the page before ended
    with, open at the bottom): wherever both hold text, the cell above is unfinished and the
    one below starts no new value (a number after a number, a label, a new sentence)."""
    for a, b in zip(last, first):
        if not a or not b:
            continue
        if a[-1] in "。！？；;!?" or (a.isdigit() and b.isdigit()) or _LINE_START.match(b):
            return False
    return any(first)


def _pdf_items(flow: list) -> list:
    """Visual lines → paragraphs (one per line), tables continued across pages joined;
    page numbers and running headers/footers dropped."""
    lines = [it for it in flow if isinstance(it, _PLine)]
    npages = max((it.page for it in flow), default=0) + 1

    def in_margin(ln: _PLine) -> bool:
        return ln.top < 0.08 * ln.page_height or ln.bottom > 0.92 * ln.page_height

    # Running heads: margin lines whose text (numbers aside) recurs on many pages.
    recurring: dict[str, set[int]] = {}
    for ln in lines:
        if in_margin(ln):
            recurring.setdefault(re.sub(r"\d+", "#", ln.text.replace(" ", "")), set()).add(ln.page)
    chrome = {k for k, pages in recurring.items() if npages >= 3 and len(pages) >= max(3, npages // 2)}

    def is_chrome(ln: _PLine) -> bool:
        if not in_margin(ln):
            return False
        return bool(_PAGE_NUMBER.match(ln.text)) or re.sub(r"\d+", "#", ln.text.replace(" ", "")) in chrome

    flow = [it for it in flow if not (isinstance(it, _PLine) and is_chrome(it))]
    body = [it for it in flow if isinstance(it, _PLine)]

    # Margins per page width: the left edge of long lines, the right edge of the text.
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    for width in {round(ln.page_width) for ln in body}:
        group = [ln for ln in body if round(ln.page_width) == width]
        span = max(ln.x1 for ln in group) - min(ln.x0 for ln in group)
        long_lines = [ln for ln in group if ln.x1 - ln.x0 >= 0.5 * span] or group
        left[width] = min(ln.x0 for ln in long_lines)
        # The right margin: where most long lines end (closing punctuation may hang past it).
        ends = [round(ln.x1) for ln in long_lines]
        common = max(set(ends), key=lambda e: (sum(abs(e - x) <= 1 for x in ends), e))
        if sum(abs(common - x) <= 1 for x in ends) >= 3:
            right[width] = max(x for x in (ln.x1 for ln in long_lines) if abs(x - common) <= 1)
        else:
            right[width] = max(ln.x1 for ln in group)
    pitches = [b.top - a.top for a, b in zip(body, body[1:])
               if a.page == b.page and 0 < b.top - a.top <= 3 * max(a.size, 1.0)]
    pitch = statistics.median(pitches) if pitches else 14.0

    items: list = []
    para: list[_PLine] = []
    table: dict | None = None          # the last table: its header, columns and page

    def flush():
        if para:
            text = ""
            for ln in para:
                text = _join(text, ln.text.strip())
            items.append(text)
            para.clear()

    for it in flow:
        if isinstance(it, _PTable):
            flush()
            rows = [[cell_text(c) for c in r] for r in it.rows]
            rows = [r for r in rows if any(r)]
            if not rows:
                continue
            ncols = max(len(r) for r in rows)
            if (table is not None and items and items[-1] is table["item"]
                    and it.page == table["page"] + 1 and ncols == table["ncols"]):
                for head in table["header"]:      # the header repeated on the new page
                    if rows and rows[0] == head:
                        rows = rows[1:]
                if rows and table["open"] and _row_goes_on(table["item"].rows[-1], rows[0]):
                    # The last row went on over the page break: its rest is this first row.
                    last = table["item"].rows
                    last[-1] = [a if b == a else _join(a, b) for a, b in zip(last[-1], rows[0])]
                    rows = rows[1:]
                table.update(page=it.page, open=it.open_bottom)
                if rows:
                    part = _Table(rows, continued=True)
                    items.append(part)
                    table.update(item=part)
                continue
            part = _Table(rows)
            items.append(part)
            # its header: the first row, and the second of a header of two rows
            header = rows[:2] if len(rows) > 2 and _header_like(rows[0]) and _header_like(rows[1]) else rows[:1]
            table = {"item": part, "page": it.page, "ncols": ncols, "header": header, "open": it.open_bottom}
            continue
        ln = it
        w = max(ln.size, 1.0)
        width = round(ln.page_width)
        if para:
            prev = para[-1]
            # The line broke because the next piece did not fit: the previous one is full.
            full = prev.x1 + max(ln.lead, w) >= right[width] - 0.6 * w
            if prev.page == ln.page:
                near = ln.top - prev.top <= max(1.25 * pitch, 1.6 * max(prev.size, ln.size))
            else:
                near = ln.page == prev.page + 1
            indented = ln.x0 > left[width] + 0.6 * w
            same_block = len(para) >= 2 and abs(ln.x0 - para[1].x0) <= 0.5 * w
            if full and near and (not indented or same_block):
                para.append(ln)
                continue
            flush()
        para.append(ln)
    flush()
    return items
