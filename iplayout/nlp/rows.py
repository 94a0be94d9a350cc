"""GraphRows: node and relationship rows collected in memory, merged, then written in batches.

Node rows are keyed by (label, key) and merged: a later row adds or overwrites properties but a
``None`` never erases a value. Relationship rows are keyed by (type, from label, to label, from, to).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from iplayout.ontology.model import check_endpoints, node_type

RelKey = tuple[str, str, str]  # (type, from_label, to_label)

# Every record's rows check the same dozen endpoint triples; the ontology does not change at run time.
_check_endpoints = lru_cache(maxsize=None)(check_endpoints)


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
        key = row[_key_prop(label)]
        _merge_row(self.nodes.setdefault(label, {}), key, row)
        return key

    def put(self, label: str, key: Any, row: dict[str, Any]) -> None:
        """``node(label, row)`` for a fresh row without ``None`` values whose key property is ``key``: the
        row is kept, not copied."""
        bucket = self.nodes.get(label)
        if bucket is None:
            _key_prop(label)  # an unknown label is refused as node() would
            bucket = self.nodes[label] = {}
        current = bucket.get(key)
        if current is None:
            bucket[key] = row
        else:
            current.update(row)

    def put_parts(self, label: str, key: Any, head: Mapping[str, Any], props: Mapping[str, Any]) -> None:
        """``put(label, key, {**head, **props})``; merging into an existing row builds no new dict."""
        bucket = self.nodes.get(label)
        if bucket is None:
            _key_prop(label)
            bucket = self.nodes[label] = {}
        current = bucket.get(key)
        if current is None:
            bucket[key] = {**head, **props}
        else:  # updating with head, then props, is updating with {**head, **props}
            current.update(head)
            current.update(props)

    def link(self, rk: RelKey, src: Any, dst: Any, props: Mapping[str, Any]) -> None:
        """``rel(*rk, src, dst, props)`` for props without ``None`` values (nor "from"/"to")."""
        bucket = self.rels.get(rk)
        if bucket is None:
            bucket = self._rel_bucket(rk)
        row = bucket.get((src, dst))
        if row is None:
            bucket[(src, dst)] = {"from": src, "to": dst, **props}
        else:
            row.update(props)

    def rel(self, rel_type: str, from_label: str, to_label: str, src: Any, dst: Any,
            props: Mapping[str, Any] | None = None) -> None:
        bucket = self._rel_bucket((rel_type, from_label, to_label))
        row = bucket.get((src, dst))
        if row is None:
            row = bucket[(src, dst)] = {"from": src, "to": dst}
        if props:
            row.update({k: v for k, v in props.items() if v is not None})

    def link_parts(self, rk: RelKey, src: Any, dst: Any, head: Mapping[str, Any], props: Mapping[str, Any]) -> None:
        """``link(rk, src, dst, {**head, **props})``; merging into an existing row builds no new dict."""
        bucket = self.rels.get(rk)
        if bucket is None:
            bucket = self._rel_bucket(rk)
        row = bucket.get((src, dst))
        if row is None:
            bucket[(src, dst)] = {"from": src, "to": dst, **head, **props}
        else:
            row.update(head)
            row.update(props)

    def put_rel(self, rk: RelKey, src: Any, dst: Any, row: dict[str, Any]) -> None:
        """``link`` for a fresh row ``{"from": src, "to": dst, **props}``: the row is kept, not copied."""
        bucket = self.rels.get(rk)
        if bucket is None:
            bucket = self._rel_bucket(rk)
        current = bucket.get((src, dst))
        if current is None:
            bucket[(src, dst)] = row
        else:
            current.update(row)  # "from"/"to" are equal to what current holds

    def _rel_bucket(self, rk: RelKey) -> dict[tuple[Any, Any], dict[str, Any]]:
        bucket = self.rels.get(rk)
        if bucket is None:
            _check_endpoints(*rk)
            bucket = self.rels[rk] = {}
        return bucket

    def merge(self, other: GraphRows) -> None:
        """Add ``other``'s rows as ``node``/``rel`` would (copied: ``other`` stays independent)."""
        for label, other_bucket in other.nodes.items():
            if not other_bucket:  # as with node(): no rows, no bucket
                continue
            key_prop = node_type(label).key
            bucket = self.nodes.setdefault(label, {})
            for row in other_bucket.values():
                _merge_row(bucket, row[key_prop], row)
        for rk, other_pairs in other.rels.items():
            if not other_pairs:
                continue
            pairs = self._rel_bucket(rk)
            for (src, dst), row in other_pairs.items():
                current = pairs.get((src, dst))
                if current is None:
                    current = pairs[(src, dst)] = {"from": src, "to": dst}
                current.update({k: v for k, v in row.items() if v is not None and k not in ("from", "to")})
        self.cites.extend(other.cites)

    def absorb(self, other: GraphRows) -> None:
        """``merge(other)`` for rows that the caller then discards, built only by this class's methods
        with no "from"/"to" among rel props (as record_to_rows builds them).

        Such rows hold no ``None`` and each rel row's "from"/"to" are its pair, so merging is plain
        updates; ``other``'s dicts are taken over instead of copied.
        """
        _take_over(self.nodes, other.nodes)
        _take_over(self.rels, other.rels)
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


_KEY_PROPS: dict[str, str] = {}


def _key_prop(label: str) -> str:
    """The key property of ``label`` (node_type refuses unknown labels, every time)."""
    key = _KEY_PROPS.get(label)
    if key is None:
        key = _KEY_PROPS[label] = node_type(label).key
    return key


def _merge_row(bucket: dict[Any, dict[str, Any]], key: Any, row: Mapping[str, Any]) -> None:
    """A ``None`` never erases a value; a new row is a fresh dict, never the caller's mapping."""
    values = {k: v for k, v in row.items() if v is not None}
    current = bucket.get(key)
    if current is None:
        bucket[key] = values
    else:
        current.update(values)


def _take_over(mine: dict[Any, dict[Any, dict[str, Any]]], theirs: dict[Any, dict[Any, dict[str, Any]]]) -> None:
    """``absorb`` for one side (nodes by label, or rels by type): buckets and rows taken, not copied."""
    for name, their_bucket in theirs.items():
        bucket = mine.get(name)
        if bucket is None:
            if their_bucket:
                mine[name] = their_bucket
            continue
        for key, row in their_bucket.items():
            current = bucket.get(key)
            if current is None:
                bucket[key] = row
            else:
                current.update(row)
