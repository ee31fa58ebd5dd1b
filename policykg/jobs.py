"""The work behind the CLI verbs, as importable functions that take their dependencies.

Files are extracted one by one (or by a pool of worker processes); a file that cannot be
read or understood is reported with its cause and skipped, and every good file is still
extracted or loaded.
"""
from __future__ import annotations

import itertools
import json
import multiprocessing as mp
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from policykg.errors import InputError, PolicyKGError, StoreBusy
from policykg.graph.export import node_record, rel_record
from policykg.graph.linking import Candidate, Keyed, Targets, implements_pairs
from policykg.graph.model import (Document, Evidence, GraphFragment, Label, Relationship, RelType, merge_node,
                                  node_from_record, merge_props)
from policykg.graph.store import Store

Progress = Callable[[Path, "FileResult"], None]


@dataclass
class FileResult:
    path: Path
    fragment: GraphFragment | None = None
    error: str | None = None
    measures: int = 0
    prepared: Any = None        # extract: the document's export lines (see _prepare)
    exception: PolicyKGError | None = None      # what `error` says, for a caller that raises it


@dataclass
class RunSummary:
    files: int = 0
    loaded: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    measures: int = 0
    links: int = 0          # IMPLEMENTS links between documents
    nodes: int = 0          # node and relationship records the store merged
    relationships: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


def _extract_one(path: Path, max_bytes: int | None) -> FileResult:
    from policykg.extractors.pipeline import extract_file

    try:
        if max_bytes is not None and path.exists() and path.stat().st_size > max_bytes:
            raise InputError(path, f"larger than the {max_bytes:,}-byte limit (POLICYKG_MAX_FILE_BYTES)")
        frag = extract_file(path)
    except PolicyKGError as exc:
        return FileResult(path, error=str(exc), exception=exc)
    except Exception as exc:  # an extractor bug must not stop the run: report it per file
        return FileResult(path, error=f"{path}: extraction failed: {type(exc).__name__}: {exc}",
                          exception=PolicyKGError(f"{path.name}: extraction failed: {type(exc).__name__}"))
    measures = sum(1 for n in frag.nodes.values() if n.label == Label.MEASURE)
    return FileResult(path, fragment=frag, measures=measures)


def _worker(args):
    return _extract_one(*args)


def _prepare_one(path: Path, max_bytes: int | None) -> FileResult:
    result = _extract_one(path, max_bytes)
    if result.fragment is not None:
        result.prepared, result.fragment = _prepare(result.fragment), None
    return result


def _prepare_worker(args):
    return _prepare_one(*args)


def extract_iter(paths: Iterable[Path], workers: int = 1, max_bytes: int | None = None,
                 prepare: bool = False) -> Iterator[FileResult]:
    """Extract each file, in order; with workers > 1 a process pool shares the work.
    With `prepare`, each result carries its export lines instead of the fragment (the
    workers do the serialising; see `extract_to_file`)."""
    files = list(paths)
    one = _prepare_one if prepare else _extract_one
    if workers <= 1 or len(files) <= 1:
        for p in files:
            yield one(p, max_bytes)
        return
    # At most `window` files in flight: a pool's result queue is unbounded, so a consumer
    # slower than the workers would otherwise gather the corpus's results in memory.
    window = 16 * workers
    slots = threading.Semaphore(window)
    stop = False

    def feed():
        for p in files:
            slots.acquire()
            if stop:
                return
            yield (p, max_bytes)

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    if ctx.get_start_method() == "fork":
        from policykg.extractors.pipeline import default_nlp

        default_nlp()   # built once here and inherited, not ~0.5 s again in every worker
    with ctx.Pool(workers) as pool:
        try:
            for result in pool.imap(_prepare_worker if prepare else _worker, feed(), chunksize=4):
                slots.release()
                yield result
        finally:
            stop = True
            for _ in range(window + 1):
                slots.release()          # let the feeding thread see `stop` and end


