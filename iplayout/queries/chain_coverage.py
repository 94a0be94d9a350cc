"""Chain coverage (``analyze chains --coverage``): how much of the scope's IP the chain templates reach.

For each chain and overall: the share of the scope's patents that fall in at least one link; and the
largest IPC subclasses whose scope patents fall in none, so a reviewer sees what the templates miss.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from iplayout.queries.benchmark import Scope
from iplayout.queries.results import records
from iplayout.queries.runner import QueryRun

TOP_UNCOVERED = 20


def _scope_counts(run: QueryRun, scope: Scope, query: str, key: str | None) -> pd.Series:
    cols = [*([key] if key else []), "places", "patents"]
    f = run.frame(query, columns=cols)
    if f.empty:
        return pd.Series(dtype=float)
    inside = [scope.member(tuple(sorted(str(c) for c in (p or []) if c is not None))) == "scope"
              for p in f["places"]]
    f = f[inside].assign(patents=lambda x: pd.to_numeric(x["patents"]).astype(float))
    if key is None:
        return pd.Series({"all": float(f["patents"].sum())})
    return f.groupby(key)["patents"].sum().astype(float)


def coverage(run: QueryRun, scope: Scope, links: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    total = float(_scope_counts(run, scope, "benchmark_patent_places", None).get("all", 0.0))
    per_chain = _scope_counts(run, scope, "benchmark_chain_places", "chain")
    overall = float(_scope_counts(run, scope, "benchmark_covered_places", None).get("all", 0.0))
    names = links.drop_duplicates("chain").set_index("chain")["chain_name"]
    rows = [{"chain": c, "chain_name": names[c], "patents_in_chain": float(per_chain.get(c, 0.0)),
             "scope_patents": total} for c in names.index]
    rows.append({"chain": "(any)", "chain_name": "at least one link of any chain", "patents_in_chain": overall,
                 "scope_patents": total})
    cov = pd.DataFrame(rows)
    cov["share"] = cov["patents_in_chain"] / cov["scope_patents"].where(cov["scope_patents"] > 0)
    every = _scope_counts(run, scope, "benchmark_subclass_places", "subclass")
    covered = _scope_counts(run, scope, "benchmark_covered_subclass_places", "subclass")
    missed = (every - covered.reindex(every.index).fillna(0.0)).clip(lower=0.0)
    missed = missed[missed > 0].sort_values(ascending=False, kind="stable")
    gaps = pd.DataFrame({"subclass": missed.index.astype(str), "patents_in_no_link": missed.to_numpy(),
                         "subclass_patents": every.reindex(missed.index).to_numpy()})
    gaps = gaps.sort_values(["patents_in_no_link", "subclass"], ascending=[False, True]).head(TOP_UNCOVERED)
    gaps["share_of_scope"] = gaps["patents_in_no_link"] / total if total > 0 else float("nan")
    return {"coverage": records(cov), "uncovered_subclasses": records(gaps.reset_index(drop=True))}
