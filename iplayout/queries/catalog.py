"""``analyze catalog``: the guidance catalogue: ranked priority industries per district and for the
city, each with a category (strengthen / cultivate / fill_gap) and its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from iplayout.graph.store import GraphStore
from iplayout.queries import facts, ip_types
from iplayout.queries.benchmark import parse_benchmark
from iplayout.queries.chains import ChainOptions, chains
from iplayout.queries.density import DensityOptions, density
from iplayout.queries.evaluate import EvaluateOptions, matching_table
from iplayout.queries.results import AnalysisResult, records
from iplayout.queries.rules import load_yaml
from iplayout.queries.runner import QueryRun
from iplayout.queries.weighting import minmax


@dataclass(frozen=True)
class CatalogOptions:
    scheme: str = "GBT4754-2017"
    window: facts.Window = facts.Window()
    top: int = 10
    rules: Path | None = None
    benchmark: str | Path | None = None  # as for density; a table here holds industry,patents (trademarks, ip_items)
    region: str | None = None
    ip_type: str = "patents"  # patents | trademarks | all: the IP items industries are ranked on


def catalog(store: GraphStore, opts: CatalogOptions = CatalogOptions()) -> AnalysisResult:
    cfg = load_yaml(opts.rules, "rules.yaml").get("catalog", {})
    dens = density(store, DensityOptions(scheme=opts.scheme, window=opts.window, rules=opts.rules,
                                         benchmark=opts.benchmark, region=opts.region, ip_type=opts.ip_type))
    table = parse_benchmark(opts.benchmark).kind == "table"  # an industry table cannot rank chain links
    ch = chains(store, ChainOptions(rules=opts.rules, region=opts.region, benchmark=None if table else opts.benchmark))
    run = QueryRun(store)
    gaps = gap_industries(run, ch.frame("flags"), opts.scheme)
    pol = run.frame("policy_targets_industry", columns=["policy", "target"]).groupby("target")["policy"].nunique()
    matching, _ = matching_table(run, EvaluateOptions(scheme=opts.scheme, window=opts.window,
                                                      ip_type=opts.ip_type), "standard")
    # An empty window yields frames without columns: give them the ones the merges need.
    items = {"ip_items": "patents"}  # ranked on the chosen types' items under one internal name
    cells = _with_columns(dens.frame("cells").rename(columns=items), ["adcode", "industry", "lq_region"])
    matching = _with_columns(matching, ["adcode", "industry", "D", "grade"])
    cells = cells.merge(_cell_growth(run, opts), on=["adcode", "industry"], how="left")
    cells = cells.merge(matching[["adcode", "industry", "D", "grade"]], on=["adcode", "industry"], how="left")
    district = rank(cells.assign(policies=cells["industry"].map(pol).fillna(0.0)), gaps, cfg, "lq_region",
                    ["adcode"], opts.top)
    city_src = _with_columns(dens.frame("industries").rename(columns=items),
                             ["industry", "rta_benchmark", "cagr", "patents"]).rename(
        columns={"rta_benchmark": "lq", "cagr": "growth"})
    city = rank(city_src.assign(policies=city_src["industry"].map(pol).fillna(0.0), adcode="city"), gaps, cfg,
                "lq", ["adcode"], opts.top)
    rows = pd.concat([city, district], ignore_index=True)
    if opts.ip_type != "patents":
        rows = rows.rename(columns={"patents": "ip_items"})
        rows["evidence"] = rows["evidence"].str.replace("patents=", "ip_items=", regex=False)
    used = list(dict.fromkeys([*dens.queries, *ch.queries, *run.used]))
    params = {"scheme": opts.scheme, **opts.window.as_dict(), "top": opts.top, "weights": cfg.get("weights", {}),
              **{k: v for k, v in dens.params.items() if k.startswith(("benchmark", "scope"))},
              "chain_benchmark": ch.params.get("benchmark"),
              "ip_type": opts.ip_type, "ip_types_counted": list(ip_types.check(opts.ip_type))}
    return AnalysisResult("catalog", records(rows), used, params, {"chain_gaps": records(gaps)})


def _with_columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    return frame.reindex(columns=[*frame.columns, *missing]).astype(dict.fromkeys(missing, object)) if missing else frame


def gap_industries(run: QueryRun, flags: pd.DataFrame, scheme: str) -> pd.DataFrame:
    """Industries whose chain links carry a no/weak-IP or upstream-missing flag."""
    link_ind = run.frame("chain_link_industries", {"scheme": scheme}, columns=["link", "industry"])
    if flags.empty or link_ind.empty:
        return pd.DataFrame(columns=["industry", "links", "flags"])
    bad = flags[flags["flag"].isin(["no_local_ip", "weak_local_ip", "upstream_missing"])]
    m = bad.merge(link_ind, on="link")
    return m.groupby("industry", as_index=False).agg(links=("link", lambda s: ",".join(sorted(set(s)))),
                                                     flags=("flag", lambda s: ",".join(sorted(set(s)))))


def _cell_growth(run: QueryRun, opts: CatalogOptions) -> pd.DataFrame:
    raw = opts.window.apply(ip_types.frame(run, "density_patents_district_industry_year", opts.ip_type,
                                           {"scheme": opts.scheme}, ["adcode", "industry", "year", "kind", "patents"]))
    if raw.empty:
        return pd.DataFrame(columns=["adcode", "industry", "growth"])
    raw["patents"] = raw["patents"].astype(float)
    return facts.growth_table(raw, ["adcode", "industry"]).rename(columns={"cagr": "growth"})[
        ["adcode", "industry", "growth"]]


def rank(frame: pd.DataFrame, gaps: pd.DataFrame, cfg: dict[str, Any], lq_col: str, keys: list[str],
         top: int) -> pd.DataFrame:
    """Category, score and evidence per row; the ``top`` rows per ``keys`` group."""
    if frame.empty:
        return pd.DataFrame(columns=[*keys, "industry", "category", "score", "rank", "evidence"])
    f = frame.copy()
    f["lq"] = pd.to_numeric(f[lq_col], errors="coerce")
    f["growth"] = pd.to_numeric(f.get("growth"), errors="coerce")
    gap_map = gaps.set_index("industry")["links"] if not gaps.empty else pd.Series(dtype=str)
    f["chain_gap"] = f["industry"].map(gap_map)
    s, c = cfg.get("strengthen", {}), cfg.get("cultivate", {})
    strong = (f["lq"] >= s.get("lq_min", 1.2)) & (f["patents"] >= s.get("min_patents", 3))
    cultivate = (f["lq"] >= c.get("lq_min", 0.8)) | (f["growth"] >= c.get("growth_min", 0.1)) | (f["policies"] > 0)
    f["category"] = np.select([strong, f["chain_gap"].notna(), cultivate], ["strengthen", "fill_gap", "cultivate"],
                              "")
    w = {"lq": 0.35, "density": 0.25, "growth": 0.15, "policy": 0.15, "gap": 0.10, **cfg.get("weights", {})}
    f["score"] = (w["lq"] * minmax(f["lq"].fillna(0.0).to_numpy()) + w["density"] * minmax(f["patents"].to_numpy(
        dtype=float)) + w["growth"] * minmax(f["growth"].fillna(0.0).to_numpy()) + w["policy"] * minmax(
        f["policies"].to_numpy(dtype=float)) + w["gap"] * f["chain_gap"].notna().to_numpy(dtype=float))
    f = f[f["category"] != ""].sort_values([*keys, "score", "industry"], ascending=[True] * len(keys) + [False, True])
    f["rank"] = f.groupby(keys).cumcount() + 1
    f["evidence"] = [_evidence(r) for r in f.itertuples()]
    cols = [*keys, "industry", "category", "score", "rank", "patents", "lq", "growth", "policies", "chain_gap",
            "evidence"] + [c for c in ("D", "grade") if c in f.columns]
    return f[f["rank"] <= top][cols].reset_index(drop=True)


def _evidence(r: Any) -> str:
    parts = [f"patents={r.patents:g}", f"LQ={r.lq:.2f}" if pd.notna(r.lq) else "LQ=n/a"]
    if pd.notna(r.growth):
        parts.append(f"CAGR={r.growth:.1%}")
    if r.policies:
        parts.append(f"policy targets={r.policies:g}")
    if isinstance(r.chain_gap, str):
        parts.append(f"chain gap in {r.chain_gap}")
    grade = getattr(r, "grade", None)
    if isinstance(grade, str):
        parts.append(f"coordination {grade}")
    return "; ".join(parts)