def extract_to_file(paths: Iterable[Path], out: Path, workers: int = 1, max_bytes: int | None = None,
                    progress: Progress | None = None) -> RunSummary:
    """Extract files into one export file, touching no store.

    The file is written as documents come (see `_ExportWriter`): memory holds one document,
    the shared vocabulary (agencies, regions, provisions) and a few ids per document, never
    the corpus."""
    summary = RunSummary()
    with _ExportWriter(Path(out)) as writer:
        for result in extract_iter(paths, workers, max_bytes, prepare=True):
            _count(summary, result)
            if result.prepared is not None:
                writer.add_prepared(result.prepared)
            if progress:
                progress(result.path, result)
            result.prepared = None
        summary.links = writer.finish(workers)
    return summary


_SHARED = (Label.AGENCY, Label.REGION, Label.PROVISION)


# One encoder for every export line: json.dumps with options builds a new one per call
# (20 % of the serialising time over 100,000 lines).
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def _dumps(record: dict[str, Any]) -> str:
    return _ENCODER.encode(record)


def _prepare(frag: GraphFragment) -> dict[str, Any]:
    """One document's share of the export as plain data (cheap to send between processes):
    its own nodes and relationships as export lines, shared nodes and stubs to merge, CITES,
    and the compact measure rows IMPLEMENTS needs."""
    doc = next((n.id for n in frag.nodes.values() if n.label == Label.DOCUMENT and n.file), None)
    local, shared, stubs = [], [], []
    for node in frag.nodes.values():
        if node.label in _SHARED:
            shared.append((node.label.value, node.id, node.properties()))
        elif node.label == Label.DOCUMENT and not node.file:
            stubs.append((node.id, node.doc_number))
        else:
            local.append(_dumps(node_record(node.label.value, node.id, node.properties())))
    rels, cites, cands = [], [], []
    for key, rel in frag.relationships.items():
        a, b = frag.nodes[rel.start], frag.nodes[rel.end]
        rels.append((key, a.label in _SHARED and b.label in _SHARED,
                     _dumps(rel_record(rel.type.value, rel.start, a.label.value, rel.end, b.label.value,
                                       rel.properties()))))
        if rel.type == RelType.CITES:
            cites.append((rel.start, rel.end))
        elif rel.type == RelType.FROM_DOCUMENT and a.label == Label.MEASURE:
            cands.append(json.dumps([rel.end, a.id, a.text, a.document, a.start, a.end], ensure_ascii=False))
    return {"doc": doc, "nodes": local, "shared": shared, "stubs": stubs, "rels": rels, "cites": cites,
            "cands": cands}


_NODE_HEAD = '{"id": "'
_START_HEAD = '"start": {"id": "'


def _may_hold(line: str, kind: str, held_nodes: dict[str, Any], held_starts: set[str]) -> bool:
    """False only when a spooled record (written with sorted keys) is certainly not one a
    repeated document changes: a node not held, or a relationship from a node that starts
    no held relationship. Anything unexpected is parsed."""
    if kind == "nodes":
        if not line.startswith(_NODE_HEAD):
            return True
        end = line.find('"', len(_NODE_HEAD))
        return end < 0 or line[len(_NODE_HEAD):end] in held_nodes
    at = line.rfind(_START_HEAD)      # the record's own key: it sorts after "properties"
    if at < 0:
        return True
    begin = at + len(_START_HEAD)
    end = line.find('"', begin)
    return end < 0 or line[begin:end] in held_starts


def _unprepare(p: dict[str, Any]) -> GraphFragment:
    """The fragment back from its prepared form (only for a repeated document)."""
    frag = GraphFragment()
    for line in p["nodes"]:
        rec = json.loads(line)
        frag.nodes[rec["id"]] = node_from_record(rec["labels"][0], rec["properties"])
    for label, node_id, props in p["shared"]:
        frag.nodes[node_id] = node_from_record(label, props)
    for node_id, number in p["stubs"]:
        frag.nodes[node_id] = Document(id=node_id, doc_number=number)
    for key, _, line in p["rels"]:
        props = json.loads(line)["properties"]
        ev = (Evidence(document=props["document"], start=props["start"], end=props["end"], text=props.get("evidence", ""))
              if props else None)
        frag.relationships[tuple(key)] = Relationship(type=RelType(key[0]), start=key[1], end=key[2], evidence=ev,
                                                      valid_from=props.get("from"), valid_until=props.get("until"))
    return frag


