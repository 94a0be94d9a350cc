"""`iplayout demo`: build the synthetic sample corpus end to end and print a summary."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from iplayout.cli_support import JSON_HELP, STORE_HELP, emit, fail, make_settings, progress

NEXT_STEPS = [
    "iplayout analyze chains --chain icd --json",
    "iplayout query chain_link_evidence --param link=icd:wafer",
    'iplayout cypher "MATCH (d:District) RETURN count(d) AS n"',
    'iplayout search "锂离子电池 热管理" --district 500106',
    "iplayout analyze density --json",
    "iplayout query top_applicants --param limit=5",
    "iplayout export rdf --schema",
]


def _human(summary: dict[str, Any]) -> str:
    lines = [
        f"SYNTHETIC demo corpus ({summary['size']}, seed {summary['seed']}) loaded into the {summary['store']} store",
        f"data: {summary['location']}   time: {summary['seconds']} s   "
        f"search index: {summary['indexed_documents']:,} documents",
        "",
        "nodes:",
    ]
    lines += [f"  {k:<16}{v:>10,}" for k, v in summary["counts"]["nodes"].items()]
    lines.append("relationships:")
    lines += [f"  {k:<16}{v:>10,}" for k, v in summary["counts"]["relationships"].items()]
    lines += ["", f"planted chain gaps found by `iplayout analyze chains` ({summary['benchmark']}):"]
    lines += [f"  {g['link']:<16}{g['flag']:<20}{g['metric']} {g['value']:.3g} {g['op']} {g['threshold']:g}"
              for g in summary["planted_gaps"]]
    lines += ["", "all records are synthetic (property synthetic=true); try next:"]
    lines += [f"  {s}" for s in summary["next"]]
    return "\n".join(lines)


def planted_flags(store: Any, region: str) -> tuple[list[dict[str, Any]], str]:
    """The chain-gap flags raised on the demo's planted weak links, and the benchmark line."""
    from iplayout.demo.planted import EXPECTED
    from iplayout.queries.benchmark import summary_line
    from iplayout.queries.chains import ChainOptions, chains

    result = chains(store, ChainOptions(region=region))
    links = {link for link, _ in EXPECTED}
    keep = ("link", "flag", "metric", "value", "op", "threshold", "evidence_query", "evidence_params")
    return [{k: f[k] for k in keep} for f in result.tables["flags"] if f["link"] in links], \
        summary_line(result.params)


def demo(
    size: Annotated[str, typer.Option(help="small (~1k patents), medium (~20k) or large (~200k)")] = "small",
    seed: Annotated[int, typer.Option(help="random seed: the same seed gives the same corpus")] = 7,
    fresh: Annotated[bool, typer.Option(help="delete everything in the store first")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="with --fresh: confirm deleting real records")] = False,
    index: Annotated[bool, typer.Option(help="also build the search index over the demo documents")] = True,
    store: Annotated[str | None, typer.Option(help=STORE_HELP)] = None,
    home: Annotated[Path | None, typer.Option(help="data folder (IPLAYOUT_HOME)")] = None,
    json_out: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Build the bundled SYNTHETIC sample corpus into the graph and print what was loaded.

    A store that holds real (non-synthetic) records is refused: use another --home, or --fresh
    (deletes everything first) with --yes or an interactive confirmation.

    Example: iplayout demo --size small --store embedded;  iplayout demo --home /tmp/demo --fresh
    """
    from iplayout.demo.generator import SIZES, generate, load_into
    from iplayout.demo.search_docs import index_demo
    from iplayout.graph.factory import open_store

    if size not in SIZES:
        raise typer.BadParameter(f"size must be one of {', '.join(SIZES)}")
    settings = make_settings(store, home)
    t0 = time.perf_counter()
    rows = generate(size, seed, settings.region)
    total = sum(len(v) for v in rows.nodes.values()) + sum(len(v) for v in rows.rels.values())
    gstore = open_store(settings)
    try:
        _guard_real_records(gstore, fresh, yes)
        if fresh:
            gstore.clear()
        with progress("loading demo graph", total, enabled=not json_out) as advance:
            counts = load_into(gstore, rows, on_batch=advance)
        gaps, bench = planted_flags(gstore, settings.region)
    finally:
        gstore.close()
    indexed = index_demo(settings, rows, fresh=fresh) if index else 0
    location = str(settings.embedded_path.resolve()) if settings.store == "embedded" else settings.neo4j_uri
    summary = {
        "synthetic": True,
        "size": size,
        "seed": seed,
        "store": settings.store,
        "location": location,
        "seconds": round(time.perf_counter() - t0, 1),
        "counts": counts.as_dict(),
        "indexed_documents": indexed,
        "benchmark": bench,
        "planted_gaps": gaps,
        "next": NEXT_STEPS,
    }
    emit(summary, json_out, _human(summary))


def _guard_real_records(gstore: Any, fresh: bool, yes: bool) -> None:
    """Refuse to mix synthetic data into real records; --fresh deletes them only when confirmed."""
    from iplayout.demo.safety import describe, real_records

    real = real_records(gstore)
    if not real:
        return
    if not fresh:
        fail(f"the store holds {describe(real)}; the demo would mix synthetic data into them. Use another "
             "--home (or store), or --fresh --yes to delete everything first")
    if yes:
        return
    if not sys.stdin.isatty():
        fail(f"--fresh would delete {describe(real)}; pass --yes to confirm")
    if not typer.confirm(f"--fresh deletes {describe(real)} and everything else in the store. Continue?"):
        fail("cancelled; nothing was changed")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
