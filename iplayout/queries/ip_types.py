"""Which IP types an analysis counts (``--ip-type patents|trademarks|all``) and the IP statistics
(copyrights, layout designs, plant varieties, registered trademarks) read from Observations.

Patent queries are named ``density_patents_*`` (density_queries.py); each has a trademark counterpart
``density_trademarks_*`` (trademark_queries.py) with the same columns, the count column named after
its type. ``frame`` runs the ones the type asks for and returns them under the caller's column names,
so an analysis counts "IP items" of the chosen types without knowing which.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from iplayout.errors import AnalysisError
from iplayout.queries.runner import QueryRun

IP_TYPES: dict[str, tuple[str, ...]] = {
    "patents": ("patents",),
    "trademarks": ("trademarks",),
    "all": ("patents", "trademarks"),
}
# Patent query -> its trademark counterpart (same columns but the count).
_TRADEMARK_QUERY = {
    "density_patents_district_industry_year": "density_trademarks_district_industry_year",
    "density_patents_region_industry_year": "density_trademarks_region_industry_year",
    "density_patents_industry_all": "density_trademarks_industry_all",
    "density_holders_industry": "density_trademarks_holders_industry",
    "monitor_holders_district_year": "monitor_trademarks_holders_district_year",
    "monitor_tech_district_year": "monitor_trademarks_tech_district_year",
    "benchmark_patent_places": "benchmark_trademark_places",
    "benchmark_industry_places": "benchmark_trademark_industry_places",
}
COUNT_COLUMN = "patents"  # the count column of the patent queries, which callers keep using

# Documented Observation metric names of IP counted only as statistics, with the spellings of
# yearbooks and bulletins that mean the same count (matched after trimming; case-insensitive).
IP_METRICS: dict[str, tuple[str, ...]] = {
    "ip_trademarks_registered": ("ip_trademarks_registered", "有效注册商标", "有效注册商标量", "有效注册商标总量",
                                 "有效商标注册量", "registered trademarks"),
    "ip_copyrights_software": ("ip_copyrights_software", "软件著作权登记", "软件著作权登记量",
                               "计算机软件著作权登记", "计算机软件著作权登记量", "software copyrights"),
    "ip_copyrights_works": ("ip_copyrights_works", "作品著作权登记", "作品登记", "作品登记量", "普通作品登记",
                            "copyright registrations"),
    "ip_layout_designs": ("ip_layout_designs", "集成电路布图设计登记", "集成电路布图设计登记量", "布图设计登记",
                          "布图设计登记量", "layout designs"),
    "ip_plant_varieties": ("ip_plant_varieties", "植物新品种权", "植物新品种权授权", "植物新品种权授权量",
                           "植物新品种授权量", "plant variety rights"),
    "ip_geographical_indications": ("ip_geographical_indications", "地理标志", "地理标志总量",
                                    "地理标志商标", "geographical indications"),
}
_METRIC_OF = {alias.strip().lower(): name for name, aliases in IP_METRICS.items() for alias in aliases}


def check(ip_type: str) -> tuple[str, ...]:
    """The types ``ip_type`` counts; a clear error for anything else."""
    try:
        return IP_TYPES[ip_type]
    except KeyError:
        raise AnalysisError(f"--ip-type must be one of {', '.join(IP_TYPES)} (got {ip_type!r})") from None


def stack(run: QueryRun, name: str, ip_type: str, params: Mapping[str, Any] | None,
          columns: list[str]) -> pd.DataFrame:
    """Rows of patent query ``name``, of its trademark counterpart, or of both one after the other,
    under ``columns`` (whose count column is ``patents``)."""
    parts = []
    for kind in check(ip_type):
        if kind == "patents":
            parts.append(run.frame(name, params, columns=columns))
            continue
        tm_columns = [("trademarks" if c == COUNT_COLUMN else c) for c in columns]
        part = run.frame(_TRADEMARK_QUERY[name], params, columns=tm_columns)
        parts.append(part.rename(columns={"trademarks": COUNT_COLUMN}))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=columns)
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)[columns]


def frame(run: QueryRun, name: str, ip_type: str, params: dict[str, Any] | None,
          columns: list[str]) -> pd.DataFrame:
    """As ``stack``, with one row per key: for both types the counts of equal keys are added (a holder
    or an industry counted in both types adds up, never appears twice)."""
    both = stack(run, name, ip_type, params, columns)
    if len(check(ip_type)) == 1 or both.empty:
        return both
    both[COUNT_COLUMN] = pd.to_numeric(both[COUNT_COLUMN])
    keys = [c for c in columns if c != COUNT_COLUMN]
    return both.groupby(keys, dropna=False, as_index=False)[COUNT_COLUMN].sum()[columns]


def unit(ip_type: str) -> str:
    """What the counts of ``ip_type`` are called in messages and benchmark tables."""
    check(ip_type)
    return {"patents": "patents", "trademarks": "trademarks"}.get(ip_type, "ip_items")


def district_year_items(run: QueryRun, window: Any, ip_type: str) -> pd.DataFrame:
    """adcode, year, ip_items: the chosen types' items per district and year (full counting)."""
    parts = []
    for kind in check(ip_type):
        name, col = (("density_patents_district_year", "patents") if kind == "patents"
                     else ("density_trademarks_district_year", "trademarks"))
        part = window.apply(run.frame(name, columns=["adcode", "year", col]))
        if not part.empty:
            parts.append(part[["adcode", "year", col]].rename(columns={col: "ip_items"}))
    if not parts:
        return pd.DataFrame(columns=["adcode", "year", "ip_items"])
    both = pd.concat(parts, ignore_index=True)
    both["ip_items"] = pd.to_numeric(both["ip_items"]).astype(float)
    return both.groupby(["adcode", "year"], as_index=False)["ip_items"].sum()


