"""Neo4j adapter: the official driver over Bolt (single server, cluster or Aura alike).

Writes are ``UNWIND $rows`` batches inside managed transactions, which the driver retries on
transient errors; reads run in read transactions, so the server refuses writes there too.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from iplayout.errors import GraphError, QueryTimeout, ReadOnlyViolation
from iplayout.graph.readonly import check_read_only
from iplayout.graph.rows import chunks, dedupe_by, prepare_rows, warn_skipped
from iplayout.graph.store import Counts, Row
from iplayout.ontology import NODES, RELATIONSHIPS, check_endpoints, node_type
from iplayout.ontology.ddl import neo4j_schema
from iplayout.queries.registry import get as get_query

# The server's warnings about a query, one line each run, at INFO: `iplayout cypher` shows them on
# the console (it lowers this logger's level); internal queries leave them in the log.
NOTES = logging.getLogger("iplayout.queries.notes")


class _DebugOnly(logging.Filter):
    """The driver logs every server notification as a WARNING record of ``neo4j.notifications``, the
    whole status object on several lines. Ours are read from the result summary instead (one line
    for a user's query, ``_summarise``): the driver's records go to the log at debug level."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger("neo4j.notifications").isEnabledFor(logging.DEBUG)


_NOTIFICATIONS = logging.getLogger("neo4j.notifications")
if not any(isinstance(f, _DebugOnly) for f in _NOTIFICATIONS.filters):
    _NOTIFICATIONS.addFilter(_DebugOnly())


def _summarise(statuses: list[Any]) -> str | None:
    """One line for the warnings among a query's notifications, e.g. an unknown label or a
    deprecated construct; ``None`` when there are none."""
    texts = list(dict.fromkeys(
        " ".join(str(s.status_description).split()) for s in statuses
        if getattr(s, "is_notification", False) and str(getattr(s.severity, "value", s.severity)) == "WARNING"))
    if not texts:
        return None
    return "Neo4j: " + "; ".join(t.removeprefix("warn: ") for t in texts)


class Neo4jStore:
    engine = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str = "neo4j",
        password: str = "",
        database: str = "neo4j",
        batch_size: int = 10_000,
        max_retry_time: float = 15.0,
        read_only: bool = False,
        write_concurrency: int = 1,
    ) -> None:
        import neo4j

        self._neo4j = neo4j
        self.uri = uri
        self.database = database
        self.batch_size = batch_size
        self.read_only = read_only
        self.write_concurrency = write_concurrency
        auth = (user, password) if password else None
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri, auth=auth, max_transaction_retry_time=max_retry_time
            )
            self._driver.verify_connectivity()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError, ValueError) as exc:
            raise GraphError(f"cannot reach Neo4j at {uri}: {exc}") from exc

    # -- low level --------------------------------------------------------------------------
    def _run(
        self,
        text: str,
        params: Mapping[str, Any] | None = None,
        *,
        write: bool,
        timeout: float | None = None,
        limit: int | None = None,
        summarise: bool = False,
    ) -> list[dict[str, Any]]:
        """``summarise``: log the server's warnings about the query as one line (a user's query)."""
        neo4j = self._neo4j
        if write and self.read_only:
            raise ReadOnlyViolation("read-only: this store was opened read-only")
        def work(tx: Any) -> list[dict[str, Any]]:
            result = tx.run(text, dict(params or {}))
            records = result.fetch(limit) if limit else list(result)
            if summarise:
                note = _summarise(list(result.consume().gql_status_objects))
                if note:
                    NOTES.info("%s", note)
            return [{k: _plain(v) for k, v in r.items()} for r in records]

        if timeout:  # a server-side transaction timeout: the server stops the query, not just the client
            work = neo4j.unit_of_work(timeout=timeout)(work)

        try:
            with self._driver.session(database=self.database) as session:
                return session.execute_write(work) if write else session.execute_read(work)
        except neo4j.exceptions.ClientError as exc:
            code = exc.code or ""
            if "TransactionTimedOut" in code or "Terminated" in code:
                raise QueryTimeout(f"query stopped after its time limit ({timeout}s)") from exc
            if "AccessMode" in code or "ForbiddenDueToTransactionType" in code:
                raise ReadOnlyViolation(f"read-only: the server refused a write ({code})") from exc
            raise GraphError(f"Neo4j: {exc.message or exc}") from exc
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as exc:
            raise GraphError(f"Neo4j: {exc}") from exc

    # -- port -----------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        if self.read_only:
            return
        for stmt in neo4j_schema():
            self._run(stmt, write=True)

    def existing_keys(self, label: str, keys: list[Any] | Any) -> set[Any]:
        nt = node_type(label)
        rows = self._run(
            f"UNWIND $keys AS k MATCH (n:{nt.label} {{{nt.key}: k}}) RETURN n.{nt.key} AS k",
            {"keys": list(keys)},
            write=False,
        )
        return {r["k"] for r in rows}

    def upsert_nodes(self, label: str, rows: Iterable[Row], *, existing: Collection[Any] | None = None) -> int:
        # existing is not used: MERGE on Neo4j looks the key up in its index anyway
        nt = node_type(label)
        prepared = dedupe_by(prepare_rows(nt, rows), nt.key)
        text = f"UNWIND $rows AS r MERGE (n:{nt.label} {{{nt.key}: r.{nt.key}}}) SET n += r"
        # Rows are deduplicated by key, so concurrent transactions never MERGE the same node.
        # Smaller pieces keep every session busy: one is packed while the server runs another.
        size = min(self.batch_size, max(1_000, -(-len(prepared) // (2 * self.write_concurrency))))
        pieces = [list(batch) for batch in chunks(prepared, size)]
        if self.write_concurrency == 1 or len(pieces) == 1:
            for piece in pieces:
                self._run(text, {"rows": piece}, write=True)
        else:
            with ThreadPoolExecutor(self.write_concurrency, thread_name_prefix="neo4j-write") as pool:
                for done in [pool.submit(self._run, text, {"rows": piece}, write=True) for piece in pieces]:
                    done.result()  # re-raises the first failure
        return len(prepared)

    def upsert_relationships(self, rel_type: str, from_label: str, to_label: str, rows: Iterable[Row],
                             *, known_new: bool = False) -> int:
        # known_new is not used: MERGE on Neo4j costs little more than CREATE (docs/benchmarks.md)
        rt = check_endpoints(rel_type, from_label, to_label)
        a, b = node_type(from_label), node_type(to_label)
        prepared = dedupe_by(prepare_rows(rt, rows, extra=("from", "to")), ("from", "to"))
        payload = [
            {
                "from": r["from"],
                "to": r["to"],
                "props": {k: v for k, v in r.items() if k not in ("from", "to")},
            }
            for r in prepared
        ]
        text = (
            f"UNWIND $rows AS r MATCH (a:{a.label} {{{a.key}: r.from}}) MATCH (b:{b.label} {{{b.key}: r.to}}) "
            f"MERGE (a)-[e:{rt.type}]->(b) SET e += r.props RETURN count(*) AS n"
        )
        written = 0
        for batch in chunks(payload, self.batch_size):
            written += int(self._run(text, {"rows": list(batch)}, write=True)[0]["n"])
        warn_skipped(rel_type, written, len(prepared))
        return written

    # Neo4j writes links in parallel transactions as they come: nothing is kept aside.
    def begin_bulk_load(self, directory: Path) -> bool:
        return False

    def finish_bulk_load(self) -> int:
        return 0

    def abort_bulk_load(self) -> None:
        return None

    def delete_by_source(self, source: str) -> int:
        removed = 0
        for rt in RELATIONSHIPS:
            removed += int(
                self._run(
                    f"MATCH ()-[e:{rt.type}]->() WHERE e.source = $s DELETE e RETURN count(*) AS n",
                    {"s": source},
                    write=True,
                )[0]["n"]
            )
        for nt in NODES:
            removed += int(
                self._run(
                    f"MATCH (n:{nt.label}) WHERE n.source = $s DETACH DELETE n RETURN count(*) AS n",
                    {"s": source},
                    write=True,
                )[0]["n"]
            )
        return removed

    def run_named(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        q = get_query(name)
        if q.write:
            raise ReadOnlyViolation(f"read-only: {name} is a write query; use run_write_named")
        return self._run(q.text_for(self.engine), params, write=False)

    def run_write_named(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._run(get_query(name).text_for(self.engine), params, write=True)

    def cypher_read(
        self,
        text: str,
        params: Mapping[str, Any] | None = None,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> list[dict[str, Any]]:
        check_read_only(text)
        return self._run(text, params, write=False, timeout=timeout, limit=limit, summarise=True)

    def counts(self) -> Counts:
        c = Counts()
        for nt in NODES:
            c.nodes[nt.label] = int(
                self._run(f"MATCH (n:{nt.label}) RETURN count(n) AS n", write=False)[0]["n"]
            )
        for rt in RELATIONSHIPS:
            c.relationships[rt.type] = int(
                self._run(f"MATCH ()-[e:{rt.type}]->() RETURN count(e) AS n", write=False)[0]["n"]
            )
        return c

    def clear(self) -> None:
        deleted = 1
        while deleted:  # in slices: one huge transaction would need the whole graph in memory
            deleted = self._run("MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n", write=True)[0]["n"]

    def close(self) -> None:
        self._driver.close()


def _plain(value: Any) -> Any:
    """Driver graph objects → plain dicts (labels/type kept) so results serialise as JSON."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"_label": next(iter(value.labels), None), "_id": value.element_id,
                **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        ends = {"_start": value.start_node.element_id if value.start_node is not None else None,
                "_end": value.end_node.element_id if value.end_node is not None else None}
        return {"_label": value.type, "_id": value.element_id, **{k: v for k, v in ends.items() if v},
                **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {
            "nodes": [_plain(n) for n in value.nodes],
            "relationships": [_plain(r) for r in value.relationships],
        }
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
