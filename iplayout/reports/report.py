"""District and industry reports as self-contained HTML (inline SVG maps) or PDF."""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, select_autoescape

from iplayout.config import Settings
from iplayout.errors import ReportError
from iplayout.graph.store import GraphStore
from iplayout.reports.build import district_report, industry_report
from iplayout.reports.maps import district_geojson
from iplayout.reports.sections import Report

Kind = Literal["district", "industry"]
FONT_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif'


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() and abs(value) >= 1 else f"{value:.3f}"
    return str(value)


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("iplayout.reports", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["cell"] = _cell
    return env


def _version() -> str:
    try:
        return metadata.version("iplayout")
    except metadata.PackageNotFoundError:
        return "dev"


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    return _environment().get_template("report.html").render(r=report, font_stack=FONT_STACK, version=_version())


def build(store: GraphStore, settings: Settings, kind: Kind, key: str, geojson_path: Path | None = None) -> Report:
    """The content of a ``district`` (adcode or name) or ``industry`` (id) report."""
    geojson = district_geojson(settings, geojson_path)
    if kind == "district":
        return district_report(store, settings, key, geojson)
    if kind == "industry":
        return industry_report(store, settings, key, geojson)
    raise ReportError(f"unknown report kind {kind!r}")


@dataclass(frozen=True)
class Written:
    path: Path
    format: str
    bytes: int
    report: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.format, "bytes": self.bytes, **self.report}


def write_report(report: Report, path: Path) -> Written:
    """Write ``report`` to ``path``: ``.html`` or ``.pdf`` by suffix."""
    suffix = path.suffix.lower()
    html = render_html(report)
    if suffix in (".html", ".htm"):
        data = html.encode("utf-8")
    elif suffix == ".pdf":
        from iplayout.reports.pdf import html_to_pdf

        data = html_to_pdf(html)
    else:
        raise ReportError(f"report output must end in .html or .pdf, not {path.name!r}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise ReportError(f"cannot write {path}: {exc}") from exc
    return Written(path, suffix.lstrip("."), len(data), report.summary())
