"""Build the content of a district report or an industry report from the graph."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from iplayout.config import Settings
from iplayout.demo.region import load_region
from iplayout.errors import ReportError
from iplayout.graph.store import GraphStore
from iplayout.queries.runner import QueryRun
from iplayout.reports.choropleth import MapStyle, choropleth_svg, short_name
from iplayout.reports.maps import Gazetteer
from iplayout.reports.metrics import district_metric
from iplayout.reports.sections import TOP, MapFigure, Report, Table, optional, provenance, year_counts
from iplayout.reports.svgtext import inline_svg

SCHEME = "GBT4754-2017"


def resolve_district(run: QueryRun, settings: Settings, key: str) -> dict[str, Any]:
    """A district row by adcode, current name, short name (沙坪坝) or a former name (梁平县)."""
    rows = run.rows("report_districts")
    by_code = {str(r["adcode"]): r for r in rows}
    text = key.strip()
    gaz = Gazetteer(load_region(settings.region))
    code = gaz.resolve(text[:6] if text.isdigit() else None, None if text.isdigit() else text)
    if code is None:
        code = next((c for c, r in by_code.items() if short_name(str(r["name"])) == text), None)
    if code is None or code not in by_code:
        raise ReportError(f"no district {key!r} in the graph; give a 6-digit adcode or a name such as "
                          f"{rows[0]['name'] if rows else '渝中区'}")
    return by_code[code]


def _map(store: GraphStore, geojson: Mapping[str, Any], metric: str, title: str,
         highlight: str | None = None, year: int | None = None) -> tuple[MapFigure, list[str]]:
    m = district_metric(store, metric, year)
    svg = choropleth_svg(m.values, title, m.legend, geojson=geojson, style=MapStyle(labels=True, highlight=highlight))
    prefix = "map-" + re.sub(r"[^0-9A-Za-z]+", "-", metric) + "-"
    return MapFigure(title, metric, inline_svg(svg, prefix)), m.queries


def _chain_table(store: GraphStore, adcode: str) -> Table:
    from iplayout.queries.chains import ChainOptions, chains

    def build() -> Table:
        frame = chains(store, ChainOptions(scope=(adcode,))).frame()
        return Table.of("Industry-chain coverage 产业链覆盖", frame, ["chain_name", "link_name", "position", "patents",
                                                                   "share_of_chain", "ratio_to_benchmark", "flags"])
    return optional("Industry-chain coverage 产业链覆盖", build)


def _catalog_table(store: GraphStore, column: str, value: str) -> Table:
    from iplayout.queries.catalog import catalog

    def build() -> Table:
        frame = catalog(store).frame()
        frame = frame[frame[column] == value] if len(frame) else frame
        cols = ["adcode", "industry", "category", "rank", "score", "evidence"]
        return Table.of("Guidance catalogue 指导目录", frame, cols)
    return optional("Guidance catalogue 指导目录", build)


def _evaluation_table(store: GraphStore, adcode: str) -> Table:
    from iplayout.queries.evaluate import evaluate

    def build() -> Table:
        frame = pd.DataFrame(evaluate(store).rows)
        frame = frame[frame["adcode"] == adcode] if len(frame) else frame
        cols = ["year", "U_ip", "U_innovation", "U_industry", "C", "T", "D", "grade", "rank"]
        return Table.of("Coordination (IP x innovation x industry) 耦合协调", frame, cols)
    return optional("Coordination (IP x innovation x industry) 耦合协调", build)


def district_report(store: GraphStore, settings: Settings, key: str, geojson: Mapping[str, Any]) -> Report:
    run = QueryRun(store)
    d = resolve_district(run, settings, key)
    adcode, name = str(d["adcode"]), str(d["name"])
    zones = run.frame("report_district_zones", {"adcode": adcode}, columns=["zone", "scheme", "name"])
    fig1, q1 = _map(store, geojson, "patents", f"专利申请 Patents by district — {name} outlined", adcode)
    fig2, q2 = _map(store, geojson, "patents_per_10k", "每万人专利 Patents per 10k residents", adcode)
    tables = [
        Table.of("Documents by year 年度数量", year_counts(run, adcode)),
        Table.of("Top organisations 主要创新主体", run.frame(
            "report_district_top_orgs", {"adcode": adcode, "limit": TOP}, ["id", "name", "kind", "patents"])),
        Table.of("Top technologies 主要技术领域", run.frame(
            "report_district_top_technologies", {"adcode": adcode, "limit": TOP}, ["id", "code", "name", "patents"])),
        _evaluation_table(store, adcode),
        _chain_table(store, adcode),
        _catalog_table(store, "adcode", adcode),
    ]
    facts = {"adcode": adcode, "name": name, "type": d.get("type"),
             "zones": "; ".join(str(z) for z in zones["name"].dropna())}
    prov = provenance(run, store.engine, str(geojson.get("source") or ""))
    return Report("district", adcode, f"{name} 知识产权布局报告", f"District IP layout report · {adcode}", facts,
                  [fig1, fig2], tables, prov, list(dict.fromkeys([*run.used, *q1, *q2])))


def _industry_row(run: QueryRun, industry: str) -> dict[str, Any]:
    rows = run.rows("report_industry", {"industry": industry})
    if not rows:
        known = run.frame("density_industries", {"scheme": SCHEME}, columns=["industry"])["industry"].head(6)
        raise ReportError(f"no industry {industry!r} in the graph; e.g. {', '.join(map(str, known))}")
    return rows[0]


def _matching_rows(store: GraphStore, industry: str) -> Table:
    from iplayout.reports.matching import matching_frame

    def build() -> Table:
        frame = matching_frame(store)
        frame = frame[frame["industry"] == industry].sort_values("D", ascending=False) if len(frame) else frame
        cols = ["adcode", "district", "patents", "papers", "enterprises", "D", "grade"]
        return Table.of("Resource matching by district 资源匹配", frame.head(TOP), cols)
    return optional("Resource matching by district 资源匹配", build)


def industry_report(store: GraphStore, settings: Settings, industry: str, geojson: Mapping[str, Any]) -> Report:
    run = QueryRun(store)
    ind = _industry_row(run, industry)
    name = str(ind.get("name") or industry)
    fig, q = _map(store, geojson, f"industry:{industry}", f"{name} 专利分布 Patents by district")
    per = run.frame("report_industry_district_year", {"industry": industry}, ["adcode", "year", "patents"])
    per["patents"] = pd.to_numeric(per["patents"], errors="coerce")
    by_year = per.groupby("year", as_index=False)["patents"].sum() if len(per) else per[["year", "patents"]]
    names = {str(r["adcode"]): r["name"] for r in run.rows("report_districts")}
    by_district = per.groupby("adcode", as_index=False)["patents"].sum().sort_values(
        ["patents", "adcode"], ascending=[False, True]).head(TOP) if len(per) else per[["adcode", "patents"]]
    by_district = by_district.assign(district=by_district["adcode"].map(names))
    tables = [
        Table.of("Patents by year 年度专利", by_year),
        Table.of("Top districts 主要区县", by_district, ["adcode", "district", "patents"]),
        Table.of("Top organisations 主要创新主体", run.frame(
            "report_industry_top_orgs", {"industry": industry, "limit": TOP}, ["id", "name", "kind", "district",
                                                                             "patents"])),
        Table.of("Top technologies 主要技术领域", run.frame(
            "report_industry_top_technologies", {"industry": industry, "limit": TOP}, ["id", "code", "name",
                                                                                     "patents"])),
        _matching_rows(store, industry),
        _catalog_table(store, "industry", industry),
    ]
    facts = {"industry": industry, "name": name, "code": ind.get("code"), "scheme": ind.get("scheme")}
    prov = provenance(run, store.engine, str(geojson.get("source") or ""))
    return Report("industry", industry, f"{name} 产业知识产权报告", f"Industry IP report · {industry}", facts, [fig],
                  tables, prov, list(dict.fromkeys([*run.used, *q])))
