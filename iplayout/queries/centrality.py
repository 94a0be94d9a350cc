"""Centrality within a projection (PageRank, betweenness, degree) and key players per chain link."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from iplayout.graph.store import GraphStore
from iplayout.queries.projections import Network, ProjectionOptions, build
from iplayout.queries.results import AnalysisResult, records
from iplayout.queries.runner import QueryRun


@dataclass(frozen=True)
class CentralityOptions:
    projection: ProjectionOptions = field(default_factory=lambda: ProjectionOptions(projection="coapplicant"))
    top: int = 20
    players_per_link: int = 5
    betweenness_cutoff: int | None = None  # path-length cutoff for large graphs


def node_centrality(net: Network, cutoff: int | None = None) -> pd.DataFrame:
    """PageRank (weighted), betweenness (distance = 1 / weight, normalised) and weighted degree."""
    if not net.nodes:
        return pd.DataFrame(columns=["node", "pagerank", "betweenness", "degree"])
    g = net.igraph()
    pr = g.pagerank(weights="weight", directed=net.directed)
    dist = [1.0 / w if w > 0 else 1e9 for w in g.es["weight"]]
    bt = np.asarray(g.betweenness(weights=dist, directed=net.directed, cutoff=cutoff), dtype=float)
    n = g.vcount()
    scale = (n - 1) * (n - 2) / (1 if net.directed else 2)
    bt = bt / scale if scale > 0 else bt
    deg = g.strength(weights="weight", mode="all")
    return pd.DataFrame({"node": net.nodes, "pagerank": pr, "betweenness": bt, "degree": deg})


def centrality(store: GraphStore, opts: CentralityOptions = CentralityOptions()) -> AnalysisResult:
    run = QueryRun(store)
    net = build(run, opts.projection)
    cen = node_centrality(net, opts.betweenness_cutoff)
    orgs = run.frame("net_orgs", columns=["org", "name", "kind", "adcode"]).rename(columns={"org": "node"})
    top = cen.merge(orgs, on="node", how="left").sort_values(["pagerank", "node"], ascending=[False, True])
    players = key_players(run, cen, opts.players_per_link)
    params = {"projection": opts.projection.projection, "nodes": len(net.nodes), "edges": len(net.edges)}
    return AnalysisResult("centrality", records(top.head(opts.top)), run.used, params,
                          {"key_players": records(players)})


def key_players(run: QueryRun, cen: pd.DataFrame, per_link: int) -> pd.DataFrame:
    """Per chain link: local organisations ranked by link patents, then PageRank."""
    link_orgs = run.frame("chain_link_org_patents", columns=["link", "org", "name", "kind", "adcode", "patents"])
    if link_orgs.empty:
        return link_orgs.assign(pagerank=[], rank=[])
    out = link_orgs.merge(cen[["node", "pagerank"]].rename(columns={"node": "org"}), on="org", how="left")
    out["pagerank"] = out["pagerank"].fillna(0.0)
    out = out.sort_values(["link", "patents", "pagerank", "org"], ascending=[True, False, False, True])
    out["rank"] = out.groupby("link").cumcount() + 1
    return out[out["rank"] <= per_link].reset_index(drop=True)
