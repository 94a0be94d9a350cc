"""`build --resync` and `check --deep`: compare the ledger with the graph and the search index
document by document (ids and content digests), and heal the graph and the index from the ledger.

The ledger is the source of truth. For every record built in it, ``build`` recorded the digest of
the document node it wrote and of its search-index entry (``graph/digest.py``, ``search/digest.py``).
When a document node is missing or differs, every built record is marked unbuilt (one transaction)
and rebuilt in ledger order by an ordinary build: organisations, people and their links are shared
between records and keep the provenance of their first mention, so only that order ends exactly
where a clean build does. When only index entries are missing or differ, those records are extracted
again and re-indexed without touching the graph. Graph documents and index entries whose ledger
record is deleted are removed. Every step is idempotent: a resync killed at any point converges
when run again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from iplayout.config import Settings
from iplayout.graph.digest import graph_documents
from iplayout.graph.store import GraphStore
from iplayout.ingestion.ledger import Ledger
from iplayout.queries.maintenance_queries import DELETE_QUERY_NAMES, KIND_LABELS

log = logging.getLogger(__name__)

SEARCHABLE = ("Patent", "Paper", "Standard", "Policy")
SAMPLE = 5
FINDINGS = ("graph_missing", "graph_stale", "graph_deleted", "graph_unknown", "index_missing", "index_stale",
            "index_extra")


@dataclass
class LabelDrift:
    """Ids per finding for one document label (see ``FINDINGS``)."""

    found: dict[str, set[str]] = field(default_factory=lambda: {name: set() for name in FINDINGS})

    def graph_drift(self) -> bool:
        return bool(self.found["graph_missing"] or self.found["graph_stale"])

    def reindex(self) -> set[str]:
        return self.found["index_missing"] | self.found["index_stale"]


@dataclass
class Drift:
    """What differs between the ledger and the graph / index, per document label."""

    labels: dict[str, LabelDrift] = field(default_factory=dict)
    unchecked: int = 0  # built before digests were recorded: compared by id only
    index_checked: bool = False

    def counts(self) -> dict[str, dict[str, int]]:
        return {label: {k: len(v) for k, v in d.found.items() if v} for label, d in self.labels.items()
                if any(d.found.values())}

    def samples(self) -> dict[str, dict[str, list[str]]]:
        return {label: {k: sorted(v)[:SAMPLE] for k, v in d.found.items() if v} for label, d in self.labels.items()
                if any(d.found.values())}

    @property
    def clean(self) -> bool:
        return not self.counts()


def compare(settings: Settings, store: GraphStore, ledger: Ledger, index: Any | None) -> Drift:
    """Every built record against the graph's document nodes and the index's entries (ids and digests)."""
    from iplayout.search.digest import index_digest

    drift = Drift(index_checked=index is not None)
    indexed = {d.id: d for d in index.docs.docs} if index is not None else {}
    graph_demo: set[str] = set()
    expected_in_index: set[str] = set()
    for kind, label in KIND_LABELS.items():
        d = drift.labels[label] = LabelDrift()
        built = ledger.built_state(kind, _version(settings, kind))
        seen: set[str] = set()
        strangers: list[str] = []
        for rid, digest, demo in graph_documents(store, label):
            if demo:
                graph_demo.add(rid)
                continue
            seen.add(rid)
            want = built.get(rid)
            if want is None:
                strangers.append(rid)
            elif want[0] is None:
                drift.unchecked += 1
            elif want[0] != digest:
                d.found["graph_stale"].add(rid)
        d.found["graph_missing"] = set(built) - seen
        status = ledger.status_of(kind, strangers)
        d.found["graph_deleted"] = {i for i in strangers if status.get(i) == "deleted"}
        d.found["graph_unknown"] = {i for i in strangers if i not in status}
        if index is None or label not in SEARCHABLE:
            continue
        expected_in_index |= set(built)
        for rid, (_, want_index) in built.items():
            doc = indexed.get(rid)
            if doc is None:
                d.found["index_missing"].add(rid)
            elif want_index is not None and index_digest(doc) != want_index:
                d.found["index_stale"].add(rid)
    if index is not None:
        for rid, doc in indexed.items():
            if rid not in expected_in_index and rid not in graph_demo:
                label = doc.type if doc.type in drift.labels else "Patent"
                drift.labels[label].found["index_extra"].add(rid)
    return drift


@dataclass
class ResyncResult:
    drift: dict[str, dict[str, int]]
    samples: dict[str, dict[str, list[str]]]
    rebuilt: dict[str, int] = field(default_factory=dict)
    reindexed: int = 0
    deleted_from_graph: int = 0
    removed_from_index: int = 0
    unchecked: int = 0
    build: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"drift": self.drift, "samples": self.samples, "rebuilt": self.rebuilt, "reindexed": self.reindexed,
                "deleted_from_graph": self.deleted_from_graph, "removed_from_index": self.removed_from_index,
                "unchecked_without_digest": self.unchecked, "build": self.build, "seconds": self.seconds}


def resync(settings: Settings, store: GraphStore, ledger: Ledger, index: Any | None, *,
           advance: Callable[[int], Any] | None = None) -> ResyncResult:
    """Heal the graph and the index from the ledger; see the module docstring."""
    import time

    from iplayout.nlp.pipeline import build, reindex

    started = time.perf_counter()
    store.ensure_schema()
    drift = compare(settings, store, ledger, index)
    result = ResyncResult(drift.counts(), drift.samples(), unchecked=drift.unchecked)
    label_kind = {label: kind for kind, label in KIND_LABELS.items()}
    rebuild_graph = any(d.graph_drift() for d in drift.labels.values())
    if rebuild_graph:
        # Every built record, not only the drifted ones: organisations, people and their links are
        # shared between records and carry the provenance of their first mention in ledger order;
        # only a rebuild in that order ends where a clean build does (bulk-loaded when the graph is empty).
        result.rebuilt = {label: len(ids) for label, ids in _built_ids(settings, ledger).items() if ids}
        ledger.unmark_all_built()  # committed before any write: a kill from here on leaves them pending
    for label, d in drift.labels.items():
        for rid in sorted(d.found["graph_deleted"]):
            store.run_write_named(DELETE_QUERY_NAMES[label_kind[label]], {"id": rid})
            result.deleted_from_graph += 1
    if index is not None:
        extra = [i for d in drift.labels.values() for i in sorted(d.found["index_extra"])]
        if extra:
            result.removed_from_index = index.remove(extra)
        if not rebuild_graph:
            keys = [(label_kind[label], i) for label, d in drift.labels.items() for i in sorted(d.reindex())]
            result.reindexed = reindex(settings, ledger, index, keys)
    built = build(settings, store, ledger, index=index, advance=advance, verify_references=True)
    result.build = built.as_dict()
    for label, d in drift.labels.items():
        if d.found["graph_unknown"]:
            log.warning("%d %s nodes are in the graph but not in the ledger (e.g. %s): left as they are",
                        len(d.found["graph_unknown"]), label, ", ".join(sorted(d.found["graph_unknown"])[:SAMPLE]))
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _version(settings: Settings, kind: str) -> str:
    """The version records of ``kind`` are built with: the extractor's, plus the alias table's digest."""
    from iplayout.nlp.aliases import ledger_version, load_folder

    return ledger_version(kind, load_folder(settings.home / "reference"))


def _built_ids(settings: Settings, ledger: Ledger) -> dict[str, set[str]]:
    return {label: set(ledger.built_state(kind, _version(settings, kind))) for kind, label in KIND_LABELS.items()}


def drift_hint(store: GraphStore, ledger: Ledger, index: Any | None) -> str | None:
    """One line when cheap counts show the graph or the index holding fewer documents than the ledger
    says were built (a lost, restored or partly written database); ``None`` otherwise."""
    built = ledger.built_counts()
    nodes = store.counts().nodes
    short = {label: built.get(kind, 0) - nodes.get(label, 0) for kind, label in KIND_LABELS.items()}
    short = {label: n for label, n in short.items() if n > 0}
    if index is not None:
        expected = sum(built.get(kind, 0) for kind, label in KIND_LABELS.items() if label in SEARCHABLE)
        missing = expected - len(index.ids())
        if missing > 0:
            short["search index"] = missing
    if not short:
        return None
    gaps = ", ".join(f"{label} {n:,}" for label, n in short.items())
    return (f"hint: the ledger says more documents were built than the store holds ({gaps} missing); "
            "run `iplayout build --resync` to rebuild them")
