"""Document metadata (title, number, issuer, date) on the genre's layouts: government web
pages with their navigation, 信息公开 boxes and meta tags, and text as scraped or printed.

The fixtures under tests/fixtures/pages and tests/fixtures/meta are written for these tests
(not copied from the evaluation's documents)."""
from __future__ import annotations

from pathlib import Path

import pytest

from policykg.extractors.entities import Recogniser
from policykg.extractors.formats import labelled_fields, read_document, to_text
from policykg.extractors.gazetteer import default_gazetteer
from policykg.extractors.metadata import genre, is_navigation, read_metadata, read_title
from policykg.extractors.pipeline import build_nlp, extract_file
from policykg.extractors.text import read_source

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
TEXTS = FIXTURES / "meta"
REC = Recogniser(default_gazetteer())


def meta_of(path: Path):
    src = read_source(path)
    return read_metadata(src.text, REC, src.hints)


def meta_of_html(tmp_path: Path, html: str, name: str = "page.html"):
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return meta_of(path)


def fields(meta) -> tuple:
    return meta.title, meta.doc_number, meta.issuer, meta.date


# --------------------------------------------------------------------- web pages
def test_metadata_central_page_with_article_title_and_xxgk_table():
    meta = meta_of(PAGES / "central_xxgk.html")
    assert fields(meta) == ("国务院办公厅关于加强城市地下管网运行维护工作的通知", "国办发〔2023〕41号",
                            "国务院办公厅", "2023-09-18")


def test_metadata_reader_returns_page_hints_beside_the_text():
    raw = (PAGES / "central_xxgk.html").read_bytes()
    text, encoding, hints = read_document(raw, ".html", "central_xxgk.html")
    assert hints["ArticleTitle"] == "国务院办公厅关于加强城市地下管网运行维护工作的通知"
    assert hints["PubDate"].startswith("2023-09-22")
    assert hints["ColumnName"] == "国务院文件" and hints["SiteName"] == "中国政府网"
    assert hints["html_title"].startswith("国务院办公厅关于加强城市地下管网运行维护工作的通知_")
    # the 信息公开 table: padded labels (索  引  号, 标　　题) and label/value cell pairs
    assert hints["标题"] == "国务院办公厅关于加强城市地下管网运行维护工作的通知"
    assert hints["发文字号"] == "国办发〔2023〕41号"
    assert hints["发文机关"] == "国务院办公厅"
    assert hints["成文日期"] == "2023年09月18日" and hints["发布日期"] == "2023年09月22日"
    assert hints["索引号"] == "000014349/2023-00091"
    # to_text keeps its contract: the same text, no hints, the <head> not in the text
    assert to_text(raw, ".html", "central_xxgk.html") == (text, encoding)
    assert "SiteIDCode" not in text and "bm01000001" not in text
    # navigation with nav/menu/footer class names is still dropped
    assert "移动版" not in text and "网站标识码" not in text


def test_metadata_related_documents_list_is_not_the_title():
    meta = meta_of(PAGES / "provincial_related.html")
    assert fields(meta) == ("江西省人民政府办公厅关于加快发展农村寄递物流体系的实施意见", "赣府厅发〔2022〕8号",
                            "江西省人民政府办公厅", "2022-03-10")


def test_metadata_list_of_titles_without_a_heading_is_not_the_title(tmp_path):
    html = (PAGES / "provincial_related.html").read_text(encoding="utf-8").replace("<h3>相关文件</h3>", "")
    assert meta_of_html(tmp_path, html).title == "江西省人民政府办公厅关于加快发展农村寄递物流体系的实施意见"


def test_metadata_list_before_a_title_without_number_is_not_the_title(tmp_path):
    html = (PAGES / "provincial_related.html").read_text(encoding="utf-8")
    html = html.replace("<h3>相关文件</h3>", "").replace("<p>赣府厅发〔2022〕8号</p>", "")
    assert meta_of_html(tmp_path, html).title == "江西省人民政府办公厅关于加快发展农村寄递物流体系的实施意见"


def test_metadata_county_page_title_split_over_lines_below_the_number():
    meta = meta_of(PAGES / "county_split.html")      # served as GB18030 (gb2312 declared)
    assert fields(meta) == ("关于加强农村自建房质量安全管理的实施意见", "桃政办发〔2021〕15号",
                            "桃江县人民政府办公室", "2021-06-28")


def test_metadata_county_page_box_in_div_and_span_pairs():
    _, _, hints = read_document((PAGES / "county_split.html").read_bytes(), ".html")
    assert hints["发文机关"] == "桃江县人民政府办公室"
    assert hints["发文字号"] == "桃政办发〔2021〕15号"
    assert hints["索引号"] == "008451023/2021-01127"


def test_metadata_title_tag_names_the_article():
    meta = meta_of(PAGES / "title_tag_only.html")
    assert fields(meta) == ("南宁市人民政府关于印发南宁市城市更新行动实施方案的通知", "南府发〔2022〕29号",
                            "南宁市人民政府", "2022-11-01")


