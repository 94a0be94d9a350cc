"""GraphRows: node and relationship rows collected in memory, merged, then written in batches.

Node rows are keyed by (label, key) and merged: a later row adds or overwrites properties but a
``None`` never erases a value. Relationship rows are keyed by (type, from label, to label, from, to).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from iplayout.ontology.model import check_endpoints, node_type

RelKey = tuple[str, str, str]  # (type, from_label, to_label)


@dataclass(frozen=True)
class Provenance:
    source: str
    locator: str
    run_id: str
    synthetic: bool = False

    def props(self, extractor: str) -> dict[str, Any]:
        return {"source": self.source, "locator": self.locator, "run_id": self.run_id,
                "extractor": extractor, "synthetic": self.synthetic}


@dataclass(frozen=True)
class PendingCite:
    """A citation whose target may not exist yet; the pipeline links it only if it does."""

    from_label: str
    from_id: str
    target: str
    props: Mapping[str, Any]


@dataclass
class GraphRows:
    nodes: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict)
    rels: dict[RelKey, dict[tuple[Any, Any], dict[str, Any]]] = field(default_factory=dict)
    cites: list[PendingCite] = field(default_factory=list)

    def node(self, label: str, row: Mapping[str, Any]) -> Any:
        """Add or merge a node row; returns its key value."""
        key = row[node_type(label).key]
        bucket = self.nodes.setdefault(label, {})
        current = bucket.setdefault(key, {})
        current.update({k: v for k, v in row.items() if v is not None})
        return key

    def rel(self, rel_type: str, from_label: str, to_label: str, src: Any, dst: Any,
            props: Mapping[str, Any] | None = None) -> None:
        rk = (rel_type, from_label, to_label)
        if rk not in self.rels:
            check_endpoints(rel_type, from_label, to_label)
        row = self.rels.setdefault(rk, {}).setdefault((src, dst), {"from": src, "to": dst})
        if props:
            row.update({k: v for k, v in props.items() if v is not None})

    def merge(self, other: GraphRows) -> None:
        for label, bucket in other.nodes.items():
            for row in bucket.values():
                self.node(label, row)
        for (t, fl, tl), bucket in other.rels.items():
            for (s, d), row in bucket.items():
                self.rel(t, fl, tl, s, d, {k: v for k, v in row.items() if k not in ("from", "to")})
        self.cites.extend(other.cites)

    def node_rows(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        for label, bucket in self.nodes.items():
            yield label, list(bucket.values())

    def rel_rows(self) -> Iterator[tuple[RelKey, list[dict[str, Any]]]]:
        for rk, bucket in self.rels.items():
            yield rk, list(bucket.values())

    def count(self) -> tuple[int, int]:
        return (sum(len(b) for b in self.nodes.values()), sum(len(b) for b in self.rels.values()))

    def __len__(self) -> int:
        return sum(self.count())
