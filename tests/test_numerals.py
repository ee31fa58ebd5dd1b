"""extractors/numerals.py reads and writes Chinese numerals exactly as cn2an does."""
import cn2an
import pytest

from policykg.extractors import numerals


def test_written_forms_are_cn2an_s():
    for n in range(10000):
        assert numerals.to_chinese(str(n)) == cn2an.an2cn(str(n), "low")


def test_every_form_in_the_table_reads_as_cn2an_reads_it():
    for text, value in numerals._VALUES.items():
        for mode in ("strict", "smart"):
            assert numerals.to_int(text, mode) == int(cn2an.cn2an(text, mode)) == value


@pytest.mark.parametrize("text,mode", [("两", "smart"), ("二〇一八", "smart"), ("廿", "strict"), ("一万", "strict"),
                                       ("两千零二十", "smart")])
def test_other_forms_go_to_cn2an(text, mode):
    assert numerals.to_int(text, mode) == int(cn2an.cn2an(text, mode))


@pytest.mark.parametrize("text", ["两", "〇", "一百零十", "十十", "万"])
def test_strict_refusals_are_cn2an_s(text):
    try:
        expected = int(cn2an.cn2an(text, "strict"))
    except (ValueError, KeyError) as exc:
        with pytest.raises(type(exc)):
            numerals.to_int(text, "strict")
    else:
        assert numerals.to_int(text, "strict") == expected


@pytest.mark.parametrize("number", ["0", "7", "104", "9999", "10000", "0104", "３"])
def test_digits_outside_the_table_go_to_cn2an(number):
    assert numerals.to_chinese(number) == cn2an.an2cn(number, "low")
