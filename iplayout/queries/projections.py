"""Graph projections pulled through named queries and turned into weighted igraph graphs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from iplayout.errors import AnalysisError
from iplayout.queries.runner import QueryRun

Projection = Literal["org_similarity", "coapplicant", "citation", "district_technology"]
PROJECTIONS: tuple[Projection, ...] = ("org_similarity", "coapplicant", "citation", "district_technology")


@dataclass(frozen=True)
class ProjectionOptions:
    projection: Projection = "org_similarity"
    level: str = "main_group"  # IPC level of the technology side: subclass | main_group | subgroup
    top_k: int = 10  # similarity projections: neighbours kept per node
    min_similarity: float = 0.1
    min_weight: float = 1.0  # co-applicant / citation: minimum edge weight


@dataclass
class Network:
    nodes: list[str]
    edges: pd.DataFrame  # source, target, weight (node ids)
    directed: bool
    bipartite: pd.DataFrame  # node x tech weights (for profiles); empty for pure org networks

    def igraph(self) -> Any:
        import igraph as ig

        index = {n: i for i, n in enumerate(self.nodes)}
        g = ig.Graph(n=len(self.nodes), directed=self.directed)
        pairs = [(index[s], index[t]) for s, t in zip(self.edges["source"], self.edges["target"], strict=True)]
        g.add_edges(pairs)
        g.vs["name"] = self.nodes
        g.es["weight"] = self.edges["weight"].astype(float).tolist()
        return g


def build(run: QueryRun, opts: ProjectionOptions) -> Network:
    if opts.projection not in PROJECTIONS:
        raise AnalysisError(f"unknown projection {opts.projection!r}; choose one of {', '.join(PROJECTIONS)}")
    if opts.projection in ("org_similarity", "district_technology"):
        name = "net_org_technology" if opts.projection == "org_similarity" else "net_district_technology"
        bip = run.frame(name, {"level": opts.level}, columns=["org", "tech", "weight"])
        bip["weight"] = pd.to_numeric(bip["weight"]).astype(float)
        nodes = sorted(bip["org"].astype(str).unique())
        return Network(nodes, cosine_edges(bip, nodes, opts.top_k, opts.min_similarity), False, bip)
    name = "net_coapplicants" if opts.projection == "coapplicant" else "net_org_citations"
    edges = run.frame(name, columns=["source", "target", "weight"])
    edges["weight"] = pd.to_numeric(edges["weight"]).astype(float)
    edges = edges[edges["weight"] >= opts.min_weight].sort_values(["source", "target"]).reset_index(drop=True)
    nodes = sorted(set(edges["source"].astype(str)) | set(edges["target"].astype(str)))
    bip = run.frame("net_org_technology", {"level": opts.level}, columns=["org", "tech", "weight"])
    return Network(nodes, edges, opts.projection == "citation", bip[bip["org"].isin(nodes)])


def cosine_edges(bip: pd.DataFrame, nodes: list[str], top_k: int, min_sim: float,
                 block: int = 1024) -> pd.DataFrame:
    """Undirected top-k cosine-similarity edges between the rows of a node x tech weight table."""
    if bip.empty:
        return pd.DataFrame(columns=["source", "target", "weight"])
    techs = sorted(bip["tech"].astype(str).unique())
    ri = pd.Index(nodes).get_indexer(bip["org"].astype(str))
    ci = pd.Index(techs).get_indexer(bip["tech"].astype(str))
    m = np.zeros((len(nodes), len(techs)), dtype=np.float64)
    np.add.at(m, (ri, ci), bip["weight"].to_numpy(dtype=float))
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    m = m / np.where(norms > 0, norms, 1.0)
    k = max(1, min(top_k, len(nodes) - 1))
    found: dict[tuple[int, int], float] = {}
    for start in range(0, len(nodes), block):
        sims = m[start:start + block] @ m.T
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = -1.0
        top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        for r, cols in enumerate(top):
            for c in cols:
                s = float(sims[r, c])
                if s >= min_sim:
                    key = (min(r + start, int(c)), max(r + start, int(c)))
                    found[key] = round(s, 12)
    data = sorted(found.items())
    return pd.DataFrame([(nodes[a], nodes[b], w) for (a, b), w in data], columns=["source", "target", "weight"])
