"""The extraction pipeline: a blank `zh` spaCy pipeline with one component per job.

    policykg_layout     → doc._.blocks        (paragraphs and tables)
    policykg_metadata   → doc._.meta          (title, number, issuer, date, cites, home region)
    policykg_agencies   → doc.spans["agency"] (bodies, resolved and region-qualified)
    policykg_regions    → doc.spans["region"]
    policykg_measures   → doc._.measures      (drafts with roles, provisions, deadlines)

`fragment_from_doc` turns the annotated Doc into a validated GraphFragment; nothing here
reads settings or touches a store.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from policykg.extractors.entities import _Intervals, Mention, Recogniser
from policykg.extractors.gazetteer import RegionEntry, default_gazetteer
from policykg.extractors.layout import clean, segment
from policykg.extractors.genres import Context, Draft, Genre, load_genres, read_measures
from policykg.extractors.metadata import Meta, read_metadata, settle_home
from policykg.extractors.roles import declared_leads, first_named_leads
from policykg.extractors.text import SourceText, read_source
from policykg.graph.model import (Agency, Document, Evidence, GraphFragment, LegalProvision, Measure,
                                  Region, RelType, agency_id, document_id, measure_id, normalise_text,
                                  provision_id, region_id)

for _name, _default in (("blocks", None), ("meta", None), ("measures", None), ("source", None),
                        ("home", None), ("agency_mentions", None), ("region_mentions", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


# --------------------------------------------------------------------- components
def doc_text(doc: Doc) -> str:
    """The document's text, built once: `Doc.text` joins every token on each access, which
    for a character-segmented document costs more than all the components together."""
    text = doc.user_data.get("policykg_text")
    if text is None:
        text = doc.user_data["policykg_text"] = doc.text
    return text


@Language.factory("policykg_layout", default_config={"data_dir": None}, assigns=["doc._.blocks"])
def make_layout(nlp, name, data_dir):
    numbering = _recogniser(data_dir).gaz.numbering

    def layout(doc: Doc) -> Doc:
        doc._.blocks = segment(doc_text(doc), numbering)
        return doc
    return layout


@Language.factory("policykg_metadata", default_config={"data_dir": None}, assigns=["doc._.meta", "doc._.home"])
def make_metadata(nlp, name, data_dir):
    rec = _recogniser(data_dir)

    def metadata(doc: Doc) -> Doc:
        text = doc_text(doc)
        meta = read_metadata(text, rec, doc.user_data.get("policykg_hints"))
        settle_home(meta, _home_region(text, meta, rec), rec)
        doc._.meta = meta
        doc._.home = meta.home
        doc.user_data["policykg_lexicon"] = rec.gaz     # the lexicon this pipeline reads with
        return doc
    return metadata


@Language.factory("policykg_agencies", default_config={"data_dir": None}, requires=["doc._.home"],
                  assigns=["doc._.agency_mentions", "doc.spans"])
def make_agencies(nlp, name, data_dir):
    rec = _recogniser(data_dir)

    def agencies(doc: Doc) -> Doc:
        mentions = rec.agencies(doc_text(doc), doc._.home)
        doc._.agency_mentions = mentions
        doc.spans["agency"] = _spans(doc, mentions, "AGENCY")
        return doc
    return agencies


@Language.factory("policykg_regions", default_config={"data_dir": None},
                  requires=["doc._.home", "doc._.agency_mentions"], assigns=["doc._.region_mentions", "doc.spans"])
def make_regions(nlp, name, data_dir):
    rec = _recogniser(data_dir)

    def regions(doc: Doc) -> Doc:
        blocked = [(m.start, m.end) for m in doc._.agency_mentions or []]
        blocked += [(m.start(), m.end()) for m in re.finditer(r"《[^》]{1,80}》", doc_text(doc))]
        mentions = rec.regions(doc_text(doc), doc._.home, blocked)
        doc._.region_mentions = mentions
        doc.spans["region"] = _spans(doc, mentions, "REGION")
        return doc
    return regions


#: The genres `policykg_measures` reads with, in order (a block goes to the first that
#: claims it). A user's config may name others registered in `genres.base.genres`.
GENRES = ("policykg.catalogue.v1", "policykg.table.v1", "policykg.prose.v1")


@Language.factory("policykg_measures", default_config={"data_dir": None, "genres": list(GENRES)},
                  requires=["doc._.blocks", "doc._.agency_mentions", "doc._.home"], assigns=["doc._.measures"])
def make_measures(nlp, name, data_dir, genres):
    rec = _recogniser(data_dir)
    chosen = load_genres(list(genres))

    def measures(doc: Doc) -> Doc:
        doc._.measures = find_measures(doc_text(doc), doc._.blocks, doc._.agency_mentions or [], rec, doc._.home,
                                       chosen)
        return doc
    return measures


def _spans(doc: Doc, mentions: list[Mention], label: str):
    out = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, label=label, kb_id=m.name, alignment_mode="expand")
        if span is not None:
            out.append(span)
    return out


@lru_cache(maxsize=4)
def _recogniser(data_dir: str | None) -> Recogniser:
    return Recogniser(default_gazetteer(data_dir))


MAX_CHARS = 30_000_000
PIPES = ("policykg_layout", "policykg_metadata", "policykg_agencies", "policykg_regions", "policykg_measures")


class _Orths(dict):
    """Character (or whitespace run) → its hash in the vocab's StringStore, added on first use."""

    def __init__(self, vocab):
        super().__init__()
        self.strings = vocab.strings

    def __missing__(self, key: str) -> int:
        orth = self[key] = self.strings.add(key)
        return orth


