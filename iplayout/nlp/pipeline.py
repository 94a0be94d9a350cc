"""``build``: ledger records not yet built by the current extractors → graph rows → GraphStore.

Per record kind, the ledger is asked for records whose recorded extractor version differs from
``extractor_version(kind)``; bumping one extractor in versions.py therefore re-processes only the
kinds it touches. Rows of a batch are merged in memory (an organisation named by 500 patents is one
row), written nodes first, then relationships, and the batch is marked built only after its writes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from iplayout import refdata
from iplayout.config import Settings
from iplayout.errors import ExtractionError
from iplayout.graph.digest import node_digest
from iplayout.graph.store import GraphStore
from iplayout.ingestion.ledger import PendingCiteRow
from iplayout.nlp.aliases import AliasTable, ledger_version
from iplayout.nlp.aliases import load_folder as load_alias_folder
from iplayout.nlp.entities import ExtractionContext
from iplayout.nlp.index_docs import FacetMaps
from iplayout.nlp.parallel import Extractor, default_workers
from iplayout.nlp.record_rows import StoredLike, record_to_rows
from iplayout.nlp.reference_rows import References, load_references
from iplayout.nlp.rows import GraphRows, PendingCite
from iplayout.nlp.versions import EXTRACTOR_VERSION, KIND_EXTRACTORS
from iplayout.ontology import node_type
from iplayout.queries.maintenance_queries import DELETE_QUERY_NAMES, KIND_LABELS

log = logging.getLogger(__name__)

__all__ = ["EXTRACTOR_VERSION", "BuildResult", "LedgerLike", "build", "record_to_rows", "reindex", "write_rows"]

_DOC_LABELS = ("Patent", "Paper")
_BATCH = 2_000
Digests = dict[tuple[str, str], tuple[str | None, str | None]]
Mark = Callable[[list[tuple[str, str]], str, Digests, list[PendingCiteRow]], Any]
# Provenance that differs between two mentions of one entity without changing it.
_VOLATILE = frozenset(("locator", "run_id"))


class LedgerLike(Protocol):
    def pending(self, extractor_version: str, kinds: Sequence[str], batch_size: int) -> Iterator[list[Any]]: ...

    def mark_built(self, keys: list[tuple[str, str]], extractor_version: str, *,
                   digests: Mapping[tuple[str, str], tuple[str | None, str | None]] | None = None,
                   cites: Sequence[PendingCiteRow] = ()) -> Any: ...

    def pending_cites(self) -> list[PendingCiteRow]: ...

    def resolve_cites(self, done: Sequence[tuple[str, str, str]]) -> Any: ...

    def pending_deletions(self) -> Iterable[Any]: ...

    def mark_deletions_done(self, keys: list[tuple[str, str]]) -> Any: ...


@dataclass
class BuildResult:
    run_id: str
    records: dict[str, int] = field(default_factory=dict)
    nodes_written: int = 0
    relationships_written: int = 0
    reference_rows: int = 0
    cites_linked: int = 0
    cites_unresolved: int = 0
    deleted: int = 0
    deletions_pending: int = 0
    indexed: int = 0
    seconds: float = 0.0
    versions: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def build(
    settings: Settings,
    store: GraphStore,
    ledger: LedgerLike,
    show_progress: bool = False,
    *,
    references: References | None = None,
    kinds: Sequence[str] = tuple(KIND_EXTRACTORS),
    advance: Callable[[int], Any] | None = None,
    index: Any = None,
    aliases: AliasTable | None = None,
    verify_references: bool = False,
) -> BuildResult:
    """Extract and load whatever was ingested and not yet built; see the module docstring.

    ``aliases``: the organisation alias table; read from ``$IPLAYOUT_HOME/reference`` when not given,
    before anything is written, so a bad alias file stops the build with nothing changed.
    ``verify_references``: look every reference node up (not one) before deciding the reference
    layer is in place (``build --resync``: a graph restored from an older copy may lack some).
    """
    started = time.perf_counter()
    run_id = f"build-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    if aliases is None:
        aliases = load_alias_folder(settings.home / "reference")
    result = BuildResult(run_id, versions={k: ledger_version(k, aliases) for k in kinds})
    regions = (settings.region,)
    refs = references if references is not None else References.discover(settings.home / "reference")
    props = {"source": "reference", "locator": "", "run_id": run_id, "extractor": EXTRACTOR_VERSION,
             "synthetic": False}
    loaded = load_references(refs, regions, props)
    refdata.record_versions(settings.home, refs.tables())
    store.ensure_schema()
    if _references_changed(settings, store, loaded.rows, verify_references):
        result.reference_rows = sum(write_rows(store, loaded.rows, settings.write_batch_size))
        _mark_references(settings, store, loaded.rows)
    ctx = ExtractionContext(run_id=run_id, regions=regions, titles_zh=loaded.titles_zh, wipo35=loaded.wipo35,
                            aliases=aliases or None)
    maps = FacetMaps(loaded.rows) if index is not None else None
    tick = advance or (lambda n: None)
    if show_progress and advance is None:
        log.info("build %s started", run_id)
    batch_size = min(_BATCH, settings.write_batch_size)
    written = WrittenInRun()
    workers = settings.build_workers or default_workers()
    # A first load into empty tables is loaded in bulk at the end (graph/first_load.py): its records
    # are marked built only once it is in.
    staged = store.begin_bulk_load(settings.home / "staging")
    unmarked: list[tuple[list[tuple[str, str]], str, Digests, list[PendingCiteRow]]] = []

    def mark(keys: list[tuple[str, str]], version: str, digests: Digests, cites: list[PendingCiteRow]) -> None:
        if staged:
            unmarked.append((keys, version, digests, cites))
        else:
            ledger.mark_built(keys, version, digests=digests, cites=cites)

    try:
        with Extractor(ctx, maps, workers) as extractor:
            for kind in kinds:
                version = ledger_version(kind, aliases)
                queue: deque[tuple[list[StoredLike], Future[tuple[GraphRows, list[Any]]]]] = deque()
                for batch in ledger.pending(version, [kind], batch_size):
                    queue.append((batch, extractor.submit(batch)))
                    if len(queue) > workers:  # keep the workers busy while this process writes
                        _finish(store, mark, queue.popleft(), version, result, settings, index, tick, written)
                while queue:
                    _finish(store, mark, queue.popleft(), version, result, settings, index, tick, written)
        if staged:
            _finish_bulk_load(store, ledger, unmarked, result, show_progress)
    finally:
        store.abort_bulk_load()
    removed = _apply_deletions(store, ledger, result)
    _link_pending_cites(store, ledger, result)
    if index is not None:
        if removed:
            index.remove([rid for _, rid in removed])
        index.save()
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _finish_bulk_load(store: GraphStore, ledger: LedgerLike, unmarked: list[Any], result: BuildResult,
                      show_progress: bool) -> None:
    """Load the staged first load, then mark its records built (never before: see graph/first_load.py)."""
    if show_progress:
        log.info("loading the graph rows of %d records in bulk", sum(len(u[0]) for u in unmarked))
    result.relationships_written += store.finish_bulk_load()
    for keys, version, digests, cites in unmarked:
        ledger.mark_built(keys, version, digests=digests, cites=cites)


def reindex(settings: Settings, ledger: Any, index: Any, keys: Sequence[tuple[str, str]],
            references: References | None = None) -> int:
    """Extract ``keys`` (kind, id) again and write only their search-index entries (the graph is not
    touched: rewriting a record's rows would move the provenance of the organisations and people it
    shares with other records). Returns the documents indexed."""
    if not keys:
        return 0
    run_id = f"reindex-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    refs = references if references is not None else References.discover(settings.home / "reference")
    props = {"source": "reference", "locator": "", "run_id": run_id, "extractor": EXTRACTOR_VERSION,
             "synthetic": False}
    loaded = load_references(refs, (settings.region,), props)
    ctx = ExtractionContext(run_id=run_id, regions=(settings.region,), titles_zh=loaded.titles_zh,
                            wipo35=loaded.wipo35)
    from iplayout.search.digest import index_digest

    records = ledger.stored(keys)
    done = 0
    with Extractor(ctx, FacetMaps(loaded.rows), settings.build_workers or default_workers()) as extractor:
        for start in range(0, len(records), _BATCH):
            batch = records[start:start + _BATCH]
            _, docs = extractor.submit(batch).result()
            if docs:
                index.index_documents(docs)
            kind_of = {r.id: r.kind for r in batch}
            ledger.set_index_digests({(kind_of[d.id], d.id): index_digest(d) for d in docs})
            done += len(docs)
    return done


def _unlink(store: GraphStore, batch: list[StoredLike]) -> set[tuple[str, str]]:
    """A rebuilt record must not keep links its previous version had: clear them first.

    Only records already in the graph are unlinked: a key lookup is cheap, while the unlink
    queries of a first build touched every new record's (empty) adjacency for nothing. Returns
    (label, id) of the records not yet in the graph: no link of theirs can exist.
    """
    from iplayout.queries.registry import registry

    known = registry()
    by_kind: dict[str, list[str]] = {}
    for stored in batch:
        by_kind.setdefault(stored.kind, []).append(stored.id)
    absent: set[tuple[str, str]] = set()
    for kind, all_ids in by_kind.items():
        label = KIND_LABELS.get(kind)
        ids = sorted(store.existing_keys(label, all_ids)) if label else all_ids
        absent.update((str(label), i) for i in set(all_ids) - set(ids))
        if not ids:
            continue
        for direction in ("out", "in"):
            name = f"unlink_{kind}_{direction}"
            if name in known:
                store.run_write_named(name, {"ids": ids})
    return absent


def _reference_marker(settings: Settings, store: GraphStore, rows: GraphRows) -> tuple[Path, str]:
    """Where the last written reference layer is remembered, and the digest of this one.

    Rewriting an unchanged reference layer would flip provenance on shared nodes (an IPC class
    first written by a record) and make a no-op build change the graph, so it is written only
    when its content or the target store changed.
    """
    def stable(row: dict[str, Any]) -> list[tuple[str, Any]]:
        return sorted((k, v) for k, v in row.items() if k != "run_id")

    nodes = [[label, sorted(str(stable(r)) for r in bucket.values())] for label, bucket in sorted(rows.nodes.items())]
    rels = [[str(k), sorted(str(stable(r)) for r in bucket.values())] for k, bucket in sorted(rows.rels.items())]
    content = json.dumps([nodes, rels], ensure_ascii=False)
    target = settings.neo4j_uri + "/" + settings.neo4j_database if store.engine == "neo4j" else str(
        settings.embedded_path.resolve())
    digest = hashlib.sha256((store.engine + target + content).encode()).hexdigest()
    return settings.home / "reference-layer.sha256", digest


def _references_changed(settings: Settings, store: GraphStore, rows: GraphRows, verify: bool = False) -> bool:
    marker, digest = _reference_marker(settings, store, rows)
    if not marker.exists() or marker.read_text(encoding="utf-8").strip() != digest:
        return True
    if verify:
        return any(len(store.existing_keys(label, list(bucket))) < len(bucket)
                   for label, bucket in sorted(rows.nodes.items()) if bucket)
    # The graph may have been cleared since: check one reference node is still there.
    label, bucket = next(((lb, b) for lb, b in sorted(rows.nodes.items()) if b), ("", {}))
    return bool(label) and not store.existing_keys(label, [next(iter(bucket))])


def _mark_references(settings: Settings, store: GraphStore, rows: GraphRows) -> None:
    marker, digest = _reference_marker(settings, store, rows)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(digest + "\n", encoding="utf-8")


def _finish(store: GraphStore, mark: Mark,
            item: tuple[list[StoredLike], Future[tuple[GraphRows, list[Any]]]], version: str,
            result: BuildResult, settings: Settings, index: Any, tick: Callable[[int], Any],
            written: WrittenInRun) -> None:
    """Write one extracted batch, feed the index, then (only then) mark it built (``mark``)."""
    batch, future = item
    try:
        rows, docs = future.result()
    except BrokenProcessPool as exc:
        raise ExtractionError(f"an extraction worker process died: {exc}") from exc
    new_docs = _unlink(store, batch)
    _clear_absent(rows, batch, new_docs)
    linked, missing = _link_cites(store, rows)
    result.cites_linked += linked
    result.cites_unresolved += len(missing)
    digests = _digests(batch, rows, docs)
    written.drop_repeats(rows, {r.id for r in batch})
    nodes, rels = write_rows(store, rows, settings.write_batch_size, new_docs)
    result.nodes_written += nodes
    result.relationships_written += rels
    if index is not None and docs:
        index.index_documents(docs)
        result.indexed += len(docs)
    kind = batch[0].kind
    mark([(r.kind, r.id) for r in batch], version, digests,
         [PendingCiteRow(kind, c.from_id, c.from_label, c.target, json.dumps(dict(c.props), sort_keys=True))
          for c in missing])
    result.records[kind] = result.records.get(kind, 0) + len(batch)
    tick(len(batch))


class WrittenInRun:
    """Digests of the shared-entity rows this build run has written.

    An organisation, its district link or an inventor's affiliation recurs in every batch that
    mentions it; writing it again changes nothing but its locator, and on LadybugDB costs a
    MATCH + SET per row that grows with the graph (docs/benchmarks.md, issue 3). Rows of the
    batch's own records are unique to that batch and are not remembered.
    """

    def __init__(self) -> None:
        self._digests: dict[tuple[Any, ...], int] = {}

    def drop_repeats(self, rows: GraphRows, own_ids: set[str]) -> int:
        """Remove from ``rows`` what an earlier batch of this run already wrote unchanged."""
        dropped = 0
        for label, bucket in rows.nodes.items():
            for key in [k for k in bucket if k not in own_ids]:
                if self._seen(("node", label, key), bucket[key]):
                    del bucket[key]
                    dropped += 1
        for rel_key, pairs in rows.rels.items():
            for pair in [p for p in pairs if p[0] not in own_ids and p[1] not in own_ids]:
                if self._seen((rel_key, pair), pairs[pair]):
                    del pairs[pair]
                    dropped += 1
        return dropped

    def _seen(self, key: tuple[Any, ...], row: dict[str, Any]) -> bool:
        stable = row.copy()
        for volatile in _VOLATILE:
            stable.pop(volatile, None)
        try:
            digest = hash(frozenset(stable.items()))
        except TypeError:  # a list value (STRING[]): hashed as a tuple
            digest = hash(frozenset((k, tuple(v) if type(v) is list else v) for k, v in stable.items()))
        if self._digests.get(key) == digest:
            return True
        self._digests[key] = digest
        return False


def _clear_absent(rows: GraphRows, batch: list[StoredLike], new_docs: set[tuple[str, str]]) -> None:
    """A rebuilt document keeps no property its record no longer has: rows never carry ``None`` (a
    ``None`` does not erase a value), so the document rows of records already in the graph name
    every property, absent ones as null, which the stores write as "no value"."""
    for r in batch:
        label = KIND_LABELS.get(r.kind)
        row = rows.nodes.get(label, {}).get(r.id) if label and (label, r.id) not in new_docs else None
        if row is not None:
            for prop in node_type(str(label)).all_props:
                row.setdefault(prop.name, None)


def _digests(batch: list[StoredLike], rows: GraphRows, docs: list[Any]) -> Digests:
    """(kind, id) -> digests of the record's document node and search-index entry, as written."""
    from iplayout.search.digest import index_digest

    indexed = {d.id: index_digest(d) for d in docs}
    out: Digests = {}
    for r in batch:
        label = KIND_LABELS.get(r.kind)
        row = rows.nodes.get(label, {}).get(r.id) if label else None
        out[(r.kind, r.id)] = (node_digest(str(label), row) if row else None, indexed.get(r.id))
    return out


