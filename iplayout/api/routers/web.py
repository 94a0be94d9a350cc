"""The web workbench: the Vite build in ``iplayout/api/static/dist`` served at ``/``."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

DIST = Path(__file__).resolve().parents[1] / "static" / "dist"

router = APIRouter(include_in_schema=False)

_NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8"><title>iplayout</title>
<h1>iplayout workbench not built</h1><p>Run <code>bash scripts/build-web.sh</code> (npm ci + vite build),
then reload. The API itself is up: see <a href="/docs">/docs</a>.</p></html>"""


@router.get("/", response_model=None)
def index() -> FileResponse | HTMLResponse:
    page = DIST / "index.html"
    if not page.exists():
        return HTMLResponse(_NOT_BUILT, status_code=503)
    return FileResponse(page, media_type="text/html", headers={"Cache-Control": "no-cache"})


def mount_assets(app: FastAPI) -> None:
    assets = DIST / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")
