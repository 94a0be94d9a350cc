"""Search quality on relevance judgments derived from real citations and known items.

Run ``make eval-search`` or ``python -m benchmarks.eval_search --out docs/benchmarks.md``: prints a
Markdown section and, with ``--out``, writes it between ``<!-- eval-search -->`` markers.

* WoS citations: corpus = the 750 WoS records of ``literature_wos_innovation_dev`` (250 citing + 500
  targets) plus the 1,000 Chinese CSL papers as distractors; query = a citing record's title + abstract;
  relevant = the records its ``Cited-References`` DOIs point to inside the corpus (the query itself excluded).
* USPTO: cited patent numbers of the 8 sample grants are checked against the sample set.
* Chinese known item: query = a CSL paper's author keywords (space-joined), target = that paper; the
  same queries converted to Traditional script (OpenCC s2t).

Metrics: nDCG@10 (binary gains), Recall@100, MRR (first relevant hit within 100). Every method ranks
the same 100 candidates per method the service fuses (``SearchConfig.candidates``), from the same
query path (``SearchService.embed_queries``, ``LexicalIndex.search``); "hybrid / best single" is the
service's configured fusion, the RRF grid beside it is tuned on these very sets (optimistic).
"""

from __future__ import annotations

import argparse
import math
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.common import machine, table, timed, write_section
from benchmarks.eval_related import CachedEmbedder
from benchmarks.eval_related import evaluate as evaluate_related
from iplayout.config import Settings
from iplayout.nlp.embeddings import Embedder, make_embedder
from iplayout.nlp.normalize import t2s
from iplayout.search.config import SearchConfig
from iplayout.search.documents import IndexDoc
from iplayout.search.evaldata import EvalDoc, read_csl_kg, read_uspto_xml, read_wos_bib
from iplayout.search.fusion import rrf
from iplayout.search.service import SearchService

ROOT = Path(__file__).resolve().parents[1]
DEPTH = 100


@dataclass
class Query:
    qid: str
    text: str
    relevant: set[str]
    exclude: str | None = None


def ndcg10(ranked: Sequence[str], rel: set[str]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in rel)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(rel), 10)))
    return dcg / ideal if ideal else 0.0


def recall100(ranked: Sequence[str], rel: set[str]) -> float:
    return len(set(ranked[:100]) & rel) / len(rel)


def mrr(ranked: Sequence[str], rel: set[str]) -> float:
    return next((1 / (i + 1) for i, d in enumerate(ranked[:100]) if d in rel), 0.0)


def _s2t(text: str) -> str:
    return t2s(text, "s2t")


def load_corpus(shared: Path) -> tuple[list[EvalDoc], list[EvalDoc], list[EvalDoc], list[EvalDoc]]:
    wos = shared / "corpus" / "literature_wos_innovation_dev"
    citing = read_wos_bib(wos / "wos_dev_citing_250.bib")
    targets = read_wos_bib(wos / "wos_targets_500.bib")
    csl = read_csl_kg(shared / "corpus" / "literature_csl_zh_keywords_dev" / "kg_dev.tsv")
    us = [d for p in sorted((shared / "corpus" / "patents_us_uspto_samples").glob("*/*.xml"))
          if (d := read_uspto_xml(p)) is not None]
    return citing, targets, csl, us


def wos_queries(citing: list[EvalDoc], targets: list[EvalDoc]) -> list[Query]:
    by_doi = {d.doi: d.id for d in citing + targets if d.doi}
    out = []
    for d in citing:
        rel = {by_doi[x] for x in d.cites if x in by_doi} - {d.id}
        if rel:
            out.append(Query(d.id, f"{d.title}. {d.text}", rel, exclude=d.id))
    return out


def csl_queries(csl: list[EvalDoc], traditional: bool) -> list[Query]:
    return [Query(d.id, _s2t(" ".join(d.keywords)) if traditional else " ".join(d.keywords), {d.id}) for d in csl]


def rankings(svc: SearchService, queries: list[Query]) -> list[dict[str, list[str]]]:
    """Per query: the dense and BM25 rankings (ids, best first) the service would fuse."""
    ids = [d.id for d in svc.docs.docs]
    out = []
    qvecs = svc.embed_queries([q.text for q in queries])
    for q, qv in zip(queries, qvecs, strict=True):
        drows, _ = svc.dense_rows(qv, DEPTH + 1, None)
        brows, _ = svc.lexical.search(q.text, DEPTH + 1)
        out.append({"dense": [ids[r] for r in drows if ids[r] != q.exclude][:DEPTH],
                    "bm25": [ids[r] for r in brows if ids[r] != q.exclude][:DEPTH]})
    return out


def fuse(runs: list[dict[str, list[str]]], k: int, w_bm25: float, w_dense: float = 1.0) -> list[list[str]]:
    out = []
    for run in runs:
        index = {d: i for i, d in enumerate(dict.fromkeys(run["dense"] + run["bm25"]))}
        back = list(index)
        rows = {m: [index[d] for d in lst] for m, lst in run.items()}
        out.append([back[r] for r, _, _ in rrf(rows, {"dense": w_dense, "bm25": w_bm25}, k)][:DEPTH])
    return out