def _link_cites(store: GraphStore, rows: GraphRows) -> tuple[int, list[PendingCite]]:
    """Turn pending citations into CITES rows where the target exists; no stubs are created.

    Returns the number linked and the citations left (kept in the ledger, linked by a later batch
    or build once their target is in the graph: the links do not depend on the order records are
    built in, so a rebuild of part of the graph ends where a clean build does)."""
    if not rows.cites:
        return 0, []
    targets = sorted({c.target for c in rows.cites})
    where: dict[str, str] = {}
    for label in _DOC_LABELS:
        in_batch = set(rows.nodes.get(label, {}))
        for t in in_batch.intersection(targets) | store.existing_keys(label, targets):
            where.setdefault(t, label)
    missing: list[PendingCite] = []
    for c in rows.cites:
        target_label = where.get(c.target)
        if target_label is not None:
            rows.rel("CITES", c.from_label, target_label, c.from_id, c.target, c.props)
        else:
            missing.append(c)
    return len(rows.cites) - len(missing), missing


def _link_pending_cites(store: GraphStore, ledger: LedgerLike, result: BuildResult) -> None:
    """Link the citations kept in the ledger whose target (and citing document) is now in the graph."""
    pending = ledger.pending_cites()
    if not pending:
        result.cites_unresolved = 0
        return
    targets = sorted({c.target for c in pending})
    where: dict[str, str] = {}
    for label in _DOC_LABELS:
        for t in store.existing_keys(label, targets):
            where.setdefault(t, label)
    ready = [c for c in pending if c.target in where]
    sources: set[tuple[str, str]] = set()
    for label in sorted({c.from_label for c in ready}):
        ids = sorted({c.id for c in ready if c.from_label == label})
        sources.update((label, i) for i in store.existing_keys(label, ids))
    ready = [c for c in ready if (c.from_label, c.id) in sources]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in ready:
        groups.setdefault((c.from_label, where[c.target]), []).append({**json.loads(c.props), "from": c.id,
                                                                       "to": c.target})
    for (src, dst), rel_rows in sorted(groups.items()):
        result.relationships_written += store.upsert_relationships("CITES", src, dst, rel_rows)
    ledger.resolve_cites([(c.kind, c.id, c.target) for c in ready])
    result.cites_linked += len(ready)
    result.cites_unresolved = len(pending) - len(ready)


