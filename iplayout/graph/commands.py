"""Graph commands: read-only `cypher`, `export rdf`, `check`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from iplayout.cli_support import JSON_HELP, STORE_HELP, emit, make_settings

StoreOpt = Annotated[str | None, typer.Option(help=STORE_HELP)]
HomeOpt = Annotated[Path | None, typer.Option(help="data folder (IPLAYOUT_HOME)")]
JsonOpt = Annotated[bool, typer.Option("--json", help=JSON_HELP)]

export_app = typer.Typer(help="Export the graph or its vocabulary.", no_args_is_help=True)


def _table(rows: list[dict[str, object]]) -> str:
    if not rows:
        return "(no rows)"
    cols = list(rows[0])
    lines = ["\t".join(cols)]
    lines += ["\t".join(json.dumps(r.get(c), ensure_ascii=False) for c in cols) for r in rows]
    return "\n".join(lines)


def cypher(
    text: Annotated[str, typer.Argument(help="a read-only Cypher query")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="k=v (JSON values allowed)")] = None,
    limit: Annotated[int | None, typer.Option(help="maximum rows returned")] = None,
    timeout: Annotated[float | None, typer.Option(help="seconds before the query is stopped")] = None,
    store: StoreOpt = None,
    home: HomeOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Run a read-only Cypher query; writes (CREATE, MERGE, SET, DELETE, writing procedures) are refused.

    At most --limit rows (default IPLAYOUT_QUERY_ROW_LIMIT, 1000) are shown; a cut result says so
    (a stderr line; "truncated": true in --json). Neo4j habits such as type(r), labels(n) and
    CALL db.labels() also work on the embedded engine (table in docs/cli.md).

    Example: iplayout cypher "MATCH (d:District) RETURN count(d) AS n" --json
    """
    import logging

    from iplayout.graph.factory import open_store

    # The engine's one-line warnings about this query (an unknown label, a deprecated construct).
    logging.getLogger("iplayout.queries.notes").setLevel(logging.INFO)
    settings = make_settings(store, home)
    params = {}
    for item in param or []:
        key, _, raw = item.partition("=")
        try:
            params[key] = json.loads(raw)
        except json.JSONDecodeError:
            params[key] = raw
    cap = limit or settings.query_row_limit
    gstore = open_store(settings, read_only=True)
    try:  # one row past the cap tells whether the cap cut the result
        rows = gstore.cypher_read(text, params, limit=cap + 1, timeout=timeout or settings.query_timeout_s)
    finally:
        gstore.close()
    truncated = len(rows) > cap
    rows = rows[:cap]
    emit({"rows": rows, "row_count": len(rows), "truncated": truncated, "limit": cap}, json_out, _table(rows))
    if truncated and not json_out:
        typer.echo(f"truncated: showing the first {cap} rows; more exist (raise --limit or add LIMIT/ORDER BY)",
                   err=True)


@export_app.command("rdf")
def export_rdf(
    path: Annotated[Path | None, typer.Argument(help="output file (Turtle); stdout when omitted with --schema")] = None,
    schema: Annotated[bool, typer.Option("--schema", help="export the OWL + SKOS vocabulary, not the data")] = False,
    fmt: Annotated[str, typer.Option("--format", help="turtle, xml, nt or json-ld")] = "turtle",
    store: StoreOpt = None,
    home: HomeOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Export the ontology (--schema) or the graph data as RDF that rdflib parses back.

    Example: iplayout export rdf --schema > iplayout.ttl;  iplayout export rdf graph.ttl
    """
    from iplayout.ontology.rdf import export_data, schema_graph

    if schema:
        g = schema_graph()
        if path is None:
            typer.echo(g.serialize(format=fmt))
            return
        g.serialize(destination=str(path), format=fmt)
        emit({"path": str(path), "triples": len(g)}, json_out, f"wrote {len(g)} triples to {path}")
        return
    if path is None:
        raise typer.BadParameter("give an output PATH for the data export")
    from iplayout.graph.factory import open_store

    gstore = open_store(make_settings(store, home), read_only=True)
    try:
        n = export_data(gstore, path, fmt)
    finally:
        gstore.close()
    emit({"path": str(path), "triples": n}, json_out, f"wrote {n} triples to {path}")




def check(
    store: StoreOpt = None,
    home: HomeOpt = None,
    deep: Annotated[bool, typer.Option(
        "--deep", help="also compare each document's content (a digest of its properties and index entry) "
                       "with what build wrote; reads every document")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Compare the ledger, the graph and the search index; exit 1 when they disagree.

    Also lists the reference tables (packaged or user file, version, digest) the last build read.
    Differences are repaired by `iplayout build --resync`.

    Example: iplayout check --json

    Example: iplayout check --deep
    """
    from iplayout.consistency import check as run_check
    from iplayout.graph.factory import open_store

    settings = make_settings(store, home)
    gstore = open_store(settings, read_only=True)
    try:
        report = run_check(settings, gstore, deep=deep)
    finally:
        gstore.close()
    lines = [f"{'consistent' if report.ok else 'INCONSISTENT'}: ledger {report.ledger}, graph {report.graph}, "
             f"index {report.index or 'none'}; {report.pending_build} records await `iplayout build`; "
             f"{report.demo_documents} synthetic demo documents"]
    lines += [f"  {name}: {p['count']} (e.g. {', '.join(p['sample'])})" for name, p in report.problems.items()]
    lines += [f"  reference {name}: {t['origin']} {t['version']} [{t['sha256']}]" if t else
              f"  reference {name}: not used by the last build"
              for name, t in (report.reference_tables or {}).items()]
    if report.unchecked:
        lines.append(f"  {report.unchecked} documents were built before content digests were recorded: "
                     "compared by id only")
    if not report.ok:
        lines.append("run `iplayout build --resync` to rebuild what differs from the ledger")
    emit(report.as_dict(), json_out, "\n".join(lines))
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("cypher")(cypher)
    app.command("check")(check)
    app.add_typer(export_app, name="export")
