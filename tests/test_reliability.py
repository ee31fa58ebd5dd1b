"""Crashes: `policykg ingest` killed with SIGKILL at random points, then run again, must
leave exactly what a clean run leaves, in both stores; so must one of two ingests running
at once, killed while the other goes on."""
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from neo4j_support import fresh_neo4j_store, test_neo4j_settings

TRIALS = int(os.environ.get("POLICYKG_KILL_TRIALS", "20"))
CLI = [sys.executable, "-m", "policykg.cli"]


def _env(data_dir: Path, neo4j: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["POLICYKG_DATA"] = str(data_dir)
    if neo4j:
        env.update(NEO4J_URI=neo4j["uri"], NEO4J_USER=neo4j["user"], NEO4J_PASSWORD=neo4j["password"])
    return env


# Two documents with the largest tables: enough writes to be killed in the middle of.
DOCS = [str(next(CORPUS.glob(f"{p}_*.txt"))) for p in ("002", "004")]
# The other three, for a second ingest running beside the first.
OTHERS = [str(next(CORPUS.glob(f"{p}_*.txt"))) for p in ("000", "001", "003")]


def _ingest(env, docs=DOCS) -> subprocess.Popen:
    return subprocess.Popen(CLI + ["ingest", *docs], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _export(env, out: Path) -> list[str]:
    """The store's export, without load times (a clock reading, not content)."""
    from comparing import without_load_times

    subprocess.run(CLI + ["export", str(out)], env=env, cwd=ROOT, check=True, capture_output=True)
    return without_load_times(json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())


def _clean_run_seconds(env, out) -> tuple[list[str], float]:
    t = time.monotonic()
    assert _ingest(env).wait(120) == 0
    seconds = time.monotonic() - t
    return _export(env, out), seconds


def _trials(tmp_path, make_env, reset):
    clean_env = make_env(tmp_path / "clean")
    reset()
    clean, _ = _clean_run_seconds(clean_env, tmp_path / "clean.jsonl")
    # Ingesting the same corpus again changes nothing. This warm run (Neo4j has planned its
    # queries by now) sets the window the kills are drawn from.
    t = time.monotonic()
    assert _ingest(clean_env).wait(120) == 0
    seconds = time.monotonic() - t
    assert _export(clean_env, tmp_path / "again.jsonl") == clean
    rng = random.Random(20181122)
    mismatches, killed_mid_run = 0, 0
    for trial in range(TRIALS):
        env = make_env(tmp_path / f"trial{trial}")
        reset()
        proc = _ingest(env)
        time.sleep(rng.uniform(0.1, 0.95) * seconds)
        if proc.poll() is None:
            killed_mid_run += 1
            proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        assert _ingest(env).wait(120) == 0
        if _export(env, tmp_path / f"trial{trial}.jsonl") != clean:
            mismatches += 1
    print(f"\n{TRIALS} kill trials ({killed_mid_run} killed mid-run), {mismatches} mismatches")
    assert mismatches == 0
    assert killed_mid_run >= TRIALS // 2


def _concurrent_trials(tmp_path, make_env, reset):
    """Two ingests at once (DOCS, OTHERS); one, drawn at random, is killed at a random
    point of its run and run again once the other has finished. The store must end as
    the two run one after the other leave it."""
    runs = (DOCS, OTHERS)
    clean_env = make_env(tmp_path / "clean")
    reset()
    seconds = []
    for docs in runs:
        t = time.monotonic()
        assert _ingest(clean_env, docs).wait(120) == 0
        seconds.append(time.monotonic() - t)
    clean = _export(clean_env, tmp_path / "clean.jsonl")
    rng = random.Random(20181123)
    trials = max(TRIALS // 2, 1)
    mismatches, killed_mid_run = 0, 0
    for trial in range(trials):
        env = make_env(tmp_path / f"together{trial}")
        reset()
        procs = [_ingest(env, docs) for docs in runs]
        victim = rng.randrange(2)
        time.sleep(rng.uniform(0.1, 0.95) * seconds[victim])
        if procs[victim].poll() is None:
            killed_mid_run += 1
            procs[victim].send_signal(signal.SIGKILL)
        procs[victim].wait(30)
        assert procs[1 - victim].wait(120) == 0
        assert _ingest(env, runs[victim]).wait(120) == 0
        if _export(env, tmp_path / f"together{trial}.jsonl") != clean:
            mismatches += 1
    print(f"\n{trials} trials of two ingests at once, one killed ({killed_mid_run} killed mid-run), "
          f"{mismatches} mismatches")
    assert mismatches == 0
    assert killed_mid_run >= trials // 2


def _revision_trials(tmp_path, make_env, reset):
    """A revised 002 (a new version of a loaded document) ingested over DOCS and killed at a
    random point, then ingested again: the store must end as one clean revision leaves it."""
    from test_versions import revised_file

    revised = [str(revised_file(tmp_path / "revised"))]
    clean_env = make_env(tmp_path / "clean")
    reset()
    assert _ingest(clean_env).wait(120) == 0
    assert _ingest(clean_env, revised).wait(120) == 0
    clean = _export(clean_env, tmp_path / "clean.jsonl")
    assert any('"SUPERSEDES"' in line for line in clean)
    assert _ingest(clean_env, revised).wait(120) == 0       # the same revision again changes nothing
    assert _export(clean_env, tmp_path / "again.jsonl") == clean
    # A warm revision (Neo4j has planned the superseding queries by now) sets the window the
    # kills are drawn from: the first one, planning included, ran past most kill points.
    warm_env = make_env(tmp_path / "warm")
    reset()
    assert _ingest(warm_env).wait(120) == 0
    t = time.monotonic()
    assert _ingest(warm_env, revised).wait(120) == 0
    seconds = time.monotonic() - t
    rng = random.Random(20181124)
    trials = max(TRIALS // 2, 1)
    mismatches, killed_mid_run = 0, 0
    for trial in range(trials):
        env = make_env(tmp_path / f"revision{trial}")
        reset()
        assert _ingest(env).wait(120) == 0
        proc = _ingest(env, revised)
        time.sleep(rng.uniform(0.3, 1.0) * seconds)
        if proc.poll() is None:
            killed_mid_run += 1
            proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        assert _ingest(env, revised).wait(120) == 0
        if _export(env, tmp_path / f"revision{trial}.jsonl") != clean:
            mismatches += 1
    print(f"\n{trials} kill trials of a revision ({killed_mid_run} killed mid-run), {mismatches} mismatches")
    assert mismatches == 0
    assert killed_mid_run >= trials // 2


@pytest.mark.slow
def test_reliability_sigkill_revision_embedded(tmp_path):
    _revision_trials(tmp_path, lambda d: _env(d), lambda: None)


@pytest.mark.slow
@pytest.mark.neo4j
def test_reliability_sigkill_revision_neo4j(tmp_path):
    store = fresh_neo4j_store()
    cfg = test_neo4j_settings()
    _revision_trials(tmp_path, lambda d: _env(d, cfg), store.delete_all)
    store.close()


@pytest.mark.slow
def test_reliability_sigkill_embedded(tmp_path):
    _trials(tmp_path, lambda d: _env(d), lambda: None)


@pytest.mark.slow
@pytest.mark.neo4j
def test_reliability_sigkill_neo4j(tmp_path):
    store = fresh_neo4j_store()
    cfg = test_neo4j_settings()
    _trials(tmp_path, lambda d: _env(d, cfg), store.delete_all)
    store.close()


@pytest.mark.slow
def test_reliability_sigkill_beside_another_writer_embedded(tmp_path):
    _concurrent_trials(tmp_path, lambda d: _env(d), lambda: None)


@pytest.mark.slow
@pytest.mark.neo4j
def test_reliability_sigkill_beside_another_writer_neo4j(tmp_path):
    store = fresh_neo4j_store()
    cfg = test_neo4j_settings()
    _concurrent_trials(tmp_path, lambda d: _env(d, cfg), store.delete_all)
    store.close()


def test_reliability_export_is_valid_json_lines(embedded_store, tmp_path):
    from policykg.jobs import export_store

    out = tmp_path / "e.jsonl"
    n = export_store(embedded_store, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert n == len(lines) and all(json.loads(line)["type"] in ("node", "relationship") for line in lines)
