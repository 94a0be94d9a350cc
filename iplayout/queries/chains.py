"""``analyze chains``: local IP along each industry chain, its benchmark and the gap flags.

Every number carries the named query that produced it (``sources`` on each row, ``query`` on each
flag) and the evidence query with its parameters (``evidence_query``, ``evidence_params``) that lists
the documents and organisations behind it. The benchmark population is chosen in ``benchmark.py``.
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
from iplayout.queries.benchmark import (
    Populations,
    Scope,
    count_populations,
    make_scope,
    parse_benchmark,
    region_codes,
)
from iplayout.queries.chain_counts import link_counts
from iplayout.queries.results import AnalysisResult, records
from iplayout.queries.rules import load_yaml
from iplayout.queries.runner import QueryRun

DISTRICT_QUERIES = {
    "patents": "chain_link_district_patents", "orgs": "chain_link_district_patents",
    "enterprises": "chain_link_district_enterprises", "papers": "chain_link_district_papers",
    "standards": "chain_link_district_standards", "policies_in_district": "chain_link_district_policies",
}
REGION_SOURCES = {"patents": "benchmark_link_places", "orgs": "chain_link_district_patents",
                  "enterprises": "chain_link_district_enterprises", "papers": "chain_link_district_papers",
                  "standards": "chain_link_district_standards", "policies": "chain_link_policies",
                  "benchmark_patents": "benchmark_link_places"}
EVIDENCE = "chain_link_evidence"  # documents and holders behind a link's numbers
EVIDENCE_ORGS = "chain_link_evidence_orgs"  # organisations behind a link's numbers
NEEDS_BENCHMARK = ("weak_local_ip", "upstream_missing")


@dataclass(frozen=True)
class ChainOptions:
    scope: tuple[str, ...] = ()  # adcodes or zone ids; empty = the whole region
    benchmark: str | Path | None = None  # outside (default) | graph | peer:ADCODE | table FILE (link,patents)
    chain: str | None = None
    rules: Path | None = None
    region: str | None = None  # the configured region (Settings.region); None = every district of the graph
    coverage: bool = False  # also report the share of scope patents that fall in at least one link


def chains(store: GraphStore, opts: ChainOptions = ChainOptions()) -> AnalysisResult:
    run = QueryRun(store)
    cfg = load_yaml(opts.rules, "rules.yaml").get("chains", {})
    links = run.frame("chain_links", columns=["chain", "chain_name", "link", "link_name", "position"])
    if opts.chain:
        links = links[links["chain"] == opts.chain]
        if links.empty:
            raise AnalysisError(f"no chain {opts.chain!r} in the graph")
    dist, scope = scoped_districts(run, opts.region, opts.scope)
    counts = link_counts(run, dist["adcode"])
    by_district = district_table(run, dist, counts.by_district)
    local_codes = set(scope.codes) if opts.scope else None
    pops = count_populations(run, parse_benchmark(opts.benchmark), scope, counts.link_places, "link")
    main = link_table(run, links, by_district, local_codes, pops)
    order = run.frame("chain_order", columns=["upstream", "downstream"])
    flags = gap_flags(main, order, cfg, has_benchmark=pops.benchmark is not None)
    main = main.merge(flags.groupby("link", as_index=False)["flag"].agg(lambda s: ",".join(sorted(set(s))))
                      .rename(columns={"flag": "flags"}), on="link", how="left") if not flags.empty \
        else main.assign(flags=None)
    by_zone = _by_zone(by_district, dist)
    params = {"scope": list(opts.scope) or "region", "chain": opts.chain, **pops.info}
    tables = {"by_district": records(by_district[by_district["link"].isin(links["link"])]),
              "by_zone": records(by_zone[by_zone["link"].isin(links["link"])]), "flags": records(flags)}
    if opts.coverage:
        from iplayout.queries.chain_coverage import coverage

        tables.update(coverage(run, scope, links))
    return AnalysisResult("chains", records(main), run.used, params, tables)


def scoped_districts(run: QueryRun, region: str | None, selected: tuple[str, ...]) -> tuple[pd.DataFrame, Scope]:
    """The region's districts (all districts of the graph when no region is named) and the analysed scope."""
    dist = facts.districts(run)
    codes = region_codes(region)
    if codes:
        dist = dist[dist["adcode"].isin(codes)].reset_index(drop=True)
    local = _scope(dist, selected)
    return dist, make_scope(dist["adcode"], codes, sorted(local) if local else (), label=region or "region")


def _scope(dist: pd.DataFrame, scope: tuple[str, ...]) -> set[str] | None:
    if not scope:
        return None
    codes = set(dist.loc[dist["adcode"].isin(scope) | dist["zone"].isin(scope), "adcode"])
    if not codes:
        raise AnalysisError(f"scope {', '.join(scope)} matches no district adcode or zone id")
    return codes


