"""The web workbench: the Vite build in ``iplayout/api/static/dist`` served at ``/``."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

DIST = Path(__file__).resolve().parents[1] / "static" / "dist"

router = APIRouter(include_in_schema=False)

# A pip-installed package without the Vite build still answers / (200): the API works either way,
# and the page says how to get the workbench.
_NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8"><title>iplayout API</title>
<h1>iplayout: the API is running / API 已启动</h1>
<p>The web workbench is not part of this installation. To add it, build it from a source checkout
(Node 18+): <code>bash scripts/build-web.sh</code> (npm ci + vite build into
<code>iplayout/api/static/dist</code>), then install or run from that checkout and reload this page.</p>
<p>本安装未包含网页工作台。请在源码目录中运行 <code>bash scripts/build-web.sh</code>（需要 Node 18+）构建后，
从该目录安装或运行，再刷新本页。</p>
<p>Meanwhile the API is fully usable / API 可直接使用: <a href="/docs">/docs</a> (OpenAPI),
<a href="/openapi.json">/openapi.json</a>.</p></html>"""


@router.get("/", response_model=None)
def index() -> FileResponse | HTMLResponse:
    page = DIST / "index.html"
    if not page.exists():
        return HTMLResponse(_NOT_BUILT, status_code=200, headers={"X-Iplayout-Workbench": "not-built"})
    return FileResponse(page, media_type="text/html", headers={"Cache-Control": "no-cache"})


def mount_assets(app: FastAPI) -> None:
    assets = DIST / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")
