"""The FastAPI application: ``create_app(settings)``; ``iplayout serve`` runs it under uvicorn."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi

from iplayout import __version__
from iplayout.api import problems
from iplayout.api.deps import Services
from iplayout.api.headers import SecurityHeaders
from iplayout.api.routers import analytics, cypher, graph, health, ingest, maps, web, workbench
from iplayout.api.routers import search as search_routes
from iplayout.api.security import HEADER, require_read_key
from iplayout.api.uploads import MULTIPART_OVERHEAD, BodyLimit
from iplayout.config import Settings
from iplayout.graph.store import GraphStore

if TYPE_CHECKING:
    from iplayout.search.service import SearchService

DESCRIPTION = """Knowledge graph and semantic search for regional IP layout analysis.

Errors are RFC 9457 problem details (`application/problem+json`). Write and ingest endpoints need
an API key in the `X-API-Key` header; read endpoints need one only when the server sets
`IPLAYOUT_READ_REQUIRES_KEY=true`. Lists are paged with `limit` and `offset`."""


def create_app(settings: Settings, *, store: GraphStore | None = None,
               search: SearchService | None = None) -> FastAPI:
    """The API over ``settings``; tests may pass an open ``store`` (and ``search`` service)."""
    services = Services(settings, store=store, search=search)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        _ = services.store  # open the graph at start-up: a locked or missing store fails fast
        yield
        services.close()

    app = FastAPI(title="iplayout API", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.services = services
    problems.install(app)
    # Declared (and in the OpenAPI spec) only when this server keys its reads.
    keyed = [Depends(require_read_key)] if settings.read_requires_key else []
    app.include_router(health.router)
    for router in (search_routes.router, graph.router, analytics.router, maps.router, cypher.router, ingest.read,
                   workbench.router):
        app.include_router(router, dependencies=keyed)
    app.include_router(ingest.write)
    app.include_router(web.router)
    web.mount_assets(app)
    app.add_middleware(BodyLimit, max_bytes=settings.upload_max_bytes + MULTIPART_OVERHEAD)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=[HEADER, "Content-Type"], allow_credentials=False)
    app.add_middleware(SecurityHeaders)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = \
            problems.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        app.openapi_schema = schema
    return app.openapi_schema
