"""Concurrent writers: two `policykg ingest` runs and an API upload at the same time into one
store must leave exactly what the same three leave one after the other, in both stores; a
writer kept waiting says for whom, and gives up with StoreBusy after the lock timeout."""
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from conftest import ROOT, SHARED, seed
from neo4j_support import fresh_neo4j_store, test_neo4j_settings
from serving import ProcessServer

TRIALS = int(os.environ.get("POLICYKG_CONCURRENCY_TRIALS", "5"))
CLI = [sys.executable, "-m", "policykg.cli"]
TOKEN = "concurrency-test-token"
RUN_A = [str(seed(p)) for p in ("000", "001", "002")]
RUN_B = [str(seed(p)) for p in ("003", "004")] + sorted(str(p) for p in (SHARED / "eval" / "dev" / "docs").glob("*.txt"))
# A Shanghai plan citing the State Council approval of run A: IMPLEMENTS links across writers.
UPLOAD = ROOT / "tests" / "fixtures" / "genre_forms.txt"


def _env(data_dir: Path, neo4j: dict | None = None, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "POLICYKG_"))}
    env.update(POLICYKG_DATA=str(data_dir), POLICYKG_API_TOKEN=TOKEN, **extra)
    if neo4j:
        env.update(NEO4J_URI=neo4j["uri"], NEO4J_USER=neo4j["user"], NEO4J_PASSWORD=neo4j["password"])
    return env


