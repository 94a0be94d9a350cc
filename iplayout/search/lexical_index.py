"""BM25 over the documents (``bm25s``, Lucene variant, k1=1.5, b=0.75).

A query term counts as often as it occurs in the query, as in Lucene: a long query (a pasted
abstract) is then weighted towards the terms it repeats, its subject (on the WoS citation
judgments of ``benchmarks/eval_search.py``, BM25 nDCG@10 0.124 against 0.112 with each term once).

Each document's tokens (``tokenize.tokenize`` of title + text) are kept as ids into a growing
vocabulary: ``bm25_tokens.npy`` (all ids, concatenated), ``bm25_offsets.npy`` and
``bm25_vocab.json``. Adding or removing documents edits those arrays and rebuilds the bm25s score
matrix from them (vectorised, about a second per 100k abstracts; no re-tokenisation), lazily at
the next search. Rows follow the document table's row order. A filtered search scores every
document and keeps the best among the allowed rows, so the top-k after filtering is complete.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from iplayout.search.storage import load_array, read_json, save_array, write_json
from iplayout.search.tokenize import tokenize

log = logging.getLogger(__name__)


class LexicalIndex:
    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.tokens = np.zeros(0, dtype=np.int32)
        self.offsets = np.zeros(1, dtype=np.int64)
        self._bm25: Any = None
        self._df: np.ndarray | None = None
        self._names: list[str] | None = None

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def _ids(self, toks: list[str], grow: bool) -> list[int]:
        if grow:
            return [self.vocab.setdefault(t, len(self.vocab)) for t in toks]
        return [self.vocab[t] for t in toks if t in self.vocab]

    def add(self, texts: Sequence[str]) -> None:
        """Append one row per text (tokenised here)."""
        self.add_tokens([tokenize(t) for t in texts])

    def add_tokens(self, token_lists: Sequence[list[str]]) -> None:
        ids = [np.asarray(self._ids(t, grow=True), dtype=np.int32) for t in token_lists]
        lengths = np.array([len(x) for x in ids], dtype=np.int64)
        self.tokens = np.concatenate([self.tokens, *ids]) if ids else self.tokens
        self.offsets = np.concatenate([self.offsets, self.offsets[-1] + np.cumsum(lengths)])
        self._changed()

    def _changed(self) -> None:
        self._bm25 = None
        self._df = None
        self._names = None

    def remove_rows(self, rows: np.ndarray) -> None:
        if not len(rows):
            return
        keep = np.ones(len(self), dtype=bool)
        keep[rows] = False
        lengths = np.diff(self.offsets)
        token_keep = np.repeat(keep, lengths)
        self.tokens = self.tokens[token_keep]
        self.offsets = np.concatenate([[0], np.cumsum(lengths[keep])]).astype(np.int64)
        self._changed()

    def doc_token_ids(self, row: int) -> np.ndarray:
        return self.tokens[self.offsets[row] : self.offsets[row + 1]]

    def document_frequencies(self) -> np.ndarray:
        """How many documents contain each token id."""
        if self._df is None:
            v = max(len(self.vocab), 1)
            doc_of = np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.offsets))
            pairs = np.unique(doc_of * v + self.tokens.astype(np.int64))
            self._df = np.bincount(pairs % v, minlength=v)
        return self._df

    def id_to_token(self) -> list[str]:
        if self._names is None:
            self._names = list(self.vocab)
        return self._names

    def _model(self) -> Any:
        if self._bm25 is None:
            import bm25s

            logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its own logger to DEBUG
            corpus = [self.doc_token_ids(i).tolist() for i in range(len(self))]
            vocab = dict(self.vocab)  # bm25s adds its empty token to the dict it is given
            vocab.setdefault("", len(vocab))
            model = bm25s.BM25()
            model.index((corpus, vocab), show_progress=False)
            self._bm25 = model
        return self._bm25

    def query_tokens(self, query: str) -> list[str]:
        """The query's tokens that occur in the index, in order and with repeats."""
        return [t for t in tokenize(query) if t in self.vocab]

    def scores(self, query: str) -> np.ndarray | None:
        """BM25 score of every row for ``query`` (``None`` when no query word is indexed)."""
        ids = [self.vocab[t] for t in self.query_tokens(query)] if len(self) else []
        if not ids:
            return None
        return np.asarray(self._model().get_scores_from_ids(ids))  # a term counts once per occurrence

    def search(self, query: str, k: int, rows: np.ndarray | None = None,
               scores: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` rows by BM25 with a positive score, optionally only among ``rows``.

        ``scores`` (from ``scores(query)``) lets several searches of one query share the scoring.
        """
        if scores is None:
            scores = self.scores(query) if k > 0 else None
        if scores is None or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        cand = np.flatnonzero(scores > 0) if rows is None else rows[scores[rows] > 0]
        if len(cand) > k:
            cand = cand[np.argpartition(-scores[cand], k - 1)[:k]]
        order = np.lexsort((cand, -scores[cand]))
        return cand[order].astype(np.int64), scores[cand[order]].astype(np.float32)

    def matched_terms(self, query_tokens: list[str], row: int) -> list[str]:
        have = set(self.doc_token_ids(row).tolist())
        return [t for t in query_tokens if self.vocab[t] in have]

    # ---- persistence ---------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        save_array(folder / "bm25_tokens.npy", self.tokens)
        save_array(folder / "bm25_offsets.npy", self.offsets)
        write_json(folder / "bm25_vocab.json", list(self.vocab))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        out = cls()
        out.tokens = load_array(folder / "bm25_tokens.npy")
        out.offsets = load_array(folder / "bm25_offsets.npy")
        out.vocab = {t: i for i, t in enumerate(read_json(folder / "bm25_vocab.json"))}
        return out
