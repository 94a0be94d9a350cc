"""Chain coverage (``analyze chains --coverage``): how much of the scope's IP the chain templates reach.

For each chain and overall: the share of the scope's patents that fall in at least one link; and the
largest IPC subclasses whose scope patents fall in none, so a reviewer sees what the templates miss.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from iplayout.queries.benchmark import Scope, place_sets
from iplayout.queries.results import records
from iplayout.queries.runner import QueryRun

TOP_UNCOVERED = 20


def _counts(run: QueryRun, scope: Scope, query: str, key: str | None,
            places_of: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """(scope counts, whole-graph counts) per ``key`` (or under "all" without a key)."""
    f = run.frame(query)
    if f.empty:
        return pd.Series(dtype=float), pd.Series(dtype=float)
    f = f.assign(patents=pd.to_numeric(f["patents"]).astype(float))
    inside = [scope.member(p) == "scope" for p in place_sets(f, places_of)]
    if key is None:
        return pd.Series({"all": float(f.loc[inside, "patents"].sum())}), pd.Series({"all": float(f["patents"].sum())})
    return (f[inside].groupby(key)["patents"].sum().astype(float),
            f.groupby(key)["patents"].sum().astype(float))


def coverage(run: QueryRun, scope: Scope, links: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Coverage per chain and overall, for the scope and for every patent of the graph."""
    places_of: dict[str, str] = {}  # the coverage queries group by places, not applicants
    (tot_s, tot_g) = (float(x.get("all", 0.0)) for x in _counts(run, scope, "benchmark_patent_places", None,
                                                                places_of))
    chain_s, chain_g = _counts(run, scope, "benchmark_chain_places", "chain", places_of)
    (any_s, any_g) = (float(x.get("all", 0.0)) for x in _counts(run, scope, "benchmark_covered_places", None,
                                                                places_of))
    names = links.drop_duplicates("chain").set_index("chain")["chain_name"]
    rows = [{"chain": c, "chain_name": names[c], "patents_in_chain": float(chain_s.get(c, 0.0)),
             "scope_patents": tot_s, "graph_patents_in_chain": float(chain_g.get(c, 0.0)), "graph_patents": tot_g}
            for c in names.index]
    rows.append({"chain": "(any)", "chain_name": "at least one link of any chain", "patents_in_chain": any_s,
                 "scope_patents": tot_s, "graph_patents_in_chain": any_g, "graph_patents": tot_g})
    cov = pd.DataFrame(rows)
    cov["share"] = cov["patents_in_chain"] / cov["scope_patents"].where(cov["scope_patents"] > 0)
    cov["graph_share"] = cov["graph_patents_in_chain"] / cov["graph_patents"].where(cov["graph_patents"] > 0)
    every_s, every_g = _counts(run, scope, "benchmark_subclass_places", "subclass", places_of)
    cov_s, cov_g = _counts(run, scope, "benchmark_covered_subclass_places", "subclass", places_of)
    # The scope's misses; with no scope patents (e.g. a sample of another region) the graph's.
    every, covered, total = (every_s, cov_s, tot_s) if tot_s > 0 else (every_g, cov_g, tot_g)
    missed = (every - covered.reindex(every.index).fillna(0.0)).clip(lower=0.0)
    missed = missed[missed > 0]
    gaps = pd.DataFrame({"subclass": missed.index.astype(str), "patents_in_no_link": missed.to_numpy(),
                         "subclass_patents": every.reindex(missed.index).to_numpy()})
    gaps = gaps.sort_values(["patents_in_no_link", "subclass"], ascending=[False, True]).head(TOP_UNCOVERED)
    gaps["share_of_patents"] = gaps["patents_in_no_link"] / total if total > 0 else float("nan")
    gaps["population"] = "scope" if tot_s > 0 else "graph"
    return {"coverage": records(cov), "uncovered_subclasses": records(gaps.reset_index(drop=True))}
