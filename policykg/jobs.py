"""The work behind the CLI verbs, as importable functions that take their dependencies.

Files are extracted one by one (or by a pool of worker processes); a file that cannot be
read or understood is reported with its cause and skipped, and every good file is still
extracted or loaded.
"""
from __future__ import annotations

import multiprocessing as mp
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from policykg.errors import InputError, PolicyKGError
from policykg.graph.export import fragment_records, write_records
from policykg.graph.linking import link_fragment
from policykg.graph.model import GraphFragment, Label
from policykg.graph.store import Store

Progress = Callable[[Path, "FileResult"], None]


@dataclass
class FileResult:
    path: Path
    fragment: GraphFragment | None = None
    error: str | None = None
    measures: int = 0


@dataclass
class RunSummary:
    files: int = 0
    loaded: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    measures: int = 0
    links: int = 0          # IMPLEMENTS links between documents

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
        return FileResult(path, error=str(exc))
    except Exception as exc:  # an extractor bug must not stop the run: report it per file
        return FileResult(path, error=f"{path}: extraction failed: {type(exc).__name__}: {exc}")
    measures = sum(1 for n in frag.nodes.values() if n.label == Label.MEASURE)
    return FileResult(path, fragment=frag, measures=measures)


def _worker(args):
    return _extract_one(*args)


def extract_iter(paths: Iterable[Path], workers: int = 1, max_bytes: int | None = None) -> Iterator[FileResult]:
    """Extract each file, in order; with workers > 1 a process pool shares the work."""
    files = list(paths)
    if workers <= 1 or len(files) <= 1:
        for p in files:
            yield _extract_one(p, max_bytes)
        return
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(workers) as pool:
        yield from pool.imap(_worker, [(p, max_bytes) for p in files], chunksize=4)


def extract_to_file(paths: Iterable[Path], out: Path, workers: int = 1, max_bytes: int | None = None,
                    progress: Progress | None = None) -> RunSummary:
    """Extract files into one export file, touching no store."""
    summary, merged = RunSummary(), GraphFragment()
    for result in extract_iter(paths, workers, max_bytes):
        _count(summary, result)
        if result.fragment is not None:
            merged.extend(result.fragment)
        if progress:
            progress(result.path, result)
    summary.links = link_fragment(merged)
    write_records(fragment_records(merged), out)
    return summary


def ingest(paths: Iterable[Path], store: Store, workers: int = 1, max_bytes: int | None = None,
           progress: Progress | None = None) -> RunSummary:
    """Extract files and load each one into the store, one document per transaction."""
    summary = RunSummary()
    for result in extract_iter(paths, workers, max_bytes):
        if result.fragment is not None:
            try:
                store.load(result.fragment)
            except PolicyKGError as exc:
                result = FileResult(result.path, error=f"{result.path}: not loaded: {exc}")
        _count(summary, result)
        if progress:
            progress(result.path, result)
    summary.links = store.link_implements()
    return summary


def export_store(store: Store, out: Path) -> int:
    return write_records(store.records(), out)


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