def scores(ranked: list[list[str]], queries: list[Query]) -> tuple[float, float, float]:
    def mean(fn: Callable[[Sequence[str], set[str]], float]) -> float:
        return float(np.mean([fn(r, q.relevant) for r, q in zip(ranked, queries, strict=True)]))

    return mean(ndcg10), mean(recall100), mean(mrr)


GRID = [(k, w) for k in (10, 30, 60, 100) for w in (0.5, 0.75, 1.0, 1.5)]


def evaluate(embedder: Embedder, shared: Path) -> tuple[str, list[str]]:
    citing, targets, csl, us = load_corpus(shared)
    docs = [IndexDoc(id=d.id, type="Paper", title=d.title, text=d.text, year=d.year, lang="en")
            for d in {d.id: d for d in citing + targets}.values()]
    docs += [IndexDoc(id=d.id, type="Paper", title=d.title, text=d.text, lang="zh") for d in csl]
    with tempfile.TemporaryDirectory() as tmp:
        cfg = SearchConfig()
        svc = SearchService.open(Settings(home=Path(tmp)), embedder=embedder, config=cfg)
        secs, _ = timed(lambda: svc.index_documents(docs))
        sets = {
            "WoS citations (en)": wos_queries(citing, targets),
            "CSL known item, keywords (zh-Hans)": csl_queries(csl, traditional=False),
            "CSL known item, keywords (zh-Hant)": csl_queries(csl, traditional=True),
        }
        runs = {name: rankings(svc, qs) for name, qs in sets.items()}
    rows, tuning = [], []
    for k, w in GRID:  # tuned on the mean nDCG@10 over the three sets
        tuning.append((k, w, float(np.mean([scores(fuse(runs[n], k, w), sets[n])[0] for n in sets]))))
    best_k, best_w, _ = max(tuning, key=lambda t: t[2])
    for name, qs in sets.items():
        d = scores([r["dense"] for r in runs[name]], qs)
        b = scores([r["bm25"] for r in runs[name]], qs)
        h_default = scores(fuse(runs[name], cfg.rrf_k, cfg.weight_bm25, cfg.weight_dense), qs)
        h_best = scores(fuse(runs[name], best_k, best_w), qs)
        ratio = h_default[0] / max(d[0], b[0]) if max(d[0], b[0]) else 0.0
        rows.append([name, len(qs), *_fmt(b), *_fmt(d), *_fmt(h_default), *_fmt(h_best), f"{ratio:.2f}x"])
    us_ids = {u.id for u in us}
    us_resolved = sum(1 for u in us for c in u.cites if c in us_ids)
    notes = [
        f"Embedder `{embedder.model_id}`; {len(docs):,} documents indexed in {secs:.1f} s "
        f"({len(docs) / secs:,.0f} docs/s including BM25).",
        f"USPTO samples: {sum(len(u.cites) for u in us)} cited patent numbers in {len(us)} grants, "
        f"{us_resolved} resolve inside the sample set, so no USPTO judgments can be scored.",
        f"RRF grid tried (k, BM25 weight; dense weight 1): {', '.join(f'({k},{w})' for k, w in GRID)}; "
        f"best by mean nDCG@10: k={best_k}, w_bm25={best_w}.",
    ]
    headers = ["query set", "queries", "BM25 nDCG@10", "R@100", "MRR", "dense nDCG@10", "R@100", "MRR",
               f"hybrid k={cfg.rrf_k} nDCG@10", "R@100", "MRR", f"on-test best k={best_k},w={best_w} nDCG@10",
               "R@100", "MRR", f"hybrid k={cfg.rrf_k} / best single"]
    return table(headers, rows), notes + [_tuning_table(tuning)]


def _fmt(t: tuple[float, float, float]) -> list[str]:
    return [f"{x:.3f}" for x in t]


def _tuning_table(tuning: list[tuple[int, float, float]]) -> str:
    return "RRF tuning (mean nDCG@10 over the three sets):\n\n" + table(
        ["rrf k", "BM25 weight", "mean nDCG@10"], [(k, w, f"{s:.4f}") for k, w, s in tuning])


def report(shared: Path, embedders: list[str]) -> str:
    parts = ["## Search quality (`python -m benchmarks.eval_search`)", "", f"Machine: {machine()}", ""]
    for name in embedders:
        emb = CachedEmbedder(make_embedder(Settings(embedder=name)))
        tbl, notes = evaluate(emb, shared)
        emb.save()
        parts += [f"### Embedder {emb.model_id}", "", tbl, "", *[f"{n}\n" for n in notes]]
    parts += ["", evaluate_related(shared, embedders[0])]
    return "\n".join(parts)




def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--embedder", action="append", default=None,
                    help="IPLAYOUT_EMBEDDER values (default: auto, the shipped default); repeatable")
    args = ap.parse_args()
    text = report(args.shared, args.embedder or ["auto"])
    print(text)
    if args.out:
        write_section(args.out, "eval_search", text)


if __name__ == "__main__":
    main()
