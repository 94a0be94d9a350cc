"""Read-only Cypher console and the saved named queries of ``iplayout.queries``.

``POST /cypher`` is the only place user text becomes Cypher: it goes through
``GraphStore.cypher_read``, which refuses write clauses and writing procedures before execution
and runs in a read transaction (Neo4j) or on a read-only handle (LadybugDB), with the row limit
and the time limit of the settings.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from iplayout.api.deps import ServicesDep
from iplayout.api.jsonsafe import json_safe
from iplayout.api.pagination import Limit, Offset, Page, page
from iplayout.api.problems import ApiProblem, problem_responses
from iplayout.errors import GraphError, QueryTimeout, ReadOnlyViolation

router = APIRouter(tags=["cypher"])

Scalar = str | int | float | bool | None
ParamValue = Scalar | list[Scalar] | dict[str, Scalar]


class CypherRequest(BaseModel):
    query: str = Field(min_length=1, max_length=20_000, description="one read-only Cypher statement")
    params: dict[str, ParamValue] = Field(default_factory=dict, max_length=100, description="$parameters")
    limit: int | None = Field(default=None, ge=1, description="rows to return (at most the server's row limit)")


class CypherResult(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    row_count: int
    truncated: bool = Field(description="more rows existed than the limit allowed")
    limit: int
    elapsed_ms: float


class NamedQueryInfo(BaseModel):
    name: str
    doc: str
    params: list[str]
    cypher: str


class NamedRequest(BaseModel):
    params: dict[str, ParamValue] = Field(default_factory=dict, max_length=100)


class NamedResult(Page[dict[str, Any]]):
    name: str


def _run(services: Any, fn: Any) -> list[dict[str, Any]]:
    """Run a read against the store; a query the engine rejects (syntax, types) is the client's error."""
    try:
        rows: list[dict[str, Any]] = fn()
    except (ReadOnlyViolation, QueryTimeout):
        raise
    except GraphError as exc:
        raise ApiProblem(400, "query-failed", "Query failed", str(exc).splitlines()[0][:500]) from exc
    return rows


@router.post("/cypher", response_model=CypherResult, responses=problem_responses(400, 401, 403, 408, 422),
             summary="Run read-only Cypher (writes are refused before execution)")
def cypher(services: ServicesDep, body: CypherRequest) -> CypherResult:
    cap = services.settings.query_row_limit
    limit = min(body.limit or cap, cap)
    t0 = time.perf_counter()
    rows = _run(services, lambda: services.store.cypher_read(body.query, body.params, limit=limit + 1,
                                                             timeout=services.settings.query_timeout_s))
    elapsed = (time.perf_counter() - t0) * 1000
    truncated = len(rows) > limit
    rows = [json_safe(r) for r in rows[:limit]]
    columns = list(rows[0]) if rows else []
    return CypherResult(columns=columns, rows=rows, row_count=len(rows), truncated=truncated, limit=limit,
                        elapsed_ms=round(elapsed, 1))


def _registry() -> dict[str, Any]:
    from iplayout.queries.registry import registry

    return {n: q for n, q in registry().items() if not q.write}


@router.get("/queries", response_model=Page[NamedQueryInfo], responses=problem_responses(401, 422),
            summary="Saved named queries (read-only) for the console")
def named_queries(limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    items = [NamedQueryInfo(name=q.name, doc=q.doc, params=list(q.params), cypher=q.cypher)
             for q in sorted(_registry().values(), key=lambda q: q.name)]
    return page(items, limit, offset)


@router.post("/queries/{name}", response_model=NamedResult, responses=problem_responses(400, 401, 404, 408, 422),
             summary="Run a saved named query with parameters (paged rows)")
def run_named(services: ServicesDep, name: Annotated[str, Path(max_length=80)], body: NamedRequest,
              limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    query = _registry().get(name)
    if query is None:
        raise ApiProblem(404, "not-found", "No such named query", f"no read-only named query {name!r}")
    missing = [p for p in query.params if p not in body.params]
    if missing:
        raise ApiProblem(422, "validation", "Invalid request", f"{name} needs params: {', '.join(missing)}")
    rows = _run(services, lambda: services.store.run_named(name, body.params))
    return page([json_safe(r) for r in rows], limit, offset) | {"name": name}
