"""``iplayout ingest``: read source files into the run ledger (the graph is loaded by ``iplayout build``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iplayout.cli_support import JSON_HELP, STORE_HELP, emit, fail, make_settings
from iplayout.errors import IngestionError

_HELP = """Ingest patent, trademark, literature, standard, policy and statistics files into the ledger.

Formats: CN patent exports (CSV/XLSX), USPTO XML (patents and TDXF trademarks) and BRS text,
CNIPA trademark open-data packages (the .zip, or a folder of its CSV members), CNKI NoteExpress
(.net), RIS, BibTeX, standards/statistics CSV/XLSX, policies (txt, md, html, pdf, docx, JSONL) and
canonical JSONL of every kind. Bad records go to a rejects file; the run goes on.

Example:

  iplayout ingest exports/patents.csv refs/wos.bib --json

  iplayout ingest cnipa/2023_1.zip us/apc231207.xml

  iplayout ingest stats.xlsx --kind stats --profile my_stats.yaml --replace-source
"""


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    kind: Annotated[
        str | None, typer.Option("--kind", help="patents|papers|standards|policies|stats|trademarks (default: detect).")
    ] = None,
    profile: Annotated[
        str | None, typer.Option("--profile", help="Column-mapping profile: a YAML path or a built-in name.")
    ] = None,
    replace_source: Annotated[
        bool, typer.Option("--replace-source", help="Delete ledger records these files no longer contain.")
    ] = False,
    store: Annotated[str | None, typer.Option("--store", help=STORE_HELP)] = None,
    home: Annotated[Path | None, typer.Option("--home", help="Data folder (default IPLAYOUT_HOME).")] = None,
    json_mode: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    from iplayout.ingestion.run import ingest_paths

    if kind is not None and kind not in {"patents", "papers", "standards", "policies", "stats", "trademarks"}:
        fail(f"--kind must be one of patents, papers, standards, policies, stats, trademarks (got {kind!r})")
    settings = make_settings(store, home)
    try:
        result = ingest_paths(
            paths, settings, kind=kind, profile=profile, replace_source=replace_source, show_progress=not json_mode
        )
    except IngestionError as exc:
        fail(str(exc))
        return
    summary = result.summary()
    human = (
        f"accepted {result.accepted}, updated {result.updated}, unchanged {result.unchanged}, "
        f"rejected {result.rejected} (run {result.run_id})"
        + (f"\nrejects: {result.rejects_file}" if result.rejects_file else "")
    )
    emit(summary, json_mode, human)
    for hint in result.hints:
        typer.echo(f"hint: {hint}", err=True)
    failed = [f for f in result.files if f.error]
    if failed:
        fail(f"{len(failed)} of {len(result.files)} files could not be read: {failed[0].error}")


def register(app: typer.Typer) -> None:
    app.command("ingest", help=_HELP)(ingest)
