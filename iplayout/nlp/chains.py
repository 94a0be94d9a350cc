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
        detail = f"missing key {exc}" if isinstance(exc, KeyError) else str(exc).replace("\n", " ")
        raise ConfigError(f"chain template {p}: {detail}") from exc


def _parse(d: dict[str, Any]) -> Chain:
    cid = str(d["id"])
    links = []
    for x in d["links"]:
        if x["position"] not in _ORDER:
            raise ValueError(f"link {x['id']}: position must be upstream, midstream or downstream")
        patterns = tuple(map(str, x.get("ipc", ())))
        bad = [pt for pt in patterns if pattern_node(pt) is None]
        if bad:
            raise ValueError(f"link {x['id']}: invalid IPC pattern {bad[0]!r} (e.g. H01M, H01M 10/05%, H01M 10/0525)")
        links.append(Link(f"{cid}:{x['id']}", x["name"], x["position"], patterns,
                          tuple(map(str, x.get("terms", ()))),
                          tuple(f"{cid}:{u}" for u in x.get("upstream_of", ()))))
    ids = [link.id for link in links]
    if len(set(ids)) != len(ids):
        raise ValueError(f"link {next(i for i in ids if ids.count(i) > 1).split(':', 1)[1]}: defined twice")
    for link in links:
        unknown = [u for u in link.upstream_of if u not in ids]
        if unknown:
            raise ValueError(f"link {_short(link.id)}: upstream_of names unknown link {_short(unknown[0])!r}")
    refs = tuple(r["title"] + (f" <{r['url']}>" if r.get("url") else "") for r in d.get("references", ()))
    if not refs:
        raise ValueError("a chain template must cite at least one public source under `references`")
    chain = Chain(cid, d["name"], d["region"], refs, tuple(links))
    _check_order(chain)
    return chain


def _short(link_id: str) -> str:
    return link_id.split(":", 1)[1]


def _check_order(chain: Chain) -> None:
    """The chain order has no cycle, and every link takes part in it (when the chain has two or more)."""
    down: dict[str, list[str]] = {link.id: [] for link in chain.links}
    for a, b in chain.order():
        down[a].append(b)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in down[node]:
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt):], node, nxt] if nxt in path else [node, nxt]
                raise ValueError(f"link {_short(node)}: upstream_of forms a cycle "
                                 f"{' -> '.join(_short(c) for c in cycle)}")
            if state.get(nxt) is None:
                visit(nxt, [*path, node])
        state[node] = 2

    for link in chain.links:
        if state.get(link.id) is None:
            visit(link.id, [])
    touched = {x for pair in chain.order() for x in pair}
    if len(chain.links) > 1:
        for link in chain.links:
            if link.id not in touched:
                raise ValueError(f"link {_short(link.id)}: not reachable in the chain order (no upstream_of to or "
                                 "from it)")


def unmatched_patterns(chain: Chain, codes: set[str]) -> list[tuple[str, str]]:
    """(link, pattern) pairs whose pattern matches no code of an IPC table (compact codes, e.g. H01M10/0525)."""
    out = []
    for link in chain.links:
        for pattern in link.ipc_patterns:
            prefix = pattern.rstrip("%").replace(" ", "")
            exact = "/" in prefix and not pattern.endswith("%")
            if not any((c == prefix) if exact else c.startswith(prefix) for c in codes):
                out.append((link.id, pattern))
    return out


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
