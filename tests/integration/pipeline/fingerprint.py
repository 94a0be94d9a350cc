"""A run-independent fingerprint of a whole graph: counts plus a checksum of every property value."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from iplayout.graph.store import GraphStore
from iplayout.ontology import NODES, RELATIONSHIPS, node_type

# run_id differs between two runs by design; everything else must be identical.
_VOLATILE = {"run_id"}


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if not k.startswith("_") and v is not None and k not in _VOLATILE}


def fingerprint(store: GraphStore) -> dict[str, Any]:
    counts = store.counts().as_dict()
    digest = hashlib.sha256()
    for n in NODES:
        rows = store.cypher_read(f"MATCH (n:{n.label}) RETURN n AS n ORDER BY n.{n.key}")
        digest.update(json.dumps([_clean(r["n"]) for r in rows], sort_keys=True, ensure_ascii=False).encode())
    for r in RELATIONSHIPS:
        for a, b in r.endpoints:
            ka, kb = node_type(a).key, node_type(b).key
            rows = store.cypher_read(f"MATCH (a:{a})-[e:{r.type}]->(b:{b}) RETURN a.{ka} AS f, b.{kb} AS t, e AS e")
            items = sorted(json.dumps([x["f"], x["t"], _clean(x["e"])], sort_keys=True, ensure_ascii=False)
                           for x in rows)
            digest.update("\n".join(items).encode())
    return {"counts": counts, "checksum": digest.hexdigest()}
