"""CLI: ``iplayout report district|industry|matching`` and ``iplayout map METRIC``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from iplayout.cli_support import JSON_HELP, STORE_HELP, emit, fail, make_settings
from iplayout.errors import IplayoutError, ReportError

StoreOpt = Annotated[str | None, typer.Option("--store", help=STORE_HELP)]
HomeOpt = Annotated[Path | None, typer.Option("--home", help="Data folder (IPLAYOUT_HOME).")]
JsonOpt = Annotated[bool, typer.Option("--json", help=JSON_HELP)]
GeoOpt = Annotated[Path | None, typer.Option("--geojson", help="District polygons (GeoJSON, plain or "
                                             "ECharts-compressed); default: $IPLAYOUT_HOME/maps/<region>.geojson, "
                                             "then web/node_modules/echarts.")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Output file: .html or .pdf "
                                             "(default: $IPLAYOUT_HOME/reports/<kind>-<key>.html).")]


@contextmanager
def _graph(settings: Any) -> Iterator[Any]:
    from iplayout.graph.factory import open_store

    store = open_store(settings, read_only=True)
    try:
        yield store
    finally:
        store.close()


def _default_out(settings: Any, kind: str, key: str) -> Path:
    return Path(settings.home) / "reports" / f"{kind}-{re.sub(r'[^0-9A-Za-z_.-]+', '_', key)}.html"


def _report(kind: str, key: str, out: Path | None, geojson: Path | None, store: str | None, home: Path | None,
            json_mode: bool) -> None:
    from iplayout.reports.report import build, write_report

    try:
        settings = make_settings(store, home)
        with _graph(settings) as graph:
            report = build(graph, settings, kind, key, geojson)  # type: ignore[arg-type]
        written = write_report(report, out or _default_out(settings, kind, report.key))
    except IplayoutError as exc:
        fail(str(exc))
        return
    info = written.as_dict()
    badge = " [SYNTHETIC data]" if info["synthetic"] else ""
    emit(info, json_mode, f"wrote {info['format'].upper()} report {info['path']} ({info['bytes']:,} bytes){badge}")


def district(
    key: Annotated[str, typer.Argument(metavar="ADCODE|NAME", help="6-digit adcode or district name.")],
    out: OutOpt = None, geojson: GeoOpt = None, store: StoreOpt = None, home: HomeOpt = None,
    json_mode: JsonOpt = False,
) -> None:
    """HTML or PDF report for one district: maps, yearly counts, top organisations and technologies,
    coordination, chain coverage, catalogue entries and provenance.

    Example: iplayout report district 沙坪坝区 --out shapingba.pdf
    """
    _report("district", key, out, geojson, store, home, json_mode)


def industry(
    key: Annotated[str, typer.Argument(metavar="ID", help="Industry id, e.g. GBT4754:C36.")],
    out: OutOpt = None, geojson: GeoOpt = None, store: StoreOpt = None, home: HomeOpt = None,
    json_mode: JsonOpt = False,
) -> None:
    """HTML or PDF report for one industry: map by district, yearly patents, top districts, organisations
    and technologies, resource matching, catalogue entries and provenance.

    Example: iplayout report industry GBT4754:C36 --out auto.html
    """
    _report("industry", key, out, geojson, store, home, json_mode)


def matching(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output .xlsx file.")],
    scheme: Annotated[str, typer.Option(help="Industry classification scheme.")] = "GBT4754-2017",
    store: StoreOpt = None, home: HomeOpt = None, json_mode: JsonOpt = False,
) -> None:
    """Resource matching table (district x industry: IP vs innovation vs industry, degree D) as XLSX.

    Example: iplayout report matching --out matching.xlsx
    """
    from iplayout.reports.matching import matching_frame, matching_table_xlsx

    try:
        if out.suffix.lower() != ".xlsx":
            raise ReportError(f"matching table output must end in .xlsx, not {out.name!r}")
        settings = make_settings(store, home)
        with _graph(settings) as graph:
            frame = matching_frame(graph, scheme)
            path = matching_table_xlsx(frame, out, {"scheme": scheme, "graph engine": graph.engine})
    except IplayoutError as exc:
        fail(str(exc))
        return
    info = {"path": str(path), "format": "xlsx", "rows": len(frame), "bytes": path.stat().st_size}
    emit(info, json_mode, f"wrote matching table {path} ({len(frame)} rows)")


def map_command(
    metric: Annotated[str, typer.Argument(help="patents, papers, standards, policies, patents_per_10k, "
                                               "coordination, a statistic (population, gdp ...) or industry:<id>.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output .svg or .png file.")],
    year: Annotated[int | None, typer.Option(help="One year (default: all years; statistics: latest).")] = None,
    classes: Annotated[int, typer.Option(min=1, max=9, help="Number of classes.")] = 5,
    method: Annotated[str, typer.Option(help="Class breaks: quantile or equal.")] = "quantile",
    labels: Annotated[bool, typer.Option("--labels/--no-labels", help="Write district names.")] = True,
    title: Annotated[str | None, typer.Option(help="Map title (default: the metric).")] = None,
    geojson: GeoOpt = None, store: StoreOpt = None, home: HomeOpt = None, json_mode: JsonOpt = False,
) -> None:
    """Choropleth map of one metric by district, as SVG or PNG.

    Example: iplayout map patents_per_10k --year 2023 --out density.png
    """
    from iplayout.reports.choropleth import MapStyle, choropleth_png, choropleth_svg
    from iplayout.reports.maps import district_geojson
    from iplayout.reports.metrics import district_metric

    try:
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("svg", "png") or method not in ("quantile", "equal"):
            raise ReportError("map output must end in .svg or .png and --method be quantile or equal")
        settings = make_settings(store, home)
        polygons = district_geojson(settings, geojson)
        with _graph(settings) as graph:
            m = district_metric(graph, metric, year)
        style = MapStyle(classes=classes, method=method, labels=labels)  # type: ignore[arg-type]
        heading = title or f"{metric}{f' {year}' if year is not None else ''}"
        data = choropleth_svg(m.values, heading, m.legend, geojson=polygons, style=style).encode("utf-8") \
            if fmt == "svg" else choropleth_png(m.values, heading, m.legend, geojson=polygons, style=style)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except IplayoutError as exc:
        fail(str(exc))
        return
    except OSError as exc:
        fail(f"cannot write {out}: {exc}")
        return
    present = sum(v is not None for v in m.values.values())
    info = {"path": str(out), "format": fmt, "bytes": len(data), "metric": metric, "year": m.year,
            "legend": m.legend, "districts": len(polygons["features"]), "with_data": present, "queries": m.queries}
    emit(info, json_mode, f"wrote {fmt.upper()} map {out} ({present}/{len(polygons['features'])} districts with data)")


def register(app: typer.Typer) -> None:
    report = typer.Typer(name="report", no_args_is_help=True,
                         help="District and industry reports (HTML/PDF) and the matching table (XLSX).\n\n"
                              "Example: iplayout report district 500106 --out report.html")
    report.command("district")(district)
    report.command("industry")(industry)
    report.command("matching")(matching)
    app.add_typer(report, name="report")
    app.command("map")(map_command)
