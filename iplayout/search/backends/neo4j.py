"""The neo4j search backend: passage vectors in a Neo4j ``VECTOR INDEX``, BM25 in a ``FULLTEXT INDEX``.

Every cluster member (or Aura) serves these indexes, so an API server needs no local index copy
and ``build`` writes from wherever it runs. The document table and the token lists are loaded into
memory at open (for evidence and `related`'s linked signals), never written to local files.
Filters are Cypher predicates (``neo4j_cypher.where``): a scope with few passages is scored
exactly in Cypher; a larger one asks the vector index for more passages than it needs, filters
them in the same query and widens until the top ``k`` is full (then falls back to the exact
scan), so a filtered search returns a full top-k as the local backend does.
"""

from __future__ import annotations

import logging
import math
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from iplayout.errors import SearchError
from iplayout.search.backends import Ranked, Scope
from iplayout.search.backends import neo4j_cypher as cy
from iplayout.search.dense_parts import PassageCosines
from iplayout.search.doctable import DocTable
from iplayout.search.documents import IndexDoc, lexical_text
from iplayout.search.filters import FACETS, norm_value
from iplayout.search.lexical_index import LexicalIndex
from iplayout.search.tokenize import tokenize

if TYPE_CHECKING:
    from iplayout.config import Settings
    from iplayout.nlp.embeddings import VectorPart
    from iplayout.search.config import SearchConfig

log = logging.getLogger(__name__)

_FIELDS = ("id", "type", "title", "text", "year", "lang", *FACETS, "people", "venue", "cites")
_LISTS = frozenset((*FACETS, "people", "cites"))
# a scope of at most this many passages (or SearchConfig.exact_subset_max if lower) is scored
# exactly in Cypher (about 40 us a 512-d passage), a larger one through the vector index with the
# filter in the same query
EXACT_MAX = 1_000
WRITE_BATCH = 2_000  # passages per write transaction (a 2,000 x 768 float batch is about 12 MB)


def _cosine(score: float) -> float:
    return 2.0 * float(score) - 1.0


