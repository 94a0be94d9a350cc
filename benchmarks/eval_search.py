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
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.common import machine, table, timed, write_section
from benchmarks.common import search_settings as _common_search_settings
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
        brows, _ = svc.backend.lexical_search(q.text, DEPTH + 1, None)
        out.append({"dense": [ids[r] for r in drows if ids[r] != q.exclude][:DEPTH],
                    "bm25": [ids[r] for r in brows if ids[r] != q.exclude][:DEPTH]})
    return out


def fuse(runs: list[dict[str, list[str]]], k: int, w_bm25: float | Sequence[float],
         w_dense: float = 1.0) -> list[list[str]]:
    """RRF of each run's lists; ``w_bm25`` one weight, or one per query (the service's length rule)."""
    weights = [w_bm25] * len(runs) if isinstance(w_bm25, (int, float)) else list(w_bm25)
    out = []
    for run, wb in zip(runs, weights, strict=True):
        index = {d: i for i, d in enumerate(dict.fromkeys(run["dense"] + run["bm25"]))}
        back = list(index)
        rows = {m: [index[d] for d in lst] for m, lst in run.items()}
        out.append([back[r] for r, _, _ in rrf(rows, {"dense": w_dense, "bm25": wb}, k)][:DEPTH])
    return out


def scores(ranked: list[list[str]], queries: list[Query]) -> tuple[float, float, float]:
    def mean(fn: Callable[[Sequence[str], set[str]], float]) -> float:
        return float(np.mean([fn(r, q.relevant) for r, q in zip(ranked, queries, strict=True)]))

    return mean(ndcg10), mean(recall100), mean(mrr)


GRID = [(k, w) for k in (30, 60) for w in (0.0, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0)]




def evaluate(embedder: Embedder, shared: Path, backend: str = "local",
             summary: dict[str, dict[str, float]] | None = None) -> tuple[str, list[str]]:
    """The quality table of one embedder on one search backend; ``summary`` collects nDCG@10 per
    query set and method (for the backend parity table)."""
    citing, targets, csl, us = load_corpus(shared)
    docs = [IndexDoc(id=d.id, type="Paper", title=d.title, text=d.text, year=d.year, lang="en")
            for d in {d.id: d for d in citing + targets}.values()]
    docs += [IndexDoc(id=d.id, type="Paper", title=d.title, text=d.text, lang="zh") for d in csl]
    with tempfile.TemporaryDirectory() as tmp:
        cfg = SearchConfig()
        svc = SearchService.open(search_settings(backend, Path(tmp)), embedder=embedder, config=cfg)
        if len(svc.docs) or svc.index_model_id:
            svc.backend.reset()  # a Neo4j left with an earlier run's index
        secs, _ = timed(lambda: svc.index_documents(docs))
        sets = {
            "WoS citations (en)": wos_queries(citing, targets),
            "CSL known item, keywords (zh-Hans)": csl_queries(csl, traditional=False),
            "CSL known item, keywords (zh-Hant)": csl_queries(csl, traditional=True),
        }
        runs = {name: rankings(svc, qs) for name, qs in sets.items()}
        lengths = {name: [len(svc.lexical.query_tokens(q.text)) for q in qs] for name, qs in sets.items()}
        if backend == "neo4j":  # leave the server as found
            svc.backend.reset()
        svc.close()
    # the shipped rule: one BM25 weight for short queries, one for paragraphs (SearchConfig.bm25_weight)
    shipped = {name: [cfg.bm25_weight(n) for n in ns] for name, ns in lengths.items()}
    # each set's own grid: the keyword sets choose the short-query weight, WoS the paragraph weight
    tuning = {name: [(k, w, scores(fuse(runs[name], k, w), qs)[0]) for k, w in GRID] for name, qs in sets.items()}
    rows = []
    for name, qs in sets.items():
        d = scores([r["dense"] for r in runs[name]], qs)
        b = scores([r["bm25"] for r in runs[name]], qs)
        h_default = scores(fuse(runs[name], cfg.rrf_k, shipped[name], cfg.weight_dense), qs)
        best_k, best_w, _ = max(tuning[name], key=lambda t: t[2])
        ratio = h_default[0] / max(d[0], b[0]) if max(d[0], b[0]) else 0.0
        long_share = sum(n > cfg.long_query_tokens for n in lengths[name]) / len(qs)
        if summary is not None:
            summary[name] = {"BM25": b[0], "dense": d[0], "hybrid": h_default[0]}
        rows.append([name, len(qs), f"{np.median(lengths[name]):.0f} ({long_share:.0%} long)", *_fmt(b), *_fmt(d),
                     *_fmt(h_default), f"k={best_k}, w={best_w:g}", f"{ratio:.2f}x"])
    us_ids = {u.id for u in us}
    us_resolved = sum(1 for u in us for c in u.cites if c in us_ids)
    notes = [
        f"Embedder `{embedder.model_id}`, search backend `{backend}`; {len(docs):,} documents indexed in {secs:.1f} s "
        f"({len(docs) / secs:,.0f} docs/s including BM25).",
        f"Shipped hybrid: rrf k={cfg.rrf_k}, dense weight {cfg.weight_dense:g}, BM25 weight "
        f"{cfg.weight_bm25:g} for a query of at most {cfg.long_query_tokens} BM25 tokens and "
        f"{cfg.weight_bm25_long:g} above (a pasted paragraph).",
        f"USPTO samples: {sum(len(u.cites) for u in us)} cited patent numbers in {len(us)} grants, "
        f"{us_resolved} resolve inside the sample set, so no USPTO judgments can be scored.",
    ]
    headers = ["query set", "queries", "median query tokens", "BM25 nDCG@10", "R@100", "MRR", "dense nDCG@10",
               "R@100", "MRR", "hybrid (shipped) nDCG@10", "R@100", "MRR", "best grid point on this set",
               "hybrid / best single"]
    return table(headers, rows), notes + [_tuning_table(tuning)]


