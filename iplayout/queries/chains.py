"""``analyze chains``: local IP along each industry chain, its benchmark and the gap flags.

Every number carries the named query that produced it (``sources`` on each row, ``query`` on each
flag), so the policy group can re-run and adapt it in the Cypher console.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from iplayout.errors import AnalysisError
from iplayout.graph.store import GraphStore
from iplayout.queries import facts
from iplayout.queries.results import AnalysisResult, records
from iplayout.queries.rules import load_yaml
from iplayout.queries.runner import QueryRun
from iplayout.queries.table_io import read_table

DISTRICT_QUERIES = {
    "patents": "chain_link_district_patents", "orgs": "chain_link_district_patents",
    "enterprises": "chain_link_district_enterprises", "papers": "chain_link_district_papers",
    "standards": "chain_link_district_standards", "policies_in_district": "chain_link_district_policies",
}
REGION_SOURCES = {"patents": "chain_link_region_patents", "orgs": "chain_link_region_patents",
                  "enterprises": "chain_link_district_enterprises", "papers": "chain_link_district_papers",
                  "standards": "chain_link_district_standards", "policies": "chain_link_policies",
                  "benchmark_patents": "chain_link_patents_all"}


@dataclass(frozen=True)
class ChainOptions:
    scope: tuple[str, ...] = ()  # adcodes or zone ids; empty = the whole region
    benchmark: Path | None = None  # CSV/XLSX with columns link, patents; default: every patent in the graph
    chain: str | None = None
    rules: Path | None = None


def chains(store: GraphStore, opts: ChainOptions = ChainOptions()) -> AnalysisResult:
    run = QueryRun(store)
    cfg = load_yaml(opts.rules, "rules.yaml").get("chains", {})
    links = run.frame("chain_links", columns=["chain", "chain_name", "link", "link_name", "position"])
    if opts.chain:
        links = links[links["chain"] == opts.chain]
        if links.empty:
            raise AnalysisError(f"no chain {opts.chain!r} in the graph")
    dist = facts.districts(run)
    by_district = district_table(run, dist)
    local_codes = _scope(dist, opts.scope)
    main = link_table(run, links, by_district, local_codes, opts)
    order = run.frame("chain_order", columns=["upstream", "downstream"])
    flags = gap_flags(main, order, cfg, scoped=bool(opts.scope))
    main = main.merge(flags.groupby("link", as_index=False)["flag"].agg(lambda s: ",".join(sorted(set(s))))
                      .rename(columns={"flag": "flags"}), on="link", how="left") if not flags.empty \
        else main.assign(flags=None)
    by_zone = _by_zone(by_district, dist)
    params = {"scope": list(opts.scope) or "region", "chain": opts.chain,
              "benchmark": str(opts.benchmark) if opts.benchmark else ("region" if opts.scope else "graph")}
    tables = {"by_district": records(by_district[by_district["link"].isin(links["link"])]),
              "by_zone": records(by_zone[by_zone["link"].isin(links["link"])]), "flags": records(flags)}
    return AnalysisResult("chains", records(main), run.used, params, tables)


def _scope(dist: pd.DataFrame, scope: tuple[str, ...]) -> set[str] | None:
    if not scope:
        return None
    codes = set(dist.loc[dist["adcode"].isin(scope) | dist["zone"].isin(scope), "adcode"])
    if not codes:
        raise AnalysisError(f"scope {', '.join(scope)} matches no district adcode or zone id")
    return codes


def district_table(run: QueryRun, dist: pd.DataFrame) -> pd.DataFrame:
    """link x district: patents, orgs, enterprises, papers, standards, policies naming the district."""
    cols = {"chain_link_district_patents": ["patents", "orgs"],
            "chain_link_district_enterprises": ["enterprises", "enterprise_patents"],
            "chain_link_district_papers": ["papers"], "chain_link_district_standards": ["standards"],
            "chain_link_district_policies": ["policies"]}
    out: pd.DataFrame | None = None
    for name, values in cols.items():
        part = run.frame(name, columns=["link", "adcode", *values])
        out = part if out is None else out.merge(part, on=["link", "adcode"], how="outer")
    assert out is not None
    out = out.rename(columns={"policies": "policies_in_district"})
    num = [c for c in out.columns if c not in ("link", "adcode")]
    out[num] = out[num].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    out = out.merge(dist[["adcode", "district", "zone"]], on="adcode", how="left")
    return out.sort_values(["link", "adcode"]).reset_index(drop=True)


def link_table(run: QueryRun, links: pd.DataFrame, by_district: pd.DataFrame, local: set[str] | None,
               opts: ChainOptions) -> pd.DataFrame:
    """One row per link: local counts, share of the chain, benchmark share and their ratio."""
    if local is None:
        region = run.frame("chain_link_region_patents", columns=["link", "patents", "orgs"])
        sums = by_district.groupby("link")[["enterprises", "papers", "standards"]].sum()
        base = region.set_index("link").join(sums, how="outer")
        bench = _benchmark(run, opts)
    else:
        base = by_district[by_district["adcode"].isin(local)].groupby("link")[
            ["patents", "orgs", "enterprises", "papers", "standards"]].sum()
        bench = _benchmark(run, opts) if opts.benchmark else by_district.groupby("link")["patents"].sum()
    pol = run.frame("chain_link_policies", columns=["link", "policies"]).set_index("link")["policies"]
    out = links.merge(base.reset_index(), on="link", how="left")
    out["policies"] = out["link"].map(pol)
    out["benchmark_patents"] = out["link"].map(bench)
    num = ["patents", "orgs", "enterprises", "papers", "standards", "policies", "benchmark_patents"]
    out[num] = out[num].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    chain_tot = out.groupby("chain")["patents"].transform("sum")
    bench_tot = out.groupby("chain")["benchmark_patents"].transform("sum")
    out["share_of_chain"] = out["patents"] / chain_tot.where(chain_tot > 0)
    out["benchmark_share"] = out["benchmark_patents"] / bench_tot.where(bench_tot > 0)
    out["ratio_to_benchmark"] = out["share_of_chain"] / out["benchmark_share"].where(out["benchmark_share"] > 0)
    out["sources"] = [dict(REGION_SOURCES, patents=("chain_link_region_patents" if local is None
                                                    else "chain_link_district_patents"))] * len(out)
    return out.sort_values(["chain", "link"]).reset_index(drop=True)


def _benchmark(run: QueryRun, opts: ChainOptions) -> pd.Series:
    if opts.benchmark is not None:
        frame = read_table(opts.benchmark)
        if not {"link", "patents"} <= set(frame.columns):
            raise AnalysisError("chain benchmark table needs columns link and patents")
    else:
        frame = run.frame("chain_link_patents_all", columns=["link", "patents"])
    return pd.Series(pd.to_numeric(frame["patents"], errors="coerce").to_numpy(dtype=float),
                     index=frame["link"].astype(str).to_numpy())


def gap_flags(main: pd.DataFrame, order: pd.DataFrame, cfg: dict[str, Any], scoped: bool) -> pd.DataFrame:
    """no/weak local IP, IP without local firms, policy targets without IP, upstream missing."""
    weak_ratio, strong_ratio = float(cfg.get("weak_ratio", 0.5)), float(cfg.get("strong_ratio", 1.0))
    min_pat = float(cfg.get("weak_min_patents", 1))
    pat_q = "chain_link_district_patents" if scoped else "chain_link_region_patents"
    rows: list[dict[str, Any]] = []

    def add(r: Any, flag: str, metric: str, value: float, op: str, limit: float, query: str) -> None:
        rows.append({"chain": r.chain, "link": r.link, "link_name": r.link_name, "flag": flag, "metric": metric,
                     "value": value, "op": op, "threshold": limit, "query": query})

    status: dict[str, str] = {}
    for r in main.itertuples():
        ratio = r.ratio_to_benchmark
        if r.patents < min_pat:
            status[r.link] = "none"
            add(r, "no_local_ip", "patents", r.patents, "<", min_pat, pat_q)
        elif not np.isnan(ratio) and ratio < weak_ratio:
            status[r.link] = "weak"
            add(r, "weak_local_ip", "ratio_to_benchmark", ratio, "<", weak_ratio, "chain_link_patents_all")
        else:
            status[r.link] = "strong" if not np.isnan(ratio) and ratio >= strong_ratio else "present"
        if r.patents >= min_pat and r.enterprises == 0:
            add(r, "ip_no_local_firms", "enterprises", r.enterprises, "==", 0, "chain_link_district_enterprises")
        if r.policies > 0 and status[r.link] in ("none", "weak"):
            add(r, "policy_without_ip", "policies", r.policies, ">", 0, "chain_link_policies")
    by_link = main.set_index("link")
    for up, down in order[["upstream", "downstream"]].itertuples(index=False):
        if up in status and down in status and status[down] == "strong" and status[up] in ("none", "weak"):
            r = by_link.loc[up]
            rows.append({"chain": r["chain"], "link": up, "link_name": r["link_name"], "flag": "upstream_missing",
                         "metric": "downstream_ratio", "value": float(by_link.loc[down, "ratio_to_benchmark"]),
                         "op": ">=", "threshold": strong_ratio, "query": "chain_order", "downstream": down})
    cols = ["chain", "link", "link_name", "flag", "metric", "value", "op", "threshold", "query", "downstream"]
    return pd.DataFrame(rows, columns=cols).sort_values(["chain", "link", "flag"]).reset_index(drop=True)


def _by_zone(by_district: pd.DataFrame, dist: pd.DataFrame) -> pd.DataFrame:
    num = ["patents", "orgs", "enterprises", "papers", "standards", "policies_in_district"]
    if by_district.empty:
        return pd.DataFrame(columns=["link", "zone", *num])
    z = by_district.assign(zone=by_district["zone"].fillna("(none)"))
    return z.groupby(["link", "zone"], as_index=False)[num].sum().sort_values(["link", "zone"])
