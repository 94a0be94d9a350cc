"""Liveness (``/health``) and readiness (``/ready``: the graph answers and the search index loads)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from iplayout import __version__
from iplayout.api.deps import ServicesDep
from iplayout.api.problems import ApiProblem, problem_responses
from iplayout.errors import GraphError, SearchError

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str


class Ready(BaseModel):
    status: str
    engine: str
    districts: int
    synthetic: bool = False  # the graph holds the generated demo corpus: clients must say so
    search: dict[str, Any]


@router.get("/health", response_model=Health, summary="Liveness: the process answers")
def health() -> Health:
    return Health(status="ok", version=__version__)


@router.get("/ready", response_model=Ready, responses=problem_responses(501, 503),
            summary="Readiness: the graph store answers and the search index loads")
def ready(services: ServicesDep) -> Ready:
    try:
        rows = services.store.run_named("district_count")
        synthetic = int(services.store.run_named("synthetic_documents")[0]["n"]) > 0
    except GraphError as exc:
        raise ApiProblem(503, "not-ready", "Graph store not ready", str(exc).splitlines()[0]) from exc
    try:
        stats = services.search().stats()
    except SearchError as exc:
        raise ApiProblem(503, "not-ready", "Search index not ready", str(exc).splitlines()[0]) from exc
    documents = int(stats.get("documents", 0) or 0)
    search = {"documents": documents, "model_id": stats.get("model_id"),
              "status": "ok" if documents else "empty"}
    districts = int(next(iter(rows[0].values()))) if rows else 0
    return Ready(status="ok", engine=services.store.engine, districts=districts, synthetic=synthetic, search=search)
