"""``iplayout analyze density|clusters|centrality|chains|evaluate|monitor|policies|catalog``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from iplayout.cli_support import JSON_HELP, STORE_HELP, emit, fail, make_settings
from iplayout.errors import IplayoutError

StoreOpt = Annotated[str | None, typer.Option("--store", help=STORE_HELP)]
HomeOpt = Annotated[Path | None, typer.Option("--home", help="Data folder (IPLAYOUT_HOME).")]
JsonOpt = Annotated[bool, typer.Option("--json", help=JSON_HELP)]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Also write the rows to .csv, .xlsx or .md.")]
FromOpt = Annotated[int | None, typer.Option("--year-from", help="First application year.")]
ToOpt = Annotated[int | None, typer.Option("--year-to", help="Last application year.")]
SchemeOpt = Annotated[str, typer.Option("--scheme", help="Industry scheme (e.g. GBT4754-2017, CQ-KEY).")]
RulesOpt = Annotated[Path | None, typer.Option("--rules", help="Flag rules YAML (default: packaged rules.yaml).")]
LevelOpt = Annotated[str, typer.Option("--level", help="IPC level: subclass | main_group | subgroup.")]
IpTypeOpt = Annotated[str, typer.Option("--ip-type", help="What to count: patents | trademarks | all.")]


def _run(compute: Callable[[Any], Any], store: str | None, home: Path | None, json_mode: bool,
         out: Path | None = None) -> None:
    """Open the store read-only, compute, optionally export, print; errors are one line."""
    from iplayout.queries.commands import read_store
    from iplayout.queries.exports import export, markdown

    try:
        with read_store(store, home) as graph:
            result = compute(graph)
        if out is not None:
            export(result, out)
    except IplayoutError as exc:
        fail(str(exc))
        return
    note = _note(result)
    emit(result, json_mode, markdown(result.frame().head(60)) + f"\nqueries: {', '.join(result.queries)}"
         + (f"\n{note}" if note else ""))


BENCH_HELP = ("Benchmark population: outside (default: the graph outside the scope) | graph | peer:ADCODE "
              "(e.g. peer:5101 Chengdu) | a CSV/XLSX table with {key},patents.")
# density and catalog count the --ip-type in the benchmark too
BENCH_TYPED_HELP = BENCH_HELP[:-1] + " ({key},trademarks or {key},ip_items with --ip-type trademarks or all)."


def _region(store: str | None, home: Path | None) -> str:
    from iplayout.cli_support import make_settings

    return str(make_settings(store, home).region)


def _note(result: Any) -> str:
    from iplayout.queries.benchmark import summary_line

    return summary_line(result.params) if "benchmark" in result.params else ""


def _window(year_from: int | None, year_to: int | None) -> Any:
    from iplayout.queries.facts import Window

    return Window(year_from, year_to)


def density_cmd(scheme: SchemeOpt = "GBT4754-2017", year_from: FromOpt = None, year_to: ToOpt = None,
                benchmark: Annotated[str | None, typer.Option(help=BENCH_TYPED_HELP.format(key="industry"))]
                = None, rules: RulesOpt = None, ip_type: IpTypeOpt = "patents", out: OutOpt = None,
                store: StoreOpt = None, home: HomeOpt = None, json_mode: JsonOpt = False) -> None:
    """Counts, density per 10k residents, LQ/RTA, HHI, growth, quality and IP-dense flags.

    Example: iplayout analyze density --scheme GBT4754-2017 --year-from 2018 --benchmark peer:5101 --json

    Example: iplayout analyze density --ip-type all --json   (patents and trademarks as IP items)
    """
    from iplayout.queries.density import DensityOptions, density

    opts = DensityOptions(scheme, _window(year_from, year_to), benchmark, rules,
                          reference_dir=make_settings(store, home).home / "reference", region=_region(store, home),
                          ip_type=ip_type)
    _run(lambda g: density(g, opts), store, home, json_mode, out)


def clusters_cmd(projection: Annotated[str, typer.Option(
                     help="org_similarity | coapplicant | citation | district_technology")] = "org_similarity",
                 level: LevelOpt = "main_group", resolution: float = 1.0, seed: int = 42, min_size: int = 2,
                 top_k: Annotated[int, typer.Option(help="Similarity neighbours per node.")] = 10,
                 out: OutOpt = None, store: StoreOpt = None, home: HomeOpt = None, json_mode: JsonOpt = False) -> None:
    """Leiden clusters (fixed seed) on a projection, with cluster profiles.

    Example: iplayout analyze clusters --projection org_similarity --level main_group --json
    """
    from iplayout.queries.clusters import ClusterOptions, clusters
    from iplayout.queries.projections import ProjectionOptions

    proj = ProjectionOptions(projection, level, top_k)  # type: ignore[arg-type]
    opts = ClusterOptions(proj, resolution, seed, min_size)
    _run(lambda g: clusters(g, opts), store, home, json_mode, out)


def centrality_cmd(projection: Annotated[str, typer.Option(help="coapplicant | citation | org_similarity")]
                   = "coapplicant", level: LevelOpt = "main_group", top: int = 20, out: OutOpt = None,
                   store: StoreOpt = None, home: HomeOpt = None, json_mode: JsonOpt = False) -> None:
    """PageRank, betweenness and degree of organisations; key players per chain link.

    Example: iplayout analyze centrality --projection coapplicant --top 10 --json
    """
    from iplayout.queries.centrality import CentralityOptions, centrality
    from iplayout.queries.projections import ProjectionOptions

    opts = CentralityOptions(ProjectionOptions(projection, level), top)  # type: ignore[arg-type]
    _run(lambda g: centrality(g, opts), store, home, json_mode, out)


def chains_cmd(scope: Annotated[list[str] | None, typer.Option(help="District adcode or zone id (repeat).")] = None,
               chain: Annotated[str | None, typer.Option(help="Only this chain id.")] = None,
               benchmark: Annotated[str | None, typer.Option(help=BENCH_HELP.format(key="link"))]
               = None, coverage: Annotated[bool, typer.Option(
                   "--coverage", help="Also report the share of scope patents in at least one link, and the "
                   "largest IPC subclasses in none (tables coverage, uncovered_subclasses).")] = False,
               rules: RulesOpt = None, out: OutOpt = None, store: StoreOpt = None, home: HomeOpt = None,
               json_mode: JsonOpt = False) -> None:
    """Local IP per chain link, share, benchmark and gap flags (each naming its query and its evidence query).

    Example: iplayout analyze chains --scope 500106 --benchmark peer:5101 --coverage --json
    Evidence of a flag: iplayout query chain_link_evidence --param link=nev:battery
    """
    from iplayout.queries.chains import ChainOptions, chains

    opts = ChainOptions(tuple(scope or ()), benchmark, chain, rules, region=_region(store, home), coverage=coverage)
    _run(lambda g: chains(g, opts), store, home, json_mode, out)


def evaluate_cmd(indicators: Annotated[Path | None, typer.Option(help="Indicator system YAML.")] = None,
                 year: Annotated[int | None, typer.Option(help="Static year (default: latest).")] = None,
                 variant: Annotated[str | None, typer.Option(help="standard | wang2021 | fan2024")] = None,
                 scheme: SchemeOpt = "GBT4754-2017", year_from: FromOpt = None, year_to: ToOpt = None,
                 ip_type: IpTypeOpt = "patents", out: OutOpt = None, store: StoreOpt = None, home: HomeOpt = None,
                 json_mode: JsonOpt = False) -> None:
    """Coupling coordination of IP, innovation and industry per district; matching table.

    Example: iplayout analyze evaluate --year 2023 --variant wang2021 --json

    Example: iplayout analyze evaluate --ip-type all   (matching table: patents and trademarks as IP)
    """
    from iplayout.queries.evaluate import EvaluateOptions, evaluate

    opts = EvaluateOptions(indicators, year, _window(year_from, year_to), variant, scheme, ip_type=ip_type)
    _run(lambda g: evaluate(g, opts), store, home, json_mode, out)


def monitor_cmd(year_from: FromOpt = None, year_to: ToOpt = None, level: LevelOpt = "main_group",
                rules: RulesOpt = None, ip_type: IpTypeOpt = "patents", out: OutOpt = None, store: StoreOpt = None,
                home: HomeOpt = None, json_mode: JsonOpt = False) -> None:
    """Yearly snapshots, new entrants, fastest-growing technologies and alerts.

    Example: iplayout analyze monitor --year-from 2020 --json

    Example: iplayout analyze monitor --ip-type trademarks   (marks; technologies are Nice groups)
    """
    from iplayout.queries.monitor import MonitorOptions, monitor

    opts = MonitorOptions(_window(year_from, year_to), level, rules=rules, ip_type=ip_type)
    _run(lambda g: monitor(g, opts), store, home, json_mode, out)


def policies_cmd(year_from: FromOpt = None, year_to: ToOpt = None, out: OutOpt = None, store: StoreOpt = None,
                 home: HomeOpt = None, json_mode: JsonOpt = False) -> None:
    """Policy targets by level, region and year, and targets without local IP.

    Example: iplayout analyze policies --json
    """
    from iplayout.queries.policies import PolicyOptions, policies

    opts = PolicyOptions(_window(year_from, year_to))
    _run(lambda g: policies(g, opts), store, home, json_mode, out)


def catalog_cmd(scheme: SchemeOpt = "GBT4754-2017", top: int = 10, year_from: FromOpt = None,
                year_to: ToOpt = None, benchmark: Annotated[str | None, typer.Option(
                    help=BENCH_TYPED_HELP.format(key="industry"))] = None, rules: RulesOpt = None,
                ip_type: IpTypeOpt = "patents", out: OutOpt = None,
                store: StoreOpt = None, home: HomeOpt = None, json_mode: JsonOpt = False) -> None:
    """Guidance catalogue: ranked industries per district and city (strengthen/cultivate/fill_gap).

    Example: iplayout analyze catalog --top 5 --out catalogue.xlsx

    Example: iplayout analyze catalog --ip-type trademarks   (consumer and service industries by marks)
    """
    from iplayout.queries.catalog import CatalogOptions, catalog

    opts = CatalogOptions(scheme, _window(year_from, year_to), top, rules, benchmark, _region(store, home), ip_type)
    _run(lambda g: catalog(g, opts), store, home, json_mode, out)


def register(analyze: typer.Typer) -> None:
    for name, fn in (("density", density_cmd), ("clusters", clusters_cmd), ("centrality", centrality_cmd),
                     ("chains", chains_cmd), ("evaluate", evaluate_cmd), ("monitor", monitor_cmd),
                     ("policies", policies_cmd), ("catalog", catalog_cmd)):
        analyze.command(name)(fn)
