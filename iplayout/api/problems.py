"""RFC 9457 problem details: the one shape every error response of the API takes.

Only this module turns ``IplayoutError`` subclasses into HTTP status codes. The ``type`` of each
problem is a relative URI (``/problems/<slug>``) documented in docs/api.md.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from iplayout.errors import (
    AnalysisError,
    ConfigError,
    GraphError,
    GraphLockedError,
    IngestionError,
    IplayoutError,
    OntologyError,
    QueryTimeout,
    ReadOnlyViolation,
    ReportError,
    SearchError,
)

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    type: str = Field(description="URI reference identifying the problem type")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str = ""
    instance: str = Field(default="", description="the request path that failed")
    errors: list[dict[str, Any]] | None = Field(default=None, description="field errors (validation)")


class ApiProblem(Exception):
    """Raised by routers for HTTP-level failures (not found, unauthorised, too large …)."""

    def __init__(self, status: int, slug: str, title: str, detail: str = "",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail or title)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.headers = headers


class FeatureMissing(ApiProblem):
    """A feature whose module is not installed in this build: 501, never a fake result."""

    def __init__(self, feature: str, module: str) -> None:
        super().__init__(501, "feature-not-installed", "Feature not installed",
                         f"{feature} is not available: module {module} is not installed in this build")


# Most specific first: the first matching class wins.
_ERROR_MAP: tuple[tuple[type[IplayoutError], int, str, str], ...] = (
    (ReadOnlyViolation, 403, "read-only", "Write refused"),
    (QueryTimeout, 408, "query-timeout", "Query stopped after its time limit"),
    (GraphLockedError, 503, "graph-locked", "Graph store locked"),
    (GraphError, 503, "graph-unavailable", "Graph store error"),
    (OntologyError, 404, "unknown-ontology-term", "Not part of the ontology"),
    (SearchError, 400, "search-failed", "Search request failed"),
    (IngestionError, 400, "ingestion-failed", "Ingestion request failed"),
    (AnalysisError, 422, "analysis-failed", "Analysis cannot run on these inputs"),
    (ReportError, 422, "report-failed", "Report cannot be produced"),
    (ConfigError, 500, "configuration", "Server configuration error"),
)


def classify(exc: IplayoutError) -> tuple[int, str, str]:
    for cls, status, slug, title in _ERROR_MAP:
        if isinstance(exc, cls):
            return status, slug, title
    return 500, "internal", "Internal error"


def problem_response(request: Request, status: int, slug: str, title: str, detail: str = "",
                     headers: dict[str, str] | None = None,
                     errors: list[dict[str, Any]] | None = None) -> JSONResponse:
    body = Problem(type=f"/problems/{slug}" if slug else "about:blank", title=title, status=status,
                   detail=detail, instance=request.url.path, errors=errors)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status,
                        media_type=PROBLEM_JSON, headers=headers)


def _first_line(exc: BaseException, limit: int = 500) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:limit] if text else type(exc).__name__


async def _iplayout_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IplayoutError)
    status, slug, title = classify(exc)
    if status >= 500:
        log.warning("%s %s -> %d: %s", request.method, request.url.path, status, _first_line(exc))
    return problem_response(request, status, slug, title, _first_line(exc))


async def _api_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return problem_response(request, exc.status, exc.slug, exc.title, exc.detail, exc.headers)


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
    return problem_response(request, exc.status_code, "", title, str(exc.detail or ""),
                            dict(exc.headers) if exc.headers else None)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
              for e in exc.errors()]
    detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:5])
    return problem_response(request, 422, "validation", "Invalid request", detail, errors=errors)


def install(app: FastAPI) -> None:
    app.add_exception_handler(IplayoutError, _iplayout_error)
    app.add_exception_handler(ApiProblem, _api_problem)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the problem statuses a route may return."""
    content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    names = {400: "Bad request", 401: "Missing or invalid API key", 403: "Forbidden", 404: "Not found",
             408: "Query timeout", 413: "Payload too large", 422: "Invalid request",
             501: "Feature not installed", 503: "Service unavailable"}
    return {s: {"description": names.get(s, "Problem"), "content": content} for s in statuses}
