"""District maps (GeoJSON, values per district, choropleth SVG) and district reports (HTML)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response

from iplayout.api.deps import Services, ServicesDep, StoreDep, optional_module
from iplayout.api.district_metrics import METRICS, IpType, Metric, MetricMap, district_values
from iplayout.api.problems import ApiProblem, FeatureMissing, problem_responses
from iplayout.queries import neighbourhood as graph_queries

router = APIRouter(tags=["maps"])

Year = Annotated[int | None, Query(ge=1900, le=2100)]
Industry = Annotated[str | None, Query(max_length=80, description="industry id (metric lq)")]
Chain = Annotated[str | None, Query(max_length=80, description="chain id (metric chain_coverage)")]
IpTypeQ = Annotated[IpType, Query(description="metrics density, patents, lq: patents | trademarks | all")]
GEOJSON = "application/geo+json"


def _reports(module: str, name: str) -> Any:
    func = getattr(optional_module(f"iplayout.reports.{module}", "maps and reports"), name, None)
    if func is None:
        raise FeatureMissing(f"reports.{name}", f"iplayout.reports.{module}")
    return func


def _geojson(services: Services) -> dict[str, Any]:
    func = _reports("maps", "district_geojson")
    geo: dict[str, Any] = services.cached(("district_geojson",), lambda: func(services.settings))
    return geo


@router.get("/maps/districts.geojson", responses={200: {"content": {GEOJSON: {}}}, **problem_responses(401, 422, 501)},
            response_class=Response, summary="District polygons (GeoJSON, properties adcode and name)")
def districts_geojson(services: ServicesDep) -> Response:
    import json

    body = json.dumps(_geojson(services), ensure_ascii=False, separators=(",", ":"))
    return Response(body, media_type=GEOJSON, headers={"Cache-Control": "max-age=3600"})


@router.get("/maps/values", response_model=MetricMap, responses=problem_responses(401, 422, 501),
            summary="One value per district for a map metric (all units of the region)")
def map_values(services: ServicesDep, metric: Metric = "density", year: Year = None, industry: Industry = None,
               chain: Chain = None, ip_type: IpTypeQ = "patents") -> MetricMap:
    return district_values(services, metric, year, industry, chain, ip_type)


@router.get("/maps/choropleth.svg", responses={200: {"content": {"image/svg+xml": {}}}, **problem_responses(401, 422, 501)},
            response_class=Response, summary="A district choropleth of one metric as SVG")
def choropleth(services: ServicesDep, metric: Metric = "density", year: Year = None, industry: Industry = None,
               chain: Chain = None, lang: Annotated[str, Query(pattern="^(zh|en)$")] = "zh",
               ip_type: IpTypeQ = "patents") -> Response:
    values = district_values(services, metric, year, industry, chain, ip_type)
    render = _reports("choropleth", "choropleth_svg")
    title = values.title_zh if lang == "zh" else values.title_en
    if values.year:
        title = f"{title} {values.year}"
    svg = render({v.adcode: v.value for v in values.items}, title, values.unit or METRICS[metric]["unit"] or title,
                 services.settings)
    return Response(svg, media_type="image/svg+xml")


def _report_html(services: Services, store: Any, kind: str, key: str) -> HTMLResponse:
    build = _reports("report", "build")
    render = _reports("report", "render_html")
    return HTMLResponse(render(build(store, services.settings, kind, key)))


@router.get("/reports/district/{adcode}", response_class=HTMLResponse,
            responses={200: {"content": {"text/html": {}}}, **problem_responses(401, 404, 422, 501)},
            summary="An HTML report for one district (maps, tables, catalogue)")
def district_report(services: ServicesDep, store: StoreDep,
                    adcode: Annotated[str, Path(pattern=r"^\d{6}$")]) -> HTMLResponse:
    if adcode not in services.district_names():
        raise ApiProblem(404, "not-found", "District not found", f"no district with adcode {adcode}")
    return _report_html(services, store, "district", adcode)


@router.get("/reports/industry/{industry_id}", response_class=HTMLResponse,
            responses={200: {"content": {"text/html": {}}}, **problem_responses(401, 404, 422, 501)},
            summary="An HTML report for one industry (map, matching table, catalogue)")
def industry_report(services: ServicesDep, store: StoreDep,
                    industry_id: Annotated[str, Path(min_length=1, max_length=80)]) -> HTMLResponse:
    rows = store.cypher_read(graph_queries.node_query("Industry"), {"key": industry_id}, limit=1)
    if not rows:
        raise ApiProblem(404, "not-found", "Industry not found", f"no industry {industry_id!r}")
    return _report_html(services, store, "industry", industry_id)