def write_rows(store: GraphStore, rows: GraphRows, batch_size: int,
               new_docs: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset()) -> tuple[int, int]:
    """Upsert every node row, then every relationship row, in chunks of ``batch_size``.

    ``new_docs``: (label, id) of documents known not to be in the graph before these rows. Every
    other node key is looked up once here; a link with an endpoint created by these rows cannot
    exist yet and is written as known new (no existence check).
    """
    nodes = rels = 0
    created: set[tuple[str, Any]] = set(new_docs)
    for label, node_rows in rows.node_rows():
        key = node_type(label).key
        unknown = [k for r in node_rows if (label, k := r.get(key)) not in new_docs and k is not None]
        existing = store.existing_keys(label, unknown) if unknown else set()
        created.update((label, k) for r in node_rows if (k := r.get(key)) not in existing)
        for chunk in _chunks(node_rows, batch_size):
            nodes += store.upsert_nodes(label, chunk, existing=existing)
    for (rel_type, src, dst), rel_rows in rows.rel_rows():
        is_new = [(src, r["from"]) in created or (dst, r["to"]) in created for r in rel_rows]
        fresh = [r for r, new in zip(rel_rows, is_new, strict=True) if new]
        others = [r for r, new in zip(rel_rows, is_new, strict=True) if not new]
        for part, known_new in ((fresh, True), (others, False)):
            for chunk in _chunks(part, batch_size):
                rels += store.upsert_relationships(rel_type, src, dst, chunk, known_new=known_new)
    return nodes, rels


def _chunks(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _apply_deletions(store: GraphStore, ledger: LedgerLike, result: BuildResult) -> list[tuple[str, str]]:
    """Delete documents the ledger says are gone (through per-label named write queries)."""
    from iplayout.queries.registry import registry

    known = registry()
    done: list[tuple[str, str]] = []
    for item in ledger.pending_deletions():
        kind, rid = _deletion_key(item)
        query = DELETE_QUERY_NAMES.get(kind)
        if query is None or query not in known:
            result.deletions_pending += 1
            continue
        store.run_write_named(query, {"id": rid})
        done.append((kind, rid))
    if done:
        ledger.mark_deletions_done(done)
    if result.deletions_pending:
        log.warning("%d deletions left pending: named queries %s are not registered",
                    result.deletions_pending, sorted(set(DELETE_QUERY_NAMES.values()) - set(known)))
    result.deleted = len(done)
    return done


def _deletion_key(item: Any) -> tuple[str, str]:
    if isinstance(item, tuple):
        return str(item[0]), str(item[1])
    return str(item.kind), str(item.id)
