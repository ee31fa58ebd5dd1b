"""`policykg diff A B` and `policykg implementation DOC` (graph/compare.py), registered on
the CLI app by policykg/cli.py."""
from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table


def _short(text: str, n: int = 60) -> str:
    return escape(text if len(text) <= n else text[:n - 1] + "…")


def register(app: typer.Typer) -> None:
    @app.command("diff")
    def diff(a: str = typer.Argument(..., help="Document A: id, number (国函〔2018〕79号), file name or its prefix (004)."),
             b: str = typer.Argument(..., help="Document B, the same ways."),
             as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON (the API's answer)."),
             same: bool = typer.Option(False, "--same", help="List the carried-over measures too.")):
        """Compare two documents: measures carried over, changed, dropped (only in A), added (only in B)."""
        from policykg.cli import Settings, _store, out
        from policykg.graph.compare import compare

        with _store(Settings()) as store:
            result = compare(store, a, b)
        if as_json:
            print(result.model_dump_json(indent=2))
            return
        c = result.counts
        out.print(f"{escape(result.a.file or result.a.id)} ({c['a']} measures) → {escape(result.b.file or result.b.id)} "
                  f"({c['b']} measures): {c['carried_over']} carried over, {c['changed']} changed, "
                  f"{c['dropped']} dropped, {c['added']} added", highlight=False)
        table = Table(title_justify="left")
        for col in ("status", "A", "B", "changes"):
            table.add_column(col, overflow="fold")
        if same:
            for p in result.carried_over:
                table.add_row("carried over", _short(p.a.text), _short(p.b.text), "")
        for p in result.changed:
            parts = []
            if p.text_changed:
                parts.append("text: " + " ".join(
                    f"[red]-{escape(o.a)}[/red]" * bool(o.a) + f"[green]+{escape(o.b)}[/green]" * bool(o.b)
                    for o in p.text_diff if o.op != "equal"))
            for f in p.changes:
                parts.append(f"{f.field}: " + escape("、".join(f.a) or "—") + " → " + escape("、".join(f.b) or "—"))
            table.add_row("[yellow]changed[/yellow]", _short(p.a.text), _short(p.b.text), "\n".join(parts))
        for m in result.dropped:
            table.add_row("[red]dropped[/red]", _short(m.text), "", "")
        for m in result.added:
            table.add_row("[green]added[/green]", "", _short(m.text), "")
        if table.rows:
            out.print(table)

    @app.command("implementation")
    def implementation_(doc: str = typer.Argument(..., help="The national document: id, number or file name."),
                        show_all: bool = typer.Option(False, "--all", help="Also list the rows nothing implements."),
                        as_json: bool = typer.Option(False, "--json", help="Print the matrix as JSON (the API's answer).")):
        """Which documents implement which measures of a national document: a row per measure, a
        column per implementing document (its region), the implementing measure, lead and due date."""
        from policykg.cli import Settings, _store, out
        from policykg.graph.compare import implementation

        with _store(Settings()) as store:
            m = implementation(store, doc)
        if as_json:
            print(m.model_dump_json(indent=2))
            return
        name = m.document.doc_number or m.document.file or m.document.id
        cover = "; ".join(f"{c.region or c.document.file}: {c.implemented}/{m.measures} ({c.share:.0%})" for c in m.columns)
        out.print(escape(f"{name}: {m.measures} measures, {m.measures - len(m.unimplemented)} implemented, "
                         f"{len(m.unimplemented)} by nothing; {len(m.columns)} implementing documents"
                         + (f" — {cover}" if cover else "")), highlight=False)
        table = Table(title_justify="left")
        table.add_column("national measure", overflow="fold")
        for c in m.columns:
            table.add_column(escape(f"{c.region or ''} {c.document.file or c.document.id} ({c.share:.0%})".strip()),
                             overflow="fold")
        for row in m.rows:
            if not row.cells and not show_all:
                continue
            cells = []
            for c in m.columns:
                items = row.cells.get(c.document.id, [])
                cells.append("\n".join(f"{_short(i.measure.text, 40)}\n[bold]{escape('、'.join(i.lead) or '—')}[/bold]"
                                       + (f" · {escape(i.due)}" if i.due else "") for i in items))
            table.add_row(_short(row.measure.text, 50), *cells)
        if table.rows:
            out.print(table)
