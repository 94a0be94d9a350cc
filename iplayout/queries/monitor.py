"""``analyze monitor``: yearly snapshots, new entrant organisations, fastest-growing technologies
per district, and alerts on configurable thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from iplayout.graph.store import GraphStore
from iplayout.queries import facts, ip_types
from iplayout.queries.indices import cagr, growth_rate, hhi
from iplayout.queries.results import AnalysisResult, records
from iplayout.queries.rules import apply_rules, load_yaml
from iplayout.queries.runner import QueryRun


@dataclass(frozen=True)
class MonitorOptions:
    window: facts.Window = facts.Window()
    level: str = "main_group"
    top_technologies: int = 3
    min_patents: int = 2  # a technology needs this many patents in its last year to rank as fast-growing
    rules: Path | None = None
    ip_type: str = "patents"  # patents | trademarks | all (marks' technologies are Nice classes/groups)


def monitor(store: GraphStore, opts: MonitorOptions = MonitorOptions()) -> AnalysisResult:
    ip_types.check(opts.ip_type)
    run = QueryRun(store)
    holders = opts.window.apply(_holders(run, opts.ip_type))
    snap = snapshots(run, holders, opts.window) if opts.ip_type == "patents" else _item_snapshots(
        run, holders, opts)
    entrants = new_entrants(run, opts.window, opts.ip_type)
    snap = snap.merge(entrants.groupby(["adcode", "year"]).size().rename("new_entrants").reset_index(),
                      on=["adcode", "year"], how="left").fillna({"new_entrants": 0})
    latest = snap[snap["year"] == snap["year"].max()] if not snap.empty else snap
    alerts = apply_rules(latest, load_yaml(opts.rules, "rules.yaml").get("monitor", {}).get("alerts", []),
                         ["adcode", "year"])
    tables = {"new_entrants": records(entrants), "fastest_technologies": records(fastest(run, opts)),
              "alerts": records(alerts)}
    params = {**opts.window.as_dict(), "level": opts.level, "ip_type": opts.ip_type,
              "ip_types_counted": list(ip_types.check(opts.ip_type))}
    if opts.ip_type != "patents":  # counts of the chosen types' items, not patents
        snap = snap.rename(columns={"patents": "ip_items"})
        tables = {k: records(pd.DataFrame(v).rename(columns=_ITEM_COLUMNS)) for k, v in tables.items()}
    return AnalysisResult("monitor", records(snap), run.used, params, tables)


_ITEM_COLUMNS = {"patents_first_year": "ip_items_first_year", "patents_first": "ip_items_first",
                 "patents_last": "ip_items_last"}


def _holders(run: QueryRun, ip_type: str) -> pd.DataFrame:
    return ip_types.frame(run, "monitor_holders_district_year", ip_type, None,
                          ["adcode", "org", "name", "year", "patents"])


def _item_snapshots(run: QueryRun, holders: pd.DataFrame, opts: MonitorOptions) -> pd.DataFrame:
    """district x year for trademarks / all: items, year-on-year growth and holder HHI."""
    snap = ip_types.district_year_items(run, opts.window, opts.ip_type).rename(columns={"ip_items": "patents"})
    if snap.empty:
        return pd.DataFrame(columns=["adcode", "year", "patents", "growth", "hhi"])
    snap["year"] = snap["year"].astype(int)
    snap = snap.sort_values(["adcode", "year"]).reset_index(drop=True)
    prev, prev_year = snap.groupby("adcode")["patents"].shift(1), snap.groupby("adcode")["year"].shift(1)
    snap["growth"] = [growth_rate(p, c) if py == y - 1 else float("nan")
                      for p, c, py, y in zip(prev, snap["patents"], prev_year, snap["year"], strict=True)]
    if holders.empty:
        return snap.assign(hhi=float("nan"))
    held = holders.assign(year=holders["year"].astype(int), patents=pd.to_numeric(holders["patents"]))
    conc = held.groupby(["adcode", "year"])["patents"].apply(hhi).rename("hhi").reset_index()
    return snap.merge(conc, on=["adcode", "year"], how="left")


def snapshots(run: QueryRun, holders: pd.DataFrame, window: facts.Window) -> pd.DataFrame:
    """district x year: patents, quality, year-on-year growth and holder HHI."""
    pat = facts.patent_facts(run, window)
    if pat.empty:
        return pd.DataFrame(columns=["adcode", "year", "patents", "growth", "hhi"])
    snap = facts.quality(pat, ["adcode", "year"]).sort_values(["adcode", "year"]).reset_index(drop=True)
    prev = snap.groupby("adcode")["patents"].shift(1)
    prev_year = snap.groupby("adcode")["year"].shift(1)
    snap["growth"] = [growth_rate(p, c) if py == y - 1 else float("nan")
                      for p, c, py, y in zip(prev, snap["patents"], prev_year, snap["year"], strict=True)]
    conc = holders.groupby(["adcode", "year"])["patents"].apply(hhi).rename("hhi").reset_index()
    return snap.merge(conc, on=["adcode", "year"], how="left")


def new_entrants(run: QueryRun, window: facts.Window, ip_type: str = "patents") -> pd.DataFrame:
    """Organisations whose first patent (item) in a district falls inside the window (all years considered)."""
    allh = _holders(run, ip_type)
    if allh.empty:
        return pd.DataFrame(columns=["adcode", "year", "org", "name", "patents_first_year"])
    first = allh.sort_values(["adcode", "org", "year"]).drop_duplicates(["adcode", "org"])
    first = window.apply(first).rename(columns={"patents": "patents_first_year"})
    return first[["adcode", "year", "org", "name", "patents_first_year"]].sort_values(
        ["adcode", "year", "org"]).reset_index(drop=True)


def fastest(run: QueryRun, opts: MonitorOptions) -> pd.DataFrame:
    """Per district: technologies with the highest CAGR over the window (min patents in the last year)."""
    tech = opts.window.apply(ip_types.frame(run, "monitor_tech_district_year", opts.ip_type, {"level": opts.level},
                                            ["adcode", "tech", "year", "patents"]))
    cols = ["adcode", "tech", "year_first", "year_last", "patents_first", "patents_last", "cagr", "rank"]
    if tech.empty:
        return pd.DataFrame(columns=cols)
    y0 = int(opts.window.year_from or tech["year"].min())
    y1 = int(opts.window.year_to or tech["year"].max())
    piv = tech.pivot_table(index=["adcode", "tech"], columns="year", values="patents", aggfunc="sum").fillna(0.0)
    first = piv.get(y0, pd.Series(0.0, index=piv.index))
    last = piv.get(y1, pd.Series(0.0, index=piv.index))
    out = pd.DataFrame({"year_first": y0, "year_last": y1, "patents_first": first, "patents_last": last}).reset_index()
    out["cagr"] = [cagr(max(f, 1.0), la, y1 - y0) for f, la in zip(out["patents_first"], out["patents_last"],
                                                                   strict=True)]
    out = out[out["patents_last"] >= opts.min_patents].dropna(subset=["cagr"])
    out = out.sort_values(["adcode", "cagr", "tech"], ascending=[True, False, True])
    out["rank"] = out.groupby("adcode").cumcount() + 1
    return out[out["rank"] <= opts.top_technologies][cols].reset_index(drop=True)
