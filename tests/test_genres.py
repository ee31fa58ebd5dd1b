"""Genres: registered by name, ordered in config, each claiming the blocks it reads."""
import pytest

from policykg.extractors.genres import Draft, Genre, genres, load_genres
from policykg.extractors.layout import Paragraph
from policykg.extractors.pipeline import GENRES, build_nlp, extract_source
from policykg.extractors.text import SourceText


def _measures(nlp, text):
    frag = extract_source(SourceText(file="g.txt", path="g.txt", text=text, sha256="0", encoding="utf-8"), nlp)
    return sorted((n.text, n.kind) for n in frag.nodes.values() if n.label.value == "Measure")


def test_genres_built_in_are_registered_in_the_default_order():
    assert [g.name for g in load_genres(list(GENRES))] == ["catalogue", "table", "prose"]
    with pytest.raises(ValueError, match="no genre registered as 'policykg.nope.v1'"):
        load_genres(["policykg.nope.v1"])


def test_genres_a_new_genre_is_one_class_and_one_config_entry():
    # A layout of our own: paragraphs opening with ★ state one measure each.
    @genres("test.starred.v1")
    class Starred(Genre):
        name = "starred"

        def claims(self, block, ctx):
            return isinstance(block, Paragraph) and block.text.startswith("★")

        def drafts(self, blocks, ctx):
            return [Draft(b.text[1:].split("。")[0] + "。", b.start + 1, b.end, "action") for b in blocks]

    text = "★建设统一的政务服务平台。平台年内上线。\n一、完善制度。建立健全考核评价制度。\n"
    plain = build_nlp()
    assert ("建设统一的政务服务平台。", "action") not in _measures(plain, text)
    nlp = build_nlp(genres=["test.starred.v1", *GENRES])
    assert _measures(nlp, text) == [("完善制度。", "task"), ("建设统一的政务服务平台。", "action")]


def test_genres_catalogue_table_measures_are_opening_measures():
    text = ("暂时调整实施有关法律规定目录\n"
            "序号\t法律规定\t调整内容\n"
            "1\t《中华人民共和国港口法》第二十二条：从事港口经营，应当申请取得许可。\t暂时停止实施港口经营许可。\n")
    assert _measures(build_nlp(), text) == [("暂时停止实施港口经营许可。", "opening")]