class CharTokenizer:
    """One token per character, as the blank zh pipeline's `char` segmenter gives, in linear
    time: spaCy's own alignment of words to text is quadratic in the text's length and took
    minutes on a long single-line page.

    Tokens: every non-space character; every maximal run of whitespace, except a run that is
    one plain space after a character, which is that character's trailing space. The Doc is
    lossless (`doc.text == text`)."""

    _WS = re.compile(r"\s+")

    def __init__(self, vocab):
        self.vocab = vocab
        self._orths = _Orths(vocab)
        self._table = self._space = None        # see _tables

    def __call__(self, text: str) -> Doc:
        # Handed to Doc as string hashes, so that spaCy looks each lexeme up by hash instead
        # of hashing every character again (speed only: the same tokens and spaces).
        if getattr(self.vocab, "in_memory_zone", False):
            # A zone's strings are transient: cache nothing.
            words, spaces = self._plain(text, _Orths(self.vocab).__getitem__)
        else:
            found = self._vectorised(text)
            words, spaces = found if found is not None else self._plain(text, self._orths.__getitem__)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _vectorised(self, text: str) -> tuple[list[int], list[bool]] | None:
        """`_plain` done on arrays (numpy): each character's hash looked up in a table indexed
        by code point, whitespace runs found by comparing neighbours, a Python step only per
        run of two or more whitespace characters (its hash). None where a character lies
        beyond the Basic Multilingual Plane (the tables' range).
        300 bench documents, Doc included, interleaved: 0.30 -> 0.19 s."""
        import numpy

        codes = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
        n = len(codes)
        if n == 0 or int(codes.max()) > 0xFFFF:
            return None if n else ([], [])
        table, space = self._tables()
        orths = table[codes]                # a copy: run hashes set below stay out of the table
        if not orths.all():
            get = self._orths.__getitem__
            for code in numpy.unique(codes[orths == 0]).tolist():
                table[code] = get(chr(code))
            orths = table[codes]
        ws = space[codes]
        if not ws.any():
            return orths.tolist(), [False] * n
        before = numpy.empty(n, dtype=bool)         # the character before is whitespace
        before[0] = False
        before[1:] = ws[:-1]
        after = numpy.empty(n, dtype=bool)          # the character after is whitespace
        after[-1] = False
        after[:-1] = ws[1:]
        opens = ws & ~before                        # where a whitespace run starts
        # One plain space after a character: that character's trailing space, no token.
        trailing = opens & ~after & (codes == 32)
        trailing[0] = False
        # A run of two or more: one token, at its first character, hashed as a string.
        long_starts = numpy.flatnonzero(opens & after)
        if long_starts.size:
            ends = numpy.flatnonzero(ws & ~after)   # the last character of each run
            long_ends = ends[numpy.searchsorted(ends, long_starts)] + 1
            get = self._orths.__getitem__
            orths[long_starts] = [get(text[s:e]) for s, e in zip(long_starts.tolist(), long_ends.tolist())]
        keep = ~((ws & before) | trailing)
        spaces = numpy.zeros(n, dtype=bool)
        spaces[:-1] = trailing[1:]
        return orths[keep].tolist(), spaces[keep].tolist()

    def _tables(self):
        """Code point -> hash (0: not looked up yet), and code point -> whitespace as
        `_WS` reads it; built on first use (512 + 64 KB)."""
        import numpy

        if self._table is None:
            everything = "".join(map(chr, range(0x10000)))
            space = numpy.zeros(0x10000, dtype=bool)
            for m in self._WS.finditer(everything):
                space[m.start():m.end()] = True
            self._space = space
            self._table = numpy.zeros(0x10000, dtype=numpy.uint64)
        return self._table, self._space

    def _plain(self, text: str, get) -> tuple[list[int], list[bool]]:
        """The tokens' hashes and trailing spaces, a run of characters at a time."""
        words: list[int] = []
        trailing: list[int] = []
        pos = 0
        for m in self._WS.finditer(text):
            s, e = m.span()
            if s > pos:
                words.extend(map(get, text[pos:s]))
            if e - s == 1 and s > 0 and text[s] == " ":
                trailing.append(len(words) - 1)     # text[s-1] is a character: a token
            else:
                words.append(get(text[s:e]))
            pos = e
        words.extend(map(get, text[pos:]))
        spaces = [False] * len(words)
        for i in trailing:
            spaces[i] = True
        return words, spaces

    def pipe(self, texts, batch_size=1000):
        for text in texts:
            yield self(text)

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "CharTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "CharTokenizer":
        return self


