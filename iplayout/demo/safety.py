"""Keep synthetic demo data out of a store that holds real records.

Real records are document nodes (patents, papers, standards, policies, observations) whose
``synthetic`` property is not true; reference nodes (districts, IPC classes, industries) are not
records and never block the demo.
"""

from __future__ import annotations

from iplayout.consistency import KIND_LABEL
from iplayout.graph.store import GraphStore


def real_records(store: GraphStore) -> dict[str, int]:
    """Non-synthetic records per document label (labels without any left out)."""
    out: dict[str, int] = {}
    for label in KIND_LABEL.values():
        rows = store.cypher_read(f"MATCH (n:{label}) WHERE n.synthetic IS NULL OR n.synthetic = false "
                                 "RETURN count(n) AS n")
        if rows and int(rows[0]["n"]):
            out[label] = int(rows[0]["n"])
    return out


def describe(counts: dict[str, int]) -> str:
    """``199 real records (Patent 150, Paper 49)``."""
    parts = ", ".join(f"{label} {n:,}" for label, n in counts.items())
    return f"{sum(counts.values()):,} real records ({parts})"
