"""``analyze policies``: what policies target (industries, technologies) by issuing level, region and
year, and which targets have no local IP behind them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from iplayout.graph.store import GraphStore
from iplayout.queries import facts
from iplayout.queries.results import AnalysisResult, records
from iplayout.queries.runner import QueryRun

TARGET_COLS = ["policy", "year", "level", "region", "issuer", "target", "target_name", "scheme", "evidence"]


@dataclass(frozen=True)
class PolicyOptions:
    window: facts.Window = facts.Window()
    min_patents: int = 1  # fewer local patents than this behind a target = "target without IP"


def policies(store: GraphStore, opts: PolicyOptions = PolicyOptions()) -> AnalysisResult:
    run = QueryRun(store)
    parts = []
    for kind, tq, pq in (("industry", "policy_targets_industry", "policy_industry_local_patents"),
                         ("technology", "policy_targets_technology", "policy_technology_local_patents")):
        targets = opts.window.apply(run.frame(tq, columns=TARGET_COLS))
        local = run.frame(pq, columns=["target", "local_patents"])
        parts.append(targets.assign(target_type=kind, patents_query=pq).merge(local, on="target", how="left"))
    allt = pd.concat(parts, ignore_index=True)
    allt["local_patents"] = pd.to_numeric(allt["local_patents"], errors="coerce").fillna(0.0)
    keys = ["target_type", "target", "target_name", "level", "region", "year"]
    matrix = allt.groupby(keys, dropna=False, as_index=False).agg(policies=("policy", "nunique"))
    summary = allt.groupby(["target_type", "target", "target_name", "patents_query"], dropna=False,
                           as_index=False).agg(policies=("policy", "nunique"), local_patents=("local_patents", "max"),
                                               first_year=("year", "min"), last_year=("year", "max"),
                                               levels=("level", lambda s: ",".join(sorted(set(map(str, s))))))
    summary["without_ip"] = summary["local_patents"] < opts.min_patents
    summary = summary.sort_values(["target_type", "policies", "target"], ascending=[True, False, True])
    tables = {"matrix": records(matrix.sort_values(keys)),
              "targets_without_ip": records(summary[summary["without_ip"]]),
              "evidence": records(allt[["policy", "target_type", "target", "evidence"]].drop_duplicates()
                                  .sort_values(["target_type", "target", "policy"]))}
    params = {**opts.window.as_dict(), "min_patents": opts.min_patents}
    return AnalysisResult("policies", records(summary), run.used, params, tables)
