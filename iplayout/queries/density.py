"""``analyze density``: IP counts, per-capita density, specialisation, concentration, growth, quality,
IP-dense flags and the industry advantage profile."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from iplayout.graph.store import GraphStore
from iplayout.queries import facts, ip_types
from iplayout.queries.benchmark import (
    Populations,
    make_scope,
    parse_benchmark,
    populations,
    ratio,
    region_codes,
)
from iplayout.queries.indices import hhi, lq_table, shares
from iplayout.queries.results import AnalysisResult, records
from iplayout.queries.rules import apply_rules, combined_flag, load_yaml
from iplayout.queries.runner import QueryRun
from iplayout.queries.weighting import minmax
from iplayout.refdata.census import fill_population

CELL_COLS = ["adcode", "industry", "year", "kind", "patents"]
DOC_QUERIES = (("density_papers_district_year", "papers", "paper"),
               ("density_standards_district_year", "standards", "standard"),
               ("density_policies_district_year", "policies", "policy"))


@dataclass(frozen=True)
class DensityOptions:
    scheme: str = "GBT4754-2017"
    window: facts.Window = facts.Window()
    benchmark: str | Path | None = None  # outside (default) | graph | peer:ADCODE | table FILE (industry,patents)
    rules: Path | None = None
    reference_dir: Path | None = None  # $IPLAYOUT_HOME/reference: a user census table overrides the packaged one
    region: str | None = None  # the configured region (scope of the benchmark comparison)
    ip_type: str = "patents"  # patents | trademarks | all: what the industry tables count (ip_types.py)


def density(store: GraphStore, opts: DensityOptions = DensityOptions()) -> AnalysisResult:
    ip_types.check(opts.ip_type)
    run = QueryRun(store)
    cfg = load_yaml(opts.rules, "rules.yaml")
    dens_cfg, stats_cfg = cfg.get("density", {}), cfg.get("statistics", {})
    dist, population = fill_population(district_indicators(run, opts.window, stats_cfg), opts.reference_dir)
    dist["patents_per_10k"] = dist["patents"] / dist["population_10k"].where(dist["population_10k"] > 0)
    dist = ip_types.district_columns(run, opts.window, opts.ip_type, dist)
    pops = industry_populations(run, opts)
    cells, industries = _ip_items(industry_cells(run, opts, pops.benchmark), industry_profile(run, opts, pops),
                                  opts.ip_type)
    flags, dense = _flags(dist, cells, industries, dens_cfg)
    dist["ip_dense"] = dist["adcode"].isin(dense["district"]["adcode"])
    dist = dist.merge(_flag_lists(flags["district"], ["adcode"]), on="adcode", how="left")
    cells["ip_dense"] = _member(cells, dense["cell"], ["adcode", "industry"])
    industries["ip_dense"] = industries["industry"].isin(dense["industry"]["industry"])
    tables = {
        "counts": records(counts_long(run, opts.window)),
        "cells": records(cells),
        "industries": records(industries),
        "flags": records(pd.concat([f.assign(level=k) for k, f in flags.items()], ignore_index=True)),
        "ip_dense": records(pd.concat([f.assign(level=k) for k, f in dense.items()], ignore_index=True)),
    }
    params = {"scheme": opts.scheme, **opts.window.as_dict(), **pops.info, **population, "ip_type": opts.ip_type,
              "ip_types_counted": list(ip_types.check(opts.ip_type))}
    return AnalysisResult("density", records(dist), run.used, params, tables)


def district_indicators(run: QueryRun, window: facts.Window, stats_cfg: dict[str, Any]) -> pd.DataFrame:
    """One row per district: counts, quality, per-capita density, HHI and growth."""
    base = facts.districts(run)
    pat = facts.patent_facts(run, window)
    q = facts.quality(pat, ["adcode"]) if not pat.empty else pd.DataFrame(columns=["adcode"])
    out = base.merge(q, on="adcode", how="left")
    cites = window.apply(run.frame("density_citations_district_year", columns=["adcode", "year", "citations"]))
    out = out.merge(cites.groupby("adcode", as_index=False)["citations"].sum(), on="adcode", how="left")
    for name, col, _doc in DOC_QUERIES:
        docs = window.apply(run.frame(name, columns=["adcode", "year", col]))
        out = out.merge(docs.groupby("adcode", as_index=False)[col].sum(), on="adcode", how="left")
    count_cols = ["patents", "invention", "utility", "design", "granted", "citations", "papers", "standards",
                  "policies"]
    out = out.reindex(columns=[*out.columns, *[c for c in count_cols if c not in out.columns]])  # empty window
    out[count_cols] = out[count_cols].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    out["citations_per_patent"] = out["citations"] / out["patents"].where(out["patents"] > 0)
    obs = facts.observations(run, window)
    pop = facts.latest_metric(obs, str(stats_cfg.get("population_metric", "population")),
                              stats_cfg.get("population_per_10k"))
    out["population_10k"] = out["adcode"].map(pop)
    out["patents_per_10k"] = out["patents"] / out["population_10k"].where(out["population_10k"] > 0)
    holders = run.frame("density_holders_district", columns=["adcode", "org", "first_year", "patents"])
    out["hhi"] = out["adcode"].map(holders.groupby("adcode")["patents"].apply(hhi)) if not holders.empty else np.nan
    out["holders"] = out["adcode"].map(holders.groupby("adcode")["org"].nunique()).fillna(0)
    growth = facts.growth_table(pat, ["adcode"]) if not pat.empty else pd.DataFrame(columns=["adcode"])
    return out.merge(growth, on="adcode", how="left")


def industry_cells(run: QueryRun, opts: DensityOptions, bench: pd.Series | None) -> pd.DataFrame:
    """District x industry: patents, share of the district, LQ vs the region and vs the benchmark."""
    raw = opts.window.apply(ip_types.frame(run, "density_patents_district_industry_year", opts.ip_type,
                                           {"scheme": opts.scheme}, CELL_COLS))
    if raw.empty:
        return pd.DataFrame(columns=["adcode", "industry", "patents", "invention", "share_of_district",
                                     "lq_region", "lq_benchmark"])
    raw["patents"] = raw["patents"].astype(float)
    raw["invention"] = np.where(raw["kind"] == "invention", raw["patents"], 0.0)
    cells = raw.groupby(["adcode", "industry"], as_index=False)[["patents", "invention"]].sum()
    table = cells.pivot(index="adcode", columns="industry", values="patents").fillna(0.0)
    lq_r = lq_table(table).stack().rename("lq_region")
    lq_b = (lq_table(table, bench) if bench is not None else table * np.nan).stack().rename(
        "lq_benchmark")
    cells = cells.join(lq_r, on=["adcode", "industry"]).join(lq_b, on=["adcode", "industry"])
    cells["share_of_district"] = cells["patents"] / cells.groupby("adcode")["patents"].transform("sum")
    return cells.sort_values(["adcode", "industry"]).reset_index(drop=True)


def industry_populations(run: QueryRun, opts: DensityOptions) -> Populations:
    """Scope (the region) and benchmark IP items (of ``opts.ip_type``) per industry in the window
    (see benchmark.py)."""
    dist = facts.districts(run)
    codes = region_codes(opts.region)
    scope = make_scope(dist["adcode"], codes, label=opts.region or "region")
    return populations(run, parse_benchmark(opts.benchmark), scope, "benchmark_industry_places", "industry",
                       {"scheme": opts.scheme}, keep=opts.window.apply, ip_type=opts.ip_type)


def industry_profile(run: QueryRun, opts: DensityOptions, pops: Populations) -> pd.DataFrame:
    """Region x industry: share, RTA vs benchmark, HHI, growth, advantage scores and quadrant."""
    names = run.frame("density_industries", {"scheme": opts.scheme}, columns=["industry", "code", "name"])
    raw = opts.window.apply(ip_types.frame(run, "density_patents_region_industry_year", opts.ip_type,
                                           {"scheme": opts.scheme}, ["industry", "year", "kind", "patents"]))
    holders = ip_types.frame(run, "density_holders_industry", opts.ip_type, {"scheme": opts.scheme},
                             ["industry", "org", "kind", "patents"])
    raw = raw.assign(patents=pd.to_numeric(raw["patents"]).astype(float))
    raw["invention"] = np.where(raw["kind"] == "invention", raw["patents"], 0.0)
    agg = raw.groupby("industry", as_index=False)[["patents", "invention"]].sum()
    out = names.merge(agg, on="industry", how="left").fillna({"patents": 0.0, "invention": 0.0})
    out["share"] = shares(out["patents"].astype(float))
    out["invention_share"] = out["invention"] / out["patents"].where(out["patents"] > 0)
    scope_share = out["industry"].map(pops.scope).fillna(0.0)
    scope_share = scope_share / scope_share.sum() if scope_share.sum() > 0 else scope_share * np.nan
    out["rta_benchmark"] = ratio(scope_share, pops.benchmark, out["industry"]) if len(out) else []
    if not holders.empty:
        out["hhi"] = out["industry"].map(holders.groupby("industry")["patents"].apply(hhi))
        ent = holders[holders["kind"] == "enterprise"].groupby("industry")["org"].nunique()
        out["enterprises"] = out["industry"].map(ent).fillna(0.0)
    else:
        out["hhi"], out["enterprises"] = np.nan, 0.0
    if not raw.empty:
        out = out.merge(facts.growth_table(raw, ["industry"]), on="industry", how="left")
    else:
        out["cagr"], out["growth_last"] = np.nan, np.nan
    return _quadrants(out)


def _ip_items(cells: pd.DataFrame, industries: pd.DataFrame, ip_type: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Industry tables count ``patents`` by default; other types are ``ip_items`` (for trademarks alone
    the invention columns mean nothing, so they go)."""
    if ip_type == "patents":
        return cells, industries
    drop = ["invention", "invention_share"] if ip_type == "trademarks" else []

    def items(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.drop(columns=[c for c in drop if c in frame.columns]).rename(columns={"patents": "ip_items"})

    return items(cells), items(industries)


def _quadrants(out: pd.DataFrame) -> pd.DataFrame:
    """IP advantage (share, RTA, invention share) vs market advantage (local enterprises), split at 0.5."""
    if out.empty:
        return out.assign(ip_advantage=[], market_advantage=[], growth_potential=[], quadrant=[])
    parts = [minmax(out[c].fillna(0.0).to_numpy()) for c in ("share", "rta_benchmark", "invention_share")]
    out["ip_advantage"] = np.mean(parts, axis=0)
    out["market_advantage"] = minmax(out["enterprises"].astype(float).to_numpy())
    out["growth_potential"] = minmax(out["cagr"].astype(float).fillna(0.0).to_numpy())
    hi_ip, hi_mk = out["ip_advantage"] >= 0.5, out["market_advantage"] >= 0.5
    out["quadrant"] = np.select([hi_ip & hi_mk, hi_ip & ~hi_mk, ~hi_ip & hi_mk], ["leading", "ip_led", "market_led"],
                                "emerging")
    return out.sort_values("industry").reset_index(drop=True)


def counts_long(run: QueryRun, window: facts.Window) -> pd.DataFrame:
    """district x year x document type x patent kind x legal status counts."""
    pat = facts.patent_facts(run, window)
    parts = [pat.groupby(["adcode", "year", "kind", "legal_status"], dropna=False, as_index=False)["patents"]
             .sum().rename(columns={"patents": "count"}).assign(doc_type="patent")]
    for name, col, doc in DOC_QUERIES:
        docs = window.apply(run.frame(name, columns=["adcode", "year", col]))
        parts.append(docs.rename(columns={col: "count"}).assign(doc_type=doc, kind=None, legal_status=None))
    out = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(len(p) for p in parts) \
        else pd.DataFrame(columns=["adcode", "year", "doc_type", "kind", "legal_status", "count"])
    out = out[["adcode", "year", "doc_type", "kind", "legal_status", "count"]]
    return out.sort_values(["adcode", "year", "doc_type", "kind", "legal_status"], na_position="first")


def _flags(dist: pd.DataFrame, cells: pd.DataFrame, industries: pd.DataFrame,
           cfg: dict[str, Any]) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    levels = {"district": (dist, ["adcode"]), "cell": (cells, ["adcode", "industry"]),
              "industry": (industries, ["industry"])}
    flags, dense = {}, {}
    for level, (frame, keys) in levels.items():
        hits = apply_rules(frame, cfg.get(f"{level}_rules", []), keys)
        combo = cfg.get(f"ip_dense_{level}", {})
        flags[level] = hits
        dense[level] = combined_flag(hits, keys, list(combo.get("rules", [])), int(combo.get("min_rules", 1)))
    return flags, dense


def _flag_lists(hits: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if hits.empty:
        return pd.DataFrame(columns=[*keys, "flags"])
    return hits.groupby(keys, as_index=False)["rule"].agg(lambda s: ",".join(sorted(s))).rename(
        columns={"rule": "flags"})


def _member(frame: pd.DataFrame, subset: pd.DataFrame, keys: list[str]) -> pd.Series:
    if subset.empty or frame.empty:
        return pd.Series(False, index=frame.index)
    wanted = set(map(tuple, subset[keys].to_numpy().tolist()))
    return pd.Series([tuple(r) in wanted for r in frame[keys].to_numpy().tolist()], index=frame.index)
