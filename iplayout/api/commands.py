"""`iplayout serve`: the API and the web workbench under uvicorn (one process: the graph is opened once)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iplayout.cli_support import STORE_HELP, make_settings


def serve(
    host: Annotated[str, typer.Option(help="interface to listen on (127.0.0.1 = this machine only)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
    store: Annotated[str | None, typer.Option(help=STORE_HELP)] = None,
    home: Annotated[Path | None, typer.Option(help="data folder (IPLAYOUT_HOME)")] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
    access_log: Annotated[bool, typer.Option(help="log one line per request")] = True,
) -> None:
    """Serve the HTTP API and the web workbench (http://HOST:PORT/, API docs at /docs).

    Example: iplayout serve --port 8000
    """
    import uvicorn

    from iplayout.api.app import create_app

    settings = make_settings(store, home)
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=access_log,
                workers=1, server_header=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
