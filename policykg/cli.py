"""The `policykg` command line: thin wrappers over policykg.jobs and the store."""
from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from policykg import jobs
from policykg.errors import PolicyKGError
from policykg.extractors.text import iter_files
from policykg.settings import Settings, open_store

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn Chinese policy documents into a knowledge graph of measures, agencies, "
                       "regions and legal provisions. Embedded store in $POLICYKG_DATA (default "
                       "./.policykg); Neo4j when NEO4J_URI is set.")
out = Console()
err = Console(stderr=True, soft_wrap=True)   # one line per message, never wrapped


def _files(paths: List[Path]) -> list[Path]:
    files = iter_files(paths)
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        err.print(f"[red]{p}: no such file or folder[/red]")
    if not files:
        err.print("[red]no document files found[/red] (looked for .txt, .html, .docx, .pdf)")
        raise typer.Exit(2)
    return files


def _run(files: list[Path], job, label: str) -> jobs.RunSummary:
    show = sys.stderr.isatty()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, disable=not show, transient=True) as bar:
        task = bar.add_task(label, total=len(files))

        def progress(path: Path, result: jobs.FileResult) -> None:
            if result.error:
                err.print(f"[red]FAILED[/red] {result.error}", highlight=False)
            bar.advance(task)

        return job(progress)


def _summary(summary: jobs.RunSummary, verb: str) -> None:
    err.print(f"{summary.files} files: {summary.loaded} {verb} ({summary.measures} measures, "
              f"{summary.links} IMPLEMENTS links), "
              f"{summary.skipped} without measures, {len(summary.failed)} failed", highlight=False)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def extract(paths: List[Path] = typer.Argument(..., help="Files or folders of documents."),
            out_file: Path = typer.Option(..., "--out", "-o", help="Export file to write (APOC JSON lines)."),
            workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes.")):
    """Extract documents into an export file, without touching any store."""
    settings = Settings()
    files = _files(paths)
    summary = _run(files, lambda p: jobs.extract_to_file(files, out_file, workers, settings.max_file_bytes, p),
                   "extracting")
    err.print(f"wrote {out_file}", highlight=False)
    _summary(summary, "extracted")


@app.command()
def ingest(paths: List[Path] = typer.Argument(..., help="Files or folders of documents."),
           workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes.")):
    """Extract documents and load them into the store (embedded, or Neo4j when NEO4J_URI is set)."""
    settings = Settings()
    files = _files(paths)
    with _store(settings) as store:
        summary = _run(files, lambda p: jobs.ingest(files, store, workers, settings.max_file_bytes, p), "ingesting")
        err.print(f"store: {store.name} {_where(settings)}", highlight=False)
    _summary(summary, "loaded")


@app.command("export")
def export_(file: Path = typer.Argument(..., help="Export file to write."),
            fmt: Optional[str] = typer.Option(
                None, "--format", "-f", metavar="jsonl|graphml|gexf|xlsx",
                help="jsonl: APOC JSON lines (the default); graphml (yEd, Gephi), gexf (Gephi); xlsx: the "
                     "analyst tables, a sheet each. Without it, taken from the file's suffix."),
            node: Optional[str] = typer.Option(None, "--node", help="Only the graph around this node id."),
            depth: int = typer.Option(1, "--depth", min=1, max=3, help="Steps from --node."),
            limit: int = typer.Option(5000, "--limit", min=1, max=100_000, help="Most nodes with --node.")):
    """Write the whole store (or the graph around --node) to an export file."""
    from policykg.graph.exports import infer_format

    settings = Settings()
    try:
        fmt = infer_format(file, fmt)
    except PolicyKGError as exc:
        err.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2)
    with _store(settings) as store:
        written = jobs.export_graph(store, file, fmt, node=node, depth=depth, limit=limit)
    err.print(f"wrote {written.describe()} to {file} ({fmt})", highlight=False)


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Address to listen on."),
          port: int = typer.Option(8000, help="Port to listen on.")):
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    import uvicorn

    from policykg.api.app import create_app

    uvicorn.run(create_app(Settings()), host=host, port=port, log_level="info")


WORDS = typer.Argument(..., help="Words of the measure; every word must occur.")
LIMIT = typer.Option(5, help="How many matching measures to show.")


def _answer(words: list[str], limit: int, columns: list[str], rows, empty: list[str]) -> None:
    """Find measures by their words and print one table per measure of `rows(store, m)`."""
    text = " ".join(words)
    with _store(Settings()) as store:
        page = store.search_measures(q=text, limit=limit)
        _no_match(page, text)
        for m in page.items:
            table = Table(title=_title(m), title_justify="left")
            for c in columns:
                table.add_column(c, overflow="fold")
            for row in rows(store, m):
                table.add_row(*row)
            if not table.rows:
                table.add_row(*empty)
            out.print(table)


