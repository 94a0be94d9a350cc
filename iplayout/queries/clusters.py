"""``analyze clusters``: Leiden communities (igraph + leidenalg, fixed seed) on a graph projection,
each profiled by its top technologies, organisations, districts and years."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from iplayout.graph.store import GraphStore
from iplayout.queries.projections import Network, ProjectionOptions, build
from iplayout.queries.results import AnalysisResult, records
from iplayout.queries.runner import QueryRun


@dataclass(frozen=True)
class ClusterOptions:
    projection: ProjectionOptions = field(default_factory=ProjectionOptions)
    resolution: float = 1.0
    seed: int = 42
    min_size: int = 2
    top: int = 5  # items listed per profile field


def leiden(net: Network, resolution: float, seed: int) -> list[int]:
    """Cluster id per node (in ``net.nodes`` order); clusters numbered by size, then first member."""
    import leidenalg

    g = net.igraph().as_undirected(combine_edges="sum") if net.directed else net.igraph()
    if g.ecount() == 0:
        return list(range(g.vcount()))
    part = leidenalg.find_partition(g, leidenalg.RBConfigurationVertexPartition, weights="weight",
                                    resolution_parameter=resolution, seed=seed, n_iterations=-1)
    return list(part.membership)


def clusters(store: GraphStore, opts: ClusterOptions = ClusterOptions()) -> AnalysisResult:
    run = QueryRun(store)
    net = build(run, opts.projection)
    membership = _renumber(net.nodes, leiden(net, opts.resolution, opts.seed))
    members = pd.DataFrame({"node": net.nodes, "cluster": membership})
    sizes = members.groupby("cluster")["node"].count()
    members = members[members["cluster"].map(sizes) >= opts.min_size].reset_index(drop=True)
    rows = profiles(run, net, members, opts)
    params = {"projection": opts.projection.projection, "level": opts.projection.level,
              "resolution": opts.resolution, "seed": opts.seed, "nodes": len(net.nodes), "edges": len(net.edges)}
    return AnalysisResult("clusters", records(rows), run.used, params, {"members": records(members)})


def _renumber(nodes: list[str], membership: list[int]) -> list[int]:
    """Stable numbering: largest cluster first, ties by the smallest node id."""
    frame = pd.DataFrame({"node": nodes, "raw": membership})
    order = frame.groupby("raw").agg(size=("node", "count"), first=("node", "min")).sort_values(
        ["size", "first"], ascending=[False, True])
    mapping = {raw: i for i, raw in enumerate(order.index)}
    return [mapping[m] for m in membership]


def _top(series: pd.Series, n: int) -> list[str]:
    s = series.groupby(level=0).sum().sort_index()
    s = s.sort_values(ascending=False, kind="stable")
    return [f"{k} ({v:g})" for k, v in s.head(n).items()]


def profiles(run: QueryRun, net: Network, members: pd.DataFrame, opts: ClusterOptions) -> pd.DataFrame:
    """Per cluster: size, top technologies, organisations (or districts), districts and years."""
    is_district = opts.projection.projection == "district_technology"
    orgs = pd.DataFrame(columns=["org", "name", "kind", "adcode"]) if is_district else \
        run.frame("net_orgs", columns=["org", "name", "kind", "adcode"])
    years = pd.DataFrame(columns=["org", "year", "patents"]) if is_district else \
        run.frame("net_org_years", columns=["org", "year", "patents"])
    bip = net.bipartite.rename(columns={"org": "node"})
    out = []
    for cid, g in members.groupby("cluster", sort=True):
        nodes = set(g["node"])
        tech = bip[bip["node"].isin(nodes)].set_index("tech")["weight"]
        node_w = bip[bip["node"].isin(nodes)].groupby("node")["weight"].sum()
        row = {"cluster": int(cid), "size": len(nodes), "top_technologies": _top(tech, opts.top),
               "top_members": _top(node_w, opts.top) if len(node_w) else sorted(nodes)[:opts.top]}
        if not is_district:
            o = orgs[orgs["org"].isin(nodes)]
            row["top_districts"] = _top(o.groupby("adcode")["org"].count(), opts.top)
            row["kinds"] = _top(o.groupby("kind")["org"].count(), opts.top)
            y = years[years["org"].isin(nodes)].groupby("year")["patents"].sum()
            row["years"] = {str(int(k)): float(v) for k, v in y.sort_index().items()}
            row["peak_year"] = int(y.idxmax()) if len(y) else None
        out.append(row)
    return pd.DataFrame(out)
