"""Links across documents: a local measure IMPLEMENTS a measure of a document it cites when
it restates it (Tianjin's 具体内容 rows restate the State Council's attachment-3 tasks).

Extraction is per document and stateless, so these links are made once documents meet:
over the merged fragment of `policykg extract`, and over the store after `ingest`. Both use
`implements_pairs`, so every path draws the same links.
"""
from __future__ import annotations

import re
from collections import Counter
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


def implements_pairs(measures: list[Candidate], cites: dict[str, set[str]],
                     prefilter: bool = True) -> list[tuple[Candidate, Candidate, float]]:
    """(local, cited, similarity) for each local measure restating a measure of a cited document.

    With `prefilter`, each local measure is compared only with the cited measures whose
    similarity can reach THRESHOLD (`Targets.plausible`): the same links, without a matcher
    for every pair. A caller that has narrowed the candidates itself passes False."""
    by_doc: dict[str, list[Candidate]] = {}
    for m in measures:
        by_doc.setdefault(m.document, []).append(m)
    # Keys, exact-match maps and target arrays only for the documents that cite or are
    # cited, each built once.
    keyed: dict[str, list[Keyed]] = {}
    exact: dict[str, dict[str, Candidate]] = {}
    built: dict[str, Targets] = {}

    def keys_of(d: str) -> list[Keyed]:
        if d not in keyed:
            keyed[d] = [Keyed(m) for m in by_doc.get(d, [])]
            exact[d] = {k.key: k.cand for k in keyed[d]}      # the last of equal keys, as before
        return keyed[d]

    out = []
    for doc, cited in sorted(cites.items()):
        targets = [c for c in sorted(cited) if c != doc and c in by_doc]
        if not targets:
            continue
        locals_ = [k for k in keys_of(doc) if len(k.key) >= 6]
        for c in targets:
            keys_of(c)
        if prefilter:
            for c in targets:
                if c not in built:
                    built[c] = Targets(keyed[c])
            plausible = {c: built[c].plausible(locals_) for c in targets}
        for i, local in enumerate(locals_):
            m = local.cand
            best, best_score = None, 0.0
            for c in targets:
                hit = exact[c].get(local.key)
                if hit is not None:
                    best, best_score = hit, 1.0
                    break
                for n in (plausible[c][i] if prefilter else by_doc[c]):
                    score = similarity(m.text, n.text)
                    if score > best_score or (score == best_score and best is not None and n.id < best.id):
                        best, best_score = n, score
            if best is not None and best_score >= THRESHOLD:
                out.append((m, best, round(best_score, 3)))
    return out


class Keyed:
    """A candidate with its comparison key and the key's character counts."""

    __slots__ = ("cand", "key", "counts")

    def __init__(self, cand: Candidate):
        self.cand, self.key = cand, match_key(cand.text)
        self.counts = Counter(self.key)


class Targets:
    """One cited document's measures as arrays: key lengths, and a character × measure
    matrix of character counts (over this document's own characters, so its size is bounded
    by the document, not the corpus)."""

    __slots__ = ("cands", "by_key", "index", "counts", "lengths")

    def __init__(self, group: list[Keyed]):
        import numpy as np      # a spaCy dependency; imported here so other verbs do not pay for it

        # An empty key never matches (similarity 0), so it is left out.
        group = [k for k in group if k.key]
        self.cands = [k.cand for k in group]
        self.by_key: dict[str, list[int]] = {}
        for j, k in enumerate(group):
            self.by_key.setdefault(k.key, []).append(j)
        self.index: dict[str, int] = {}
        for k in group:
            for ch in k.counts:
                self.index.setdefault(ch, len(self.index))
        self.counts = np.zeros((len(self.index), len(group)), dtype=np.int64)
        for j, k in enumerate(group):
            for ch, n in k.counts.items():
                self.counts[self.index[ch], j] = n
        self.lengths = np.array([len(k.key) for k in group], dtype=np.float64)

    def plausible(self, locals_: list[Keyed]) -> list[list[Candidate]]:
        """For each local measure, the measures (in order) whose `similarity` to it can be
        ≥ THRESHOLD; every other one scores below it, so implements_pairs links exactly as
        over all of them.

        With c the multiset character overlap of the two keys (matching blocks total ≤ c)
        and s ≤ l their lengths, similarity is 0 when s < 0.6·l or 2c/(s+l) < 0.6 (the
        matcher's quick_ratio), and otherwise at most c/s·(0.8 + 0.2·s/l), which also bounds
        the ratio 2M/(s+l). The bound is kept with a 1e-9 margin for float rounding. The
        tests run on all local measures at once (a row each)."""
        import numpy as np

        if not self.cands or not locals_:
            return [[] for _ in locals_]
        common = np.zeros((len(locals_), len(self.cands)), dtype=np.int64)
        for i, local in enumerate(locals_):
            rows, need = [], []
            for ch, n in local.counts.items():
                r = self.index.get(ch)
                if r is not None:
                    rows.append(r)
                    need.append(n)
            if rows:
                common[i] = np.minimum(self.counts[rows], np.array(need)[:, None]).sum(axis=0)
        la = np.array([len(k.key) for k in locals_], dtype=np.float64)[:, None]
        lb = self.lengths[None, :]
        short, long_ = np.minimum(la, lb), np.maximum(la, lb)
        ok = ((short >= 0.6 * long_) & (2.0 * common / (la + lb) >= 0.6)
              & (common / short * (0.8 + 0.2 * short / long_) >= THRESHOLD - 1e-9))
        out = []
        for i, local in enumerate(locals_):
            chosen = set(np.flatnonzero(ok[i]).tolist())
            chosen.update(self.by_key.get(local.key, ()))     # an equal key scores 1
            out.append([self.cands[j] for j in sorted(chosen)])
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