@app.command()
def backers(words: List[str] = WORDS, limit: int = LIMIT):
    """Which agencies back a measure, and which one leads it."""
    _answer(words, limit, ["role", "agency", "evidence"],
            lambda store, m: [("LEADS" if b.role == "lead" else "cooperates", b.agency.name,
                               (b.evidence.text if b.evidence else "") or "") for b in store.backers(m.id) or []],
            ["-", "(no agency named for this measure)", ""])


@app.command()
def provisions(words: List[str] = WORDS, limit: int = LIMIT):
    """Which regulation and article each matching measure suspends or adjusts."""
    _answer(words, limit, ["instrument", "article"],
            lambda store, m: [(a.provision.instrument, a.provision.article or "(whole instrument)")
                              for a in store.provisions(m.id) or []],
            ["(adjusts no provision)", ""])


def _iso(value: str) -> str:
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO date (2018-12-31)") from None


@app.command()
def due(before: str = typer.Argument(..., help="ISO date: measures due on or before it."),
        agency: Optional[str] = typer.Option(None, help="Agency id or name backing them."),
        role: Optional[str] = typer.Option(None, help="lead or cooperate (with --agency)."),
        region: Optional[str] = typer.Option(None, help="Region id or name they apply in (or in a region containing it).")):
    """Current measures due by a date, earliest first."""
    if role not in (None, "lead", "cooperate"):
        raise typer.BadParameter("--role is lead or cooperate")
    with _store(Settings()) as store:
        rows = store.measures_due(_iso(before), agency=agency, role=role, region=region)
    table = Table(title=f"due by {_iso(before)}: {len(rows)} measures", title_justify="left")
    for c in ("due", "deadline", "measure", "document", "id"):
        table.add_column(c, overflow="fold")
    for m in rows:
        table.add_row(m.due or "", m.deadline or "", m.text[:80], m.document, m.id)
    out.print(table)


@app.command()
def suspended(region: str = typer.Argument(..., help="Region id or name."),
              on: Optional[str] = typer.Option(None, help="ISO date; today if absent.")):
    """Provisions suspended or adjusted in a region on a date (a region inherits what applies
    in the regions containing it)."""
    import datetime as dt

    day = _iso(on) if on else dt.datetime.now(dt.timezone.utc).date().isoformat()
    with _store(Settings()) as store:
        rows = store.suspended_provisions(region, day)
    if rows is None:
        err.print(f"no region {region!r}", highlight=False)
        raise typer.Exit(1)
    table = Table(title=f"suspended in {region} on {day}: {len(rows)}", title_justify="left")
    for c in ("instrument", "article", "from", "until", "measure", "regions"):
        table.add_column(c, overflow="fold")
    for r in rows:
        p = r.provision
        table.add_row(p.instrument, f"{p.article or '(whole instrument)'}{p.clause or ''}", r.valid_from or "",
                      r.valid_until or "", r.measure.text[:60], "、".join(r.regions))
    out.print(table)


def _title(m) -> str:

    return escape(f"[{m.kind}] {m.text[:80]}  — {m.document} ({m.id})")


def _no_match(page, text: str) -> None:
    if page.total == 0:
        err.print(f"no measure matches {text!r}", highlight=False)
        raise typer.Exit(1)
    if page.total > len(page.items):
        err.print(f"{page.total} measures match; showing {len(page.items)} (use --limit)", highlight=False)


def _where(settings: Settings) -> str:
    return settings.neo4j_uri if settings.neo4j_uri else f"({settings.data_dir})"


class _store:
    """Open the configured store; a failure to open it, or a PolicyKGError inside the block,
    becomes one clear line and exit code 1."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def __enter__(self):
        try:
            # A write that waits for another process's writer says for whom, on stderr.
            self.store = open_store(self.settings, on_wait=lambda line: err.print(line, highlight=False))
        except PolicyKGError as exc:
            err.print(f"[red]{exc}[/red]", highlight=False)
            raise typer.Exit(1)
        return self.store

    def __exit__(self, exc_type, exc, tb):
        self.store.close()
        if isinstance(exc, PolicyKGError):
            err.print(f"[red]{escape(str(exc))}[/red]", highlight=False)
            raise typer.Exit(1) from None


from policykg.cli_compare import register as _register_compare  # noqa: E402  diff, implementation

_register_compare(app)


def main() -> None:  # pragma: no cover
    # A run allocates millions of short-lived objects (tokens, matches, records) and keeps
    # few cycles: collecting a tenth as often saves ~5% of `extract` for no visible memory.
    gc.freeze()
    gc.set_threshold(7000, 10, 10)
    try:
        app()
    except PolicyKGError as exc:
        err.print(f"[red]{exc}[/red]", highlight=False)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
