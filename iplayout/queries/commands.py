"""CLI: ``iplayout analyze ...`` (graph analytics and table formulas) and ``iplayout query``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from iplayout.cli_support import JSON_HELP, STORE_HELP, emit, fail, make_settings
from iplayout.errors import IplayoutError

StoreOpt = Annotated[str | None, typer.Option("--store", help=STORE_HELP)]
HomeOpt = Annotated[Path | None, typer.Option("--home", help="Data folder (IPLAYOUT_HOME).")]
JsonOpt = Annotated[bool, typer.Option("--json", help=JSON_HELP)]


@contextmanager
def read_store(store: str | None, home: Path | None) -> Iterator[Any]:
    """The configured graph store opened read-only; closed on exit."""
    from iplayout.graph.factory import open_store

    graph = open_store(make_settings(store, home), read_only=True)
    try:
        yield graph
    finally:
        graph.close()


def parse_value(text: str) -> Any:
    """``--param`` values: int, then float, then ``null``/``none`` as None, else the string."""
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            continue
    return None if text.lower() in ("null", "none") else text


def parse_params(pairs: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"expected k=v, got {pair!r}", param_hint="--param")
        out[key.strip()] = parse_value(value.strip())
    return out


def _list_queries(json_mode: bool) -> None:
    from iplayout.queries.registry import registry

    rows = [{"name": q.name, "params": list(q.params), "doc": q.doc, "engines": sorted(q.dialects)}
            for q in sorted(registry().values(), key=lambda q: q.name) if not q.write]
    human = "\n".join(f"{r['name']:<36} {','.join(r['params']):<28} {r['doc']}" for r in rows)
    emit(rows, json_mode, human)


def query(
    name: Annotated[str | None, typer.Argument(help="Named query (see --list).")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="k=v; int/float/str.")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the named queries and their parameters.")] = False,
    store: StoreOpt = None,
    home: HomeOpt = None,
    json_mode: JsonOpt = False,
) -> None:
    """Run a named query from iplayout/queries.

    Example: iplayout query top_applicants --param limit=10 --json
    """
    try:
        if list_:
            _list_queries(json_mode)
            return
        if not name:
            fail("give a query name or --list")
            return
        from iplayout.queries.registry import get

        q = get(name)
        params = parse_params(param)
        missing = [p for p in q.params if p not in params]
        if missing:
            fail(f"query {name} needs --param for: {', '.join(missing)}")
        with read_store(store, home) as graph:
            rows = graph.run_named(name, params)
        emit({"query": name, "params": params, "rows": rows}, json_mode,
             "\n".join(str(r) for r in rows) or "(no rows)")
    except IplayoutError as exc:
        fail(str(exc))


def register(app: typer.Typer) -> None:
    from iplayout.queries import cli_graph, cli_tables

    analyze = typer.Typer(
        name="analyze", no_args_is_help=True,
        help="IP layout analytics on the graph, and the CCD/entropy formulas on any table.\n\n"
             "Example: iplayout analyze density --by district --json",
    )
    cli_tables.register(analyze)
    cli_graph.register(analyze)
    app.add_typer(analyze, name="analyze")
    app.command("query")(query)
