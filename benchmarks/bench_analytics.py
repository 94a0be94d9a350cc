"""Seconds for density, clusters (Leiden on the org-technology projection) and chains per engine.

    python -m benchmarks.bench_analytics --out docs/bench_analytics.md [--size large] [--engines embedded,neo4j]

The demo graph of ``--size`` is generated and loaded once per engine (Neo4j from IPLAYOUT_NEO4J_URI;
the database is cleared first), then each analysis runs ``--repeat`` times; the best time is
reported with its CPU seconds (engine threads included), the 1-minute load average around it and the
process's peak RSS. Goals: density <= 5 s and chains <= 10 s embedded; clusters <= 60 s.

The machine is often shared: wall seconds grow with the load average, CPU seconds much less, so
both are recorded. To time the analyses alone on an already built graph:

    iplayout demo --size large --home H --no-index
    python -m benchmarks.bench_analytics --out F.md --engines embedded --analyses chains --home H
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from iplayout.config import Settings
from iplayout.graph.factory import open_store
from iplayout.graph.store import GraphStore
from iplayout.queries.chains import ChainOptions, chains
from iplayout.queries.clusters import clusters
from iplayout.queries.density import DensityOptions, density

GOALS = {"density": 5.0, "clusters": 60.0, "chains": 10.0}
REGION = Settings().region
# As the CLI runs them: against the benchmark population outside the configured region.
ANALYSES: dict[str, Callable[[GraphStore], Any]] = {
    "density": lambda g: density(g, DensityOptions(region=REGION)),
    "clusters": clusters,
    "chains": lambda g: chains(g, ChainOptions(region=REGION)),
}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load1() -> float:
    return os.getloadavg()[0]


def load(engine: str, size: str, seed: int, home: Path, neo4j_uri: str | None) -> tuple[Settings, float, int]:
    from iplayout.demo import generate, load_into

    settings = Settings(store=engine, home=home, **({"neo4j_uri": neo4j_uri} if neo4j_uri else {}))
    t0 = time.perf_counter()
    rows = generate(size, seed=seed)
    store = open_store(settings)
    try:
        store.clear()
        counts = load_into(store, rows)
    finally:
        store.close()
    return settings, time.perf_counter() - t0, counts.nodes.get("Patent", 0)


def built_patents(settings: Settings) -> int:
    store = open_store(settings, read_only=True)
    try:
        return store.counts().nodes.get("Patent", 0)
    finally:
        store.close()


def time_analyses(settings: Settings, repeat: int, names: list[str]
                  ) -> tuple[dict[str, float], dict[str, str], str]:
    """Best wall seconds per analysis, and for that run its CPU seconds and load average (before-after)."""
    store = open_store(settings, read_only=True)
    out: dict[str, float] = {}
    notes: dict[str, str] = {}
    what = ""
    try:
        for name in names:
            best = float("inf")
            for _ in range(repeat):
                before, t0, c0 = load1(), time.perf_counter(), cpu_seconds()
                result = ANALYSES[name](store)
                wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
                if wall < best:
                    best = wall
                    notes[name] = f"{name}: {wall:.2f} s wall, {cpu:.2f} s CPU, load average {before:.1f}-{load1():.1f}"
            out[name] = best
            if name == "chains":
                what = (f"chains: {len({r['chain'] for r in result.rows})} chains, {len(result.rows)} links, "
                        f"{len(result.tables['flags'])} flags, benchmark {result.params['benchmark']} "
                        f"({result.params.get('benchmark_size')} patents)")
    finally:
        store.close()
    return out, notes, what


def report(rows: list[dict[str, Any]], size: str) -> str:
    lines = [f"# Analytics benchmark (demo `{size}`)", "",
             "| engine | patents | load s | density s | clusters s | chains s | peak RSS MB |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        t = r["times"]
        goals = GOALS if r["engine"] == "embedded" else {"density": float("inf"), "chains": float("inf"),
                                                         "clusters": GOALS["clusters"]}
        cells = [("not run" if k not in t else f"{t[k]:.2f}{'' if t[k] <= goals[k] else ' (over goal)'}")
                 for k in ("density", "clusters", "chains")]
        load_cell = "reused (--home)" if r["load"] is None else f"{r['load']:.0f}"
        lines.append(f"| {r['engine']} | {r['patents']} | {load_cell} | " + " | ".join(cells)
                     + f" | {r['rss']:.0f} |")
    lines += ["", *[f"{r['engine']}: {r['what']}" for r in rows if r.get("what")]]
    lines += ["", "Best run of each analysis (1-minute load average before-after; 2 cores = load 2 is a full machine):",
              "", *[f"- {r['engine']} {note}" for r in rows for note in r.get("notes", {}).values()]]
    lines += ["", "Goals: density <= 5 s and chains <= 10 s on the embedded engine; clusters <= 60 s.",
              "Peak RSS is the process maximum so far, including generating and loading the demo rows "
              "(pass --home with a built embedded graph to measure the analyses alone).",
              "Regenerate: `python -m benchmarks.bench_analytics --out FILE.md --size large`.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--size", default="large", choices=["small", "medium", "large"])
    ap.add_argument("--engines", default="embedded,neo4j")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--analyses", default="density,clusters,chains", help="comma-separated subset")
    ap.add_argument("--neo4j-uri", default=None, help="default: IPLAYOUT_NEO4J_URI")
    ap.add_argument("--home", type=Path, default=None, help="reuse an embedded home that already holds the graph")
    args = ap.parse_args(argv)
    uri = args.neo4j_uri or os.environ.get("IPLAYOUT_NEO4J_URI")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_analytics_") as tmp:
        for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
            if engine == "neo4j" and not uri:
                print("skipping neo4j: no --neo4j-uri / IPLAYOUT_NEO4J_URI", file=sys.stderr)
                continue
            if engine == "embedded" and args.home is not None and (args.home / "graph.lbdb").exists():
                settings, load_s = Settings(store="embedded", home=args.home), None
                patents = built_patents(settings)
            else:
                settings, load_s, patents = load(engine, args.size, args.seed, Path(tmp) / engine, uri)
            print(f"{engine}: {patents} patents, loaded in {load_s} s", file=sys.stderr)
            names = [a.strip() for a in args.analyses.split(",") if a.strip() in ANALYSES]
            times, notes, what = time_analyses(settings, args.repeat, names)
            print(f"{engine}: {notes}", file=sys.stderr)
            rows.append({"engine": engine, "patents": patents, "load": load_s, "times": times, "rss": peak_rss_mb(),
                         "what": what, "notes": notes})
    text = report(rows, args.size)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
