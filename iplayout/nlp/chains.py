"""Industry-chain templates (YAML in ``iplayout/regions/chains/``) and their graph rows.

A template names a chain, the region it belongs to, the public documents it was written from, and
its links (segments) with a position (upstream / midstream / downstream), IPC patterns, key terms and
the links each one feeds (``upstream_of``). Without ``upstream_of`` the order is by position: every
upstream link feeds every midstream link, which feeds every downstream link. The format is
documented in docs/extraction.md ("Chain templates").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from iplayout.errors import ConfigError
from iplayout.nlp import ipc
from iplayout.nlp.rows import GraphRows
from iplayout.nlp.terms import term_id
from iplayout.regions import REGIONS_DIR

Position = Literal["upstream", "midstream", "downstream"]
_ORDER: dict[str, int] = {"upstream": 0, "midstream": 1, "downstream": 2}
CHAINS_DIR = REGIONS_DIR / "chains"


@dataclass(frozen=True)
class Link:
    id: str  # chain-qualified: "<chain id>:<link id>"
    name: str
    position: Position
    ipc_patterns: tuple[str, ...]
    terms: tuple[str, ...]
    upstream_of: tuple[str, ...]  # chain-qualified ids


@dataclass(frozen=True)
class Chain:
    id: str
    name: str
    region: str
    references: tuple[str, ...]
    links: tuple[Link, ...]

    def order(self) -> list[tuple[str, str]]:
        """(upstream link, downstream link) pairs, explicit or derived from positions."""
        explicit = [(link.id, dst) for link in self.links for dst in link.upstream_of]
        if explicit:
            return explicit
        return [(a.id, b.id) for a in self.links for b in self.links
                if _ORDER[b.position] == _ORDER[a.position] + 1]


def load_chain(path: str | Path) -> Chain:
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        return _parse(data)
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"chain template {p} cannot be read: {exc}") from exc


def _parse(d: dict[str, Any]) -> Chain:
    cid = str(d["id"])
    links = []
    for x in d["links"]:
        if x["position"] not in _ORDER:
            raise ValueError(f"link {x['id']}: position must be upstream, midstream or downstream")
        links.append(Link(f"{cid}:{x['id']}", x["name"], x["position"], tuple(map(str, x.get("ipc", ()))),
                          tuple(map(str, x.get("terms", ()))),
                          tuple(f"{cid}:{u}" for u in x.get("upstream_of", ()))))
    known = {link.id for link in links}
    dangling = [u for link in links for u in link.upstream_of if u not in known]
    if dangling:
        raise ValueError(f"upstream_of names unknown links {dangling}")
    refs = tuple(r["title"] + (f" <{r['url']}>" if r.get("url") else "") for r in d.get("references", ()))
    if not refs:
        raise ValueError("a chain template must cite at least one public source under `references`")
    return Chain(cid, d["name"], d["region"], refs, tuple(links))


@lru_cache(maxsize=16)
def load_chains(region: str, folder: str | None = None) -> tuple[Chain, ...]:
    """Every template in ``folder`` (default: the package's chains folder) for ``region``."""
    base = Path(folder) if folder else CHAINS_DIR
    chains = (load_chain(p) for p in sorted(base.glob("*.yaml")))
    return tuple(c for c in chains if c.region == region)


def pattern_node(pattern: str) -> ipc.IpcCode | None:
    """The IPC node a pattern stands for: ``H01M 10/05%`` → main group H01M 10/00; ``H01M`` → subclass."""
    code = ipc.parse(pattern.rstrip("%").rstrip("/").strip())
    if code is None:
        return None
    if code.level == "subgroup" and pattern.endswith("%"):
        return code.parent()
    return code


def matches(pattern: str, code: ipc.IpcCode) -> bool:
    """Does ``code`` fall under ``pattern`` (``H01M``, ``H01M 10/05%``, ``H01M 10/0525``)?"""
    prefix = pattern.rstrip("%").replace(" ", "")
    if pattern.endswith("%") or ipc.parse(prefix) is None or "/" not in prefix:
        return code.compact.startswith(prefix)
    return code.compact == prefix


def chain_rows(chains: tuple[Chain, ...], props: dict[str, Any]) -> GraphRows:
    rows = GraphRows()
    for chain in chains:
        rows.node("IndustryChain", {"id": chain.id, "name": chain.name, "region": chain.region,
                                    "reference": " | ".join(chain.references), **props})
        for link in chain.links:
            rows.node("ChainLink", {"id": link.id, "name": link.name, "position": link.position,
                                    "chain_id": chain.id, "ipc_patterns": list(link.ipc_patterns),
                                    "terms": list(link.terms), **props})
            rows.rel("PART_OF", "ChainLink", "IndustryChain", link.id, chain.id, props)
            _requires(rows, link, props)
        for src, dst in chain.order():
            rows.rel("UPSTREAM_OF", "ChainLink", "ChainLink", src, dst, props)
    return rows


def _requires(rows: GraphRows, link: Link, props: dict[str, Any]) -> None:
    for pattern in link.ipc_patterns:
        node = pattern_node(pattern)
        if node is None:
            continue
        lineage = node.lineage()
        for n in lineage:
            rows.node("Technology", {"id": n.id, "scheme": n.scheme, "code": n.normalized, "level": n.level,
                                     **props})
        for child, parent in zip(lineage, lineage[1:], strict=False):
            rows.rel("BROADER", "Technology", "Technology", child.id, parent.id, props)
        rows.rel("REQUIRES", "ChainLink", "Technology", link.id, node.id, props)
    for term in link.terms:
        rows.node("Technology", {"id": term_id(term), "scheme": "TERM", "code": term.lower(), "name_zh": term,
                                 "level": "term", **props})
        rows.rel("REQUIRES", "ChainLink", "Technology", link.id, term_id(term), props)
