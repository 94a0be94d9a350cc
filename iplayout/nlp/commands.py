"""``iplayout build``: extract entities from ingested records and load them into the graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iplayout.cli_support import JSON_HELP, STORE_HELP, emit, fail, make_settings, progress
from iplayout.errors import IplayoutError


def register(app: typer.Typer) -> None:
    app.command("build")(build_command)


def build_command(
    store: Annotated[str | None, typer.Option("--store", help=STORE_HELP)] = None,
    home: Annotated[Path | None, typer.Option("--home", help="Data folder (default ./.iplayout).")] = None,
    no_index: Annotated[bool, typer.Option("--no-index", help="load the graph only; skip the search index")] = False,
    json_out: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Extract entities from ingested records not yet built and load them into the graph.

    Only records that are new, changed, or touched by a newer extractor version are processed.

    Example: iplayout ingest exports/patents.csv && iplayout build --json
    """
    # Imported here so `iplayout --help` stays fast and this module imports before those exist.
    from iplayout.graph.factory import open_store
    from iplayout.ingestion.ledger import Ledger
    from iplayout.nlp.aliases import load_folder
    from iplayout.nlp.pipeline import build

    settings = make_settings(store, home)
    try:
        aliases = load_folder(settings.home / "reference")  # checked before anything is opened or written
        graph = open_store(settings)
        try:
            ledger = Ledger(settings.ledger_path)
            with progress("building", None, enabled=not json_out) as advance:
                index = None
                if not no_index:
                    from iplayout.search.service import SearchService

                    index = SearchService.open(settings)
                result = build(settings, graph, ledger, show_progress=not json_out, advance=advance, index=index,
                               aliases=aliases)
        finally:
            graph.close()
    except IplayoutError as exc:
        fail(str(exc))
        return
    total = sum(result.records.values())
    human = (f"built {total} records ({', '.join(f'{k}: {v}' for k, v in result.records.items()) or 'none pending'}); "
             f"{result.nodes_written} nodes, {result.relationships_written} relationships written; "
             f"{result.cites_linked} citations linked, {result.cites_unresolved} unresolved; "
             f"{result.deleted} deleted, {result.indexed} documents indexed in {result.seconds:.1f}s")
    emit(result.as_dict(), json_out, human)