@spacy.registry.tokenizers("policykg.char_tokenizer.v1")
def make_char_tokenizer():
    def create(nlp):
        return CharTokenizer(nlp.vocab)
    return create


def build_nlp(data_dir: str | Path | None = None, genres: list[str] | None = None) -> Language:
    """A blank zh pipeline (one token per character, no downloads) with policykg's components.
    `data_dir`: a folder of lexicon files to use instead of extractors/data (same names);
    `genres`: the registered genres to read measures with, in order (default GENRES)."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "policykg.char_tokenizer.v1"}}})
    # spaCy's 1M-character guard protects its parser and NER, which this pipeline does not
    # run; file size is bounded upstream (POLICYKG_MAX_FILE_BYTES).
    nlp.max_length = MAX_CHARS
    cfg = {"data_dir": str(data_dir) if data_dir else None}
    for pipe in PIPES:
        extra = {"genres": list(genres)} if pipe == "policykg_measures" and genres is not None else {}
        nlp.add_pipe(pipe, config={**cfg, **extra})
    nlp.analyze_pipes()     # each component's `requires` is assigned by one before it
    return nlp


def _home_region(text: str, meta: Meta, rec: Recogniser) -> RegionEntry | None:
    """The region a local document belongs to: its issuer's, its title's, or the one it
    names most when it speaks of 本市/我省. National documents have none."""
    gaz = rec.gaz
    if meta.issuer_mention is not None:
        if meta.issuer_mention.region:
            return gaz.region_by_name.get(meta.issuer_mention.region)
        if meta.issuer_mention.level == "central":
            return None
    local = ("province", "municipality", "city", "county", "district")
    if meta.title:
        for m in rec.region_matches(meta.title):
            if m.group("name"):
                entry = gaz.pick_region(m.group("name"), None)
                if entry is not None and entry.level in local:
                    return entry
    if not rec.self_re.search(text):
        return None
    counts: dict[str, int] = {}
    for m in rec.region_matches(text):
        if m.group("name"):
            entry = gaz.pick_region(m.group("name"), None)
            if entry is not None and entry.level in local:
                counts[entry.name] = counts.get(entry.name, 0) + 1
    if not counts:
        return None
    best = max(counts, key=counts.get)
    return gaz.region_by_name[best] if counts[best] >= 3 else None


# --------------------------------------------------------------------- measures
def find_measures(text: str, blocks, agencies: list[Mention], rec: Recogniser,
                  home: RegionEntry | None = None, chosen: list[Genre] | None = None) -> list[Draft]:
    """The document's measures: its blocks read by the genres (`chosen`, default GENRES), then
    the responsibilities the document declares for everything after it."""
    def resolve(item: str, start: int) -> Mention | None:
        return rec.list_body(item, start, home)

    ctx = Context(text, agencies, rec, home, first_named_leads(text, rec.gaz.declarations), resolve)
    drafts = read_measures(blocks, ctx, chosen if chosen is not None else load_genres(list(GENRES)))
    for said, role in declared_leads(text, rec.gaz.declarations, agencies, resolve, rec.gaz.duties):
        for d in drafts:
            if d.start > said and all(r.mention.name != role.mention.name for r in d.roles):
                d.roles.append(role)
    return drafts


# --------------------------------------------------------------------- fragment
_PART_OF = RelType.PART_OF.value


def _snippet(text: str, s: int, e: int, limit: int = 240) -> str:
    return clean(text[s:e])[:limit]


def fragment_from_doc(doc: Doc, source: SourceText) -> GraphFragment:
    """The graph fragment of one annotated document."""
    from policykg.extractors import deadlines

    meta: Meta = doc._.meta
    text = doc_text(doc)
    frag = GraphFragment()
    home: RegionEntry | None = meta.home
    gaz = doc.user_data.get("policykg_lexicon") or _recogniser(None).gaz
    # The period the document is in force, and the one its suspensions of rules run.
    in_force = deadlines.in_force(text, meta.date)
    suspended = deadlines.suspension_period(text, in_force, meta.date).iso()
    document = Document(id=document_id(meta.doc_number, source.file), file=source.file, title=meta.title,
                        doc_number=meta.doc_number, issuer=meta.issuer, date=meta.date,
                        sha256=source.sha256, region=home.name if home else None,
                        in_force_from=in_force.iso()[0], in_force_until=in_force.iso()[1])
    doc_key = document.id
    frag.add(document)

    def ev(s: int, e: int) -> Evidence:
        return Evidence(document=source.file, start=s, end=e, text=_snippet(text, s, e))

    def relate_at(type_: RelType, a: str, b: str, s: int, e: int) -> None:
        """frag.relate with evidence text[s:e], built only for a new edge (a repeat keeps
        the first evidence anyway; speed only)."""
        if (type_._value_, a, b) not in frag.relationships:     # _value_: .value is a descriptor call
            frag.relate(type_, a, b, ev(s, e))

    # What each region and agency was last added as. Adding a node again with the same
    # values changes nothing (merge_node keeps scalars, unites lists; relate keeps the
    # first evidence), so such repeats are skipped (speed only). Only a repeat of the
    # *last* values is skipped: a different value in between may have changed the node.
    added_regions: dict[str, str] = {}
    added_agencies: dict[str, tuple] = {}

    def add_region(name: str, level: str) -> str:
        entry = gaz.region_by_name.get(name)
        effective = entry.level if entry else level
        if added_regions.get(name) == effective:
            return region_id(name)
        added_regions[name] = effective
        node = Region(id=region_id(name), name=name, level=(entry.level if entry else level),
                      aliases=list(entry.aliases) if entry else [], code=entry.code if entry else None)
        rid = frag.add(node)
        # Link the region into its hierarchy (district → city → province).
        child = entry
        while child is not None and child.parent:
            parent = gaz.region_by_name.get(child.parent)
            if parent is None:
                break
            pid = frag.add(Region(id=region_id(parent.name), name=parent.name, level=parent.level,
                                  aliases=list(parent.aliases), code=parent.code))
            frag.relate(RelType.PART_OF, region_id(child.name), pid)
            child = parent
        if entry is None and home is not None and name != home.name:
            hid = add_region(home.name, home.level)
            frag.relate(RelType.PART_OF, rid, hid)
        return rid

    def add_agency(m: Mention) -> str:
        level = m.level if m.level in ("central", "provincial", "municipal", "district") else "other"
        aliases = [m.text] if m.text != m.name and not m.text.startswith(("市", "省", "区", "县")) else []
        key = (level, tuple(aliases), m.region)
        if added_agencies.get(m.name) == key:
            aid = agency_id(m.name)
        else:
            added_agencies[m.name] = key
            aid = frag.add(Agency(id=agency_id(m.name), name=m.name, level=level, aliases=aliases))
        if m.region:
            # Always: the region's own last values may have changed since.
            rid = add_region(m.region, "area")
            if (_PART_OF, aid, rid) not in frag.relationships:     # a repeat changes nothing (speed only)
                frag.relate(RelType.PART_OF, aid, rid)
        return aid

    if meta.issuer_mention is not None:
        frag.relate(RelType.ISSUED_BY, document.id, add_agency(meta.issuer_mention),
                    ev(meta.issuer_mention.start, meta.issuer_mention.end))
    for num, s, e in meta.cites:
        cited = Document(id=document_id(num, None), doc_number=num)
        frag.add(cited)
        frag.relate(RelType.CITES, document.id, cited.id, ev(s, e))

    regions: list[Mention] = doc._.region_mentions or []
    # A body that only the measures' responsibility lists name (北京奥促中心) is no place.
    bodies = {(r.mention.start, r.mention.end) for d in (doc._.measures or []) for r in d.roles}
    if bodies:
        inside = _Intervals(list(bodies))
        regions = [r for r in regions if not inside.covers(r.start, r.end)]
    if home is not None:
        frag.relate(RelType.APPLIES_TO, document.id, add_region(home.name, home.level))
    for r in regions:
        relate_at(RelType.APPLIES_TO, document.id, add_region(r.name, r.level), r.start, r.end)

    # One node per measure: repeated fragments of a scraped page (same opening sentence)
    # are one measure; the shortest variant is the least interleaved with foreign text.
    region_starts = [r.start for r in regions]
    regions_sorted = all(a <= b for a, b in zip(region_starts, region_starts[1:]))
    drafts: list[Draft] = doc._.measures or []
    keys = [_dedupe_key(d.text) for d in drafts]        # each computed once (speed only)
    chosen: dict[str, int] = {}
    for i, d in enumerate(drafts):
        key = keys[i]
        if key not in chosen or len(normalise_text(d.text)) < len(normalise_text(drafts[chosen[key]].text)):
            chosen[key] = i
    ids: dict[int, str] = {}
    keep = set(chosen.values())
    chosen_ids = {key: measure_id(doc_key, drafts[i].text) for key, i in chosen.items()}
    for i in range(len(drafts)):
        ids[i] = chosen_ids[keys[i]]
    # Kept drafts first, so that a measure node exists before a repeat adds its edges.
    for i in sorted(range(len(drafts)), key=lambda i: i not in keep):
        d = drafts[i]
        mid = ids[i]
        if i in keep:
            frag.add(Measure(id=mid, text=d.text, kind=d.kind, document=source.file, section=d.section,
                             deadline=d.deadline, due=deadlines.due_iso(d.deadline, meta.date),
                             field=d.field, start=d.start, end=d.end, body=d.body))
            frag.relate(RelType.FROM_DOCUMENT, mid, document.id, ev(d.start, d.end))
            if d.parent is not None and ids.get(d.parent) and ids[d.parent] != mid:
                frag.relate(RelType.PART_OF, mid, ids[d.parent])
        elif not d.table:
            continue        # a repeated fragment of a scraped page: the kept one speaks for it
        # A measure a table repeats in several rows (one per provision it suspends) keeps
        # what every row says of it.
        for role in d.roles:
            rel = RelType.LEADS if role.role == "lead" else RelType.COOPERATES
            relate_at(rel, add_agency(role.mention), mid, role.start, role.end)
        for p in d.provisions:
            pid = frag.add(LegalProvision(id=provision_id(p.instrument, p.article, p.clause),
                                          instrument=p.instrument, article=p.article, clause=p.clause))
            frag.relate(RelType.ADJUSTS_REGULATION, mid, pid, ev(p.start, p.end))
            if any(suspended):
                rel = frag.relationships[(RelType.ADJUSTS_REGULATION.value, mid, pid)]
                rel.valid_from, rel.valid_until = suspended
        if d.scope:
            s, e = d.scope
            # The regions from the scope's start on (bisected where they are in order, as
            # the regions component leaves them; speed only: every region for every measure).
            first = bisect_left(region_starts, s) if regions_sorted else 0
            for r in regions[first:]:
                if regions_sorted and r.start >= e:
                    break
                if s <= r.start and r.end <= e:
                    relate_at(RelType.APPLIES_TO, mid, add_region(r.name, r.level), r.start, r.end)
    # A lead beats a cooperation for the same body on the same measure.
    for key in [k for k in frag.relationships if k[0] == RelType.COOPERATES.value]:
        if (RelType.LEADS.value, key[1], key[2]) in frag.relationships:
            del frag.relationships[key]
    return frag.validate_graph()


def _dedupe_key(text: str) -> str:
    norm = normalise_text(text)
    m = re.search(r"[。！？]", norm)
    return norm[: m.end()] if m else norm


# --------------------------------------------------------------------- entry points
def extract_source(source: SourceText, nlp: Language | None = None) -> GraphFragment:
    nlp = nlp or default_nlp()
    doc = nlp.make_doc(source.text)
    doc.user_data["policykg_text"] = source.text    # the tokenizer is lossless: doc.text == source.text
    doc.user_data["policykg_hints"] = source.hints  # page-level metadata of web pages (formats.py)
    doc._.source = source.file
    doc = nlp(doc)
    return fragment_from_doc(doc, source)


def extract_file(path: str | Path, nlp: Language | None = None) -> GraphFragment:
    """Read and extract one file (InputError names the file and the cause)."""
    return extract_source(read_source(path), nlp)


@lru_cache(maxsize=1)
def default_nlp() -> Language:
    return build_nlp()


def extract_many(sources: Iterable[SourceText], nlp: Language | None = None) -> Iterator[tuple[SourceText, GraphFragment]]:
    nlp = nlp or default_nlp()
    for src in sources:
        yield src, extract_source(src, nlp)
