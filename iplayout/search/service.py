"""The search service: one object the build pipeline, the CLI and the API talk to.

    svc = SearchService.open(settings)
    svc.index_documents([IndexDoc(id="CN1", type="Patent", title="…", text="…", districts=("500112",))])
    svc.search("锂电池 正极材料", SearchFilters(types=("Patent",)), top=10)
    svc.related("CN1", top=5, store=store)

Where the vectors and the BM25 index live is the backend's business (``search/backends/``: faiss +
bm25s files under ``settings.index_dir``, or Neo4j's vector and full-text indexes); this module
embeds, fuses and explains, the same for both. One writer at a time (the build pipeline).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from iplayout.errors import SearchError
from iplayout.nlp.embeddings import Embedder, embed_query_texts, l2_normalise, make_embedder
from iplayout.nlp.normalize import normalize_text
from iplayout.search import faiss_backend as fb
from iplayout.search.backends import Scope, SearchBackend, make_backend
from iplayout.search.config import SearchConfig
from iplayout.search.dense_parts import SAMPLE_PASSAGES, PartScorer, VectorSource
from iplayout.search.doctable import DocTable
from iplayout.search.documents import IndexDoc, ensure_unique, passages, sentences
from iplayout.search.filters import SearchFilters
from iplayout.search.fusion import rrf
from iplayout.search.lexical_index import LexicalIndex
from iplayout.search.results import Evidence, Hit, SearchResult

if TYPE_CHECKING:
    from iplayout.config import Settings
    from iplayout.graph.store import GraphStore
    from iplayout.search.results import RelatedResult

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[str, ...] = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class SearchRequest:
    query: str
    filters: SearchFilters | None = None
    top: int = 10
    mode: str = "hybrid"


class SearchService:
    def __init__(self, folder: Path, embedder: Embedder, config: SearchConfig,
                 backend: SearchBackend | None = None) -> None:
        from iplayout.search.backends.local import LocalBackend

        self.folder = folder
        self.embedder = embedder
        self.config = config
        self.backend: SearchBackend = backend if backend is not None else LocalBackend(folder, config)
        layout = getattr(embedder, "layout", None)  # a joined vector: each part on its own scale
        parts = layout() if callable(layout) else []
        self._parts = PartScorer(parts) if len(parts) > 1 else None

    # ---- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, settings: Settings, *, embedder: Embedder | None = None,
             config: SearchConfig | None = None) -> SearchService:
        """The configured backend's index (empty if none yet), with the configured embedder."""
        config = config or SearchConfig.from_settings(settings)
        backend = make_backend(settings, config)
        return cls(settings.index_dir, embedder or make_embedder(settings), config, backend)

    @property
    def docs(self) -> DocTable:
        return self.backend.docs

    @property
    def lexical(self) -> LexicalIndex:
        return self.backend.lexical

    @property
    def index_model_id(self) -> str | None:
        return self.backend.model_id

    def _check_model(self) -> None:
        """Refuse early (before embedding anything) when the index belongs to another model."""
        if self.backend.model_id is not None and self.backend.model_id != self.embedder.model_id:
            self.backend.check_model(self.embedder.model_id, self.backend.dim or -1)

    def save(self) -> None:
        """Persist what the backend holds only in memory (every change is already saved; kept for callers)."""
        self.backend.save()

    def close(self) -> None:
        self.backend.close()

    # ---- changes -------------------------------------------------------------------------------

    def index_documents(self, docs: Sequence[IndexDoc]) -> dict[str, int]:
        """Add or replace documents (by id); returns counts of added, replaced and passages."""
        self._check_model()
        batch = ensure_unique(docs)
        if not batch:
            return {"added": 0, "replaced": 0, "passages": 0}
        texts: list[str] = []
        owners: list[int] = []
        for i, d in enumerate(batch):
            ps = passages(d, self.config.passage_chars(d.text), self.config.max_chunks)
            texts.extend(normalize_text(p) for p in ps)
            owners.extend([i] * len(ps))
        vectors = self.embedder.embed(texts)
        self.backend.check_model(self.embedder.model_id, int(vectors.shape[1]))
        replaced = self.backend.write(batch, np.asarray(owners, dtype=np.int64), vectors, self.embedder.model_id)
        return {"added": len(batch) - replaced, "replaced": replaced, "passages": len(texts)}

    def remove(self, ids: Iterable[str]) -> int:
        """Remove documents by id (unknown ids are ignored); returns how many were removed."""
        return self.backend.remove(list(ids))

    def rebuild(self, kind: str | None = None) -> dict[str, Any]:
        """Re-embed every stored text with the configured embedder and rebuild both indexes."""
        docs = list(self.docs.docs)
        self.backend.reset()
        if docs:
            self.index_documents(docs)
        self.backend.finish_rebuild(kind)
        return self.stats()

    # ---- lookups -------------------------------------------------------------------------------

    def ids(self) -> set[str]:
        """Every document id in the index (for `iplayout check`)."""
        return set(self.docs.pos)

    def stats(self) -> dict[str, Any]:
        types: dict[str, int] = {}
        for d in self.docs.docs:
            types[d.type] = types.get(d.type, 0) + 1
        out = {"documents": len(self.docs), "by_type": types, "model_id": self.backend.model_id or self.embedder.model_id,
               "vocabulary": len(self.lexical.vocab)}
        return out | self.backend.stats()

    # ---- search --------------------------------------------------------------------------------

    def dense_rows(self, qv: np.ndarray, k: int, scope: Scope | None) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` document rows by dense similarity among the documents ``scope`` allows, with the
        cosine of each row's best passage.

        With a joined vector of several embedders the ranking scores each part on its own scale
        (``search/dense_parts.py``), on either backend; the cosines stay the plain inner product, for
        evidence.
        """
        b = self.backend
        if self._parts is None:
            return b.vector_search(qv.reshape(1, -1), k, scope)[0]
        source = VectorSource(search=lambda q, n: b.vector_search(q.reshape(1, -1), n, scope)[0][0],
                              passages=None, sample=lambda: b.sample_vectors(SAMPLE_PASSAGES),
                              stamp=(id(b), b.generation), cosines=b.passage_cosines)
        rows, _, cosines = self._parts.rank(source, qv, k)
        return rows, cosines

    def embed_queries(self, queries: Sequence[str]) -> np.ndarray:
        """One unit vector per query (Traditional script normalised first).

        A pasted paragraph is embedded whole or sentence by sentence as each model prefers
        (:func:`iplayout.nlp.embeddings.embed_query_texts`); documents keep whole-passage vectors.
        """
        return embed_query_texts(self.embedder, [normalize_text(q) for q in queries], sentences)

    def search(self, query: str, filters: SearchFilters | None = None, top: int = 10,
               mode: str = "hybrid") -> SearchResult:
        return self.search_many([SearchRequest(query=query, filters=filters, top=top, mode=mode)])[0]

    def search_many(self, requests: Sequence[SearchRequest]) -> list[SearchResult]:
        """Several searches at once, each answered exactly as ``search`` answers it alone.

        The queries are embedded in one call and the unfiltered ones scored against the exact
        vector index in one faiss call: what lets ``serve`` answer concurrent requests in
        batches (``api/batching.py``) instead of one scan of every vector per request.
        """
        for r in requests:
            if r.mode not in MODES:
                raise SearchError(f"unknown search mode {r.mode!r}; one of {', '.join(MODES)}")
            if not r.query.strip():
                raise SearchError("empty query")
        scopes = [None if (r.filters or SearchFilters()).is_empty() else Scope(r.filters or SearchFilters())
                  for r in requests]
        dense_at = [i for i, r in enumerate(requests) if r.mode in ("hybrid", "dense")]
        vectors: dict[int, np.ndarray] = {}
        if dense_at:
            self._check_model()
            embedded = self.embed_queries([requests[i].query for i in dense_at])
            vectors = {i: embedded[j] for j, i in enumerate(dense_at)}
        with fb.threads(self.config.search_threads):  # embedding above keeps its own threads
            return self._retrieve(requests, scopes, vectors)

    def _retrieve(self, requests: Sequence[SearchRequest], scopes: list[Scope | None],
                  vectors: dict[int, np.ndarray]) -> list[SearchResult]:
        dense_at = list(vectors)
        dense: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        unfiltered = [i for i in dense_at if scopes[i] is None]
        # one batched scan of a single-model index (a joined vector ranks part by part: dense_rows)
        if len(unfiltered) > 1 and len(self.docs) and self._parts is None:
            k = max(self._candidates(requests[i]) for i in unfiltered)
            found = self.backend.vector_search(np.stack([vectors[i] for i in unfiltered]), k, None)
            for i, (rows, scores) in zip(unfiltered, found, strict=True):
                n = self._candidates(requests[i])  # exact top-k lists: a shorter one is a prefix
                dense[i] = rows[:n], scores[:n]
        return [self._search_one(r, scopes[i], vectors.get(i), dense.get(i)) for i, r in enumerate(requests)]

    def _candidates(self, request: SearchRequest) -> int:
        return max(request.top, self.config.candidates)

    def _search_one(self, request: SearchRequest, scope: Scope | None, qv: np.ndarray | None,
                    dense: tuple[np.ndarray, np.ndarray] | None) -> SearchResult:
        query, mode, top = request.query, request.mode, request.top
        filters = request.filters or SearchFilters()
        cand = self._candidates(request)
        rankings: dict[str, list[int]] = {}
        dense_scores: dict[int, float] = {}
        if qv is not None:
            rows, scores = dense if dense is not None else self.dense_rows(qv, cand, scope)
            rankings["dense"] = rows.tolist()
            dense_scores = dict(zip(rows.tolist(), scores.tolist(), strict=True))
        bm25_scores: dict[int, float] = {}
        if mode in ("hybrid", "bm25"):
            rows, scores = self.backend.lexical_search(query, cand, scope)
            rankings["bm25"] = rows.tolist()
            bm25_scores = dict(zip(rows.tolist(), scores.tolist(), strict=True))
        all_qtoks = self.lexical.query_tokens(query)
        weights = {"dense": self.config.weight_dense, "bm25": self.config.bm25_weight(len(all_qtoks))}
        fused = rrf(rankings, weights, self.config.rrf_k)[:top]
        qtoks = list(dict.fromkeys(all_qtoks))
        missing = [row for row, _, _ in fused if row not in dense_scores]
        if qv is not None and missing:  # one lookup for every hit the dense list did not score
            dense_scores |= dict(zip(missing, self.passage_similarities(np.asarray(missing), qv).tolist(), strict=True))
        hits = [self._hit(row, score, ranks, qtoks, qv, dense_scores, bm25_scores) for row, score, ranks in fused]
        if mode == "dense":  # report cosine as the score when only one method ran
            hits = [h.model_copy(update={"score": h.evidence.dense_similarity or 0.0}) for h in hits]
        elif mode == "bm25":
            hits = [h.model_copy(update={"score": h.evidence.bm25_score or 0.0}) for h in hits]
        return SearchResult(
            query=query, mode=mode, model_id=self.embedder.model_id if mode != "bm25" else None,
            cross_lingual=mode != "bm25" and self.embedder.multilingual,
            notes=self.notes(mode) + self._long_query_note(mode, len(all_qtoks)),
            filters=filters.model_dump(exclude_defaults=True),
            matching_documents=self.backend.count(scope), hits=hits,
        )

    def notes(self, mode: str) -> list[str]:
        if mode == "bm25":
            return ["BM25 only: a query finds documents that share its words (no cross-lingual matches)."]
        if not self.embedder.multilingual:
            return [f"embedder {self.embedder.model_id} is not multilingual: cross_lingual false, a query in one "
                    "language will not find documents written in another"]
        return []

    def _long_query_note(self, mode: str, n_tokens: int) -> list[str]:
        if mode != "hybrid" or n_tokens <= self.config.long_query_tokens:
            return []
        return [f"long query ({n_tokens} terms): BM25 counts {self.config.weight_bm25_long:g} against dense "
                f"{self.config.weight_dense:g} in the fusion (short queries: {self.config.weight_bm25:g})"]

    def _hit(self, row: int, score: float, ranks: dict[str, int | None], qtoks: list[str], qv: np.ndarray | None,
             dense_scores: dict[int, float], bm25_scores: dict[int, float]) -> Hit:
        d = self.docs.docs[row]
        sim = dense_scores.get(row)
        if sim is None and qv is not None:
            sim = self.passage_similarity(row, qv)
        ev = Evidence(matched_terms=self.lexical.matched_terms(qtoks, row),
                      dense_similarity=None if sim is None else round(float(sim), 4),
                      bm25_score=None if row not in bm25_scores else round(bm25_scores[row], 4))
        return Hit(id=d.id, type=d.type, title=d.title, year=d.year, score=round(score, 6), ranks=ranks, evidence=ev)

    def document_vector(self, row: int) -> np.ndarray:
        """A document's own query vector: the mean of its passage vectors, unit length."""
        self._check_model()
        vector: np.ndarray = l2_normalise(self.backend.document_vectors(row).mean(axis=0))[0]
        return vector

    def passage_similarity(self, row: int, qv: np.ndarray) -> float:
        """Cosine of ``qv`` and the document's best passage."""
        return float(self.passage_similarities(np.asarray([row]), qv)[0])

    def passage_similarities(self, rows: np.ndarray, qv: np.ndarray) -> np.ndarray:
        """Cosine of ``qv`` and each document's best passage, for many rows at once."""
        return self.backend.best_scores(np.asarray(rows, dtype=np.int64), qv)

    def related(self, doc_id: str, top: int = 10, store: GraphStore | None = None, when: str = "any",
                types: Sequence[str] | None = None) -> RelatedResult:
        """Documents around ``doc_id``, per type, from fused evidence (``search/related.py``)."""
        from iplayout.search.related import related

        with fb.threads(self.config.search_threads):
            return related(self, doc_id, top, store, when=when, types=types)
