"""Prose measures: which units of numbered prose are measures."""
from policykg.extractors.pipeline import extract_source
from policykg.extractors.text import SourceText


def _measures(text):
    frag = extract_source(SourceText(file="m.txt", path="m.txt", text=text, sha256="0", encoding="utf-8"))
    return [n.text for n in sorted((n for n in frag.nodes.values() if n.label.value == "Measure"), key=lambda n: n.start)]


def test_measures_item_with_its_own_text_keeps_headed_paragraphs_as_its_body():
    # （一） states its measure and goes on: the headed paragraphs below elaborate it.
    text = ("二、主要任务\n"
            "（一）提升基层治理能力，夯实社会治理基础。推动资源向基层下沉，健全基层工作机制。\n"
            "完善网格管理。整合各类网格资源，实现一网统管，提高问题发现处置效率。\n"
            "加强队伍建设。充实基层工作力量，完善培训和激励机制，提升履职能力。\n"
            "（二）健全多元调解体系。推动人民调解、行政调解和司法调解衔接联动。\n")
    assert _measures(text) == ["提升基层治理能力，夯实社会治理基础。", "健全多元调解体系。"]


def test_measures_heading_item_without_text_has_its_paragraphs_as_measures():
    # A bare heading line: the headed paragraphs under it are the measures.
    text = ("二、主要任务\n"
            "（一）提升基层治理能力\n"
            "完善网格管理。整合各类网格资源，实现一网统管，提高问题发现处置效率。\n"
            "加强队伍建设。充实基层工作力量，完善培训和激励机制，提升履职能力。\n")
    assert _measures(text) == ["完善网格管理。", "加强队伍建设。"]