def test_metadata_title_tag_when_the_body_does_not_print_the_title(tmp_path):
    html = (PAGES / "title_tag_only.html").read_text(encoding="utf-8")
    start = html.index('<div class="detail-title">')
    html = html[:start] + html[html.index("</div>", start) + len("</div>"):]
    meta = meta_of_html(tmp_path, html)
    # not the attached plan's heading, which the text does print
    assert meta.title == "南宁市人民政府关于印发南宁市城市更新行动实施方案的通知"


def test_metadata_site_name_in_title_tag_is_no_title(tmp_path):
    html = ("<html><head><title>某某市人民政府门户网站</title></head><body>"
            "<p>　　为做好本市防汛工作，现将有关事项说明如下，请各单位结合实际抓好落实。各单位要加强值班值守。</p>"
            "</body></html>")
    assert meta_of_html(tmp_path, html).title is None


def test_metadata_title_running_into_publish_date_on_the_page():
    meta = meta_of(PAGES / "inline_date_repeat.html")
    # the page's publication date is not the document's date (its signature's)
    assert fields(meta) == ("西宁市人民政府关于同意设立西宁综合保税区管理委员会的批复", "宁政函〔2020〕12号",
                            "西宁市人民政府", "2020-04-29")


def test_metadata_navigation_is_never_a_title():
    meta = meta_of(PAGES / "nav_only.html")
    assert meta.title is None


@pytest.mark.parametrize("line", [
    "当前位置：首页 > 政务公开 > 政策文件",
    "首页 > 政务公开 > 国务院关于加强管理工作的通知",
    "首页 政务公开 办事服务 互动交流",
    "首页 | 登录 | 无障碍",
    "【打印】 【关闭】",
    "字号：大 中 小",
    "政府文件",
    "网站地图 | 联系我们",
    "您当前的位置：首页",
    "分享：微信 微博 QQ空间",
])
def test_metadata_navigation_lines(line):
    assert is_navigation(line, genre(REC.gaz))


@pytest.mark.parametrize("line", [
    "国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见",
    "中共中央 国务院关于加快建设全国统一大市场的意见",
    "关于印发《某某市首页经济发展行动方案》的通知",
])
def test_metadata_titles_are_not_navigation(line):
    assert not is_navigation(line, genre(REC.gaz))


# --------------------------------------------------------------------- text
def test_metadata_scraped_text_title_cut_where_the_page_text_runs_on():
    meta = meta_of(TEXTS / "runon_scraped.txt")
    assert fields(meta) == ("江西省人民政府办公厅转发省发展改革委关于推进县城城镇化补短板强弱项意见的通知",
                            "赣府厅字〔2020〕61号", "江西省人民政府办公厅", "2020-09-11")


def test_metadata_issuer_line_and_title_broken_after_the_number():
    meta = meta_of(TEXTS / "split_after_number.txt")
    assert fields(meta) == ("湘乡市人民政府办公室转发《关于进一步做好稳就业工作的若干措施》的通知",
                            "湘乡政办发〔2021〕11号", "湘乡市人民政府办公室", "2021-04-02")


def test_metadata_text_files_have_no_hints():
    assert read_source(TEXTS / "runon_scraped.txt").hints == {}


def test_metadata_titles_glued_together_are_no_title():
    text = "关于做好防汛工作的通知 关于加强安全生产的意见 关于调整公交线路的通告\n为做好当前工作，现将有关事项说明如下，请各单位认真落实。\n"
    assert read_title(text, REC) is None


def test_metadata_no_printed_title_is_null():
    text = ("为贯彻落实国家关于促进服务消费的部署，进一步扩大服务消费，结合本市实际，制定本方案。\n"
            "一、总体要求\n（一）指导思想\n坚持以人民为中心，提升服务品质。\n三、保障措施\n加强组织领导。\n")
    assert read_title(text, REC) is None


def test_metadata_fuller_issuer_from_the_title_when_the_signature_is_a_date():
    text = ("洛阳市人民政府办公室关于进一步支持文旅消费的意见\n"
            "各县（市、区）人民政府，市人民政府各部门：\n"
            "为进一步释放文旅消费潜力，经市政府同意，现提出如下意见。\n"
            "一、发放文旅消费券。由市文化广电和旅游局负责。\n"
            "2023年3月6日\n")
    meta = read_metadata(text, REC)
    assert fields(meta) == ("洛阳市人民政府办公室关于进一步支持文旅消费的意见", None, "洛阳市人民政府办公室",
                            "2023-03-06")


def test_metadata_unqualified_body_is_no_issuer():
    text = ("市人民政府办公室关于做好夏季防汛工作的通知\n各区人民政府：\n请各区认真做好防汛准备工作。\n2023年6月1日\n")
    assert read_metadata(text, REC).issuer is None


def test_metadata_number_and_date_from_page_labels_when_the_text_has_none():
    text = "某某县人民政府关于调整城区道路限行措施的通告\n为改善城区交通秩序，决定调整限行措施。\n一、限行时间为工作日早晚高峰。\n"
    meta = read_metadata(text, REC, {"发文字号": "某政通〔2022〕3号", "成文日期": "2022年08月15日"})
    assert (meta.doc_number, meta.date) == ("某政通〔2022〕3号", "2022-08-15")


