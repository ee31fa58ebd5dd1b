"""The embedded store: a networkx graph persisted under a data directory.

Layout of the data directory:
    graph.jsonl     a snapshot in the export format (written atomically, by rename)
    journal.jsonl   one line per loaded document fragment, appended and fsynced; emptied
                    (an empty file renamed over it) when folded into the snapshot
    writer.lock     held (flock) by the one process writing at a time
    writer.json     who holds it: pid, command line, since when (for a waiting writer's message)

A load appends one journal line, so a document is either wholly in the store or not at
all: only lines ending in a newline are read. Writers take turns, one write transaction
(a document, the IMPLEMENTS links, a compaction) at a time, and each first catches up
with what other processes wrote; `compact()` folds the journal into the snapshot. Readers
take no lock: every query first applies what was appended since it last looked.
"""
from __future__ import annotations

import io
import json
import os
import shlex
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import networkx as nx
from filelock import FileLock, Timeout

from policykg.errors import StoreBusy, StoreUnavailable
from policykg.graph.export import node_record, rel_record, write_records
from policykg.graph.model import GraphFragment, Label, RelType, merge_props, version_base, version_id
from policykg.graph.questions import Question
from policykg.graph.store import LoadResult, Store, load_time
from policykg.graph.view import GraphView

SNAPSHOT, JOURNAL, WRITER_LOCK, WRITER_INFO = "graph.jsonl", "journal.jsonl", "writer.lock", "writer.json"
WAIT_NOTICE_SECONDS = 1.0       # a writer that has waited this long says for whom


_ROLE_INDEX = {RelType.LEADS.value: 0, RelType.COOPERATES.value: 1}


