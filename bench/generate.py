"""A corpus of the genre, as large as wanted, deterministic for a seed.

    python -m bench.generate --n 1000 --seed 1 --out /tmp/corpus-1k

Each document recombines the real lines, rows, cell blocks and paragraphs of one of the
five sample documents (corpus/) in that document's layout, with its own agencies, home
region, document number, citations, provisions and dates:

    prose     000 (Beijing): numbered items (（一）, 1.) under 一、 headings
    headed    001 (Beijing): paragraphs opening with a short heading sentence
    tables    002 (State Council approval): prose plan + tab-separated tables, rows broken
              across lines and pages, stray <p> tags
    cells     004 (Tianjin): one cell per line, 牵头单位：/配合单位： lines, deadlines
    forward   003 (Guangdong): a scraped forwarding notice, fragments repeated

Documents 0-3 are always State Council approvals; the local documents cite them by number
(as local plans cite 国函〔2018〕79号), so the corpus links as the seeds do. Document i
depends only on (seed, i): the first 1,000 documents of a 10,000-document corpus are the
1,000-document corpus. Files are written one at a time; nothing is held.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import time
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {"prose": "000_", "headed": "001_", "tables": "002_", "forward": "003_", "cells": "004_"}
WEIGHTS = {"prose": 22, "headed": 18, "tables": 10, "forward": 15, "cells": 35}
ANCHORS = 4            # documents 0..3: national approvals the others cite

# Central bodies the seeds name, all in extractors/data/agencies.tsv: swapped among
# themselves so each document has its own set of backers.
CENTRAL = ["商务部", "财政部", "人民银行", "海关总署", "税务总局", "外交部", "公安部", "司法部",
           "交通运输部", "文化和旅游部", "工业和信息化部", "教育部", "科技部", "住房和城乡建设部",
           "市场监管总局", "外汇局", "银保监会", "证监会", "贸促会", "卫生健康委", "自然资源部",
           "农业农村部", "国家发展改革委", "民政部"]
NUMBER_PREFIX = ["粤府函", "苏政发", "浙政函", "鲁政字", "川府函", "鄂政发", "闽政文", "湘政函",
                 "皖政秘", "赣府字", "豫政", "冀政字"]
CN = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals (十七, 三十四)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN[ones]
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


def national_number(i: int) -> str:
    """The State Council number of document i (unique per i)."""
    return f"国函〔{2016 + i % 6}〕{i // 6 + 1}号"


@lru_cache(maxsize=1)
def _regions() -> tuple[list[str], list[str]]:
    """(municipalities and cities, provinces) the corpus draws home regions from: a fixed
    list (bench/regions.tsv), so that a corpus does not change with the lexicon."""
    cities, provinces = [], []
    for line in (ROOT / "bench" / "regions.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        kind, name = line.split("\t")[:2]
        (cities if kind == "city" else provinces).append(name)
    return cities, provinces


@lru_cache(maxsize=1)
def seeds(corpus: str | None = None) -> dict[str, str]:
    folder = Path(corpus) if corpus else ROOT / "corpus"
    out = {}
    for layout, prefix in SEEDS.items():
        path = next(folder.glob(prefix + "*.txt"))
        out[layout] = path.read_text(encoding="utf-8")
    return out


@lru_cache(maxsize=1)
def prose_pool() -> list[str]:
    """Numbered items and headed paragraphs of the prose seeds, to recombine."""
    pool = []
    for layout in ("prose", "headed"):
        for line in seeds()[layout].split("\n"):
            s = line.strip("\u3000 ")
            if len(s) > 40 and re.match(r"^(?:（[一二三四五六七八九十]+）|\d+[.．、]|[^，。]{2,20}。)", s):
                pool.append(line)
    return pool


# ------------------------------------------------------------------------- layouts
HEADING = re.compile(r"^[\u3000 ]*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|附件)")


def _prose(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    head, body = lines[:3], lines[3:]
    out = list(head)
    pool = prose_pool()
    for line in body:
        if HEADING.match(line) or len(line.strip()) < 30:
            out.append(line)
            if rng.random() < 0.3:
                out.extend(rng.sample(pool, rng.randint(1, 2)))
        elif rng.random() < 0.85:
            out.append(line)
    return "\n".join(out)


def _tables(text: str, rng: random.Random) -> str:
    """Keep the tables' header rows; drop some rows, add page breaks between others."""
    out = []
    for line in text.split("\n"):
        if "\t" in line and not line.startswith(("领域", "试点任务")):
            if rng.random() < 0.1 and not line.startswith("\t"):
                continue
            out.append(line)
            if rng.random() < 0.04:
                out.append("")           # a page break between two rows
        elif "\t" not in line and len(line) > 60 and rng.random() < 0.15:
            continue
        else:
            out.append(line)
    return "\n".join(out)


