"""The notebooks in notebooks/ run top to bottom and tell their story: on a fresh embedded
store always, and on Neo4j when a test server is available (POLICYKG_TEST_NEO4J_URI). The
committed copies carry their executed outputs.

Execution goes through notebooks/run_all.py (the script that stores the committed outputs):
a `python3` kernelspec for this interpreter is written to a temporary JUPYTER_PATH, so the
kernel is the venv's python, never a globally installed one.
"""
from __future__ import annotations

import html
import importlib.util
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]
OPENING_MEASURES_IN_SEED_CORPUS = 8
MAX_BYTES = 2_000_000

PROBE = "import os, sys\nprint(sys.executable)\nprint(sys.prefix)\nprint(os.environ.get('NEO4J_URI') or '-')"


def _run_all():
    spec = importlib.util.spec_from_file_location("policykg_run_all", ROOT / "notebooks" / "run_all.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run_all = _run_all()


def _execute_all(env_for, tmp: Path) -> dict[str, tuple[nbformat.NotebookNode, str | None]]:
    """Each notebook executed (plus a probe cell at the end) → (notebook, error or None)."""
    jupyter_path = run_all.write_kernelspec(tmp / "jupyter")
    out = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        probe = nbformat.v4.new_code_cell(PROBE)
        probe.metadata["tags"] = ["probe"]
        nb.cells.append(probe)
        copy = tmp / path.name
        nbformat.write(nb, copy)
        try:
            executed, error = run_all.execute(copy, env_for(path), jupyter_path, cwd=path.parent), None
        except CellExecutionError as exc:
            executed, error = nbformat.read(copy, as_version=4), str(exc)
        out[path.stem] = (executed, error)
    return out


@pytest.fixture(scope="module")
def embedded_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("notebooks-embedded")
    return _execute_all(lambda path: run_all.fresh_embedded_env(tmp / f"store-{path.stem}"), tmp)


# ---------------------------------------------------------------------------------- helpers
def tagged(nb, tag: str):
    cells = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    assert cells, f"no cell tagged {tag!r}"
    return cells[0]


def text_of(cell) -> str:
    parts = []
    for o in cell.get("outputs", []):
        if o.output_type == "stream":
            parts.append(o.text)
        elif "data" in o:
            parts.append(o.data.get("text/plain", ""))
    return "\n".join(parts)


def html_of(cell) -> list[str]:
    return [o.data["text/html"] for o in cell.get("outputs", []) if "data" in o and "text/html" in o.data]


def images_of(cell) -> list[str]:
    return [o.data["image/png"] for o in cell.get("outputs", []) if "data" in o and "image/png" in o.data]


def table_rows(frame_html: str) -> int:
    body = frame_html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr")


def errors_in(nb) -> list[str]:
    return [f"{o.ename}: {o.evalue}" for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]


def check_story(runs) -> None:
    """What both stores must show: no errors, the seed corpus' 8 opening measures, the charts
    and the interactive graphs."""
    for name, (nb, error) in runs.items():
        assert error is None, f"{name} failed:\n{error}"
        assert not errors_in(nb), f"{name}: {errors_in(nb)}"
    agencies, opening = runs["01_agencies"][0], runs["02_opening_measures"][0]
    table = tagged(opening, "opening-table")
    assert f"{OPENING_MEASURES_IN_SEED_CORPUS} opening measures" in text_of(table)
    assert [table_rows(h) for h in html_of(table)] == [OPENING_MEASURES_IN_SEED_CORPUS]
    for nb, tag in ((agencies, "leads-chart"), (agencies, "levels"), (opening, "instrument-chart")):
        assert images_of(tagged(nb, tag)), f"no chart in the cell tagged {tag}"
    assert "communities, modularity" in text_of(tagged(agencies, "communities"))
    for nb in (agencies, opening):
        (page,) = html_of(tagged(nb, "pyvis"))
        page = html.unescape(page)
        assert "new vis.Network" in page and "<iframe" in page
        assert not re.search(r'(src|href)="https?://', page), "the graph view must work offline"


# ------------------------------------------------------------------------------------ tests
def test_notebooks_exist():
    assert {"01_agencies", "02_opening_measures"} <= set(NAMES)


def test_notebooks_run_without_errors_on_the_embedded_store(embedded_runs):
    for name, (nb, error) in embedded_runs.items():
        assert error is None, f"{name} failed:\n{error}"
        assert not errors_in(nb)
        assert "embedded store" in text_of(tagged(nb, "setup"))


def test_notebooks_use_the_venv_kernel(embedded_runs):
    for name, (nb, _) in embedded_runs.items():
        executable, prefix, neo4j_uri = text_of(tagged(nb, "probe")).split()
        assert executable == sys.executable, name
        assert prefix == sys.prefix, name
        assert neo4j_uri == "-", "NEO4J_URI must not reach the embedded run"


def test_notebooks_load_the_corpus_into_an_empty_store(embedded_runs):
    for name, (nb, _) in embedded_runs.items():
        assert "loaded the bundled corpus (5 files" in text_of(tagged(nb, "setup")), name


def test_notebooks_show_the_opening_measures_table_charts_and_graphs(embedded_runs):
    check_story(embedded_runs)


def test_notebooks_show_agencies_leading_and_communities(embedded_runs):
    nb = embedded_runs["01_agencies"][0]
    leads = text_of(tagged(nb, "leads-table"))
    assert "天津市商务委员会" in leads and "商务部" in leads
    assert "members" in html_of(tagged(nb, "communities"))[0]
    assert "central" in text_of(tagged(nb, "levels"))


@pytest.mark.neo4j
def test_notebooks_run_on_neo4j(embedded_runs, tmp_path):
    from neo4j_support import fresh_neo4j_store, require_neo4j

    from policykg.extractors.text import iter_files
    from policykg.jobs import ingest

    cfg = require_neo4j()
    store = fresh_neo4j_store()
    try:
        summary = ingest(iter_files([ROOT / "corpus"]), store)
        assert summary.ok, summary.failed
    finally:
        store.close()

    def neo4j_env(path):
        env = run_all.fresh_embedded_env(tmp_path / "unused")
        env.update(NEO4J_URI=cfg["uri"], NEO4J_USER=cfg["user"], NEO4J_PASSWORD=cfg["password"])
        return env

    runs = _execute_all(neo4j_env, tmp_path)
    check_story(runs)
    for name, (nb, _) in runs.items():
        assert "neo4j store" in text_of(tagged(nb, "setup")), name
        assert "loaded the bundled corpus" not in text_of(tagged(nb, "setup")), name
    # the same answers as the embedded store
    for name, tag in (("02_opening_measures", "opening-table"), ("02_opening_measures", "instruments"),
                      ("01_agencies", "leads-table")):
        assert html_of(tagged(runs[name][0], tag)) == html_of(tagged(embedded_runs[name][0], tag)), (name, tag)


def test_notebooks_are_committed_with_their_outputs():
    temp = tempfile.gettempdir()
    for path in NOTEBOOKS:
        raw = path.read_text(encoding="utf-8")
        assert len(raw.encode()) < MAX_BYTES, f"{path.name} is {len(raw.encode()):,} bytes"
        assert temp + "/" not in raw and str(ROOT) not in raw, f"{path.name} embeds a local path"
        nb = nbformat.reads(raw, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), f"{path.name}: run `make notebooks`"
        assert not errors_in(nb), path.name
        for cell in code:
            if cell.metadata.get("tags"):
                assert cell.outputs, f"{path.name}: the cell tagged {cell.metadata['tags']} has no output"
