"""Execute every notebook in notebooks/ in place, so the committed files carry their outputs.

Each run uses a fresh, temporary embedded store (NEO4J_URI is ignored), which the notebooks
fill from corpus/: the outputs depend on the corpus and the code only. The kernel is this
interpreter (a kernelspec written to a temporary JUPYTER_PATH), so run it with the project's
venv: `make notebooks` or `.venv/bin/python notebooks/run_all.py [NOTEBOOK ...]`.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
TIMEOUT = 120          # seconds per cell
STORE_VARS = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")


def write_kernelspec(folder: Path) -> Path:
    """A `python3` kernelspec that runs this interpreter; returns the JUPYTER_PATH entry."""
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python"}))
    return folder


def execute(path: Path, env: dict[str, str], jupyter_path: Path, cwd: Path | None = None):
    """Run one notebook in a kernel whose environment is `env`; returns the executed notebook."""
    nb = nbformat.read(path, as_version=4)
    saved = os.environ.copy()
    os.environ.clear()
    os.environ.update(env)
    os.environ["JUPYTER_PATH"] = str(jupyter_path)
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"   # figures inline
    try:
        client = NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3",
                                resources={"metadata": {"path": str(cwd or path.parent)}})
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return nb


def fresh_embedded_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in STORE_VARS}
    env["POLICYKG_DATA"] = str(data_dir)
    return env


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted(HERE.glob("*.ipynb"))
    with tempfile.TemporaryDirectory(prefix="policykg-notebooks-") as tmp:
        jupyter_path = write_kernelspec(Path(tmp) / "jupyter")
        for path in paths:
            started = time.monotonic()
            data_dir = Path(tmp) / f"store-{path.stem}"
            nb = execute(path, fresh_embedded_env(data_dir), jupyter_path)
            for cell in nb.cells:           # keep diffs small: no per-run execution timestamps
                cell.metadata.pop("execution", None)
            nbformat.write(nb, path)
            size = path.stat().st_size
            print(f"{path.name}: executed in {time.monotonic() - started:.1f}s, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
