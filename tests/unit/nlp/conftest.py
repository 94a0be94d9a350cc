"""In-memory GraphStore and Ledger doubles that enforce the ontology, for the pipeline tests."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from iplayout.graph.store import Counts
from iplayout.ontology.model import check_endpoints, check_properties, node_type


class MemoryStore:
    engine = "memory"

    def __init__(self) -> None:
        self.nodes: dict[str, dict[Any, dict[str, Any]]] = {}
        self.rels: dict[tuple[str, str, str], dict[tuple[Any, Any], dict[str, Any]]] = {}

    def ensure_schema(self) -> None:
        return None

    def upsert_nodes(self, label: str, rows: Iterable[Mapping[str, Any]], *,
                     existing: Collection[Any] | None = None) -> int:
        nt = node_type(label)
        n = 0
        for row in rows:
            check_properties(nt, set(row))
            if existing is not None:  # the pipeline's hint must be true both ways
                assert (row[nt.key] in existing) == (row[nt.key] in self.nodes.get(label, {})), row
            self.nodes.setdefault(label, {}).setdefault(row[nt.key], {}).update(row)
            n += 1
        return n

    def upsert_relationships(self, rel_type: str, from_label: str, to_label: str,
                             rows: Iterable[Mapping[str, Any]], *, known_new: bool = False) -> int:
        rt = check_endpoints(rel_type, from_label, to_label)
        n = 0
        for row in rows:
            check_properties(rt, set(row) - {"from", "to"})
            if known_new:  # the pipeline's hint must be true: the pair is not linked yet
                assert (row["from"], row["to"]) not in self.rels.get((rel_type, from_label, to_label), {}), row
            assert row["from"] in self.nodes.get(from_label, {}), (rel_type, from_label, row["from"])
            assert row["to"] in self.nodes.get(to_label, {}), (rel_type, to_label, row["to"])
            self.rels.setdefault((rel_type, from_label, to_label), {})[(row["from"], row["to"])] = dict(row)
            n += 1
        return n

    def existing_keys(self, label: str, keys: Sequence[Any]) -> set[Any]:
        return set(keys) & set(self.nodes.get(label, {}))

    def delete_by_source(self, source: str) -> int:
        return 0

    def begin_bulk_load(self, directory: Path) -> bool:
        return False

    def finish_bulk_load(self) -> int:
        return 0

    def abort_bulk_load(self) -> None:
        return None

    def run_write_named(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return []

    def counts(self) -> Counts:
        return Counts({k: len(v) for k, v in self.nodes.items()}, {k[0]: len(v) for k, v in self.rels.items()})

    def close(self) -> None:
        return None


@dataclass
class Stored:
    kind: str
    id: str
    source: str
    locator: str
    hash: str
    record: Any


class MemoryLedger:
    def __init__(self, records: list[Stored]) -> None:
        self.records = records
        self.built: dict[tuple[str, str], str] = {}
        self.deletions: list[tuple[str, str]] = []
        self.cites: list[Any] = []

    def pending(self, extractor_version: str, kinds: Sequence[str], batch_size: int) -> Iterator[list[Stored]]:
        todo = [r for r in self.records if r.kind in kinds and self.built.get((r.kind, r.id)) != extractor_version]
        for i in range(0, len(todo), batch_size):
            yield todo[i:i + batch_size]

    def mark_built(self, keys: list[tuple[str, str]], extractor_version: str, *, digests: Any = None,
                   cites: Sequence[Any] = ()) -> None:
        for k in keys:
            self.built[k] = extractor_version
        self.cites = [c for c in self.cites if (c.kind, c.id) not in set(keys)] + list(cites)

    def pending_cites(self) -> list[Any]:
        return list(self.cites)

    def resolve_cites(self, done: Sequence[tuple[str, str, str]]) -> None:
        self.cites = [c for c in self.cites if (c.kind, c.id, c.target) not in set(done)]

    def pending_deletions(self) -> list[tuple[str, str]]:
        return list(self.deletions)

    def mark_deletions_done(self, keys: list[tuple[str, str]]) -> None:
        self.deletions = [d for d in self.deletions if d not in keys]


@pytest.fixture
def memory_store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def stored() -> type[Stored]:
    return Stored


@pytest.fixture
def memory_ledger() -> type[MemoryLedger]:
    return MemoryLedger
