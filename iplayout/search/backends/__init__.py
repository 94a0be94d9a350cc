"""The search backend port: where passages' vectors and the BM25 index live, and how they are queried.

Two adapters, chosen by ``IPLAYOUT_SEARCH_BACKEND``:

* ``local`` (default, ``backends/local.py``): faiss + bm25s files under ``IPLAYOUT_HOME/index/``;
* ``neo4j`` (``backends/neo4j.py``): passage vectors in a Neo4j ``VECTOR INDEX`` and document
  tokens in a ``FULLTEXT INDEX``, filters expressed in Cypher (needs ``IPLAYOUT_STORE=neo4j``).

Both hold the document table (``DocTable``: ids, titles, facets, links) and the token lists
(``LexicalIndex``) in memory, for evidence and for `related`'s linked signals; the neo4j adapter
loads them from the database, so a server needs no local files. Retrieval returns ranked lists of
document rows of that table; ``service.py``, ``fusion.py`` and ``related.py`` fuse them the same
way for both adapters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from iplayout.errors import SearchError
from iplayout.search.filters import SearchFilters

if TYPE_CHECKING:
    from iplayout.config import Settings
    from iplayout.nlp.embeddings import VectorPart
    from iplayout.search.config import SearchConfig
    from iplayout.search.dense_parts import PassageCosines
    from iplayout.search.doctable import DocTable
    from iplayout.search.documents import IndexDoc
    from iplayout.search.lexical_index import LexicalIndex

BACKENDS = ("local", "neo4j")
Ranked = tuple[np.ndarray, np.ndarray]  # document rows, best first, and their scores


@dataclass
class Scope:
    """The documents a search may return: every filter holds and the id is not excluded.

    ``mask`` (rows of the document table) is what the local adapter searches among; a caller that
    already has it (``related``) passes it along. The neo4j adapter turns ``filters`` and
    ``exclude`` into Cypher instead.
    """

    filters: SearchFilters = field(default_factory=SearchFilters)
    exclude: frozenset[str] = frozenset()
    mask: np.ndarray | None = None
    count: int | None = None  # how many documents it allows, once an adapter has counted them

    def is_everything(self) -> bool:
        return self.filters.is_empty() and not self.exclude

    def rows(self, docs: DocTable) -> np.ndarray | None:
        """The allowed rows as a mask (``None``: every row)."""
        if self.mask is None and not self.is_everything():
            mask = docs.mask(self.filters)
            mask = np.ones(len(docs), dtype=bool) if mask is None else mask
            for doc_id in self.exclude:
                if doc_id in docs.pos:
                    mask[docs.pos[doc_id]] = False
            self.mask = mask
        return self.mask


class SearchBackend(Protocol):
    name: str
    docs: DocTable
    lexical: LexicalIndex

    @property
    def model_id(self) -> str | None: ...

    @property
    def dim(self) -> int | None: ...

    def check_model(self, model_id: str, dim: int) -> None:
        """Refuse vectors or queries of another model than the index holds (``SearchError``)."""

    def write(self, docs: list[IndexDoc], owners: np.ndarray, vectors: np.ndarray, model_id: str) -> int:
        """Add or replace ``docs`` (unique ids); ``vectors[i]`` is a passage of ``docs[owners[i]]``.
        Returns how many were replaced."""

    def remove(self, ids: list[str]) -> int:
        """Drop documents by id (unknown ids ignored); returns how many were removed."""

    def save(self) -> None: ...

    def reset(self) -> None:
        """Forget every document (before a rebuild re-adds them)."""

    def finish_rebuild(self, kind: str | None) -> None: ...

    def count(self, scope: Scope | None) -> int:
        """How many documents the scope allows."""

    def vector_search(self, query_vectors: np.ndarray, k: int, scope: Scope | None) -> list[Ranked]:
        """Per query vector: the top ``k`` documents in scope by their best passage's cosine."""

    def lexical_search(self, query: str, k: int, scope: Scope | None) -> Ranked:
        """The top ``k`` documents in scope by BM25 (only documents sharing a query token)."""

    def document_vectors(self, row: int) -> np.ndarray:
        """The passage vectors of one document."""

    def best_scores(self, rows: np.ndarray, qv: np.ndarray) -> np.ndarray:
        """Per row: the cosine of ``qv`` and the document's best passage (0 without passages)."""

    def passage_cosines(self, rows: np.ndarray, q: np.ndarray, parts: list[VectorPart]) -> PassageCosines:
        """Per passage of the documents ``rows``: its cosine with ``q``, with each of ``q``'s ``parts``
        (``NaN`` where the passage lacks the part) and the index of its row in ``rows``: what
        ``search/dense_parts.py`` ranks a joined vector by (a store computes them where the vectors live)."""

    def sample_vectors(self, n: int) -> np.ndarray:
        """Up to ``n`` stored passage vectors spread over the index (a joined vector's parts are
        calibrated against them: ``search/dense_parts.py``)."""

    @property
    def generation(self) -> object:
        """Changes whenever the stored vectors do (what caches of them are keyed by)."""

    def stats(self) -> dict[str, Any]: ...

    def problems(self) -> dict[str, set[str]]:
        """Inconsistencies inside the index itself, named, with the ids concerned (for `iplayout check`)."""

    def close(self) -> None: ...


def make_backend(settings: Settings, config: SearchConfig) -> SearchBackend:
    """The configured adapter, with its documents loaded (empty when nothing was indexed yet)."""
    name = getattr(settings, "search_backend", "local")
    if name == "local":
        from iplayout.search.backends.local import LocalBackend

        return LocalBackend.open(settings.index_dir, config)
    if name == "neo4j":
        if settings.store != "neo4j":
            raise SearchError("IPLAYOUT_SEARCH_BACKEND=neo4j needs IPLAYOUT_STORE=neo4j "
                              f"(the store is {settings.store!r}); set both, or IPLAYOUT_SEARCH_BACKEND=local")
        from iplayout.search.backends.neo4j import Neo4jBackend

        return Neo4jBackend.open(settings, config)
    raise SearchError(f"unknown IPLAYOUT_SEARCH_BACKEND {name!r}; one of {', '.join(BACKENDS)}")


def has_index(settings: Settings) -> bool:
    """Whether the configured backend holds a search index (``check`` compares it only then)."""
    if getattr(settings, "search_backend", "local") == "local":  # no files: nothing to open
        return (settings.index_dir / "manifest.json").exists()
    from iplayout.search.config import SearchConfig

    backend = make_backend(settings, SearchConfig())
    try:
        return backend.model_id is not None or len(backend.docs) > 0
    finally:
        backend.close()
