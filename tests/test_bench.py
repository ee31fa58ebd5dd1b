"""The benchmark suite runs (bench/): CI checks that it works, never its timings.

The quick suite at a tiny N; the Neo4j sections use the test server when
POLICYKG_TEST_NEO4J_URI is set (which they wipe, as tests may) and are recorded as skipped
otherwise.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))        # bench/ is a folder of the repository, not installed
pytestmark = pytest.mark.slow


def test_bench_generator_is_deterministic_and_streams_every_layout(tmp_path):
    from bench.generate import document, generate

    a, b = tmp_path / "a", tmp_path / "b"
    generate(30, 5, a)
    generate(12, 5, b)
    names = sorted(p.name for p in a.iterdir())
    assert len(names) == 30
    # Document i depends on (seed, i) only: a smaller corpus is a prefix of a larger one.
    for p in b.iterdir():
        assert p.read_bytes() == (a / p.name).read_bytes()
    assert {n.split("_", 1)[1][:-4] for n in names} == {"prose", "headed", "tables", "cells", "forward"}
    assert document(7, 5) == document(7, 5) and document(7, 5) != document(7, 6)


def test_bench_quick_suite_writes_every_section(tmp_path):
    cmd = [sys.executable, "-m", "bench.run", "--quick", "--n-small", "12", "--n-large", "20",
           "--requests", "8", "--seconds", "5", "--api-workers", "1",
           "--work", str(tmp_path / "work"), "--out", str(tmp_path / "results")]
    uri = os.environ.get("POLICYKG_TEST_NEO4J_URI")
    if uri:
        cmd += ["--neo4j-uri", uri, "--neo4j-password", os.environ.get("POLICYKG_TEST_NEO4J_PASSWORD", "")]
    else:
        cmd += ["--no-neo4j"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((tmp_path / "results" / "latest-quick.json").read_text(encoding="utf-8"))
    for section in ("machine", "corpus", "extraction", "scaling", "load", "queries", "embedded"):
        assert section in results, section
        assert "error" not in results[section], (section, results[section].get("error"), results[section].get("trace"))
    assert results["extraction"]["chars_per_s"]["extract_1"] > 0
    assert results["extraction"]["same_output_1_and_2"]
    assert results["scaling"]["points"]["large"]["documents"] == 20
    assert results["embedded"]["embedded"]["requests"] > 0
    if uri:
        assert results["load"]["ingest"]["relationships"] > 0
        for c in ("1", "32"):
            assert results["queries"]["runs"][c]["http"]["errors"] == 0
    else:
        assert results["load"] == {"skipped": "--no-neo4j"}
    assert "extract" in proc.stdout          # the printed table