def metric_of(metric: str) -> str | None:
    """The documented IP metric a statistics metric name stands for, if any."""
    return _METRIC_OF.get(str(metric).strip().lower())


def ip_statistics(obs: pd.DataFrame) -> pd.DataFrame:
    """adcode x documented IP metric: the latest year's value of each (from ``facts.observations``)."""
    if obs.empty:
        return pd.DataFrame(columns=["adcode"])
    named = obs.assign(ip_metric=obs["metric"].map(metric_of)).dropna(subset=["ip_metric", "value"])
    if named.empty:
        return pd.DataFrame(columns=["adcode"])
    latest = named.sort_values(["adcode", "ip_metric", "year"]).drop_duplicates(["adcode", "ip_metric"], keep="last")
    return latest.pivot_table(index="adcode", columns="ip_metric", values="value", aggfunc="sum").reset_index()


def district_columns(run: QueryRun, window: Any, ip_type: str, dist: pd.DataFrame) -> pd.DataFrame:
    """Trademark counts (and per 10k residents), the chosen types' total ``ip_items`` and the IP
    statistics of each district, added to the district table."""
    types = check(ip_type)
    marks = window.apply(run.frame("density_trademarks_district_year",
                                   columns=["adcode", "year", "trademarks", "trademarks_in_force"]))
    sums = marks.groupby("adcode")[["trademarks", "trademarks_in_force"]].sum() if not marks.empty else None
    out = dist.copy()
    for col in ("trademarks", "trademarks_in_force"):
        out[col] = out["adcode"].map(sums[col]).fillna(0.0).astype(float) if sums is not None else 0.0
    per = out["population_10k"].where(out["population_10k"] > 0) if "population_10k" in out else None
    if per is not None:
        out["trademarks_per_10k"] = out["trademarks"] / per
    if types != ("patents",):
        out["ip_items"] = sum((out[t].astype(float) for t in types), pd.Series(0.0, index=out.index))
        if per is not None:
            out["ip_items_per_10k"] = out["ip_items"] / per
    stats = ip_statistics(window.apply(_observations(run)))
    return out.merge(stats, on="adcode", how="left") if len(stats.columns) > 1 else out


def _observations(run: QueryRun) -> pd.DataFrame:
    obs = run.frame("density_observations", columns=["adcode", "year", "metric", "value", "unit"])
    obs["value"] = pd.to_numeric(obs["value"], errors="coerce")
    return obs
