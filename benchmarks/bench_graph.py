"""Graph write benchmark (issue 2): node/relationship upsert rates on both engines.

Measures on the demo `medium` corpus (≈20k patents): rows/s of our upsert path per engine; for
Neo4j the ratio to a bare ``UNWIND $rows AS r CREATE (n:X) SET n = r`` of the same rows in the
same run; for the embedded engine the rate of a 10k-patent batch into an empty graph versus into
a graph that already holds 200k patents (no quadratic slow-down).

    python -m benchmarks.bench_graph --out section.md [--neo4j-uri bolt://...]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from benchmarks.common import table, timed
from iplayout.config import Settings
from iplayout.demo import generate
from iplayout.graph.factory import open_store
from iplayout.graph.store import GraphStore


def _load(store: GraphStore, rows) -> tuple[float, int, float, int]:  # type: ignore[no-untyped-def]
    n_nodes = n_rels = 0
    t_nodes = t_rels = 0.0
    for label, nodes in rows.nodes.items():
        dt, _ = timed(lambda: store.upsert_nodes(label, nodes))  # noqa: B023
        t_nodes += dt
        n_nodes += len(nodes)
    for (rtype, a, b), rels in rows.rels.items():
        dt, _ = timed(lambda: store.upsert_relationships(rtype, a, b, rels))  # noqa: B023
        t_rels += dt
        n_rels += len(rels)
    return t_nodes, n_nodes, t_rels, n_rels


def _patent_batch(start: int, n: int) -> list[dict[str, object]]:
    return [
        {
            "id": f"BENCH{i:09d}",
            "title": f"一种测试专利{i}",
            "year": 2014 + i % 12,
            "kind": "invention",
            "source": "bench",
            "synthetic": True,
        }
        for i in range(start, start + n)
    ]


def embedded_scaling(home: Path) -> tuple[float, float]:
    """Median of three 10k batches into an empty graph (fresh databases) vs into 200k patents."""
    import statistics

    empty = []
    for k in range(3):
        store = open_store(Settings(store="embedded", home=home / f"empty{k}"))
        store.upsert_nodes("Technology", [{"id": f"warm{i}"} for i in range(1_000)])  # engine warm-up
        empty.append(timed(lambda: store.upsert_nodes("Patent", _patent_batch(0, 10_000)))[0])  # noqa: B023
        store.close()
    store = open_store(Settings(store="embedded", home=home / "full"))
    for start in range(0, 200_000, 50_000):
        store.upsert_nodes("Patent", _patent_batch(start, 50_000))
    full = [
        timed(lambda: store.upsert_nodes("Patent", _patent_batch(300_000 + k * 10_000, 10_000)))[0]  # noqa: B023
        for k in range(3)
    ]
    store.close()
    return 10_000 / statistics.median(empty), 10_000 / statistics.median(full)


def neo4j_baseline(uri: str, rows: list[dict[str, object]]) -> float:
    import neo4j

    with neo4j.GraphDatabase.driver(uri, auth=None) as driver, driver.session() as s:
        s.run("MATCH (n:BenchX) DETACH DELETE n").consume()
        t0 = timed(
            lambda: [
                s.execute_write(
                    lambda tx, b=b: tx.run("UNWIND $rows AS r CREATE (n:BenchX) SET n = r", rows=b).consume()
                )
                for b in (rows[i : i + 10_000] for i in range(0, len(rows), 10_000))
            ]
        )[0]
        s.run("MATCH (n:BenchX) DETACH DELETE n").consume()
    return len(rows) / t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--size", default="medium")
    ap.add_argument("--neo4j-uri", default=os.environ.get("IPLAYOUT_NEO4J_URI"))
    args = ap.parse_args()
    rows = generate(args.size, seed=7)
    lines = [f"## Graph writes (issue 2): demo `{args.size}` corpus", "",
             "Each engine loads the corpus three times, clearing it in between: the first pass is reported "
             "as *cold* (a freshly started server: the JVM's JIT and both engines' query plans are not warm "
             "yet), the second is a further warm-up, the third is the steady-state rate. Neo4j node upserts "
             "use `IPLAYOUT_NEO4J_WRITE_CONCURRENCY` (default 4) concurrent write transactions.", ""]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        engines = [("embedded", Settings(store="embedded", home=Path(tmp) / "e"))]
        if args.neo4j_uri:
            engines.append(("neo4j", Settings(store="neo4j", home=Path(tmp) / "n", neo4j_uri=args.neo4j_uri)))
        for name, settings in engines:
            store = open_store(settings)
            store.clear()
            cold_n, _, cold_r, _ = _load(store, rows)
            store.clear()
            _load(store, rows)
            store.clear()
            tn, nn, tr, nr = _load(store, rows)
            results.append((name, nn, nn / cold_n, nn / tn, nr, nr / cold_r, nr / tr))
            store.clear()
            store.close()
        lines.append(
            table(["engine", "node rows", "cold node rows/s", "node rows/s", "relationship rows",
                   "cold relationship rows/s", "relationship rows/s"], results)
        )
        if args.neo4j_uri:
            patents = [dict(r) for r in rows.nodes["Patent"]]
            base = neo4j_baseline(args.neo4j_uri, patents)
            store = open_store(Settings(store="neo4j", home=Path(tmp) / "n", neo4j_uri=args.neo4j_uri))
            store.clear()
            ours_dt, _ = timed(lambda: store.upsert_nodes("Patent", patents))
            store.clear()
            store.close()
            ours = len(patents) / ours_dt
            lines += [
                "",
                "Neo4j: our upsert path (MERGE on the key constraint + `SET n += r`) vs the bare baseline "
                "`UNWIND $rows AS r CREATE (n:X) SET n = r` on the same patent rows, same run "
                "(goal ≥ 20,000 rows/s and ≥ 0.5 × baseline):",
                "",
                table(
                    ["path", "rows", "rows/s"],
                    [
                        ("iplayout upsert_nodes", len(patents), ours),
                        ("bare CREATE baseline", len(patents), base),
                    ],
                ),
                "",
                f"ratio ours / baseline = **{ours / base:.2f}**",
            ]
        else:
            lines += ["", "**Neo4j not measured**: no IPLAYOUT_NEO4J_URI (run through `make bench`)."]
        empty, full = embedded_scaling(Path(tmp) / "scale")
    lines += [
        "",
        "Embedded: a 10,000-patent batch into an empty graph vs into a graph already holding 200,000 "
        "patents (goal: ratio ≥ 0.5, i.e. no quadratic slow-down):",
        "",
        table(["graph before the batch", "rows/s"], [("empty", empty), ("200,000 patents", full)]),
        "",
        f"ratio full / empty = **{full / empty:.2f}**",
        "",
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