class _ExportWriter:
    """Streams fragments into an APOC JSON-lines file with the records `link_fragment` over
    the merged fragments would give (the same set; nodes still precede relationships).

    - Documents and measures are written at once; their ids are unique to a document.
    - Shared nodes (agencies, regions, provisions) are merged in memory, as fragments merge,
      and written at the end: they are the vocabulary, bounded however many documents come.
      Relationships between two shared nodes (PART_OF) are written once.
    - A cited-document stub is written at the end, only if no document with its id was.
    - A document whose id came before (the same number in two files) is merged in memory
      and folded into the earlier records at the end.
    - Relationships are spooled to a second file and appended after the nodes.
    - IMPLEMENTS needs only each measure's id, text, document, file and span, and CITES:
      those go to a third spool, read back at the end one citing document at a time.
    """

    def __init__(self, out: Path):
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = tempfile.mkdtemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
        self.nodes_path = Path(self._tmp) / "nodes.jsonl"
        self.rels_path = Path(self._tmp) / "relationships.jsonl"
        self.cands_path = Path(self._tmp) / "measures.jsonl"
        self.nodes = open(self.nodes_path, "w", encoding="utf-8")
        self.rels = open(self.rels_path, "w", encoding="utf-8")
        self.cands = open(self.cands_path, "w", encoding="utf-8")
        self.shared: dict[str, tuple[str, dict]] = {}     # id -> (label, merged properties)
        self.shared_rels: set[tuple[str, str, str]] = set()
        self.documents: set[str] = set()                  # ids of real documents written
        self.stubs: dict[str, str | None] = {}            # cited id -> its number
        self.cites: dict[str, set[str]] = {}              # document id -> cited ids
        self.late: dict[str, GraphFragment] = {}          # repeated document id -> merged repeats

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        for fh in (self.nodes, self.rels, self.cands):
            fh.close()
        shutil.rmtree(self._tmp, ignore_errors=True)

    @staticmethod
    def _line(fh, record: dict[str, Any]) -> None:
        fh.write(_ENCODER.encode(record))
        fh.write("\n")

    def add(self, frag: GraphFragment) -> None:
        self.add_prepared(_prepare(frag))

    def add_prepared(self, p: dict[str, Any]) -> None:
        for label, node_id, props in p["shared"]:
            have = self.shared.get(node_id)
            if have is None:
                self.shared[node_id] = (label, props)
            else:
                merge_props(have[1], props)
        for node_id, number in p["stubs"]:
            self.stubs.setdefault(node_id, number)
        doc = p["doc"]
        if doc is not None and doc in self.documents:
            frag = _unprepare(p)
            self._hold(doc, frag, {k: v for k, v in frag.nodes.items()
                                   if v.label not in _SHARED and not (v.label == Label.DOCUMENT and not v.file)})
            return
        if doc is not None:
            self.documents.add(doc)
        write = self.nodes.write
        for line in p["nodes"]:
            write(line)
            write("\n")
        write = self.rels.write
        for key, both_shared, line in p["rels"]:
            if both_shared:
                key = tuple(key)
                if key in self.shared_rels:
                    continue
                self.shared_rels.add(key)
            write(line)
            write("\n")
        for start, end in p["cites"]:
            self.cites.setdefault(start, set()).add(end)
        for line in p["cands"]:
            self.cands.write(line)
            self.cands.write("\n")

    def _hold(self, doc_id: str, frag: GraphFragment, local: dict[str, Any]) -> None:
        held = self.late.setdefault(doc_id, GraphFragment())
        for node in local.values():
            held.add(node)
        for key, rel in frag.relationships.items():
            a, b = frag.nodes[rel.start], frag.nodes[rel.end]
            if a.label in _SHARED and b.label in _SHARED:
                if key in self.shared_rels:
                    continue
                self.shared_rels.add(key)
            if rel.type == RelType.CITES:
                self.cites.setdefault(rel.start, set()).add(rel.end)
            held.relationships.setdefault(key, rel)

    def _labels(self, node_id: str, fallback: dict[str, Any]) -> str:
        node = fallback.get(node_id)
        if node is not None:
            return node.label.value
        if node_id in self.shared:
            return self.shared[node_id][0]
        return Label.DOCUMENT.value if node_id in self.stubs or node_id in self.documents else Label.MEASURE.value

    def finish(self, workers: int = 1) -> int:
        """Link, write the end of the file and move it into place; returns the IMPLEMENTS count."""
        self.cands.close()
        links = self._link(workers)
        if self.late:
            self._fold_late()
        for node_id in sorted(self.shared):
            label, props = self.shared[node_id]
            self._line(self.nodes, node_record(label, node_id, props))
        for node_id in sorted(self.stubs):
            if node_id not in self.documents:
                stub = Document(id=node_id, doc_number=self.stubs[node_id])
                self._line(self.nodes, node_record(Label.DOCUMENT.value, node_id, stub.properties()))
        self.rels.close()
        with open(self.rels_path, encoding="utf-8") as src:
            shutil.copyfileobj(src, self.nodes, 1 << 20)
        self.nodes.close()
        os.replace(self.nodes_path, self.out)
        return links

    def _fold_late(self) -> None:
        """Merge repeated documents into the records written for their first file."""
        held_nodes: dict[str, Any] = {}
        held_rels: dict[tuple[str, str, str], Any] = {}
        for frag in self.late.values():
            held_nodes.update(frag.nodes)
            for key, rel in frag.relationships.items():
                held_rels.setdefault(key, rel)
        labels = dict(held_nodes)
        held_starts = {key[1] for key in held_rels}
        # Nodes: the records of held ids are replaced by their merge, so the file is rewritten.
        # Only the few records of a repeated document need parsing: the others are copied as
        # they are, recognised by the id their sorted-key line shows.
        self.nodes.close()
        merged = self.nodes_path.with_suffix(".merged")
        with open(self.nodes_path, encoding="utf-8") as src, open(merged, "w", encoding="utf-8") as dst:
            for line in src:
                if _may_hold(line, "nodes", held_nodes, held_starts):
                    rec = json.loads(line)
                    if rec["id"] in held_nodes:
                        node = node_from_record(rec["labels"][0], rec["properties"])
                        merge_node(node, held_nodes.pop(rec["id"]))
                        self._line(dst, node_record(node.label.value, node.id, node.properties()))
                        continue
                dst.write(line)
            for node in held_nodes.values():
                self._line(dst, node_record(node.label.value, node.id, node.properties()))
        os.replace(merged, self.nodes_path)
        self.nodes = open(self.nodes_path, "a", encoding="utf-8")
        # Relationships: written ones never change (the first evidence stays), so the spool
        # is only read to drop the held ones it has, and the rest are appended.
        self.rels.close()
        with open(self.rels_path, encoding="utf-8") as src:
            for line in src:
                if _may_hold(line, "rels", held_nodes, held_starts):
                    rec = json.loads(line)
                    held_rels.pop((rec["label"], rec["start"]["id"], rec["end"]["id"]), None)
        self.rels = open(self.rels_path, "a", encoding="utf-8")
        for rel in held_rels.values():
            self._line(self.rels, rel_record(rel.type.value, rel.start, self._labels(rel.start, labels),
                                             rel.end, self._labels(rel.end, labels), rel.properties()))
        self.late.clear()

    def _link(self, workers: int = 1) -> int:
        """IMPLEMENTS as `link_fragment` draws them, from the spooled measures: the cited
        documents' measures are held, the citing ones read one document at a time (by a
        pool of `workers` processes, a bounded wave at a time); each link is written to
        the relationship spool at once. Returns the count."""
        cited = {c for doc, cs in self.cites.items() for c in cs if c != doc and c in self.documents}
        if not cited:
            return 0
        extra = self._late_candidates()
        targets: dict[str, dict[str, Candidate]] = {}
        for doc, group in self._candidate_groups(extra):
            if doc in cited:
                targets.setdefault(doc, {}).update(group)
        keyed = {doc: [Keyed(m) for m in group.values()] for doc, group in targets.items()}
        tasks = ((doc, list(group.values()), sorted(c for c in self.cites.get(doc, ()) if c != doc and c in targets))
                 for doc, group in self._candidate_groups(extra))
        tasks = (t for t in tasks if t[2])
        count = 0

        def write(links):
            nonlocal count
            for start, end, props in links:
                self._line(self.rels, rel_record(RelType.IMPLEMENTS.value, start, Label.MEASURE.value, end,
                                                 Label.MEASURE.value, props))
                count += 1

        if workers <= 1:
            _set_link_targets(keyed)
            try:
                for task in tasks:
                    write(_link_document(task))
            finally:
                _set_link_targets(None)
            return count
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        with ctx.Pool(workers, initializer=_set_link_targets, initargs=(keyed,)) as pool:
            while True:
                wave = list(itertools.islice(tasks, 64 * workers))
                if not wave:
                    break
                for links in pool.imap(_link_document, wave, chunksize=4):
                    write(links)
        return count

    def _late_candidates(self) -> list[list]:
        rows = []
        for frag in self.late.values():
            for (t, s, e) in frag.relationships:
                if t == RelType.FROM_DOCUMENT.value and s in frag.nodes:
                    m = frag.nodes[s]
                    rows.append([e, m.id, m.text, m.document, m.start, m.end])
        return rows

    def _candidate_groups(self, extra: list[list]):
        """(document id, {measure id: Candidate}) per run of one document in the spool; a
        document seen again (a repeated file) is merged into its first run at the end."""
        current, group = None, {}
        pending: dict[str, dict[str, Candidate]] = {}
        for row in extra:
            pending.setdefault(row[0], {})
        def rows():
            with open(self.cands_path, encoding="utf-8") as fh:
                for line in fh:
                    yield json.loads(line)
        for row in rows():
            doc = row[0]
            if doc != current:
                if current is not None:
                    if current in pending:
                        pending[current].update(group)
                    else:
                        yield current, group
                current, group = doc, {}
            group[row[1]] = Candidate(row[1], row[2], row[0], row[3], row[4], row[5])
        if current is not None:
            if current in pending:
                pending[current].update(group)
            else:
                yield current, group
        for row in extra:
            pending[row[0]][row[1]] = Candidate(row[1], row[2], row[0], row[3], row[4], row[5])
        yield from pending.items()


