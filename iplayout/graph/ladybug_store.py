"""Embedded adapter: LadybugDB (the maintained Kuzu fork), in-process, on disk.

Write path, chosen from measurements (docs/benchmarks.md): rows travel as typed Arrow tables
through ``LOAD FROM``; node upserts look up existing keys, CREATE the new and SET the changed
(``MERGE`` on a growing table slows to a crawl); relationships MERGE with one MATCH clause per
endpoint (two endpoints in one MATCH is a cross product here).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from iplayout.errors import BulkLoadAborted, GraphError, GraphLockedError, QueryTimeout, ReadOnlyViolation
from iplayout.graph.cypher_dialect import to_embedded
from iplayout.graph.first_load import ABORTED, CopyLimits, FirstLoad, watched
from iplayout.graph.readonly import check_read_only
from iplayout.graph.rows import chunks, dedupe_by, group_by_columns, prepare_rows, warn_skipped
from iplayout.graph.store import Counts, Row
from iplayout.ontology import NODES, RELATIONSHIPS, check_endpoints, node_type
from iplayout.ontology.ddl import ladybug_schema
from iplayout.ontology.model import NodeType, Prop
from iplayout.queries.registry import get as get_query

log = logging.getLogger(__name__)

_ARROW = {
    "STRING": pa.string(),
    "INT64": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "STRING[]": pa.list_(pa.string()),
}
_LOCK = re.compile(r"Lock is held by PID (\d+)|Could not set lock", re.I)
# A connection keeps every Arrow table a `LOAD FROM` scanned, and native memory with it, until it
# is closed (ladybug 0.22.0: a 200k-patent build grew past 18 GB and then "the buffer pool is
# full"). Table-fed statements therefore run on a connection replaced after this many of them.
_SCANS_PER_CONNECTION = 64
# Each checkpoint costs time in proportion to the database, not to the WAL: at the engine's
# 16 MB default a 60k-patent build spent a third of its time checkpointing (76.7 s vs 50.2 s).
_CHECKPOINT_WAL_BYTES = 256 << 20


def _arrow(
    columns: Sequence[str], types: Sequence[Prop], rows: Sequence[Mapping[str, Any]]
) -> pa.Table:
    """Columns are named c0..cN so property names never collide with Cypher keywords."""
    arrays = []
    for i, col in enumerate(columns):
        arrays.append(pa.array([r.get(col) for r in rows], type=_ARROW[types[i].type]))
    return pa.table(arrays, names=[f"c{i}" for i in range(len(columns))])


def _key_table(key_type: Prop, keys: Sequence[Any]) -> pa.Table:
    """One column ``c0`` of keys, for lookups."""
    return pa.table([pa.array(keys, type=_ARROW[key_type.type])], names=["c0"])


def _lock_holder(message: str) -> str:
    m = re.search(r"PID (\d+)", message)
    if not m:
        return "another process"
    pid = int(m.group(1))
    try:
        import psutil

        cmd = " ".join(psutil.Process(pid).cmdline()) or "?"
    except (ImportError, OSError, ValueError):
        cmd = "?"
    return f"process {pid} ({cmd[:120]})"


class LadybugStore:
    engine = "embedded"

    def __init__(self, path: Path, *, read_only: bool = False, batch_size: int = 10_000,
                 buffer_pool_mb: int = 0, copy_limits: CopyLimits | None = None) -> None:
        import ladybug

        self._lb = ladybug
        self.path = Path(path)
        self.read_only = read_only
        self.batch_size = batch_size
        self.buffer_pool_mb = buffer_pool_mb
        if read_only and not self.path.exists():
            raise GraphError(
                f"no embedded graph at {self.path}: run `iplayout demo` or `iplayout build` first"
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = self._open(read_only)
        self._conn = ladybug.Connection(self._db)
        self._scan_conn: Any = None
        self._scans = 0
        self._bulk: FirstLoad | None = None  # a first load in progress (first_load.py)
        self.copy_limits = copy_limits or CopyLimits()
        self._stuck = False  # a COPY hung past its watchdog and interrupt: the handles cannot be closed

    def _open(self, read_only: bool) -> Any:
        try:
            return self._lb.Database(str(self.path), read_only=read_only,
                                     buffer_pool_size=self.buffer_pool_mb << 20,  # 0 = engine default
                                     checkpoint_threshold=_CHECKPOINT_WAL_BYTES)
        except RuntimeError as exc:
            if _LOCK.search(str(exc)):
                raise GraphLockedError(
                    f"the embedded graph {self.path} is open for writing by {_lock_holder(str(exc))}; "
                    "stop it, or send the work to the running server (POST /ingest) instead"
                ) from exc
            raise GraphError(f"cannot open embedded graph {self.path}: {exc}") from exc

    # -- low level --------------------------------------------------------------------------
    def _exec(
        self, text: str, params: Mapping[str, Any] | None = None, conn: Any = None, **tables: pa.Table
    ) -> list[dict[str, Any]]:
        # LadybugDB resolves `LOAD FROM t0` against the calling frame's local variables.
        t0 = tables.get("t0")  # noqa: F841 - referenced by name from the query text
        if conn is None:
            conn = self._conn if t0 is None else self._scanning_connection()
        try:
            res = conn.execute(text, dict(params or {}))
        except RuntimeError as exc:
            msg = str(exc)
            if "timeout" in msg.lower() or "interrupted" in msg.lower():
                raise QueryTimeout(f"query stopped after its time limit: {msg[:200]}") from exc
            if "read-only" in msg.lower() or "read only" in msg.lower():
                raise ReadOnlyViolation(f"read-only: {msg[:200]}") from exc
            raise GraphError(f"LadybugDB: {msg[:500]}") from exc
        results = res if isinstance(res, list) else [res]
        try:
            last = results[-1]
            cols = last.get_column_names()
            return [dict(zip(cols, row, strict=True)) for row in last.get_all()]
        finally:
            for r in results:  # an open result pins buffer-pool pages until it is closed
                r.close()

    def _scanning_connection(self) -> Any:
        """The connection for `LOAD FROM` statements, renewed to release what it holds (see top)."""
        if self._scan_conn is None or self._scans >= _SCANS_PER_CONNECTION:
            if self._scan_conn is not None:
                self._scan_conn.close()
            self._scan_conn = self._lb.Connection(self._db)
            self._scans = 0
        self._scans += 1
        return self._scan_conn

    def _write(self, text: str, t0: pa.Table) -> list[dict[str, Any]]:
        if self.read_only:
            raise ReadOnlyViolation("read-only: this store was opened read-only")
        return self._exec(text, t0=t0)

    # -- port -----------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        if self.read_only:
            return
        for stmt in ladybug_schema():
            self._exec(stmt)
        self._add_new_columns()

    def _add_new_columns(self) -> None:
        """A graph made by an older version lacks properties the ontology has gained since (e.g.
        ``Organization.aliases``): add them as empty columns instead of failing every upsert."""
        for nt in NODES:
            have = {r["name"] for r in self._exec(f"CALL TABLE_INFO('{nt.label}') RETURN name")}
            for prop in nt.all_props:
                if prop.name not in have:
                    self._exec(f"ALTER TABLE {nt.label} ADD {prop.name} {prop.type}")

    def existing_keys(self, label: str, keys: Sequence[Any]) -> set[Any]:
        if self._bulk is not None and label in self._bulk.labels:  # the table was empty: only staged keys
            return set(keys) & self._bulk.staged_keys[label]
        nt = node_type(label)
        found: set[Any] = set()
        key_type = nt.prop(nt.key)
        for part in chunks(list(keys), 200_000):
            t0 = _key_table(key_type, part)
            rows = self._exec(
                f"LOAD FROM t0 MATCH (n:{nt.label} {{{nt.key}: c0}}) RETURN n.{nt.key} AS k", t0=t0
            )
            found.update(r["k"] for r in rows)
        return found

    def upsert_nodes(self, label: str, rows: Iterable[Row], *, existing: Collection[Any] | None = None) -> int:
        nt = node_type(label)
        prepared = dedupe_by(prepare_rows(nt, rows), nt.key)
        if self._bulk is not None:
            if label in self._bulk.labels:
                self._bulk.add_nodes(nt, prepared)
                return len(prepared)
            self._bulk.note_written(label, [r[nt.key] for r in prepared])
        for batch in chunks(prepared, self.batch_size):
            found = self.existing_keys(label, [r[nt.key] for r in batch]) if existing is None else existing
            new = [r for r in batch if r[nt.key] not in found]
            old = [r for r in batch if r[nt.key] in found]
            if new:  # absent properties of a new node are null: one statement for all columns
                self._create(nt, new)
            for cols, group in group_by_columns(old):
                if len(cols) > 1:
                    self._set(nt, cols, group)
        return len(prepared)

    def _create(self, nt: NodeType, rows: Sequence[Mapping[str, Any]]) -> None:
        # Properties inline in CREATE: a third faster than CREATE followed by SET here.
        cols = [nt.key, *sorted({c for r in rows for c in r} - {nt.key})]
        inline = ", ".join(f"{c}: c{i}" for i, c in enumerate(cols))
        self._write(f"LOAD FROM t0 CREATE (n:{nt.label} {{{inline}}})",
                    _arrow(cols, [nt.prop(c) for c in cols], rows))

    def _set(self, nt: NodeType, cols: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> None:
        ordered = [nt.key, *[c for c in cols if c != nt.key]]
        t0 = _arrow(ordered, [nt.prop(c) for c in ordered], rows)
        sets = ", ".join(f"n.{c} = c{i}" for i, c in enumerate(ordered) if i > 0)
        self._write(f"LOAD FROM t0 MATCH (n:{nt.label} {{{nt.key}: c0}}) SET {sets}", t0)

    def upsert_relationships(self, rel_type: str, from_label: str, to_label: str, rows: Iterable[Row],
                             *, known_new: bool = False) -> int:
        rt = check_endpoints(rel_type, from_label, to_label)
        a, b = node_type(from_label), node_type(to_label)
        prepared = dedupe_by(prepare_rows(rt, rows, extra=("from", "to")), ("from", "to"))
        if self._bulk is not None and self._bulk.stages_links(rt, a, b):
            self._bulk.add_links(rt, a, b, prepared, known_new)
            return 0  # counted by finish_bulk_load, once loaded
        prop_types = {p.name: p for p in rt.all_props}
        endpoints = f"MATCH (a:{a.label} {{{a.key}: c0}}) MATCH (b:{b.label} {{{b.key}: c1}})"
        written = 0
        for batch in chunks(prepared, self.batch_size):
            existing = set() if known_new else self._existing_pairs(rt.type, a, b, batch)
            new = [r for r in batch if (r["from"], r["to"]) not in existing] if existing else list(batch)
            if new:  # CREATE is ~5x faster than MERGE here, and the pairs are known to be absent
                props = sorted({c for r in new for c in r} - {"from", "to"})  # absent = null on a new link
                types = [a.prop(a.key), b.prop(b.key), *[prop_types[c] for c in props]]
                inline = ", ".join(f"{c}: c{i + 2}" for i, c in enumerate(props))
                out = self._write(
                    f"LOAD FROM t0 {endpoints} CREATE (a)-[e:{rt.type} {{{inline}}}]->(b) RETURN count(*) AS n",
                    _arrow(["from", "to", *props], types, new),
                )
                written += int(out[0]["n"]) if out else 0
            old = [r for r in batch if (r["from"], r["to"]) in existing]
            for cols, group in group_by_columns(old):
                written += len(group)
                props = [c for c in cols if c not in ("from", "to")]
                if props:
                    types = [a.prop(a.key), b.prop(b.key), *[prop_types[c] for c in props]]
                    sets = ", ".join(f"e.{c} = c{i + 2}" for i, c in enumerate(props))
                    self._write(
                        f"LOAD FROM t0 MATCH (a:{a.label} {{{a.key}: c0}})-[e:{rt.type}]->"
                        f"(b:{b.label}) WHERE b.{b.key} = c1 SET {sets}",  # expand from a (see above)
                        _arrow(["from", "to", *props], types, group),
                    )
        warn_skipped(rel_type, written, len(prepared))
        return written

    def _existing_pairs(
        self, rel: str, a: NodeType, b: NodeType, rows: Sequence[Mapping[str, Any]]
    ) -> set[tuple[Any, Any]]:
        """Pairs of ``rows`` already linked by ``rel``.

        Only one side is bound, the one with more distinct keys in the batch: binding both ends
        lets the planner start from a hub (a term mentioned by 10,000 patents) and exhaust the
        buffer pool, and expanding from a few hubs (50 applicants of 2,000 new patents) reads
        adjacency lists that grow with the graph; the many-keys side has the short lists.
        """
        sources = sorted({r["from"] for r in rows})
        targets = sorted({r["to"] for r in rows})
        if len(targets) > len(sources):
            t0 = _key_table(b.prop(b.key), targets)
            head = f"MATCH (b:{b.label} {{{b.key}: c0}})<-[e:{rel}]-(a:{a.label})"
        else:
            t0 = _key_table(a.prop(a.key), sources)
            head = f"MATCH (a:{a.label} {{{a.key}: c0}})-[e:{rel}]->(b:{b.label})"
        found = self._exec(f"LOAD FROM t0 {head} RETURN a.{a.key} AS f, b.{b.key} AS t", t0=t0)
        wanted = {(r["from"], r["to"]) for r in rows}
        return {(r["f"], r["t"]) for r in found} & wanted

    # -- first loads (see first_load.py) ---------------------------------------------------------
    def begin_bulk_load(self, directory: Path) -> bool:
        """Stage rows of node and relationship tables that are empty now, until ``finish_bulk_load``."""
        if self.read_only or self._bulk is not None:
            return False
        aborted = directory.parent / ABORTED
        if aborted.exists():  # the last bulk load hung: this build goes row by row (slower, no COPY)
            log.warning("the last bulk load was aborted by its watchdog; loading row by row this time")
            aborted.unlink()
            return False
        labels = {nt.label for nt in NODES
                  if not self._exec(f"MATCH (n:{nt.label}) RETURN count(n) AS n")[0]["n"]}
        types = {rt.type for rt in RELATIONSHIPS
                 if not self._exec(f"MATCH ()-[e:{rt.type}]->() RETURN count(e) AS n")[0]["n"]}
        if labels or types:
            self._bulk = FirstLoad(directory, labels, types, _ARROW)
        return self._bulk is not None

    def finish_bulk_load(self) -> int:
        """COPY what was staged: nodes, then links; returns the number of links loaded."""
        bulk, self._bulk = self._bulk, None
        if bulk is None:
            return 0
        loaded = 0
        # One thread: on LadybugDB 0.22 a COPY scheduled on several threads now and then never
        # returns (every thread idle, the caller waiting; seen on 2 of 3 tries of one 154k-row
        # node table, never in 10 tries single-threaded, which loaded it as fast).
        copier = self._lb.Connection(self._db)
        copier.set_max_threads_for_exec(1)

        def copy(statement: str, rows: int, what: str) -> None:
            watched(lambda: self._run_copy(statement, copier), rows, self.copy_limits, copier.interrupt, what)

        try:
            for label, path, merge in bulk.node_files():
                rows = merge()
                if rows:
                    copy(f"COPY {label} FROM '{_quoted(path)}'", rows, label)
            for (rel, src, dst), path, fix in bulk.link_files():
                rows = fix(self._endpoint_check(bulk, rel, node_type(src), node_type(dst)))
                if rows:
                    copy(f"COPY {rel} FROM '{_quoted(path)}' (from='{src}', to='{dst}')", rows, f"{rel} {src}->{dst}")
                loaded += rows
        except BulkLoadAborted as exc:
            (bulk.directory.parent / ABORTED).write_text(str(exc) + "\n", encoding="utf-8")
            self._stuck = exc.stuck
            raise
        finally:
            if not self._stuck:
                copier.close()
            bulk.discard()
        return loaded

    def _run_copy(self, statement: str, conn: Any) -> None:
        self._exec(statement, conn=conn)

    def abort_bulk_load(self) -> None:
        if self._bulk is not None:
            self._bulk.discard()
            self._bulk = None

    def _endpoint_check(self, bulk: FirstLoad, rel: str, a: NodeType, b: NodeType) -> Callable[[str, Any], Any]:
        """``keep(column, keys)``: mask of the keys that exist (one missing endpoint fails a whole COPY)."""
        labels = {"from": a, "to": b}

        def keep(column: str, keys: Any) -> Any:
            label = labels[column].label
            unique = pc.unique(keys)
            unsure = unique.filter(pc.invert(pc.is_in(unique, value_set=bulk.known_keys(label, keys.type))))
            if not len(unsure):
                return None
            missing = set(unsure.to_pylist()) - self.existing_keys(label, unsure.to_pylist())
            if not missing:
                return None
            ok = pc.invert(pc.is_in(keys, value_set=pa.array(sorted(missing), keys.type)))
            log.warning("%s: %d rows skipped (endpoint missing)", rel, len(keys) - pc.sum(ok).as_py())
            return ok

        return keep

    def delete_by_source(self, source: str) -> int:
        if self.read_only:
            raise ReadOnlyViolation("read-only: this store was opened read-only")
        removed = 0
        for rt in RELATIONSHIPS:
            n = self._exec(
                f"MATCH ()-[e:{rt.type}]->() WHERE e.source = $s RETURN count(e) AS n", {"s": source}
            )
            if n[0]["n"]:
                self._exec(f"MATCH ()-[e:{rt.type}]->() WHERE e.source = $s DELETE e", {"s": source})
                removed += int(n[0]["n"])
        for nt in NODES:
            n = self._exec(f"MATCH (n:{nt.label}) WHERE n.source = $s RETURN count(n) AS n", {"s": source})
            if n[0]["n"]:
                self._exec(f"MATCH (n:{nt.label}) WHERE n.source = $s DETACH DELETE n", {"s": source})
                removed += int(n[0]["n"])
        return removed

    def run_named(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        q = get_query(name)
        if q.write:
            raise ReadOnlyViolation(f"read-only: {name} is a write query; use run_write_named")
        return self._exec(q.text_for(self.engine), params)

    def run_write_named(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        if self.read_only:
            raise ReadOnlyViolation("read-only: this store was opened read-only")
        return self._exec(get_query(name).text_for(self.engine), params)

    def cypher_read(
        self,
        text: str,
        params: Mapping[str, Any] | None = None,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> list[dict[str, Any]]:
        check_read_only(text)
        text = to_embedded(text)  # Neo4j habits: type(r), labels(n), CALL db.labels(), …
        # Second guard: the engine itself refuses writes inside a READ ONLY transaction (on a store
        # opened read-only the whole database refuses them).
        if not self.read_only:
            self._exec("BEGIN TRANSACTION READ ONLY")
        if timeout:
            self._conn.set_query_timeout(int(timeout * 1000))
        try:
            rows = self._exec(text, params)
        finally:
            if timeout:
                self._conn.set_query_timeout(0)
            if not self.read_only:
                self._end_read_transaction()
        return [{k: _plain(v) for k, v in r.items()} for r in (rows[:limit] if limit else rows)]

    def _end_read_transaction(self) -> None:
        try:
            self._conn.execute("COMMIT")
        except RuntimeError as exc:  # an interrupted or failed query already ended the transaction
            if "No active transaction" not in str(exc):
                raise GraphError(f"LadybugDB: {exc}") from exc

    def counts(self) -> Counts:
        c = Counts()
        for nt in NODES:
            c.nodes[nt.label] = int(self._exec(f"MATCH (n:{nt.label}) RETURN count(n) AS n")[0]["n"])
        for rt in RELATIONSHIPS:
            c.relationships[rt.type] = int(
                self._exec(f"MATCH ()-[e:{rt.type}]->() RETURN count(e) AS n")[0]["n"]
            )
        return c

    def clear(self) -> None:
        for nt in NODES:
            self._exec(f"MATCH (n:{nt.label}) DETACH DELETE n")

    def close(self) -> None:
        """Close connections and databases: two live Database objects on one path corrupt it."""
        self.abort_bulk_load()
        if self._stuck:  # closing would wait for the hung COPY forever; process exit frees it
            log.warning("embedded graph left open: a hung bulk COPY still holds it")
            return
        for attr in ("_scan_conn", "_conn", "_db"):
            handle = getattr(self, attr, None)
            if handle is not None:
                handle.close()
                setattr(self, attr, None)


def _quoted(path: Path) -> str:
    """A path inside a Cypher string literal (the data folder may contain quotes or backslashes)."""
    return str(path).replace("\\", "\\\\").replace("'", "\\'")


def _element_id(internal: Any) -> str | None:
    """LadybugDB's internal id {table, offset} as one string (the console joins nodes and edges by it)."""
    if isinstance(internal, dict) and "table" in internal and "offset" in internal:
        return f"{internal['table']}:{internal['offset']}"
    return None


def _plain(value: Any) -> Any:
    """Graph values as Neo4j's adapter returns them: ``_label``, ``_id`` (and ``_start``/``_end`` on
    relationships) plus the user properties; paths as ``{nodes, relationships}``."""
    if isinstance(value, dict):
        if "_NODES" in value and "_RELS" in value:
            return {"nodes": [_plain(n) for n in value["_NODES"]],
                    "relationships": [_plain(r) for r in value["_RELS"]]}
        out = {k: _plain(v) for k, v in value.items() if not k.startswith("_")}
        label = value.get("_LABEL", value.get("_label"))
        if label is None:
            return out
        ids = {"_id": _element_id(value.get("_ID"))}
        if "_SRC" in value:
            ids |= {"_start": _element_id(value["_SRC"]), "_end": _element_id(value["_DST"])}
        return {"_label": label, **{k: v for k, v in ids.items() if v is not None}, **out}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