def _identity(path: str) -> tuple[int, int, int] | None:
    """What tells one snapshot file from its replacement (os.replace gives a new inode)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class EmbeddedStore(Store):
    name = "embedded"

    def __init__(self, data_dir: str | Path, lock_timeout: float = 600.0,
                 on_wait: Callable[[str], None] | None = None):
        """`lock_timeout`: seconds a write waits for another process's writer before
        StoreBusy; `on_wait` gets one line when a write has waited WAIT_NOTICE_SECONDS."""
        self.dir = Path(data_dir)
        self.lock_timeout = lock_timeout
        self.on_wait = on_wait
        self._lock = threading.RLock()          # the in-memory graph, between this process's threads
        self._writer = threading.Lock()         # this process's writing threads, one at the file lock
        self._file_lock = FileLock(self.dir / WRITER_LOCK, thread_local=False)
        # Strings, not Paths: a query stats both files, and joining Paths cost more than the stats.
        self._snapshot, self._journal = str(self.dir / SNAPSHOT), str(self.dir / JOURNAL)
        self._reading_lock = _Reading(self)
        self._snap_id: tuple[int, int, int] | None = None   # the snapshot the graph was read from
        self._jfh: io.FileIO | None = None                  # the journal the graph has read (held open)
        self._offset = 0                                    # its bytes applied (whole lines)
        self._tail_seen: tuple[int, int] | None = None      # its (size, mtime) with an unfinished line
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot use data directory {self.dir}: {exc.strerror or exc}") from None
        with self._lock:
            self._reload()

    # ------------------------------------------------------------------ persistence
    def _reset(self) -> None:
        self.g = nx.MultiDiGraph()
        # An agency's LEADS and COOPERATES counts, kept as edges are added: counting them by
        # walking the edges cost a central ministry's /backers row tens of milliseconds.
        self._roles: dict[str, list[int]] = {}
        self._by_label: dict[str, dict[str, None]] = {}     # label -> node ids, in insertion order
        self.view = GraphView(self.g, self._by_label, self._roles)

    def _open_journal(self) -> io.FileIO | None:
        """The journal, created if missing, opened for reading and appending; read-only or
        None where this process may not write."""
        try:
            return open(self._journal, "a+b", buffering=0)
        except FileNotFoundError:
            raise
        except OSError:
            try:
                return open(self._journal, "rb", buffering=0)
            except OSError:
                return None

    def _reload(self) -> None:
        """Read the snapshot and the journal's whole lines afresh. The journal is opened
        first: if a compaction replaced it before it was read to the end, read again."""
        for _ in range(10):
            self._reset()
            if self._jfh is not None:
                self._jfh.close()
            try:
                self._jfh = self._open_journal()
            except FileNotFoundError:
                raise StoreUnavailable(f"data directory {self.dir} is gone") from None
            self._snap_id, self._offset, self._tail_seen = None, 0, None
            try:
                fh = open(self._snapshot, encoding="utf-8")
            except FileNotFoundError:
                pass
            else:
                with fh:
                    st = os.fstat(fh.fileno())
                    self._snap_id = (st.st_ino, st.st_mtime_ns, st.st_size)
                    # Parsed first, then applied: the graph's property dicts are then made
                    # one after another, and a query scanning every measure runs ~40% faster.
                    self._apply_records([json.loads(line) for line in fh if line.strip()])
            self._read_journal()
            if self._jfh is None or os.fstat(self._jfh.fileno()).st_nlink:
                return

    def _read_journal(self) -> None:
        """Apply the journal's whole lines after the offset read so far, and advance it. A
        line without its newline is a write in progress or cut short by a crash: not yet."""
        if self._jfh is None:
            return
        data = os.pread(self._jfh.fileno(), os.fstat(self._jfh.fileno()).st_size - self._offset, self._offset)
        end = data.rfind(b"\n") + 1
        for line in data[:end].splitlines():
            try:
                entry = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue        # a line spoilt before tails were repaired: that document never landed
            self._apply_records(entry["records"])
        self._offset += end

    def _refresh(self) -> None:
        """Catch up with what other processes wrote (callers hold self._lock). When nothing
        changed this is one fstat of the journal held open: a compaction replaces the
        journal (st_nlink drops to 0) after the snapshot, appends grow it."""
        if self._jfh is None:
            # A journal this process could not open: compare the files by name.
            if _identity(self._snapshot) == self._snap_id and not os.path.exists(self._journal):
                return
            self._reload()
            return
        st = os.fstat(self._jfh.fileno())
        if st.st_nlink:
            if st.st_size == self._offset or (st.st_size, st.st_mtime_ns) == self._tail_seen:
                return
            if st.st_size > self._offset:
                self._read_journal()
                if os.fstat(self._jfh.fileno()).st_nlink:
                    # A line still being written (or left by a crash) is not read again
                    # by every query until the journal changes.
                    self._tail_seen = (st.st_size, st.st_mtime_ns)
                    return
        # Another process compacted: read its snapshot and the new journal.
        self._reload()

    def _reading(self) -> "_Reading":
        """The graph caught up with the disk and held for this thread (a `with` block)."""
        return self._reading_lock

    @contextmanager
    def _writing(self, quiet_timeout: float | None = None):
        """One write transaction: the store's writer lock (waiting for another process's
        writer), then the graph caught up with the disk. With `quiet_timeout`, StoreBusy
        after that many seconds, without a message."""
        with self._writer:
            self._acquire(quiet_timeout)
            try:
                with self._lock:
                    self._refresh()
                    yield
            finally:
                self._file_lock.release()

    def _acquire(self, quiet_timeout: float | None = None) -> None:
        try:
            try:
                self._file_lock.acquire(timeout=min(WAIT_NOTICE_SECONDS, self.lock_timeout)
                                        if quiet_timeout is None else quiet_timeout)
            except Timeout:
                if quiet_timeout is not None:
                    raise StoreBusy(f"the store {self.dir} is busy: another writer ({self._holder()}) "
                                    f"holds it") from None
                if self.on_wait is not None:
                    self.on_wait(f"waiting for the store {self.dir}: another writer holds it "
                                 f"({self._holder()}); waiting up to {self.lock_timeout:g} s")
                try:
                    self._file_lock.acquire(timeout=max(0.0, self.lock_timeout - WAIT_NOTICE_SECONDS))
                except Timeout:
                    raise StoreBusy(f"the store {self.dir} is busy: another writer ({self._holder()}) held it "
                                    f"for more than {self.lock_timeout:g} s (POLICYKG_LOCK_TIMEOUT)") from None
        except OSError as exc:
            raise StoreUnavailable(f"cannot lock data directory {self.dir}: {exc.strerror or exc}") from None
        try:
            self._write_holder()
        except BaseException:
            self._file_lock.release()
            raise

    def _write_holder(self) -> None:
        info = {"pid": os.getpid(), "command": shlex.join(getattr(sys, "orig_argv", sys.argv))[:300],
                "since": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
        tmp = self.dir / f"{WRITER_INFO}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.dir / WRITER_INFO)

    def _holder(self) -> str:
        try:
            info = json.loads((self.dir / WRITER_INFO).read_text(encoding="utf-8"))
            return f"pid {info['pid']}, {info['command']}, since {info['since']}"
        except (OSError, ValueError, KeyError, TypeError):
            return "a process that has not said who it is"

    def _append(self, records: list[dict[str, Any]]) -> tuple[int, int]:
        """Journal the records as one line (fsynced), then apply them: all or nothing.
        Callers are inside `_writing`."""
        line = (json.dumps({"records": records}, ensure_ascii=False) + "\n").encode("utf-8")
        if self._jfh is None or not self._jfh.writable():
            raise StoreUnavailable(f"cannot write the journal in data directory {self.dir}")
        fd = self._jfh.fileno()     # the current journal: `_writing` caught up with the disk
        if os.fstat(fd).st_size != self._offset:
            # Caught up, so everything past the offset is a line a killed writer left
            # without its newline: appended to, it would spoil the next line as well.
            os.ftruncate(fd, self._offset)
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
        self._offset += len(line)
        return self._apply_records(records)

    def _apply_records(self, records) -> tuple[int, int]:
        nodes = rels = 0
        for rec in records:
            if rec["type"] == "supersede":
                self._supersede(rec["id"], rec["version"])
                continue
            if rec["type"] == "node":
                nid = rec["id"]
                if nid in self.g:
                    merge_props(self.g.nodes[nid]["props"], rec["properties"])
                else:
                    self.g.add_node(nid, label=rec["labels"][0], props=dict(rec["properties"]))
                    self._by_label.setdefault(rec["labels"][0], {})[nid] = None
                nodes += 1
            else:
                s, e, t = rec["start"]["id"], rec["end"]["id"], rec["label"]
                if not self.g.has_edge(s, e, key=t):
                    self.g.add_edge(s, e, key=t, props=dict(rec["properties"]))
                    if t in _ROLE_INDEX and "version_of" not in self.g.nodes[e]["props"]:
                        self._roles.setdefault(s, [0, 0])[_ROLE_INDEX[t]] += 1
                rels += 1
        return nodes, rels

    def _supersede(self, did: str, vid: str) -> None:
        """The current version of document `did` becomes the older version `vid` (see
        graph/store.py): it and its measures are renamed and marked, a fresh `did` node
        supersedes it and takes the citations. Applied from a journal line, as it was written."""
        suffix = vid[len(did):]
        measures = [m for m, _, t in self.g.in_edges(did, keys=True) if t == "FROM_DOCUMENT"]
        for m in measures:
            for a, _, t in self.g.in_edges(m, keys=True):
                if t in _ROLE_INDEX:
                    self._roles[a][_ROLE_INDEX[t]] -= 1
        mapping = {did: vid, **{m: m + suffix for m in measures}}
        nx.relabel_nodes(self.g, mapping, copy=False)
        for old, new in mapping.items():
            props = self.g.nodes[new]["props"]
            props["id"], props["version_of"] = new, (did if old == did else old)
            by_label = self._by_label[self.g.nodes[new]["label"]]
            del by_label[old]
            by_label[new] = None
        self.g.add_node(did, label=Label.DOCUMENT.value, props={"id": did})
        self._by_label[Label.DOCUMENT.value][did] = None
        self.g.add_edge(did, vid, key=RelType.SUPERSEDES.value, props={})
        for a, _, t, d in list(self.g.in_edges(vid, keys=True, data=True)):
            if t == RelType.CITES.value and a != did:
                self.g.remove_edge(a, vid, key=t)
                if not self.g.has_edge(a, did, key=t):
                    self.g.add_edge(a, did, key=t, props=d["props"])

    def _versioned(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A fragment's records as they go into the journal: a document loaded with other
        content than its current version's is first superseded (a `supersede` entry ahead
        of the records); each loaded document keeps its first load time. Callers are inside
        `_writing`."""
        ops, out, now = [], [], None
        for rec in records:
            props = rec["properties"]
            if rec["type"] == "node" and rec["labels"][0] == Label.DOCUMENT.value and props.get("sha256"):
                did = rec["id"]
                old = self.g.nodes[did]["props"] if did in self.g else {}
                now = now or load_time()
                if old.get("sha256") and old["sha256"] != props["sha256"]:
                    base = version_base(did, old["sha256"])
                    taken = sum(1 for n in self._by_label.get(Label.DOCUMENT.value, ()) if n.startswith(base))
                    ops.append({"type": "supersede", "id": did, "version": version_id(did, old["sha256"], taken)})
                    old = {}
                rec = dict(rec, properties=dict(props, loaded_at=old.get("loaded_at") or now))
            out.append(rec)
        return ops + out

    def load(self, fragment: GraphFragment) -> LoadResult:
        from policykg.graph.export import fragment_records

        fragment.validate_graph()
        records = list(fragment_records(fragment))
        with self._writing():
            n, r = self._append(self._versioned(records))
        return LoadResult(nodes=n, relationships=r)

    def _commit(self, records: list[dict[str, Any]]) -> tuple[int, int]:
        with self._writing():
            return self._append(records)

    def link_implements(self) -> int:
        """Links over everything in the store, other processes' documents included: the
        last ingest to finish links across all of them."""
        from policykg.graph.linking import Candidate, evidence_props, implements_pairs

        with self._writing():
            measures, cites = [], {}
            for s, e, t in self.g.edges(keys=True):
                if "version_of" in self._props(s):
                    continue        # older versions are history: links join current measures
                if t == "FROM_DOCUMENT":
                    p = self._props(s)
                    measures.append(Candidate(s, p.get("text", ""), e, p.get("document"), p.get("start"), p.get("end")))
                elif t == "CITES":
                    cites.setdefault(s, set()).add(e)
            pairs = implements_pairs(sorted(measures, key=lambda c: c.id), cites)
            new = [rel_record("IMPLEMENTS", a.id, "Measure", b.id, "Measure", evidence_props(a))
                   for a, b, _ in pairs if not self.g.has_edge(a.id, b.id, key="IMPLEMENTS")]
            if new:
                self._append(new)
        return len(pairs)

    def compact(self, quiet_timeout: float | None = None) -> None:
        """Fold the journal, other processes' lines included, into a new snapshot
        (written, fsynced and renamed into place), then put an empty journal in its place.
        `quiet_timeout`: see `_writing`."""
        with self._writing(quiet_timeout):
            write_records(self._records(), self._snapshot, fsync=True)
            self._snap_id = _identity(self._snapshot)
            # Renamed over the old one, never removed: a reader holding the old journal
            # sees it unlinked and reads the new snapshot (see `_refresh`).
            empty = self._journal + ".tmp"
            open(empty, "wb").close()
            os.replace(empty, self._journal)
            _fsync_dir(self.dir)
            self._jfh.close()
            self._jfh, self._offset, self._tail_seen = self._open_journal(), 0, None

    def close(self) -> None:
        if self._jfh is not None and self._jfh.writable() and os.fstat(self._jfh.fileno()).st_size:
            try:
                # Briefly: with other writers at work a process need not wait to fold
                # their lines; the journal keeps every document, and a later close folds it.
                self.compact(quiet_timeout=WAIT_NOTICE_SECONDS)
            except StoreBusy:
                pass
        with self._lock:
            if self._jfh is not None:
                self._jfh.close()
                self._jfh = None

    def records(self) -> Iterator[dict[str, Any]]:
        with self._reading():
            yield from self._records()

    def _records(self) -> Iterator[dict[str, Any]]:
        for nid in sorted(self.g.nodes):
            data = self.g.nodes[nid]
            yield node_record(data["label"], nid, dict(data["props"]))
        for s, e, t, data in sorted(self.g.edges(keys=True, data=True), key=lambda x: (x[2], x[0], x[1])):
            yield rel_record(t, s, self.g.nodes[s]["label"], e, self.g.nodes[e]["label"], dict(data["props"]))

    # ------------------------------------------------------------------ questions
    def _answer(self, q: Question, params: dict[str, Any]) -> Any:
        with self._reading():
            # Models are built inside the read: a writing thread of this process changes
            # the property dicts they are read from.
            return q.finish(q.embedded(self.view, **params))

    def _props(self, nid: str) -> dict[str, Any]:
        return self.g.nodes[nid]["props"]


class _Reading:
    """`EmbeddedStore._reading()`: a class, not a generator context manager, since every
    query enters it."""

    __slots__ = ("store",)

    def __init__(self, store: EmbeddedStore):
        self.store = store

    def __enter__(self) -> None:
        self.store._lock.acquire()
        try:
            self.store._refresh()
        except BaseException:
            self.store._lock.release()
            raise

    def __exit__(self, *exc) -> None:
        self.store._lock.release()


def _fsync_dir(path: Path) -> None:
    """Make a rename in the directory durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