_LINK_TARGETS: dict[str, "Targets"] | None = None


def _set_link_targets(keyed: dict[str, list["Keyed"]] | None) -> None:
    """Hold the cited documents' measures for `_link_document` (per process: a pool's
    initializer), as arrays built once here rather than once per citing measure."""
    global _LINK_TARGETS
    _LINK_TARGETS = None if keyed is None else {doc: Targets(group) for doc, group in keyed.items()}


def _link_document(task) -> list[tuple[str, str, dict[str, Any]]]:
    """The IMPLEMENTS links of one citing document (its measures against the cited ones)."""
    doc, group, wanted = task
    targets = _LINK_TARGETS
    locals_ = [k for k in map(Keyed, group) if len(k.key) >= 6]
    # Only the measures that can reach THRESHOLD (see `Targets.plausible`), so
    # implements_pairs finds the same best match without building a matcher for every pair.
    picks = [[k.cand] for k in locals_]
    for c in wanted:
        for pick, found in zip(picks, targets[c].plausible(locals_)):
            pick.extend(found)
    links = []
    for measures in picks:
        for a, b, _ in implements_pairs(measures, {doc: set(wanted)}, prefilter=False):
            links.append((a.id, b.id, _implements_props(a)))
    return links


def _implements_props(local: Candidate) -> dict[str, Any]:
    """The evidence `link_fragment` gives an IMPLEMENTS link: the local measure's span."""
    return Relationship(type=RelType.IMPLEMENTS, start=local.id, end=local.id,
                        evidence=Evidence(document=local.file or "", start=local.start or 0, end=local.end or 0,
                                          text=local.text[:240])).properties()


