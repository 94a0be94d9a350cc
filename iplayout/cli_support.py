"""Output helpers shared by every CLI command: JSON or human text, one-line errors, progress bars."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

_err = Console(stderr=True)


def _default(o: Any) -> Any:
    if hasattr(o, "model_dump"):
        return o.model_dump()
    if hasattr(o, "as_dict"):
        return o.as_dict()
    return str(o)


def emit(obj: Any, json_mode: bool, human: str | None = None) -> None:
    """Print ``obj`` as JSON (``--json``) or ``human`` text (falls back to indented JSON)."""
    if json_mode or human is None:
        typer.echo(json.dumps(obj, ensure_ascii=False, indent=None if json_mode else 2, default=_default))
    else:
        typer.echo(human)


def fail(message: str, code: int = 1) -> None:
    """One-line error on stderr and a non-zero exit."""
    typer.echo(f"error: {message.splitlines()[0] if message else 'failed'}", err=True)
    raise typer.Exit(code)


@contextmanager
def progress(description: str, total: int | None, enabled: bool) -> Iterator[Any]:
    """A rich progress bar on a terminal; a no-op advance function otherwise (``--json``, pipes)."""
    if not enabled or not sys.stderr.isatty():
        yield lambda n=1: None
        return
    cols = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*cols, console=_err, transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)


def make_settings(store: str | None = None, home: Any = None) -> Any:
    """Settings from the environment, overridden by the command's ``--store`` / ``--home``."""
    from iplayout.config import Settings

    overrides: dict[str, Any] = {}
    if store:
        overrides["store"] = store
    if home:
        overrides["home"] = home
    return Settings(**overrides)


STORE_HELP = "Graph store: embedded (LadybugDB, default) or neo4j; or set IPLAYOUT_STORE."
JSON_HELP = "Print machine-readable JSON."