def district_table(run: QueryRun, dist: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """link x district: patents, orgs, enterprises, papers, standards (``counts``, from ``chain_counts``)
    and policies naming the district."""
    part = run.frame("chain_link_district_policies", columns=["link", "adcode", "policies"])
    out = counts.merge(part, on=["link", "adcode"], how="outer")
    out = out.rename(columns={"policies": "policies_in_district"})
    num = [c for c in out.columns if c not in ("link", "adcode")]
    out[num] = out[num].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    out = out[out["adcode"].isin(dist["adcode"])]  # the region's districts only
    out = out.merge(dist[["adcode", "district", "zone"]], on="adcode", how="left")
    return out.sort_values(["link", "adcode"]).reset_index(drop=True)


def link_table(run: QueryRun, links: pd.DataFrame, by_district: pd.DataFrame, local: set[str] | None,
               pops: Populations) -> pd.DataFrame:
    """One row per link: scope counts, share of the chain, benchmark share and their ratio.

    Patents are distinct patents with a holder in the scope (``pops.scope``); organisations, papers
    and standards are sums over the scope's districts (an organisation sits in one district).
    """
    rows = by_district if local is None else by_district[by_district["adcode"].isin(local)]
    base = rows.groupby("link")[["orgs", "enterprises", "papers", "standards"]].sum()
    pol = run.frame("chain_link_policies", columns=["link", "policies"]).set_index("link")["policies"]
    out = links.merge(base.reset_index(), on="link", how="left")
    out["patents"] = out["link"].map(pops.scope)
    out["policies"] = out["link"].map(pol)
    num = ["patents", "orgs", "enterprises", "papers", "standards", "policies"]
    out[num] = out[num].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    chain_tot = out.groupby("chain")["patents"].transform("sum")
    out["share_of_chain"] = out["patents"] / chain_tot.where(chain_tot > 0)
    if pops.benchmark is None:
        out["benchmark_patents"] = np.nan
        out["benchmark_share"] = np.nan
    else:
        out["benchmark_patents"] = out["link"].map(pops.benchmark).fillna(0.0).astype(float)
        bench_tot = out.groupby("chain")["benchmark_patents"].transform("sum")
        out["benchmark_share"] = out["benchmark_patents"] / bench_tot.where(bench_tot > 0)
    out["ratio_to_benchmark"] = out["share_of_chain"] / out["benchmark_share"].where(out["benchmark_share"] > 0)
    out["sources"] = [dict(REGION_SOURCES)] * len(out)
    out["evidence_query"] = EVIDENCE
    out["evidence_params"] = [{"link": link} for link in out["link"]]
    return out.sort_values(["chain", "link"]).reset_index(drop=True)


def gap_flags(main: pd.DataFrame, order: pd.DataFrame, cfg: dict[str, Any], has_benchmark: bool = True
              ) -> pd.DataFrame:
    """no/weak local IP, IP without local firms, policy targets without IP, upstream missing.

    Without a benchmark (``benchmark: none``) the ratio flags (weak, upstream missing) are not computed.
    Every flag names the query behind its number and the evidence query (with parameters) that lists
    the documents or organisations behind it.
    """
    weak_ratio, strong_ratio = float(cfg.get("weak_ratio", 0.5)), float(cfg.get("strong_ratio", 1.0))
    min_pat = float(cfg.get("weak_min_patents", 1))
    rows: list[dict[str, Any]] = []

    def add(r: Any, flag: str, metric: str, value: float, op: str, limit: float, query: str,
            evidence: str = EVIDENCE, downstream: str | None = None) -> None:
        rows.append({"chain": r.chain, "link": r.link, "link_name": r.link_name, "flag": flag, "metric": metric,
                     "value": value, "op": op, "threshold": limit, "query": query, "downstream": downstream,
                     "evidence_query": evidence, "evidence_params": {"link": r.link}})

    status: dict[str, str] = {}
    for r in main.itertuples():
        ratio = r.ratio_to_benchmark
        if r.patents < min_pat:
            status[r.link] = "none"
            add(r, "no_local_ip", "patents", r.patents, "<", min_pat, "benchmark_link_places")
        elif has_benchmark and not np.isnan(ratio) and ratio < weak_ratio:
            status[r.link] = "weak"
            add(r, "weak_local_ip", "ratio_to_benchmark", ratio, "<", weak_ratio, "benchmark_link_places")
        else:
            status[r.link] = "strong" if not np.isnan(ratio) and ratio >= strong_ratio else "present"
        if r.patents >= min_pat and r.enterprises == 0:
            add(r, "ip_no_local_firms", "enterprises", r.enterprises, "==", 0, "chain_link_district_enterprises",
                EVIDENCE_ORGS)
        if r.policies > 0 and status[r.link] in ("none", "weak"):
            add(r, "policy_without_ip", "policies", r.policies, ">", 0, "chain_link_policies")
    rec = {r.link: r for r in main.itertuples()}
    for up, down in order[["upstream", "downstream"]].itertuples(index=False):
        if has_benchmark and up in status and down in status and status[down] == "strong" \
                and status[up] in ("none", "weak"):
            add(rec[up], "upstream_missing", "downstream_ratio", float(rec[down].ratio_to_benchmark), ">=",
                strong_ratio, "chain_order", downstream=down)
    cols = ["chain", "link", "link_name", "flag", "metric", "value", "op", "threshold", "query", "downstream",
            "evidence_query", "evidence_params"]
    return pd.DataFrame(rows, columns=cols).sort_values(["chain", "link", "flag"]).reset_index(drop=True)


def _by_zone(by_district: pd.DataFrame, dist: pd.DataFrame) -> pd.DataFrame:
    num = ["patents", "orgs", "enterprises", "papers", "standards", "policies_in_district"]
    if by_district.empty:
        return pd.DataFrame(columns=["link", "zone", *num])
    z = by_district.assign(zone=by_district["zone"].fillna("(none)"))
    return z.groupby(["link", "zone"], as_index=False)[num].sum().sort_values(["link", "zone"])
