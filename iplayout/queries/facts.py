"""Shared loaders: patent facts, districts, statistics, year windows (used by several analyses)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from iplayout.queries.runner import QueryRun

PATENT_COLS = ["adcode", "year", "kind", "legal_status", "in_force", "patents", "family_size_sum",
               "family_size_n", "claims_sum", "claims_n"]
GRANTED = frozenset({"granted", "grant", "授权", "有效", "valid", "expired", "失效"})


@dataclass(frozen=True)
class Window:
    """Inclusive application-year window; None = open."""

    year_from: int | None = None
    year_to: int | None = None

    def apply(self, frame: pd.DataFrame, column: str = "year") -> pd.DataFrame:
        if frame.empty or column not in frame.columns:
            return frame
        years = pd.to_numeric(frame[column], errors="coerce")
        keep = years.notna()
        if self.year_from is not None:
            keep &= years >= self.year_from
        if self.year_to is not None:
            keep &= years <= self.year_to
        return frame[keep].copy()

    def as_dict(self) -> dict[str, Any]:
        return {"year_from": self.year_from, "year_to": self.year_to}


def districts(run: QueryRun) -> pd.DataFrame:
    """adcode, district, zone, zone_name: one row per district (first zone by id when several)."""
    d = run.frame("density_districts", columns=["adcode", "district", "zone", "zone_scheme", "zone_name"])
    if d.empty:
        return pd.DataFrame(columns=["adcode", "district", "zone", "zone_name"])
    d = d.sort_values(["adcode", "zone"], na_position="last").drop_duplicates("adcode")
    return d[["adcode", "district", "zone", "zone_name"]].reset_index(drop=True)


def patent_facts(run: QueryRun, window: Window) -> pd.DataFrame:
    f = window.apply(run.frame("density_patents_district_year", columns=PATENT_COLS))
    for col in ("patents", "family_size_sum", "family_size_n", "claims_sum", "claims_n"):
        f[col] = pd.to_numeric(f[col], errors="coerce").fillna(0.0)
    return f


def quality(facts: pd.DataFrame, keys: list[str], granted: frozenset[str] = GRANTED) -> pd.DataFrame:
    """Counts by kind and the quality indicators per ``keys`` group."""
    f = facts.assign(
        invention=np.where(facts["kind"] == "invention", facts["patents"], 0.0),
        utility=np.where(facts["kind"] == "utility", facts["patents"], 0.0),
        design=np.where(facts["kind"] == "design", facts["patents"], 0.0),
        granted=np.where(facts["legal_status"].isin(granted), facts["patents"], 0.0),
        status_known=np.where(facts["legal_status"].notna(), facts["patents"], 0.0),
        in_force_n=np.where(facts["in_force"] == True, facts["patents"], 0.0),  # noqa: E712
        force_known=np.where(facts["in_force"].notna(), facts["patents"], 0.0),
    )
    cols = ["patents", "invention", "utility", "design", "granted", "status_known", "in_force_n", "force_known",
            "family_size_sum", "family_size_n", "claims_sum", "claims_n"]
    g = f.groupby(keys, sort=True)[cols].sum().reset_index()
    g["invention_share"] = _ratio(g["invention"], g["patents"])
    g["grant_rate"] = _ratio(g["granted"], g["status_known"])
    g["in_force_share"] = _ratio(g["in_force_n"], g["force_known"])
    g["family_size_mean"] = _ratio(g["family_size_sum"], g["family_size_n"])
    g["claims_mean"] = _ratio(g["claims_sum"], g["claims_n"])
    return g.drop(columns=["status_known", "in_force_n", "force_known", "family_size_sum", "family_size_n",
                           "claims_sum", "claims_n"])


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).astype(float)


def observations(run: QueryRun, window: Window) -> pd.DataFrame:
    obs = run.frame("density_observations", columns=["adcode", "year", "metric", "value", "unit"])
    obs["value"] = pd.to_numeric(obs["value"], errors="coerce")
    return window.apply(obs)


def latest_metric(obs: pd.DataFrame, metric: str, per: dict[str, float] | None = None) -> pd.Series:
    """The latest value of ``metric`` per district (divided by ``per[unit]`` when given)."""
    sub = obs[obs["metric"] == metric].dropna(subset=["value"])
    if sub.empty:
        return pd.Series(dtype=float, name=metric)
    sub = sub.sort_values(["adcode", "year"]).drop_duplicates("adcode", keep="last")
    values = sub["value"].astype(float)
    if per:
        values = values / sub["unit"].map(lambda u: float(per.get(str(u), 1.0)))
    return pd.Series(values.to_numpy(), index=sub["adcode"].to_numpy(), name=metric)


def metric_panel(obs: pd.DataFrame) -> pd.DataFrame:
    """Observations as adcode x year rows with one column per metric."""
    if obs.empty:
        return pd.DataFrame(columns=["adcode", "year"])
    return obs.pivot_table(index=["adcode", "year"], columns="metric", values="value", aggfunc="sum").reset_index()


def growth_table(counts: pd.DataFrame, keys: list[str], value: str = "patents") -> pd.DataFrame:
    """Per ``keys`` group: first/last year, CAGR over the span and last year-on-year growth."""
    from iplayout.queries.indices import cagr, growth_rate

    rows = []
    for key, g in counts.groupby(keys, sort=True):
        series = g.groupby("year")[value].sum().sort_index()
        series.index = series.index.astype(int)
        if not series.empty:
            series = series.reindex(range(int(series.index[0]), int(series.index[-1]) + 1), fill_value=0.0)
        key_t = key if isinstance(key, tuple) else (key,)
        years = series.index.astype(int).tolist()
        row = dict(zip(keys, key_t, strict=True))
        if len(years) >= 2:
            row.update(cagr=cagr(float(series.iloc[0]), float(series.iloc[-1]), years[-1] - years[0]),
                       growth_last=growth_rate(float(series.iloc[-2]), float(series.iloc[-1])))
        else:
            row.update(cagr=float("nan"), growth_last=float("nan"))
        rows.append(row)
    return pd.DataFrame(rows, columns=[*keys, "cagr", "growth_last"])
