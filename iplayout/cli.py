"""The ``iplayout`` command line. Area commands register themselves from ``<area>/commands.py``."""

from __future__ import annotations

import importlib
import importlib.util
import logging

import typer

from iplayout.errors import IplayoutError

app = typer.Typer(
    name="iplayout",
    help="Knowledge graph and semantic search for regional IP layout analysis.\n\n"
    'Example: iplayout demo && iplayout cypher "MATCH (d:District) RETURN count(d) AS n"',
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# One commands module per area; each defines register(app). A module that exists but fails to
# import is a bug and must fail loudly, so only absence is tolerated.
_AREAS = (
    "iplayout.demo.commands",
    "iplayout.graph.commands",
    "iplayout.ingestion.commands",
    "iplayout.nlp.commands",
    "iplayout.search.commands",
    "iplayout.queries.commands",
    "iplayout.api.commands",
    "iplayout.reports.commands",
)


def _register_areas() -> None:
    for name in _AREAS:
        if importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).register(app)


_register_areas()


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except IplayoutError as exc:
        typer.echo(f"error: {str(exc).splitlines()[0]}", err=True)
        raise SystemExit(1) from None