def ingest(paths: Iterable[Path], store: Store, workers: int = 1, max_bytes: int | None = None,
           progress: Progress | None = None) -> RunSummary:
    """Extract files and load them into the store: every document wholly or not at all.

    A store that can (Neo4j: `load_many`) takes documents in batches, one transaction per
    batch; a batch it refuses is loaded again one document at a time, so that only the
    documents at fault are reported. Files are counted and reported in their order. A
    store busy with another writer for too long (StoreBusy) ends the run: the documents
    loaded so far stay. The CLI and the API's upload both write through here."""
    summary = RunSummary()
    loader = _Loader(store, summary, progress)
    for result in extract_iter(paths, workers, max_bytes):
        loader.add(result)
    loader.flush()
    summary.links = store.link_implements()
    return summary


def load_fragments(fragments: Iterable[GraphFragment], store: Store) -> RunSummary:
    """The load half of `ingest`, for fragments already extracted (no IMPLEMENTS links)."""
    summary = RunSummary()
    loader = _Loader(store, summary, None)
    for i, frag in enumerate(fragments):
        measures = sum(1 for n in frag.nodes.values() if n.label == Label.MEASURE)
        loader.add(FileResult(Path(f"fragment-{i}"), fragment=frag, measures=measures))
    loader.flush()
    return summary