def _cells(text: str, rng: random.Random) -> str:
    """One-cell-per-line rows are blocks ended by a 配合单位： line: drop some, repeat some
    with another deadline."""
    start = text.find("具体内容")
    if start < 0:
        return text
    cut = text.find("\n\n", start)
    head, table = text[:cut], text[cut:]
    blocks = table.split("\n\n")
    out = []
    for block in blocks:
        if "牵头单位" in block and rng.random() < 0.15:
            continue
        out.append(block)
        if "牵头单位" in block and rng.random() < 0.15:
            out.append(re.sub(r"20\d\d年", lambda m: f"{rng.randint(2018, 2025)}年", block))
    return head + "\n\n".join(out)


def _forward(text: str, rng: random.Random) -> str:
    """The scraped page repeats fragments: repeat one more, somewhere else."""
    k = len(text)
    a = rng.randrange(0, k // 2)
    b = min(k, a + rng.randint(200, 1500))
    at = rng.randrange(0, k)
    return text[:at] + text[a:b] + text[at:]


LAYOUT_FN = {"prose": _prose, "headed": _prose, "tables": _tables, "cells": _cells, "forward": _forward}


# ------------------------------------------------------------------------- variation
def _swap(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    pat = re.compile("|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)))
    return pat.sub(lambda m: mapping[m.group(0)], text)


def _articles(text: str, rng: random.Random) -> str:
    """Other articles of the same instruments (第十七条 → 第二十三条)."""
    return re.sub(r"(?<=[》）])第[一二三四五六七八九十]+条|(?<=。)第[一二三四五六七八九十]+条",
                  lambda m: f"第{cn_number(rng.randint(2, 60))}条", text)


def _dates(text: str, rng: random.Random) -> str:
    year = rng.randint(2015, 2024)
    return re.sub(r"2018(\s*)年(\s*)\d{1,2}(\s*)月(\s*)\d{1,2}(\s*)日",
                  lambda m: f"{year}{m.group(1)}年{m.group(2)}{rng.randint(1, 12)}{m.group(3)}月"
                            f"{m.group(4)}{rng.randint(1, 28)}{m.group(5)}日", text)


def document(i: int, seed: int) -> tuple[str, str]:
    """(file name, text) of document i."""
    rng = random.Random(f"policykg-bench:{seed}:{i}")
    layout = "tables" if i < ANCHORS else rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    text = LAYOUT_FN[layout](seeds()[layout], rng)
    cities, provinces = _regions()
    mapping: dict[str, str] = {}
    # Backers: a few central bodies trade places.
    picked = rng.sample(CENTRAL, 6)
    for a, b in zip(picked[::2], picked[1::2]):
        mapping[a], mapping[b] = b, a
    # Citations and the document's own number.
    cited = national_number(rng.randrange(ANCHORS))
    if layout == "tables":
        mapping["国函〔2018〕79号"] = national_number(i)
    else:
        mapping["国函〔2018〕79号"] = cited
    if layout == "forward":
        province = rng.choice(provinces)
        mapping["粤府函〔2018〕204号"] = f"{rng.choice(NUMBER_PREFIX)}〔{rng.randint(2015, 2024)}〕{i}号"
        mapping["广东省"] = province
        mapping["广东"] = province[:-1]
        mapping["广州、深圳市"] = "、".join(c[:-1] for c in rng.sample(cities, 2)) + "市"
    elif layout in ("prose", "headed"):
        city = rng.choice(cities)
        mapping["北京市"] = city
        mapping["北京"] = city[:-1]
    elif layout == "cells":
        city = rng.choice(cities)
        mapping["天津市"] = city
        mapping["天津"] = city[:-1]
    text = _swap(text, mapping)
    if layout == "tables":
        text = _articles(text, rng)
    text = _dates(text, rng)
    return f"{i:06d}_{layout}.txt", text


def generate(n: int, seed: int, out: Path, progress: bool = False) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    total_bytes = 0
    t0 = time.perf_counter()
    for i in range(n):
        name, text = document(i, seed)
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        total_bytes += len(data)
        if progress and (i + 1) % 1000 == 0:
            print(f"  {i + 1} documents, {total_bytes / 1e6:.0f} MB", file=sys.stderr)
    return {"documents": n, "bytes": total_bytes, "seconds": round(time.perf_counter() - t0, 2)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, required=True, help="how many documents")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="folder to write (created)")
    args = ap.parse_args(argv)
    info = generate(args.n, args.seed, args.out, progress=True)
    print(f"wrote {info['documents']} documents, {info['bytes'] / 1e6:.1f} MB, to {args.out} "
          f"in {info['seconds']} s")


if __name__ == "__main__":
    main()