def _fmt(t: tuple[float, float, float]) -> list[str]:
    return [f"{x:.3f}" for x in t]


def _tuning_table(tuning: dict[str, list[tuple[int, float, float]]]) -> str:
    names = list(tuning)
    grid = [(k, w) for k, w, _ in tuning[names[0]]]
    rows = [[k, f"{w:g}", *[f"{tuning[n][i][2]:.4f}" for n in names]] for i, (k, w) in enumerate(grid)]
    return "RRF grid, nDCG@10 per query set (dense weight 1):\n\n" + table(["rrf k", "BM25 weight", *names], rows)


def report(shared: Path, embedders: list[str], backends: list[str] | None = None) -> str:
    parts = ["## Search quality (`python -m benchmarks.eval_search`)", "", f"Machine: {machine()}", ""]
    backends = backends or ["local"]
    summaries: dict[str, dict[str, dict[str, float]]] = {}
    for i, name in enumerate(embedders):
        emb = CachedEmbedder(make_embedder(Settings(embedder=name)))
        for backend in backends if i == 0 else backends[:1]:  # the backend comparison on the first embedder
            summaries[backend] = {}
            tbl, notes = evaluate(emb, shared, backend, summaries[backend])
            label = "" if backend == backends[0] else f", search backend {backend}"
            parts += [f"### Embedder {emb.model_id}{label}", "", tbl, "", *[f"{n}\n" for n in notes]]
        emb.save()
    if len(backends) > 1:
        parts += [_parity_table(summaries, backends), ""]
    parts += ["", evaluate_related(shared, embedders[0])]
    return "\n".join(parts)


def _parity_table(summaries: dict[str, dict[str, dict[str, float]]], backends: list[str]) -> str:
    """nDCG@10 of each search backend beside the first one's, same embedder, same run."""
    base, rows = backends[0], []
    for other in backends[1:]:
        for qset, methods in summaries[base].items():
            for method, value in methods.items():
                got = summaries[other][qset][method]
                change = (got - value) / value if value else 0.0
                rows.append([qset, method, f"{value:.3f}", f"{got:.3f}", f"{change:+.1%}",
                             "yes" if abs(change) <= 0.03 else "NO"])
    return (f"### Search backends: {' vs '.join(backends)} (nDCG@10, same embedder, same run)\n\n"
            + table(["query set", "method", f"{base}", " / ".join(backends[1:]), "change", "within 3%"], rows))




def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--embedder", action="append", default=None,
                    help="IPLAYOUT_EMBEDDER values (default: auto, the shipped default); repeatable")
    ap.add_argument("--backends", default=None,
                    help="search backends to compare, e.g. local,neo4j (default: both when IPLAYOUT_NEO4J_URI "
                         "is set, else local)")
    args = ap.parse_args()
    backends = (args.backends.split(",") if args.backends
                else ["local", "neo4j"] if os.environ.get("IPLAYOUT_NEO4J_URI") else ["local"])
    text = report(args.shared, args.embedder or ["auto"], backends)
    print(text)
    if args.out:
        write_section(args.out, "eval_search", text)


if __name__ == "__main__":
    main()


def search_settings(backend: str, home: Path) -> Settings:
    return _common_search_settings(backend, home, "make eval-search")
