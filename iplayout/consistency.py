"""`iplayout check`: do the ledger, the graph and the search index describe the same documents?

Three id sets per document label are compared: records the ledger says are built, document
nodes in the graph, and documents in the search index. Records not built yet and documents
written straight into the graph by the synthetic demo are reported separately, not as faults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from iplayout.config import Settings
from iplayout.graph.store import GraphStore

KIND_LABEL = {"patents": "Patent", "papers": "Paper", "standards": "Standard", "policies": "Policy",
              "stats": "Observation", "trademarks": "Trademark"}
SEARCHABLE = ("Patent", "Paper", "Standard", "Policy")
SAMPLE = 5


@dataclass
class CheckReport:
    ledger: dict[str, int] = field(default_factory=dict)
    graph: dict[str, int] = field(default_factory=dict)
    index: dict[str, int] | None = None
    pending_build: int = 0
    demo_documents: int = 0
    problems: dict[str, dict[str, Any]] = field(default_factory=dict)
    # which file and version of each reference table the last build read (None: no build recorded
    # it), plus the census table density falls back to now
    reference_tables: dict[str, Any] | None = None
    unchecked: int | None = None  # --deep: documents built before content digests were recorded

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, name: str, ids: set[str]) -> None:
        if ids:
            self.problems[name] = {"count": len(ids), "sample": sorted(ids)[:SAMPLE]}

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "ledger": self.ledger, "graph": self.graph, "index": self.index,
                "pending_build": self.pending_build, "demo_documents": self.demo_documents,
                "problems": self.problems, "reference_tables": self.reference_tables,
                **({"deep_unchecked": self.unchecked} if self.unchecked is not None else {})}


def _graph_ids(store: GraphStore, label: str) -> tuple[set[str], set[str]]:
    rows = store.cypher_read(f"MATCH (n:{label}) RETURN n.id AS id, n.synthetic AS s, n.run_id AS r")
    demo = {r["id"] for r in rows if r["s"] and r["r"] == "demo"}
    return {r["id"] for r in rows} - demo, demo


def _ledger_ids(settings: Settings) -> tuple[dict[str, set[str]], set[tuple[str, str]]]:
    from iplayout.ingestion.ledger import Ledger
    from iplayout.nlp.aliases import ledger_version, load_folder

    built: dict[str, set[str]] = {label: set() for label in KIND_LABEL.values()}
    pending: set[tuple[str, str]] = set()
    if not settings.ledger_path.exists():
        return built, pending
    aliases = load_folder(settings.home / "reference")
    ledger = Ledger(settings.ledger_path)
    try:
        for kind in KIND_LABEL:
            for batch in ledger.pending(ledger_version(kind, aliases), [kind], 5_000):
                pending.update((kind, r.id) for r in batch)
        for rec in ledger.all_active():
            if (rec.kind, rec.id) not in pending:
                built[KIND_LABEL[rec.kind]].add(rec.id)
    finally:
        ledger.close()
    return built, pending


def _index(settings: Settings) -> Any:
    """The configured search index (local files or Neo4j's indexes), ``None`` when there is none."""
    from iplayout.search.backends import has_index

    if not has_index(settings):
        return None
    from iplayout.search.service import SearchService

    return SearchService.open(settings)


def reference_tables(settings: Settings) -> dict[str, Any]:
    from iplayout import refdata

    tables: dict[str, Any] = dict(refdata.built_versions(settings.home) or {})
    census = refdata.resolve("census2020", settings.home / "reference")
    tables["census2020"] = refdata.describe("census2020", census)
    return tables


def check(settings: Settings, store: GraphStore, deep: bool = False) -> CheckReport:
    """``deep``: also compare each document's content digest in the graph and the index with the one
    recorded when it was built (a graph restored from an older copy keeps ids but not content)."""
    report = CheckReport(reference_tables=reference_tables(settings))
    if deep:
        _deep(settings, store, report)
    built, pending = _ledger_ids(settings)
    report.pending_build = len(pending)
    service = _index(settings)
    index = service.ids() if service is not None else None
    for label in KIND_LABEL.values():
        in_graph, demo = _graph_ids(store, label)
        report.demo_documents += len(demo)
        report.ledger[label] = len(built[label])
        report.graph[label] = len(in_graph) + len(demo)
        report.add(f"{label}: built in the ledger but missing from the graph", built[label] - in_graph)
        report.add(f"{label}: in the graph but not in the ledger", in_graph - built[label])
        if index is not None and label in SEARCHABLE:
            report.add(f"{label}: in the graph but not in the search index", (in_graph | demo) - index)
    if index is not None:
        graph_docs: set[str] = set()
        for label in SEARCHABLE:
            in_graph, demo = _graph_ids(store, label)
            graph_docs |= in_graph | demo
        report.index = {"documents": len(index)}
        report.add("search index: documents not in the graph", index - graph_docs)
        for name, ids in service.backend.problems().items():
            report.add(name, ids)
    return report


def _deep(settings: Settings, store: GraphStore, report: CheckReport) -> None:
    from iplayout.ingestion.ledger import Ledger
    from iplayout.resync import compare

    if not settings.ledger_path.exists():
        return
    index = _index(settings)
    ledger = Ledger(settings.ledger_path)
    try:
        drift = compare(settings, store, ledger, index)
    finally:
        ledger.close()
    for label, d in drift.labels.items():
        report.add(f"{label}: content in the graph differs from what was built", d.found["graph_stale"])
        report.add(f"{label}: content in the search index differs from what was built", d.found["index_stale"])
    report.unchecked = drift.unchecked
