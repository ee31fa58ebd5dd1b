"""Item numbering: the levels of data/numbering.tsv and the numbers they carry."""
from policykg.extractors.gazetteer import default_gazetteer
from policykg.extractors.numbering import ordinal

NUMBERING = default_gazetteer().numbering


def test_numbering_levels_outermost_first():
    levels = [NUMBERING.match(t)[0] for t in ("十二、开放", "（三）推进", "4.完善", "（5）支持", "⑥鼓励")]
    assert levels == [1, 2, 3, 4, 5]
    assert NUMBERING.match("2018年底前完成") is None
    assert NUMBERING.match("1.5亿元") is None


def test_numbering_ordinals():
    assert [ordinal(n) for n in ("一", "十", "十二", "二十一", "3", "12", "③", "⑳")] == [1, 10, 12, 21, 3, 12, 3, 20]
    assert ordinal("") is None and ordinal("甲") is None


def test_numbering_where_items_start():
    assert NUMBERING.item_start.match("（二）完善体系")
    assert NUMBERING.item_start.match("附件：1.方案")
    assert not NUMBERING.item_start.match("完善体系（二）")
    cuts = [m.start() for m in NUMBERING.inline_cut.finditer("加强统筹。（二）完善体系；3.加快建设。如下：（四）强化")]
    assert len(cuts) == 3
    assert [m.group(1) for m in NUMBERING.sub_item.finditer("1.建设平台；2.完善制度。③加强监管")] == ["1.", "2.", "③"]
