"""Chinese numerals 0–9999 without cn2an: its import and first call cost ~0.4 s at every
start-up (each worker's too), and documents print small numbers (（十二）, 第三十四条,
2017年). Anything this table does not hold (两百, 二〇一八, 廿, 一万…) still goes to cn2an,
so every result is cn2an's (`tests/test_numerals.py` compares them)."""
from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_UNITS = ("千", "百", "十", "")


def _written(n: int) -> str:
    """`cn2an.an2cn(str(n), "low")` for 0 <= n < 10000 (1010 → 一千零一十, 12 → 十二)."""
    if n == 0:
        return "零"
    out, gap, started = [], False, False
    for i, ch in enumerate(f"{n:04d}"):
        d = int(ch)
        if d == 0:
            gap = gap or started
            continue
        if gap:
            out.append("零")
            gap = False
        out.append(_DIGITS[d] + _UNITS[i])
        started = True
    text = "".join(out)
    return text[1:] if 10 <= n < 20 else text        # 十二, not 一十二


_WRITTEN: list[str] = [_written(n) for n in range(10000)]
#: Every written form cn2an reads in both its strict and smart modes to the same value:
#: the canonical ones, and 一十… for 10–19.
_VALUES: dict[str, int] = {w: n for n, w in enumerate(_WRITTEN)}
_VALUES.update({"一" + _WRITTEN[n]: n for n in range(10, 20)})


def to_int(text: str, mode: str = "strict") -> int:
    """`cn2an.cn2an(text, mode)` as an int (ValueError, KeyError… as cn2an raises them)."""
    value = _VALUES.get(text)
    if value is not None:
        return value
    import cn2an

    return int(cn2an.cn2an(text, mode))


def to_chinese(number: str) -> str:
    """`cn2an.an2cn(number, "low")` for a string of ASCII digits."""
    if number.isascii() and number.isdigit() and len(number) <= 4 and (number == "0" or number[0] != "0"):
        return _WRITTEN[int(number)]
    import cn2an

    return cn2an.an2cn(number, "low")
