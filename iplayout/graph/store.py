"""The GraphStore port: everything the rest of the package may ask of a graph engine.

Rows are plain dicts. Node rows carry the label's key property; relationship rows carry
``from`` and ``to`` (the endpoint keys) plus the relationship's own properties. Upserts are
idempotent: writing the same rows twice changes nothing. Properties present in a row are set;
properties absent from a row are left as they are.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

Row = Mapping[str, Any]


@dataclass
class Counts:
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {"nodes": dict(self.nodes), "relationships": dict(self.relationships)}


@runtime_checkable
class GraphStore(Protocol):
    """Port implemented by ``neo4j_store.Neo4jStore`` and ``ladybug_store.LadybugStore``."""

    engine: str  # "neo4j" | "embedded": for messages and reports only, never for branching

    def ensure_schema(self) -> None:
        """Create constraints / tables from the ontology; safe to call repeatedly."""

    def upsert_nodes(self, label: str, rows: Iterable[Row], *, existing: Collection[Any] | None = None) -> int:
        """Insert or update nodes keyed by the label's key; returns rows written.

        ``existing``: the keys among these rows that are already in the graph, when the caller has
        just looked them up (``existing_keys``); an engine may then skip its own lookup. Keys not
        in it are taken as absent: a wrong hint fails on a duplicate key.
        """

    def upsert_relationships(self, rel_type: str, from_label: str, to_label: str, rows: Iterable[Row],
                             *, known_new: bool = False) -> int:
        """MERGE one relationship of ``rel_type`` per (from, to) pair; endpoints must exist.

        ``known_new``: the caller knows none of these pairs exists (an endpoint was created in
        this run); an engine may then skip its existence check. A wrong hint duplicates links.
        """

    def begin_bulk_load(self, directory: Path) -> bool:
        """Begin a first load: an engine may keep rows for tables that are empty now aside (under
        ``directory``) and load them in bulk at ``finish_bulk_load``. Returns whether it does; if
        so, nothing written since is durable until ``finish_bulk_load`` returns."""

    def finish_bulk_load(self) -> int:
        """Load what ``begin_bulk_load`` kept aside; returns the number of links loaded."""

    def abort_bulk_load(self) -> None:
        """Drop what was kept aside (a failed build): its records stay unbuilt in the ledger."""

    def delete_by_source(self, source: str) -> int:
        """Detach-delete nodes (and delete relationships) whose ``source`` property equals ``source``."""

    def run_named(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a named query from ``iplayout.queries`` in a read transaction."""

    def run_write_named(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a named write query from ``iplayout.queries`` (internal maintenance only)."""

    def cypher_read(
        self,
        text: str,
        params: Mapping[str, Any] | None = None,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> list[dict[str, Any]]:
        """Run user Cypher read-only: write clauses and writing procedures are refused before execution."""

    def existing_keys(self, label: str, keys: Sequence[Any]) -> set[Any]:
        """The subset of ``keys`` that already exist as nodes of ``label``."""

    def counts(self) -> Counts:
        """Node count per label and relationship count per type (every ontology entry, zeros included)."""

    def clear(self) -> None:
        """Delete every node and relationship (tests, demo rebuilds)."""

    def close(self) -> None: ...