def test_metadata_adoption_date_printed_under_the_title():
    text = ("全国人民代表大会常务委员会关于授权某某地区开展试点工作的决定\n"
            "（2019年4月23日第十三届全国人民代表大会常务委员会第十次会议通过）\n"
            "为推进改革试点，第十三届全国人民代表大会常务委员会第十次会议决定：授权国务院在试点地区开展试点。\n")
    meta = read_metadata(text, REC)
    assert fields(meta) == ("全国人民代表大会常务委员会关于授权某某地区开展试点工作的决定", None,
                            "全国人民代表大会常务委员会", "2019-04-23")


def test_metadata_generic_label_without_colon_does_not_cut_a_title():
    text = ("某某市人民政府办公室关于调整机关夏季作息时间表的通知　来源：某某市人民政府办公室　浏览次数：35 "
            "各区人民政府，市政府各部门：经市政府同意，现将调整机关夏季作息时间表有关事项通知如下。\n")
    assert read_title(text, REC) == "某某市人民政府办公室关于调整机关夏季作息时间表的通知"


def test_metadata_spaces_inside_a_quoted_title_are_kept_layout_spaces_go():
    text = ("关于对《某某市物业服务合同示范文本（2024年修订 征求意见稿）》公开征求意见的通知\n"
            "为规范物业服务活动，我委起草了示范文本，现向社会公开征求意见，欢迎社会各界提出意见建议。\n")
    assert read_title(text, REC) == "关于对《某某市物业服务合同示范文本（2024年修订 征求意见稿）》公开征求意见的通知"
    text = "某某省人民政府关于 印发某某省 质量强省建设纲要的通知\n某政发〔2023〕5号\n各市人民政府：\n"
    assert read_title(text, REC) == "某某省人民政府关于印发某某省质量强省建设纲要的通知"


def test_metadata_title_label_in_text():
    text = ("索引号：11330000002482870P/2021-00321\n标题：浙江省人民政府办公厅关于加快养老服务发展的实施意见\n"
            "发文字号：浙政办发〔2021〕12号\n"
            "各市、县（市、区）人民政府，省政府直属各单位：\n为加快养老服务发展，经省政府同意，提出如下意见。\n")
    assert read_title(text, REC) == "浙江省人民政府办公厅关于加快养老服务发展的实施意见"


def test_metadata_labels_need_a_box_unless_strong():
    assert labelled_fields([["名称：某某有限公司"]]) == {}
    assert labelled_fields([["发文字号：某发〔2020〕1号"]]) == {"发文字号": "某发〔2020〕1号"}
    assert labelled_fields([["发布时间：2022-11-08 10:20 来源：某某市人民政府办公室 浏览次数：12"]]) == {
        "发布日期": "2022-11-08 10:20", "来源": "某某市人民政府办公室"}


def test_metadata_bracketed_labels_in_a_list_box(tmp_path):
    html = ("<html><head><title>政策文件</title></head><body><ol class='doc-info'>"
            "<li>[主题分类] <span>城乡建设</span></li><li>[发文机构] <span>某某市住房和城乡建设委员会</span></li>"
            "<li>[实施日期] <span></span></li><li>[成文日期] <span>2024-03-15</span></li>"
            "<li>[发文字号] <span>某建发〔2024〕6号</span></li><li>[有效性] <span>是</span></li></ol>"
            "<div><p>某某市住房和城乡建设委员会关于规范住宅专项维修资金使用的通知</p><p>各区住房城乡建设委：</p>"
            "<p>　　为规范住宅专项维修资金使用，保障业主合法权益，现将有关事项通知如下，请遵照执行。</p></div>"
            "</body></html>")
    path = tmp_path / "box.html"
    path.write_text(html, encoding="utf-8")
    src = read_source(path)
    assert (src.hints["发文字号"], src.hints["成文日期"], src.hints["发文机关"]) == (
        "某建发〔2024〕6号", "2024-03-15", "某某市住房和城乡建设委员会")
    meta = read_metadata(src.text, REC, src.hints)
    assert (meta.title, meta.doc_number, meta.date) == (
        "某某市住房和城乡建设委员会关于规范住宅专项维修资金使用的通知", "某建发〔2024〕6号", "2024-03-15")


# --------------------------------------------------------------------- pipeline
def test_metadata_pipeline_carries_page_hints(tmp_path):
    html = (PAGES / "title_tag_only.html").read_text(encoding="utf-8")
    start = html.index('<div class="detail-title">')
    html = html[:start] + html[html.index("</div>", start) + len("</div>"):]
    path = tmp_path / "nanning.html"
    path.write_text(html, encoding="utf-8")
    frag = extract_file(path, build_nlp())
    doc = next(n for n in frag.nodes.values() if type(n).__name__ == "Document")
    assert (doc.title, doc.doc_number, doc.issuer) == (
        "南宁市人民政府关于印发南宁市城市更新行动实施方案的通知", "南府发〔2022〕29号", "南宁市人民政府")
