"""Links across documents: a local measure IMPLEMENTS a measure of a document it cites when
it restates it (Tianjin's 具体内容 rows restate the State Council's attachment-3 tasks).

Extraction is per document and stateless, so these links are made once documents meet:
over the merged fragment of `policykg extract`, and over the store after `ingest`. Both use
`implements_pairs`, so every path draws the same links.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from policykg.graph.model import Evidence, GraphFragment, Label, RelType, normalise_text

THRESHOLD = 0.8


@dataclass(frozen=True)
class Candidate:
    id: str
    text: str
    document: str          # Document id
    file: str | None = None
    start: int | None = None
    end: int | None = None


def match_key(text: str) -> str:
    """The form two measure texts are compared in: tags, whitespace and punctuation removed."""
    return re.sub(r"[。；;，,、\s“”\"'（）()]", "", normalise_text(text))


def similarity(a: str, b: str) -> float:
    ka, kb = match_key(a), match_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    short, long_ = sorted((len(ka), len(kb)))
    if short < 0.6 * long_:
        return 0.0          # decided before building a matcher: most pairs stop here
    sm = SequenceMatcher(None, ka, kb, autojunk=False)
    if sm.quick_ratio() < 0.6:
        return 0.0
    # A restatement may abridge the original (探索完善…市场准入制度 drops 跨境交付、…等模式下):
    # how much of the shorter text the longer one covers counts as much as the ratio.
    matched = sum(b.size for b in sm.get_matching_blocks())
    return max(sm.ratio(), matched / short * (0.8 + 0.2 * short / long_))


def implements_pairs(measures: list[Candidate], cites: dict[str, set[str]]) -> list[tuple[Candidate, Candidate, float]]:
    """(local, cited, similarity) for each local measure restating a measure of a cited document."""
    by_doc: dict[str, list[Candidate]] = {}
    for m in measures:
        by_doc.setdefault(m.document, []).append(m)
    exact: dict[str, dict[str, Candidate]] = {d: {match_key(m.text): m for m in ms} for d, ms in by_doc.items()}
    out = []
    for doc, cited in sorted(cites.items()):
        targets = [c for c in sorted(cited) if c != doc and c in by_doc]
        if not targets:
            continue
        for m in by_doc.get(doc, []):
            if len(match_key(m.text)) < 6:
                continue
            best, best_score = None, 0.0
            for c in targets:
                hit = exact[c].get(match_key(m.text))
                if hit is not None:
                    best, best_score = hit, 1.0
                    break
                for n in by_doc[c]:
                    score = similarity(m.text, n.text)
                    if score > best_score or (score == best_score and best is not None and n.id < best.id):
                        best, best_score = n, score
            if best is not None and best_score >= THRESHOLD:
                out.append((m, best, round(best_score, 3)))
    return out


def evidence_props(local: Candidate) -> dict:
    """The evidence of a link: the local measure's own span (as a fragment would record it)."""
    return Evidence(document=local.file or "", start=local.start or 0, end=local.end or 0,
                    text=local.text[:240]).model_dump(exclude={"text"}) | {"evidence": local.text[:240]}


def link_fragment(frag: GraphFragment) -> int:
    """Add IMPLEMENTS relationships inside a merged fragment; returns how many it holds."""
    doc_of: dict[str, str] = {}
    for (t, s, e) in frag.relationships:
        if t == RelType.FROM_DOCUMENT.value:
            doc_of[s] = e
    measures = [Candidate(n.id, n.text, doc_of[n.id], n.document, n.start, n.end)
                for n in frag.by_label(Label.MEASURE) if n.id in doc_of]
    cites: dict[str, set[str]] = {}
    for (t, s, e) in frag.relationships:
        if t == RelType.CITES.value:
            cites.setdefault(s, set()).add(e)
    count = 0
    for local, target, _ in implements_pairs(measures, cites):
        frag.relate(RelType.IMPLEMENTS, local.id, target.id,
                    Evidence(document=local.file or "", start=local.start or 0, end=local.end or 0,
                             text=local.text[:240]))
        count += 1
    return count
