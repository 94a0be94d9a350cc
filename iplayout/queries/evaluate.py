"""``analyze evaluate``: IP / innovation / industry subsystems per district, weights from the
indicator YAML, coupling C, comprehensive index T, coordination D and grade; static (one year) and
dynamic (every year); the district x industry resource matching table and industry ranks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from iplayout.errors import AnalysisError
from iplayout.graph.store import GraphStore
from iplayout.queries import facts, ip_types
from iplayout.queries.ccd import coordination
from iplayout.queries.density import DOC_QUERIES
from iplayout.queries.indicator_system import IndicatorSystem, load_system, normalise, subsystem_weights
from iplayout.queries.results import AnalysisResult, records
from iplayout.queries.rules import load_yaml
from iplayout.queries.runner import QueryRun
from iplayout.queries.weighting import minmax

FLOOR = 0.01  # matching table: normalised resources live in [0.01, 1] so one empty resource is not a hard 0


@dataclass(frozen=True)
class EvaluateOptions:
    indicators: Path | None = None
    year: int | None = None  # static year; default the latest year of the panel
    window: facts.Window = facts.Window()
    variant: str | None = None  # overrides the YAML
    scheme: str = "GBT4754-2017"
    rules: Path | None = None
    ip_type: str = "patents"  # what the matching table's IP resource counts: patents | trademarks | all


def evaluate(store: GraphStore, opts: EvaluateOptions = EvaluateOptions()) -> AnalysisResult:
    run = QueryRun(store)
    system = load_system(opts.indicators)
    variant = opts.variant or system.variant
    stats_cfg = load_yaml(opts.rules, "rules.yaml").get("statistics", {})
    panel = build_panel(run, opts.window, stats_cfg, system)
    if panel.empty:
        raise AnalysisError("no district-year data to evaluate (no patents or statistics in the window)")
    norm, dropped = normalise(panel, system)
    weights = {s: subsystem_weights(norm, system, s) for s in system.subsystems}
    scored = score(norm, system, weights, variant)
    scored = facts.districts(run)[["adcode", "district"]].merge(scored, on="adcode", how="right")
    year = opts.year if opts.year is not None else int(scored["year"].max())
    static = scored[scored["year"] == year].copy()
    if static.empty:
        raise AnalysisError(f"no data for year {year}; years available: {sorted(scored['year'].unique())}")
    static["rank"] = static["D"].rank(ascending=False, method="min").astype(int)
    weight_rows = [{"subsystem": s, "indicator": k, "weight": v, "method": system.weights}
                   for s, ws in weights.items() for k, v in ws.items()]
    matching, industries = matching_table(run, opts, variant)
    tables = {"dynamic": records(scored), "change": records(change_table(scored)), "weights": records(
        pd.DataFrame(weight_rows)), "matching": records(matching), "industries": records(industries)}
    params = {"indicator_system": system.name, "variant": variant, "weights": system.weights, "year": year,
              "dropped_indicators": dropped, **opts.window.as_dict(), "scheme": opts.scheme,
              "ip_type": opts.ip_type, "ip_types_counted": list(ip_types.check(opts.ip_type))}
    return AnalysisResult("evaluate", records(static.sort_values(["rank", "adcode"])), run.used, params, tables)


def build_panel(run: QueryRun, window: facts.Window, stats_cfg: dict[str, object],
                system: IndicatorSystem) -> pd.DataFrame:
    """adcode x year with every graph indicator and every statistic."""
    pat = facts.patent_facts(run, window)
    graph = facts.quality(pat, ["adcode", "year"]) if not pat.empty else pd.DataFrame(columns=["adcode", "year"])
    cites = window.apply(run.frame("density_citations_district_year", columns=["adcode", "year", "citations"]))
    graph = graph.merge(cites, on=["adcode", "year"], how="outer")
    for name, col, _doc in DOC_QUERIES:
        graph = graph.merge(window.apply(run.frame(name, columns=["adcode", "year", col])), on=["adcode", "year"],
                            how="outer")
    marks = window.apply(run.frame("density_trademarks_district_year", columns=["adcode", "year", "trademarks"]))
    graph = graph.merge(marks[["adcode", "year", "trademarks"]], on=["adcode", "year"], how="outer")
    obs = facts.observations(run, window)
    # Yearbook spellings of IP statistics (软件著作权登记量 ...) answer to their documented names.
    obs["metric"] = [ip_types.metric_of(m) or m for m in obs["metric"]]
    stats = facts.metric_panel(obs)
    uses_stats = any(i.source == "stat" for i in system.indicators)
    panel = stats.merge(graph, on=["adcode", "year"], how="left" if uses_stats and not stats.empty else "outer")
    counts = [c for c in ("patents", "citations", "papers", "standards", "policies", "trademarks") if c in panel]
    panel[counts] = panel[counts].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    pop_metric = str(stats_cfg.get("population_metric", "population"))
    if pop_metric in panel and "patents" in panel:
        per = pd.to_numeric(panel[pop_metric]).where(panel[pop_metric] > 0)
        panel["patents_per_10k"] = panel["patents"] / per
        if "trademarks" in panel:
            panel["trademarks_per_10k"] = panel["trademarks"] / per
    panel["year"] = panel["year"].astype(int)
    return panel.sort_values(["adcode", "year"]).reset_index(drop=True)


def score(norm: pd.DataFrame, system: IndicatorSystem, weights: dict[str, dict[str, float]],
          variant: str) -> pd.DataFrame:
    """Subsystem scores U_<subsystem>, then C, T, D and grade per district-year."""
    out = norm[["adcode", "year"]].copy()
    subs = [s for s in system.subsystems if weights.get(s)]
    if len(subs) < 2:
        raise AnalysisError("fewer than two subsystems have data; check the indicator system and statistics")
    for s in subs:
        w = weights[s]
        out[f"U_{s}"] = norm[list(w)].to_numpy(dtype=float) @ np.asarray(list(w.values()))
    t_weights = [system.subsystem_weights.get(s, 1.0) for s in subs]
    ccd = coordination(out[[f"U_{s}" for s in subs]].to_numpy(dtype=float), variant, t_weights)  # type: ignore[arg-type]
    return pd.concat([out.reset_index(drop=True), ccd], axis=1)


def change_table(scored: pd.DataFrame) -> pd.DataFrame:
    """Per district: D in the first and last year, the change, and the grade movement."""
    rows = []
    for adcode, g in scored.sort_values("year").groupby("adcode", sort=True):
        first, last = g.iloc[0], g.iloc[-1]
        rows.append({"adcode": adcode, "district": last.get("district"), "year_first": int(first["year"]),
                     "year_last": int(last["year"]), "D_first": first["D"], "D_last": last["D"],
                     "D_change": last["D"] - first["D"], "grade_first": first["grade"], "grade_last": last["grade"],
                     "trend": "up" if last["D"] > first["D"] + 1e-9 else "down" if last["D"] < first["D"] - 1e-9
                     else "flat"})
    return pd.DataFrame(rows)


def matching_table(run: QueryRun, opts: EvaluateOptions, variant: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """district x industry: IP (patents, or the items of ``opts.ip_type``), innovation (papers), industry
    (local enterprises) -> D."""
    p = {"scheme": opts.scheme}
    cells = opts.window.apply(ip_types.frame(run, "density_patents_district_industry_year", opts.ip_type, p,
                                             ["adcode", "industry", "year", "kind", "patents"]))
    ip = cells.groupby(["adcode", "industry"], as_index=False)["patents"].sum() if not cells.empty \
        else pd.DataFrame(columns=["adcode", "industry", "patents"])
    papers = run.frame("eval_papers_district_industry", p, columns=["adcode", "industry", "papers"])
    firms = run.frame("eval_enterprises_district_industry", p, columns=["adcode", "industry", "enterprises"])
    m = ip.merge(papers, on=["adcode", "industry"], how="outer").merge(firms, on=["adcode", "industry"], how="outer")
    res = ["patents", "papers", "enterprises"]
    m[res] = m[res].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    m = m.sort_values(["adcode", "industry"]).reset_index(drop=True)
    if opts.ip_type != "patents":
        m, res = m.rename(columns={"patents": "ip_items"}), ["ip_items", "papers", "enterprises"]
    ind = m.groupby("industry", as_index=False)[res].sum()
    return _match(m, res, variant), _match(ind, res, variant).assign(
        rank=lambda f: f["D"].rank(ascending=False, method="min").astype(int) if len(f) else [])


def _match(frame: pd.DataFrame, res: list[str], variant: str) -> pd.DataFrame:
    if frame.empty:
        return frame.assign(U_ip=[], U_innovation=[], U_industry=[], C=[], T=[], D=[], grade=[])
    u = np.column_stack([FLOOR + (1 - FLOOR) * minmax(frame[c].to_numpy(dtype=float)) for c in res])
    out = frame.assign(U_ip=u[:, 0], U_innovation=u[:, 1], U_industry=u[:, 2]).reset_index(drop=True)
    ccd = coordination(u, variant)[["C", "T", "D", "grade"]]  # type: ignore[arg-type]
    return pd.concat([out, ccd], axis=1)
