"""Tuning knobs of the search index, with defaults that fit a laptop and a 2-core CI runner.

``SearchConfig.from_settings`` picks up optional ``search_*`` attributes of ``Settings`` (e.g.
``search_ann_kind``) so the lead can expose any of them as ``IPLAYOUT_SEARCH_*`` variables without
this module changing; everything else uses the defaults below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from iplayout.nlp.embeddings import script_language

if TYPE_CHECKING:
    from iplayout.config import Settings

AnnKind = Literal["hnsw", "ivfpq"]

# the best setting on all of the WoS dev citations of repeated 2-fold cross-validation
# (benchmarks/eval_related.py; held-out recall@20 0.586 for the procedure): the dense lists carry
# related and the "more like this" BM25 list and shared affiliations add nothing there; coupling and
# citation cannot fire on that set (citations withheld) and keep 1
RELATED_WEIGHTS: dict[str, float] = {
    "dense": 0.5, "prior": 1.0, "lexical": 0.0, "coupling": 1.0, "citation": 1.0,
    "people": 0.5, "organizations": 0.0, "venue": 0.3,
    # shared IPC main groups: no dev set has patents with judged relations (the USPTO samples' cited
    # numbers resolve to none of them), so this weight is set, not tuned: below the shared-people one
    "ipc_groups": 0.3,
}


class SearchConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    # vector index: exact inner product (IndexFlatIP in IndexIDMap2) up to this many vectors,
    # the approximate kind above it
    exact_max: int = Field(default=50_000, ge=0)
    ann_kind: AnnKind = "ivfpq"
    hnsw_m: int = 32
    hnsw_ef_construction: int = 80
    hnsw_ef_search: int = 128
    ivf_nlist: int = 0  # 0: about 2 * sqrt(n), clamped to [64, 65536]
    ivf_nprobe: int = 64
    pq_m: int = 0  # 0: dim / 8 sub-quantisers (8 bits each)
    rerank_factor: int = 16  # approximate hits are re-scored exactly on the stored float vectors
    # … but at most this many passages per search: a wide candidate list (related's shared 1,000
    # documents) needs its head right, not 16x its length re-scored (32,000 gathers of 512 floats)
    rerank_max: int = 2_048
    retrain_growth: float = 4.0  # an IVF index is retrained once it holds this many times its training set
    exact_subset_max: int = 4_096  # filtered searches over at most this many passages are brute force
    # one query is fastest on one thread (OpenMP start-up dominates, and badly so on a busy machine);
    # concurrent requests parallelise across threads instead. 0 leaves faiss's default.
    search_threads: int = 1
    # passages
    # passages: about 500 tokens of English (e5-small-v2 reads 512; whole WoS abstracts rank better
    # than halves: recall@20 0.357 -> 0.381) and 1,200 characters of Chinese (~1 token each)
    chunk_chars: int = 2400
    chunk_chars_zh: int = 1200
    max_chunks: int = 64
    # hybrid ranking: reciprocal-rank fusion  score = sum_m w_m / (rrf_k + rank_m)
    rrf_k: int = 60
    weight_dense: float = 1.0
    # BM25 counts more for a short keyword query (exact terms carry it: CSL keywords -> paper, BM25
    # MRR@10 0.994 vs dense 0.947) and not at all for a pasted paragraph, whose many words match
    # loosely (WoS title + abstract -> cited papers: dense recall@20 0.387, with BM25 at 0.1 0.370);
    # chosen on those dev sets by benchmarks/eval_search.py, see docs/search.md
    weight_bm25: float = 2.0
    weight_bm25_long: float = 0.0
    long_query_tokens: int = 40  # a query with more BM25 tokens than this is a paragraph
    candidates: int = 100  # per method, before fusion (at least `top`)
    # related resources: weighted RRF over the signals of search/related.py; chosen by repeated
    # 2-fold cross-validation on the WoS dev citations (benchmarks/eval_search.py, docs/search.md)
    related_rrf_k: int = 60
    related_weights: dict[str, float] = Field(default_factory=lambda: dict(RELATED_WEIGHTS))

    def passage_chars(self, text: str) -> int:
        """The passage length for ``text``: Chinese text is cut shorter (a character is about a token)."""
        return self.chunk_chars_zh if script_language(text[:400]) == "zh" else self.chunk_chars

    def bm25_weight(self, query_tokens: int) -> float:
        """The BM25 weight of hybrid fusion for a query of ``query_tokens`` BM25 tokens."""
        return self.weight_bm25_long if query_tokens > self.long_query_tokens else self.weight_bm25

    @classmethod
    def from_settings(cls, settings: Settings) -> SearchConfig:
        values = {name: getattr(settings, f"search_{name}") for name in cls.model_fields
                  if hasattr(settings, f"search_{name}")}
        return cls(**values)
