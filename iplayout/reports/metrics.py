"""District values for maps: document counts, patents per 10k residents, coordination degree D,
any statistic (Observation metric) and an industry's patents. Each comes with its legend text."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from iplayout.errors import AnalysisError, ReportError
from iplayout.graph.store import GraphStore
from iplayout.queries import facts
from iplayout.queries.runner import QueryRun

COUNT_QUERIES = {
    "patents": ("density_patents_district_year", "patents"),
    "papers": ("density_papers_district_year", "papers"),
    "standards": ("density_standards_district_year", "standards"),
    "policies": ("density_policies_district_year", "policies"),
}
DERIVED = ("patents_per_10k", "coordination")
INDUSTRY_PREFIX = "industry:"


@dataclass(frozen=True)
class DistrictMetric:
    metric: str
    year: int | None
    legend: str
    values: dict[str, float | None]
    queries: list[str]


def known_metrics() -> list[str]:
    return [*COUNT_QUERIES, *DERIVED, "<statistic e.g. population, gdp>", f"{INDUSTRY_PREFIX}<industry id>"]


def _window(year: int | None) -> facts.Window:
    return facts.Window(year, year)


def _counts(run: QueryRun, metric: str, year: int | None) -> dict[str, float | None]:
    name, col = COUNT_QUERIES[metric]
    frame = _window(year).apply(run.frame(name, columns=["adcode", "year", col]))
    totals = pd.to_numeric(frame[col], errors="coerce").groupby(frame["adcode"]).sum()
    codes = facts.districts(run)["adcode"]
    return {str(c): float(totals.get(c, 0.0)) for c in codes}


def _per_10k(run: QueryRun, year: int | None) -> dict[str, float | None]:
    from iplayout.queries.density import district_indicators
    from iplayout.queries.rules import load_yaml

    stats_cfg = load_yaml(None, "rules.yaml").get("statistics", {})
    frame = district_indicators(run, _window(year), stats_cfg)
    return {str(r.adcode): _num(r.patents_per_10k) for r in frame.itertuples()}


def _coordination(store: GraphStore, year: int | None) -> tuple[dict[str, float | None], list[str]]:
    from iplayout.queries.evaluate import EvaluateOptions, evaluate

    try:
        result = evaluate(store, EvaluateOptions(year=year))
    except AnalysisError as exc:
        raise ReportError(f"coordination degree unavailable: {exc}") from exc
    return {str(r["adcode"]): _num(r.get("D")) for r in result.rows}, result.queries


def _statistic(run: QueryRun, metric: str, year: int | None) -> tuple[dict[str, float | None], str, int]:
    obs = run.frame("density_observations", columns=["adcode", "year", "metric", "value", "unit"])
    rows = obs[obs["metric"] == metric]
    if rows.empty:
        names = sorted(obs["metric"].dropna().unique())
        raise ReportError(f"unknown metric {metric!r}; try one of {', '.join([*COUNT_QUERIES, *DERIVED, *names])}")
    chosen = int(year) if year is not None else int(pd.to_numeric(rows["year"]).max())
    rows = rows[pd.to_numeric(rows["year"]) == chosen]
    unit = str(rows["unit"].dropna().iloc[0]) if rows["unit"].notna().any() else ""
    return {str(r.adcode): _num(r.value) for r in rows.itertuples()}, unit, chosen


def _industry(run: QueryRun, industry: str, year: int | None) -> dict[str, float | None]:
    frame = _window(year).apply(run.frame("report_industry_district_year", {"industry": industry},
                                          columns=["adcode", "year", "patents"]))
    totals = pd.to_numeric(frame["patents"], errors="coerce").groupby(frame["adcode"]).sum()
    return {str(c): float(totals.get(c, 0.0)) for c in facts.districts(run)["adcode"]}


def _num(value: object) -> float | None:
    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) else float(number)


def district_metric(store: GraphStore, metric: str, year: int | None = None) -> DistrictMetric:
    """Values per district adcode for ``metric`` (see ``known_metrics``); None where there is no value."""
    run = QueryRun(store)
    suffix = f" ({year})" if year is not None else ""
    if metric in COUNT_QUERIES:
        return DistrictMetric(metric, year, f"{metric}{suffix}", _counts(run, metric, year), run.used)
    if metric == "patents_per_10k":
        return DistrictMetric(metric, year, f"patents per 10k residents{suffix}", _per_10k(run, year), run.used)
    if metric == "coordination":
        values, used = _coordination(store, year)
        return DistrictMetric(metric, year, f"coordination degree D{suffix}", values, used)
    if metric.startswith(INDUSTRY_PREFIX):
        industry = metric[len(INDUSTRY_PREFIX):]
        return DistrictMetric(metric, year, f"{industry} patents{suffix}", _industry(run, industry, year), run.used)
    values, unit, chosen = _statistic(run, metric, year)
    legend = f"{metric} ({chosen})" + (f", {unit}" if unit else "")
    return DistrictMetric(metric, chosen, legend, values, run.used)
