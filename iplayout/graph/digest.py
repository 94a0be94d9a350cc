"""Content digests of document nodes: what ``build`` wrote, and what the graph holds now.

``build`` records the digest of each document node it writes in the ledger; ``check --deep`` and
``build --resync`` read every document node back and compare. The digest covers the node's ontology
properties with their declared types, nulls left out (an absent property and a null one are the
same on both engines), and ``run_id`` left out (it differs between two builds by design).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from iplayout.graph.rows import prepare_rows
from iplayout.graph.store import GraphStore
from iplayout.ontology import node_type

VOLATILE = frozenset(("run_id",))
PAGE = 50_000


def _props(label: str) -> list[str]:
    return [p.name for p in node_type(label).all_props if p.name not in VOLATILE]


def node_digest(label: str, row: Mapping[str, Any]) -> str:
    """The digest of one node row (as written, or as read back)."""
    return node_digests(label, [row])[0]


def node_digests(label: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """``node_digest`` of each row; values typed column by column, in one pass over the rows."""
    names = _props_set(label)
    typed = prepare_rows(node_type(label), [{k: v for k, v in r.items() if k in names} for r in rows])
    return [_digest(sorted((k, v) for k, v in t.items() if v is not None)) for t in typed]


def _digest(items: list[tuple[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(items, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


_PROP_SETS: dict[str, frozenset[str]] = {}


def _props_set(label: str) -> frozenset[str]:
    found = _PROP_SETS.get(label)
    if found is None:
        found = _PROP_SETS[label] = frozenset(_props(label))
    return found


def graph_documents(store: GraphStore, label: str) -> Iterator[tuple[str, str, bool]]:
    """(id, digest, is_demo) of every ``label`` node, read in key order a page at a time.

    ``is_demo``: written by the synthetic demo (``synthetic`` and run ``demo``), not by a build.
    """
    nt = node_type(label)
    names = _props(label)
    columns = ", ".join(f"n.{p} AS {p}" for p in names)
    after: Any = None
    while True:
        where = f"WHERE n.{nt.key} > $after " if after is not None else ""
        rows = store.cypher_read(
            f"MATCH (n:{label}) {where}RETURN {columns}, n.run_id AS run_id ORDER BY n.{nt.key} LIMIT {PAGE}",
            {"after": after} if after is not None else {},
        )
        for row, digest in zip(rows, node_digests(label, rows), strict=True):
            demo = bool(row.get("synthetic")) and row.get("run_id") == "demo"
            yield str(row[nt.key]), digest, demo
        if len(rows) < PAGE:
            return
        after = rows[-1][nt.key]