class Neo4jBackend:
    name = "neo4j"

    def __init__(self, driver: Any, database: str, config: SearchConfig) -> None:
        self._driver = driver
        self.database = database
        self.config = config
        self.docs = DocTable()
        self.lexical = LexicalIndex()
        self._model_id: str | None = None
        self._dim: int | None = None
        self._passages = 0
        # the CLI, `check` and the API drop a SearchService without closing it: the driver is closed
        # when the backend goes away (or at exit) instead of warning about an unclosed driver
        self._closer = weakref.finalize(self, driver.close)

    @classmethod
    def open(cls, settings: Settings, config: SearchConfig) -> Neo4jBackend:
        import neo4j

        password = settings.neo4j_password.get_secret_value()
        try:
            # the server's notices (an unknown label before the first write) are not the user's business here
            driver = neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=(settings.neo4j_user, password) if password else None,
                                                notifications_min_severity="OFF")
            driver.verify_connectivity()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError, ValueError) as exc:
            raise SearchError(f"search backend neo4j: cannot reach Neo4j at {settings.neo4j_uri}: {exc}") from exc
        out = cls(driver, settings.neo4j_database, config)
        out.load()
        return out

    # ---- plumbing ------------------------------------------------------------------------------

    def _run(self, text: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        import neo4j

        def work(tx: Any) -> list[dict[str, Any]]:
            return [dict(r) for r in tx.run(text, dict(params or {}))]

        try:
            with self._driver.session(database=self.database) as session:
                return list(session.execute_write(work) if write else session.execute_read(work))
        except neo4j.exceptions.Neo4jError as exc:
            raise SearchError(f"search backend neo4j: {str(exc).splitlines()[0]}") from exc

    def _ensure_schema(self, dim: int) -> None:
        have = self._run(cy.INDEX_STATES, {"vector": cy.VECTOR_INDEX, "fulltext": cy.FULLTEXT_INDEX})
        for r in have:  # a vector index left by another embedder (its nodes were deleted) has another dimension
            config = (r.get("options") or {}).get("indexConfig") or {}
            if r["name"] == cy.VECTOR_INDEX and (config.get("vector.dimensions") != dim
                                                 or config.get("vector.quantization.enabled") is not False):
                self._run(cy.DROP_VECTOR_INDEX, write=True)
        for ddl in (*cy.SCHEMA, cy.vector_index_ddl(dim)):
            self._run(ddl, write=True)
        self._run("CALL db.awaitIndexes(300)", write=True)

    # ---- loading -------------------------------------------------------------------------------

    def load(self) -> None:
        """The document table and token lists from the ``SearchDoc`` nodes (empty when none)."""
        meta = self._run(cy.META)
        self._model_id = meta[0]["model_id"] if meta else None
        self._dim = int(meta[0]["dim"]) if meta and meta[0]["dim"] is not None else None
        docs: list[IndexDoc] = []
        tokens: list[list[str]] = []
        for rec in self._run(cy.LOAD_DOCS):
            d = rec["d"]
            docs.append(IndexDoc.model_construct(None, **{
                f: (tuple(d.get(f) or ()) if f in _LISTS else d.get(f)) for f in _FIELDS}))
            tokens.append(str(d.get("tokens") or "").split())
        self.docs, self.lexical = DocTable(), LexicalIndex()
        if docs:
            self.docs.add(docs)
            self.lexical.add_tokens(tokens)
        self._passages = int(self._run(cy.COUNTS)[0]["passages"]) if docs else 0

    def _rows(self, ids: list[str]) -> np.ndarray:
        """Rows of document ids; ids another process indexed after this one loaded reload the table."""
        if any(i not in self.docs.pos for i in ids):
            log.info("search backend neo4j: documents added elsewhere; reloading the document table")
            self.load()
        return np.asarray([self.docs.pos[i] for i in ids if i in self.docs.pos], dtype=np.int64)

    @property
    def model_id(self) -> str | None:
        return self._model_id

    @property
    def dim(self) -> int | None:
        return self._dim

    def check_model(self, model_id: str, dim: int) -> None:
        if self._model_id is not None and (model_id != self._model_id or dim != self._dim):
            raise SearchError(
                f"the index was built with embedder {self._model_id} ({self._dim}-d) but the configured "
                f"embedder is {model_id} ({dim}-d); set IPLAYOUT_EMBEDDER back or run `iplayout index rebuild`")

    # ---- changes -------------------------------------------------------------------------------

    def write(self, docs: list[IndexDoc], owners: np.ndarray, vectors: np.ndarray, model_id: str) -> int:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.check_model(model_id, int(vectors.shape[1]))
        if self._model_id is None:
            self._ensure_schema(int(vectors.shape[1]))
            self._run(cy.SET_META, {"model_id": model_id, "dim": int(vectors.shape[1])}, write=True)
            self._model_id, self._dim = model_id, int(vectors.shape[1])
        ids = [d.id for d in docs]
        replaced = self._drop(ids)
        token_lists = [tokenize(lexical_text(d)) for d in docs]
        for start in range(0, len(docs), WRITE_BATCH):
            rows = [_node(d, t) for d, t in zip(docs[start:start + WRITE_BATCH], token_lists[start:start + WRITE_BATCH],
                                                 strict=True)]
            self._run(cy.WRITE_DOCS, {"docs": rows}, write=True)
        owner_ids = [ids[o] for o in owners.tolist()]
        seq = np.arange(len(owners)) - np.searchsorted(owners, owners)  # passages of a document are consecutive
        for start in range(0, len(owners), WRITE_BATCH):  # vectors become Python lists one batch at a time
            end = start + WRITE_BATCH
            rows = [{"doc_id": d, "seq": int(n), "vector": v}
                    for d, n, v in zip(owner_ids[start:end], seq[start:end], vectors[start:end].tolist(), strict=True)]
            self._run(cy.WRITE_PASSAGES, {"rows": rows}, write=True)
        self.docs.add(docs)
        self.lexical.add_tokens(token_lists)
        self._passages += len(owners)
        return replaced

    def _drop(self, ids: list[str]) -> int:
        there = [r["id"] for r in self._run(cy.EXISTING, {"ids": ids})]
        if not there:
            return 0
        for start in range(0, len(there), WRITE_BATCH):
            self._run(cy.DELETE_DOCS, {"ids": there[start:start + WRITE_BATCH]}, write=True)
        rows = np.array(sorted(self.docs.pos[i] for i in set(there) if i in self.docs.pos), dtype=np.int64)
        self.docs.remove(there)
        self.lexical.remove_rows(rows)
        self._passages = int(self._run(cy.COUNTS)[0]["passages"])
        return len(there)

    def remove(self, ids: list[str]) -> int:
        return self._drop(list(dict.fromkeys(ids)))

    def save(self) -> None:
        return None  # every write is committed before it returns

    def reset(self) -> None:
        while self._run(cy.DELETE_SLICE, write=True)[0]["n"]:
            pass
        self._run(cy.DROP_VECTOR_INDEX, write=True)  # a new embedder may have another dimension
        self._run(cy.CLEAR_META, write=True)
        self.docs, self.lexical = DocTable(), LexicalIndex()
        self._model_id, self._dim, self._passages = None, None, 0

    def finish_rebuild(self, kind: str | None) -> None:
        if kind is not None:
            log.info("search backend neo4j: --kind %s ignored (Neo4j's vector index is HNSW)", kind)

    # ---- search --------------------------------------------------------------------------------

    def _where(self, scope: Scope) -> tuple[str, dict[str, Any]]:
        ids = None
        if scope.is_everything() and scope.mask is not None:  # a caller that knows only rows
            ids = [self.docs.docs[r].id for r in np.flatnonzero(scope.mask).tolist()]
        return cy.where(scope.filters, scope.exclude, ids)

    @staticmethod
    def _unfiltered(scope: Scope | None) -> bool:
        return scope is None or (scope.is_everything() and scope.mask is None)

    def count(self, scope: Scope | None) -> int:
        """Counted on the document table in memory (the same rows as the ``SearchDoc`` nodes): a
        Cypher count of a facet filter scans every node, 30+ ms at 100k documents, and the search
        itself still filters in Cypher."""
        if self._unfiltered(scope):
            return len(self.docs)
        assert scope is not None
        if scope.count is None:
            mask = scope.rows(self.docs)
            scope.count = len(self.docs) if mask is None else int(mask.sum())
        return scope.count

    def vector_search(self, query_vectors: np.ndarray, k: int, scope: Scope | None) -> list[Ranked]:
        qs = np.ascontiguousarray(query_vectors, dtype=np.float32)
        if self._model_id is None or not len(self.docs) or k <= 0:
            return [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)) for _ in qs]
        if qs.ndim != 2 or qs.shape[1] != self._dim:
            raise SearchError(f"vectors of shape {qs.shape} do not fit this {self._dim}-d index of {self._model_id}")
        if self._unfiltered(scope):
            return [self._ann(q.tolist(), k, len(self.docs), "true", {}) for q in qs]
        assert scope is not None
        text, params = self._where(scope)
        n = self.count(scope)
        if n == 0:
            return [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)) for _ in qs]
        per_doc = self._passages / max(len(self.docs), 1)
        if n * per_doc <= min(EXACT_MAX, self.config.exact_subset_max):
            return [self._exact(q.tolist(), k, text, params) for q in qs]
        return [self._ann(q.tolist(), k, n, text, params) for q in qs]

    def _ann(self, q: list[float], k: int, n_docs: int, where: str, params: dict[str, Any]) -> Ranked:
        want = min(k, n_docs)
        share = max(n_docs / max(len(self.docs), 1), 1e-6)  # the scope's share of the documents
        per_doc = self._passages / max(len(self.docs), 1)  # passages per document, on average
        fetch = min(self._passages, math.ceil((k + 16) * per_doc / share))
        query = cy.VECTOR_ANN if where == "true" else cy.vector_ann_filtered(where)
        while True:
            recs = self._run(query, {**params, "q": q, "fetch": fetch})
            ids, scores = _first_per_doc(recs, k)
            if len(ids) >= want:
                return self._ranked(ids, scores)
            if fetch >= self._passages:
                break
            fetch = min(self._passages, fetch * 4)
        log.debug("approximate search found %s of %s documents; exact fallback", len(ids), want)
        return self._exact(q, k, where, params)

    def _exact(self, q: list[float], k: int, where: str, params: dict[str, Any]) -> Ranked:
        recs = self._run(cy.vector_exact(where), {**params, "q": q, "k": k})
        return self._ranked([r["id"] for r in recs], [_cosine(r["score"]) for r in recs])

    def _ranked(self, ids: list[str], scores: list[float]) -> Ranked:
        rows = self._rows(ids)
        if len(rows) != len(ids):  # an id deleted since: keep the others in order
            keep = [i for i, d in enumerate(ids) if d in self.docs.pos]
            scores = [scores[i] for i in keep]
        return rows, np.asarray(scores, dtype=np.float32)

    def lexical_search(self, query: str, k: int, scope: Scope | None) -> Ranked:
        tokens = self.lexical.query_tokens(query) if len(self.docs) else []
        lucene = cy.lucene_query(tokens)
        if not lucene or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if self._unfiltered(scope):
            recs = self._run(cy.FULLTEXT, {"q": lucene, "k": k})
        else:
            assert scope is not None
            text, params = self._where(scope)
            recs = self._run(cy.fulltext_filtered(text), {**params, "q": lucene, "k": k})
        return self._ranked([r["id"] for r in recs], [float(r["score"]) for r in recs])

    def document_vectors(self, row: int) -> np.ndarray:
        if self._model_id is None:
            raise SearchError("the search index has no vectors yet; run `iplayout build`")
        recs = self._run(cy.DOC_VECTORS, {"id": self.docs.docs[row].id})
        return np.asarray([r["v"] for r in recs], dtype=np.float32).reshape(len(recs), self._dim or 0)

    def best_scores(self, rows: np.ndarray, qv: np.ndarray) -> np.ndarray:
        out = np.zeros(len(rows), dtype=np.float32)
        if self._model_id is None or not len(rows):
            return out
        ids = [self.docs.docs[int(r)].id for r in rows]
        got = {r["id"]: _cosine(r["score"]) for r in self._run(
            cy.BEST_SCORES, {"ids": ids, "q": np.asarray(qv, dtype=np.float32).tolist()}) if r["score"] is not None}
        for i, doc_id in enumerate(ids):
            out[i] = got.get(doc_id, 0.0)
        return out

    def passage_cosines(self, rows: np.ndarray, q: np.ndarray, parts: list[VectorPart]) -> PassageCosines:
        ids = [self.docs.docs[int(r)].id for r in rows]
        q = np.asarray(q, dtype=np.float32)
        recs = self._run(cy.PASSAGE_COSINES, {
            "ids": ids, "q": q.tolist(),
            "parts": [{"start": p.start, "stop": p.stop, "q": q[p.start:p.stop].tolist()} for p in parts],
        }) if ids and self._dim else []
        cos = np.asarray([[np.nan if c is None else _cosine(c) for c in r["parts"]] for r in recs],
                         dtype=np.float32).reshape(len(recs), len(parts))
        return PassageCosines(np.asarray([_cosine(r["whole"]) for r in recs], dtype=np.float32), cos,
                              np.asarray([r["i"] for r in recs], dtype=np.int64))

    def sample_vectors(self, n: int) -> np.ndarray:
        recs = self._run(cy.SAMPLE_VECTORS, {"n": n}) if self._dim else []
        return np.asarray([r["v"] for r in recs], dtype=np.float32).reshape(len(recs), self._dim or 0)

    @property
    def generation(self) -> object:
        return (self._model_id, self._passages, len(self.docs))

    # ---- reporting -----------------------------------------------------------------------------

    def index_states(self) -> dict[str, dict[str, Any]]:
        recs = self._run(cy.INDEX_STATES, {"vector": cy.VECTOR_INDEX, "fulltext": cy.FULLTEXT_INDEX})
        return {r["name"]: {"state": r["state"], "population_percent": r["populationPercent"]} for r in recs}

    def stats(self) -> dict[str, Any]:
        counts = self._run(cy.COUNTS)[0]
        return {"backend": self.name, "passages": int(counts["passages"]), "stored_documents": int(counts["documents"]),
                "dim": self._dim, "vector_index": "neo4j-hnsw" if self._dim else None, "indexes": self.index_states(),
                "memory_bytes": {}, "folder": None}

    def problems(self) -> dict[str, set[str]]:
        """What `iplayout check` reports about the indexes themselves (ids per kind of problem)."""
        rec = self._run(cy.ORPHANS)[0]
        out = {"search index (neo4j): documents without passages": set(rec["bare"]),
               "search index (neo4j): passages without their document": set(rec["loose"]),
               "search index (neo4j): passages without a vector": set(rec["unembedded"])}
        for name, state in self.index_states().items():
            if state["state"] != "ONLINE":
                out[f"search index (neo4j): index {name} is {state['state']}"] = {name}
        if self._dim is not None and cy.VECTOR_INDEX not in self.index_states():
            out[f"search index (neo4j): vector index {cy.VECTOR_INDEX} is missing"] = {cy.VECTOR_INDEX}
        return out

    def close(self) -> None:
        self._closer()


def _node(d: IndexDoc, tokens: list[str]) -> dict[str, Any]:
    props: dict[str, Any] = {f: (list(getattr(d, f)) if f in _LISTS else getattr(d, f)) for f in _FIELDS}
    for f in FACETS:
        props[f"f_{f}"] = sorted({norm_value(f, v) for v in getattr(d, f)})
    props["tokens"] = " ".join(tokens)
    return {k: v for k, v in props.items() if v is not None}


def _first_per_doc(recs: list[dict[str, Any]], k: int) -> tuple[list[str], list[float]]:
    """Each document's best passage, in score order, up to ``k`` documents."""
    ids: list[str] = []
    scores: list[float] = []
    seen: set[str] = set()
    for r in recs:
        if r["id"] not in seen:
            seen.add(r["id"])
            ids.append(r["id"])
            scores.append(_cosine(r["score"]))
            if len(ids) == k:
                break
    return ids, scores
