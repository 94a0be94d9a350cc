"""Analytics: density, clusters, chains/gaps, evaluation, monitoring, catalogue (paged tables)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from iplayout.api.analytics_runner import run_analysis
from iplayout.api.deps import Services, ServicesDep
from iplayout.api.names import NameResolver
from iplayout.api.pagination import Limit, Offset, page
from iplayout.api.problems import ApiProblem, problem_responses

router = APIRouter(prefix="/analytics", tags=["analytics"])

Year = Annotated[int | None, Query(ge=1900, le=2100)]
Scheme = Annotated[str, Query(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.:\-]+$",
                              description="industry classification scheme")]
Table = Annotated[str | None, Query(max_length=40, description="a side table; default the main rows")]
RESPONSES = problem_responses(400, 401, 404, 422, 501)
# Populations in the graph only: a server never reads a table path from a request.
Benchmark = Annotated[str, Query(pattern=r"^(outside|graph|peer:\d{2,6})$",
                                 description="outside (the graph outside the region) | graph | peer:ADCODE")]
IpType = Annotated[Literal["patents", "trademarks", "all"],
                   Query(description="what industry tables count: patents | trademarks | all (docs/ip_types.md)")]


class AnalysisPage(BaseModel):
    analysis: str
    params: dict[str, Any]
    queries: list[str] = Field(description="named queries the analysis ran")
    table: str = Field(description="'rows' (main) or the side table returned")
    tables: list[str] = Field(description="side tables available")
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    next_offset: int | None = None


def _page(services: Services, result: Any, table: str | None, limit: int, offset: int) -> dict[str, Any]:
    if table and table != "rows" and table not in result.tables:
        raise ApiProblem(404, "not-found", "No such table",
                         f"{result.analysis} has tables: rows, {', '.join(result.tables) or '(none)'}")
    rows = result.rows if not table or table == "rows" else result.tables[table]
    body = result.as_dict()
    paged = page(rows, limit, offset)
    # Names next to the ids of this page only (one query per kind of id): see iplayout.api.names.
    paged["items"] = NameResolver(services).rows([dict(r) for r in paged["items"]])
    return paged | {"analysis": result.analysis, "params": body["params"],
                                        "queries": body["queries"], "table": table or "rows",
                                        "tables": list(result.tables)}


def _window(year_from: int | None, year_to: int | None) -> dict[str, Any]:
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ApiProblem(422, "validation", "Invalid request", "year_from is after year_to")
    return {"year_from": year_from, "year_to": year_to}


@router.get("/density", response_model=AnalysisPage, responses=RESPONSES,
            summary="IP density per district (main rows) and per district x industry (table cells, LQ)")
def density(services: ServicesDep, scheme: Scheme = "GBT4754-2017", year_from: Year = None, year_to: Year = None,
            benchmark: Benchmark = "outside", ip_type: IpType = "patents",
            table: Table = None, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    result = run_analysis(services, "density", scheme=scheme, benchmark=benchmark, ip_type=ip_type,
                          **_window(year_from, year_to))
    return _page(services, result, table, limit, offset)


@router.get("/clusters", response_model=AnalysisPage, responses=RESPONSES,
            summary="Leiden clusters of organisations / technologies on a graph projection")
def clusters(services: ServicesDep,
             projection: Literal["org_similarity", "coapplicant", "citation", "district_technology"] = "org_similarity",
             level: Literal["subclass", "main_group", "subgroup"] = "main_group",
             resolution: Annotated[float, Query(gt=0, le=10)] = 1.0,
             seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 42,
             min_size: Annotated[int, Query(ge=1, le=1000)] = 2,
             table: Table = None, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    result = run_analysis(services, "clusters", projection=projection, level=level, resolution=resolution,
                          seed=seed, min_size=min_size)
    return _page(services, result, table, limit, offset)


@router.get("/chains", response_model=AnalysisPage, responses=RESPONSES,
            summary="Industry-chain links: local coverage, benchmark ratio and gap flags")
def chains(services: ServicesDep,
           chain: Annotated[str | None, Query(max_length=80, description="one chain id; default all")] = None,
           scope: Annotated[list[str] | None, Query(max_length=50, description="adcodes or zone ids")] = None,
           benchmark: Benchmark = "outside", coverage: bool = False,
           table: Table = None, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Each row and flag names ``evidence_query`` + ``evidence_params``: run them with POST /queries/{name}."""
    result = run_analysis(services, "chains", chain=chain, scope=tuple(scope or ()), benchmark=benchmark,
                          coverage=coverage)
    return _page(services, result, table, limit, offset)


@router.get("/evaluate", response_model=AnalysisPage, responses=RESPONSES,
            summary="Coupling-coordination of IP, innovation and industry resources per district")
def evaluate(services: ServicesDep, year: Year = None, year_from: Year = None, year_to: Year = None,
             variant: Literal["standard", "wang2021", "fan2024"] | None = None, scheme: Scheme = "GBT4754-2017",
             ip_type: IpType = "patents",
             table: Table = None, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    result = run_analysis(services, "evaluate", year=year, variant=variant, scheme=scheme, ip_type=ip_type,
                          **_window(year_from, year_to))
    return _page(services, result, table, limit, offset)


@router.get("/monitor", response_model=AnalysisPage, responses=RESPONSES,
            summary="Yearly monitoring per district: growth, concentration, entrants, alerts")
def monitor(services: ServicesDep, year_from: Year = None, year_to: Year = None,
            level: Literal["section", "class", "subclass", "main_group", "subgroup"] = "main_group",
            min_patents: Annotated[int, Query(ge=1, le=10_000)] = 2, ip_type: IpType = "patents",
            table: Table = None, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    result = run_analysis(services, "monitor", level=level, min_patents=min_patents, ip_type=ip_type,
                          **_window(year_from, year_to))
    return _page(services, result, table, limit, offset)


@router.get("/catalog", response_model=AnalysisPage, responses=RESPONSES,
            summary="Draft guidance catalogue: industries to cultivate, strengthen or fill gaps in")
def catalog(services: ServicesDep, scheme: Scheme = "GBT4754-2017", year_from: Year = None, year_to: Year = None,
            top: Annotated[int, Query(ge=1, le=100)] = 10, benchmark: Benchmark = "outside",
            ip_type: IpType = "patents",
            table: Table = None, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    result = run_analysis(services, "catalog", scheme=scheme, top=top, benchmark=benchmark, ip_type=ip_type,
                          **_window(year_from, year_to))
    return _page(services, result, table, limit, offset)