def _ingest(env: dict, files: list[str]) -> tuple[int, list[str]]:
    """The exit code and what the run reported: its summary and its failures, without the
    IMPLEMENTS count (how many links a run counts depends on what others loaded before)."""
    done = subprocess.run(CLI + ["ingest", *files], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    said = [re.sub(r", \d+ IMPLEMENTS links", "", line) for line in done.stderr.splitlines()
            if re.match(r"\d+ files: |FAILED ", line)]
    assert said, done.stderr
    return done.returncode, said


def _upload(url: str) -> tuple[int, dict]:
    r = httpx.post(url + "/documents", params={"filename": UPLOAD.name}, content=UPLOAD.read_bytes(),
                   headers={"Authorization": f"Bearer {TOKEN}"}, timeout=600)
    assert r.status_code == 201, r.text
    return r.status_code, {k: v for k, v in r.json().items() if k != "links"}


def _export(env: dict, out: Path) -> list[str]:
    """The store's export, without load times (a clock reading, not content)."""
    from comparing import without_load_times

    subprocess.run(CLI + ["export", str(out)], env=env, cwd=ROOT, check=True, capture_output=True, timeout=300)
    return without_load_times(json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())


def _measures_by_document(lines: list[str]) -> dict[str, int]:
    """Measures per loaded document file, from export lines."""
    records = [r for r in map(json.loads, lines) if r["type"] == "node"]
    counts = {r["properties"]["file"]: 0 for r in records if r["labels"] == ["Document"] and "file" in r["properties"]}
    for r in records:
        if r["labels"] == ["Measure"] and r["properties"]["document"] in counts:
            counts[r["properties"]["document"]] += 1
    return counts


def _read(env: dict, url: str, out: Path) -> tuple[dict, dict]:
    """What a reader sees meanwhile: an export, and the API's /documents."""
    subprocess.run(CLI + ["export", str(out)], env=env, cwd=ROOT, check=True, capture_output=True, timeout=300)
    exported = _measures_by_document(out.read_text(encoding="utf-8").splitlines())
    served = {d["file"]: d["measures"] for d in httpx.get(url + "/documents", timeout=60).raise_for_status().json()}
    return exported, served


def _writers(env: dict, offsets: list[float] | None) -> tuple[list, list[tuple[float, float]]]:
    """Ingest run A, run B and upload UPLOAD through a served API, and read (an export and
    /documents); with `offsets` (seconds) all at once, each started after its offset;
    without, one after the other. Returns what each reported and when each ran."""
    with ProcessServer(env) as server:
        jobs = [lambda: _ingest(env, RUN_A), lambda: _ingest(env, RUN_B), lambda: _upload(server.url),
                lambda: _read(env, server.url, Path(env["POLICYKG_DATA"] + "-meanwhile.jsonl"))]
        reports: list = [None] * len(jobs)
        spans: list = [None] * len(jobs)

        def run(i: int) -> None:
            time.sleep(offsets[i] if offsets else 0)
            start = time.monotonic()
            try:
                reports[i] = jobs[i]()
            except BaseException as exc:   # noqa: BLE001 - re-raised below, in the test's thread
                reports[i] = exc
            spans[i] = (start, time.monotonic())

        if offsets is None:
            for i in range(len(jobs)):
                run(i)
            return reports, spans

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(900)
        for r in reports:
            if isinstance(r, BaseException):
                raise r
        return reports, spans


def _trials(tmp_path: Path, make_env, reset) -> None:
    env = make_env(tmp_path / "sequential")
    reset()
    reported, spans = _writers(env, None)
    sequential = _export(env, tmp_path / "sequential.jsonl")
    assert len(sequential) > 3000
    # Runs overlap when each starts before the others end: start offsets are drawn from
    # a window as long as the longest run.
    window = max(end - start for start, end in spans[:3])
    whole = _measures_by_document(sequential)
    assert reported[3] == (whole, whole)
    rng = random.Random(20250412)
    mismatches, overlapping, all_three, partial = [], 0, 0, 0
    for trial in range(TRIALS):
        env = make_env(tmp_path / f"trial{trial}")
        reset()
        offsets = [rng.uniform(0, window) for _ in range(4)]
        said, spans = _writers(env, offsets)
        assert said[:3] == reported[:3]     # each writer reports what it reported alone
        # A reader meanwhile sees whole documents only: each with all its measures.
        for seen in said[3]:
            assert seen == {f: whole[f] for f in seen}, seen
            partial += len(seen) < len(whole)
        (a0, a1), (b0, b1), (u0, u1), _ = spans
        overlapping += max(a0, b0) < min(a1, b1)
        all_three += max(a0, b0, u0) < min(a1, b1, u1)
        together = _export(env, tmp_path / f"trial{trial}.jsonl")
        if together != sequential:
            missing, extra = set(sequential) - set(together), set(together) - set(sequential)
            mismatches.append((trial, [round(o, 2) for o in offsets], len(missing), len(extra)))
    print(f"\n{TRIALS} trials of 3 concurrent writers (window {window:.1f} s; the two ingests overlapped in "
          f"{overlapping}, all three in {all_three}; readers saw part of the documents {partial} times); "
          f"mismatches (trial, offsets, missing, extra): {mismatches}")
    assert mismatches == []
    assert overlapping >= TRIALS // 2


@pytest.mark.slow
def test_concurrency_writers_end_as_a_sequential_run_embedded(tmp_path):
    _trials(tmp_path, _env, lambda: None)


@pytest.mark.slow
@pytest.mark.neo4j
def test_concurrency_writers_end_as_a_sequential_run_neo4j(tmp_path):
    store = fresh_neo4j_store()
    cfg = test_neo4j_settings()
    try:
        _trials(tmp_path, lambda d: _env(d, cfg), store.delete_all)
    finally:
        store.close()


# ---------------------------------------------------------------- one writer at a time
HOLD = """
import sys
from policykg.graph.embedded import EmbeddedStore
store = EmbeddedStore(sys.argv[1])
with store._writing():
    print("held", flush=True)
    sys.stdin.read()          # until the test closes our stdin
"""


class _Holder:
    """Another process holding the store's writer lock until the block ends."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir

    def __enter__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", HOLD, str(self.data_dir)], cwd=ROOT, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdout.readline().strip() == "held"
        return self.proc

    def __exit__(self, *exc):
        self.proc.stdin.close()
        self.proc.wait(30)


def _fragment(name: str):
    from policykg.graph.model import Document, GraphFragment

    frag = GraphFragment()
    frag.add(Document(id=f"d-{name}", file=f"{name}.txt", title=name))
    return frag


def test_concurrency_waiting_writer_names_the_holder_then_gives_up(tmp_path):
    from policykg.errors import StoreBusy
    from policykg.graph.embedded import EmbeddedStore

    said: list[str] = []
    store = EmbeddedStore(tmp_path, lock_timeout=2.0, on_wait=said.append)
    with _Holder(tmp_path) as holder:
        t = time.monotonic()
        with pytest.raises(StoreBusy) as busy:
            store.load(_fragment("late"))
        waited = time.monotonic() - t
    assert 2.0 <= waited < 6.0
    assert len(said) == 1 and str(tmp_path) in said[0] and f"pid {holder.pid}" in said[0] and "since" in said[0]
    message = str(busy.value)
    assert str(tmp_path) in message and f"pid {holder.pid}" in message and "POLICYKG_LOCK_TIMEOUT" in message
    assert (busy.value.status, busy.value.code) == (503, "store_busy")
    assert store.counts() == {}
    store.load(_fragment("late"))           # the holder is gone: the same write goes through
    assert store.counts() == {"Document": 1}


def test_concurrency_writer_waits_for_the_holder_and_goes_on(tmp_path):
    from policykg.graph.embedded import EmbeddedStore

    said: list[str] = []
    store = EmbeddedStore(tmp_path, lock_timeout=30.0, on_wait=said.append)
    with _Holder(tmp_path) as holder:
        threading.Timer(2.0, holder.stdin.close).start()
        store.load(_fragment("patient"))
    assert store.counts() == {"Document": 1} and len(said) == 1 and f"pid {holder.pid}" in said[0]


def test_concurrency_close_leaves_the_journal_to_a_later_close_when_busy(tmp_path):
    from policykg.graph.embedded import JOURNAL, EmbeddedStore

    said: list[str] = []
    store = EmbeddedStore(tmp_path, lock_timeout=30.0, on_wait=said.append)
    store.load(_fragment("kept"))
    with _Holder(tmp_path):
        t = time.monotonic()
        store.close()                        # does not wait out the holder to compact
        assert time.monotonic() - t < 5.0 and said == []
    assert (tmp_path / JOURNAL).stat().st_size > 0
    again = EmbeddedStore(tmp_path)
    assert [d.file for d in again.documents()] == ["kept.txt"]
    again.close()
    assert (tmp_path / JOURNAL).stat().st_size == 0
    assert [d.file for d in EmbeddedStore(tmp_path).documents()] == ["kept.txt"]


def test_concurrency_cli_prints_the_wait_and_the_timeout(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with _Holder(data) as holder:
        done = subprocess.run(CLI + ["ingest", str(seed("000"))], env=_env(data, POLICYKG_LOCK_TIMEOUT="1.5"),
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    waiting, busy = "waiting for the store", "is busy"
    assert waiting in done.stderr and busy in done.stderr, done.stderr
    assert done.stderr.count(f"pid {holder.pid}") == 2 and str(data) in done.stderr


# ---------------------------------------------------------------- the journal between processes
def test_concurrency_reader_sees_other_writers_and_compactions(tmp_path):
    from policykg.graph.embedded import JOURNAL, EmbeddedStore

    reader, writer = EmbeddedStore(tmp_path), EmbeddedStore(tmp_path)
    writer.load(_fragment("one"))
    assert reader.counts() == {"Document": 1}
    writer.compact()
    assert (tmp_path / JOURNAL).stat().st_size == 0 and reader.counts() == {"Document": 1}
    writer.load(_fragment("two"))
    reader.load(_fragment("three"))         # a writer catches up before it appends
    assert writer.counts() == reader.counts() == {"Document": 3}
    reader.close()                           # its compaction keeps what the other wrote
    assert sorted(d.file for d in EmbeddedStore(tmp_path).documents()) == ["one.txt", "three.txt", "two.txt"]


def test_concurrency_line_cut_by_a_crash_does_not_spoil_the_next(tmp_path):
    from policykg.graph.embedded import JOURNAL, EmbeddedStore

    EmbeddedStore(tmp_path).load(_fragment("before"))
    with open(tmp_path / JOURNAL, "a", encoding="utf-8") as fh:
        fh.write('{"records": [{"type": "node", "id": "d-torn", "labels": ["Doc')     # killed mid-write
    store = EmbeddedStore(tmp_path)
    store.load(_fragment("after"))
    assert (tmp_path / JOURNAL).read_text(encoding="utf-8").endswith("\n")
    assert sorted(d.file for d in EmbeddedStore(tmp_path).documents()) == ["after.txt", "before.txt"]


def test_concurrency_merged_aliases_do_not_depend_on_the_order():
    from policykg.graph.model import merge_props

    a, b = {"aliases": ["发展改革委"]}, {"aliases": ["国家发展改革委", "发展改革委"]}
    one, two = dict(a), dict(b)
    merge_props(one, b)
    merge_props(two, a)
    assert one == two == {"aliases": ["发展改革委", "国家发展改革委"]}