class _Loader:
    """Batches extracted documents for the store (see `ingest`)."""

    MAX_DOCUMENTS = 100
    MAX_ROWS = 20000

    def __init__(self, store: Store, summary: RunSummary, progress: Progress | None):
        self.store, self.summary, self.progress = store, summary, progress
        self.many = getattr(store, "load_many", None)
        self.batch: list[FileResult] = []
        self.rows = 0

    def add(self, result: FileResult) -> None:
        if result.fragment is None:
            self.flush()
            self._done(result)
            return
        self.batch.append(result)
        self.rows += len(result.fragment.nodes) + len(result.fragment.relationships)
        if self.many is None or len(self.batch) >= self.MAX_DOCUMENTS or self.rows >= self.MAX_ROWS:
            self.flush()

    def flush(self) -> None:
        batch, self.batch, self.rows = self.batch, [], 0
        if not batch:
            return
        if self.many is not None and len(batch) > 1:
            try:
                done = self.many([r.fragment for r in batch])
            except PolicyKGError:
                batch = [self._load_one(r) for r in batch]
            else:
                self.summary.nodes += done.nodes
                self.summary.relationships += done.relationships
        else:
            batch = [self._load_one(r) for r in batch]
        for result in batch:
            self._done(result)

    def _load_one(self, result: FileResult) -> FileResult:
        try:
            done = self.store.load(result.fragment)
        except StoreBusy:
            raise       # not this document's fault, and the next one would wait as long
        except PolicyKGError as exc:
            return FileResult(result.path, error=f"{result.path}: not loaded: {exc}", exception=exc)
        self.summary.nodes += done.nodes
        self.summary.relationships += done.relationships
        return result

    def _done(self, result: FileResult) -> None:
        _count(self.summary, result)
        if self.progress:
            self.progress(result.path, result)
        result.fragment = None


def export_store(store: Store, out: Path, fmt: str = "jsonl") -> int:
    """Write the whole store as APOC JSON lines (or another format); returns the records,
    nodes + relationships, or table rows written."""
    w = export_graph(store, out, fmt)
    return w.records or (w.nodes + w.relationships) or sum(w.sheets.values())


def export_graph(store: Store, out: Path, fmt: str | None = None, node: str | None = None,
                 depth: int = 1, limit: int = 5000):
    """Write the store, or with `node` the neighbourhood `depth` steps around it (at most
    `limit` nodes), as jsonl, graphml, gexf or xlsx (`fmt`, else from the file's suffix);
    returns what was written (`graph.exports.Written`)."""
    from policykg.errors import NotFound
    from policykg.graph import exports

    fmt = exports.infer_format(out, fmt)
    if node is None:
        records = store.records()
    else:
        hood = store.graph(node, depth, limit)
        if hood is None:
            raise NotFound(f"no node with id {node!r}")
        records = exports.neighbourhood_records(hood)
    return exports.write_export(records, out, fmt)


def _count(summary: RunSummary, result: FileResult) -> None:
    summary.files += 1
    if result.error:
        summary.failed.append((str(result.path), result.error))
    elif result.measures == 0:
        summary.skipped += 1
        summary.loaded += 1
    else:
        summary.loaded += 1
        summary.measures += result.measures
