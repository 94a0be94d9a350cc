"""``iplayout build``: extract entities from ingested records and load them into the graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from iplayout.cli_support import JSON_HELP, STORE_HELP, emit, fail, make_settings, progress
from iplayout.errors import IplayoutError


def register(app: typer.Typer) -> None:
    from iplayout.graph.commands import export_app

    app.command("build")(build_command)
    export_app.command("duplicates")(duplicates_command)


def build_command(
    store: Annotated[str | None, typer.Option("--store", help=STORE_HELP)] = None,
    home: Annotated[Path | None, typer.Option("--home", help="Data folder (default ./.iplayout).")] = None,
    no_index: Annotated[bool, typer.Option("--no-index", help="load the graph only; skip the search index")] = False,
    resync: Annotated[bool, typer.Option(
        "--resync", help="compare every built record with the graph and the search index (ids and content) and "
                         "rebuild what is missing or stale, remove what the ledger deleted")] = False,
    json_out: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Extract entities from ingested records not yet built and load them into the graph.

    Only records that are new, changed, or touched by a newer extractor version are processed.
    After a lost, restored or partly written graph or search index, --resync heals both from the ledger.

    Example: iplayout ingest exports/patents.csv && iplayout build --json

    Example: iplayout build --resync --json
    """
    # Imported here so `iplayout --help` stays fast and this module imports before those exist.
    from iplayout.graph.factory import open_store
    from iplayout.ingestion.ledger import Ledger
    from iplayout.nlp.aliases import load_folder
    from iplayout.nlp.pipeline import build
    from iplayout.resync import drift_hint
    from iplayout.resync import resync as run_resync

    settings = make_settings(store, home)
    hint: str | None = None
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
                if resync:
                    healed = run_resync(settings, graph, ledger, index, advance=advance)
                else:
                    result = build(settings, graph, ledger, show_progress=not json_out, advance=advance,
                                   index=index, aliases=aliases)
                    hint = drift_hint(graph, ledger, index)
        finally:
            graph.close()
    except IplayoutError as exc:
        fail(str(exc))
        return
    if resync:
        emit(healed.as_dict(), json_out, _resync_text(healed))
        return
    total = sum(result.records.values())
    human = (f"built {total} records ({', '.join(f'{k}: {v}' for k, v in result.records.items()) or 'none pending'}); "
             f"{result.nodes_written} nodes, {result.relationships_written} relationships written; "
             f"{result.cites_linked} citations linked, {result.cites_unresolved} unresolved; "
             f"{result.deleted} deleted, {result.indexed} documents indexed in {result.seconds:.1f}s")
    out = result.as_dict()
    if hint:
        out["hint"] = hint
        human += "\n" + hint
    emit(out, json_out, human)


def _resync_text(healed: Any) -> str:
    rebuilt = ", ".join(f"{label} {n}" for label, n in healed.rebuilt.items()) or "nothing"
    lines = [f"resync: rebuilt {rebuilt}; {healed.deleted_from_graph} deleted from the graph, "
             f"{healed.removed_from_index} removed from the search index; "
             f"{healed.build.get('nodes_written', 0)} nodes, {healed.build.get('relationships_written', 0)} "
             f"relationships written in {healed.seconds:.1f}s"]
    lines += [f"  {label}: " + ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in found.items())
              for label, found in healed.drift.items()]
    if healed.unchecked:
        lines.append(f"  {healed.unchecked} documents were built before content digests were recorded: "
                     "compared by id only")
    return "\n".join(lines)


def duplicates_command(
    path: Annotated[Path | None, typer.Argument(help="output file (.csv or .json); stdout when omitted")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="csv or json (default: from PATH, else csv)")] = None,
    limit: Annotated[int, typer.Option(help="at most this many pairs, strongest first")] = 200,
    store: Annotated[str | None, typer.Option("--store", help=STORE_HELP)] = None,
    home: Annotated[Path | None, typer.Option("--home", help="Data folder (default ./.iplayout).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Rank likely duplicate organisations with the reason, for review; nothing is merged.

    Reasons: same credit code, same key, same English key, same letters without spaces, pinyin of a
    Chinese name equal to a romanised one, one or two letters apart, same name without brackets.
    Each row has an `alias_row` to paste into $IPLAYOUT_HOME/reference/org_aliases.csv if it is right.

    Example: iplayout export duplicates review.csv --limit 100 && iplayout export duplicates --format json
    """
    from iplayout.graph.factory import open_store
    from iplayout.nlp.duplicates import OrgEntry, find_duplicates, write_pairs

    chosen = (fmt or (path.suffix.lstrip(".") if path is not None else "csv")).lower()
    if chosen not in ("csv", "json"):
        fail(f"unknown format {chosen!r}: use csv or json")
        return
    settings = make_settings(store, home)
    try:
        graph = open_store(settings, read_only=True)
        try:
            rows = graph.run_named("organisations_for_review")
        finally:
            graph.close()
    except IplayoutError as exc:
        fail(str(exc))
        return
    orgs = [OrgEntry(id=str(r["id"]), name=str(r["name"] or ""), kind=str(r["kind"] or ""),
                     key=str(r["resolution_key"] or ""), name_en=r["name_en"], credit_code=r["credit_code"],
                     patents=int(r["patents"] or 0)) for r in rows]
    pairs = find_duplicates(orgs, limit=limit)
    text = write_pairs(pairs, chosen, path)
    if path is None:
        typer.echo(text, nl=False)
        return
    emit({"path": str(path), "pairs": len(pairs), "organisations": len(orgs)}, json_out,
         f"wrote {len(pairs)} candidate pairs among {len(orgs)} organisations to {path}")
