"""Choropleth maps of district values as SVG or PNG (matplotlib + shapely, no pyplot state)."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from iplayout.config import Settings
from iplayout.reports.classify import Method, class_breaks, class_labels, class_of
from iplayout.reports.fonts import cjk_font
from iplayout.reports.maps import district_geojson

NO_DATA = "no data"
NO_DATA_COLOUR = "#eeeeee"
LABEL_MIN_SHARE = 0.006  # units smaller than this share of the map get no label (they would overlap)


@dataclass(frozen=True)
class MapStyle:
    classes: int = 5
    method: Method = "quantile"
    labels: bool = False
    cmap: str = "YlOrRd"
    width_in: float = 8.0
    dpi: int = 150
    note: str | None = None  # small text under the map (data source); default names the polygon file
    highlight: str | None = None  # adcode of a unit drawn with a heavy outline


def _rings_path(geom: BaseGeometry) -> MplPath:
    verts: list[tuple[float, float]] = []
    codes: list[int] = []
    move, line, close = int(MplPath.MOVETO), int(MplPath.LINETO), int(MplPath.CLOSEPOLY)
    for poly in getattr(geom, "geoms", [geom]):
        for ring in [poly.exterior, *poly.interiors]:
            pts = list(ring.coords)
            verts += pts
            codes += [move] + [line] * (len(pts) - 2) + [close]
    return MplPath(verts, codes)


def short_name(name: str) -> str:
    """Map label: 沙坪坝区 -> 沙坪坝, 石柱土家族自治县 -> 石柱 (names of one or two characters are kept)."""
    if name.endswith("自治县"):
        return name[:2]
    return name[:-1] if len(name) > 2 and name[-1] in "区县市旗" else name


def lookup(values: Mapping[str, float | None], props: Mapping[str, Any]) -> float | None:
    """A district's value by adcode, else by current or source name; None/NaN mean no data."""
    keys = [props.get("adcode"), props.get("name"), *props.get("source_names", [])]
    for key in keys:
        if key in values:
            v = values[key]
            return float(v) if v is not None and math.isfinite(float(v)) else None
    return None


def _label_point(geom: BaseGeometry, props: Mapping[str, Any]) -> tuple[float, float]:
    cp = props.get("cp")
    if cp and geom.buffer(1e-9).contains(shape({"type": "Point", "coordinates": cp})):
        return float(cp[0]), float(cp[1])
    p = geom.representative_point()
    return p.x, p.y


def _draw(ax: Any, features: list[dict[str, Any]], values: Mapping[str, float | None],
          style: MapStyle) -> tuple[list[Patch], bool]:
    found = [v for v in (lookup(values, f["properties"]) for f in features) if v is not None]
    breaks = class_breaks(found, style.classes, style.method)
    n = max(len(breaks) - 1, 1)
    cmap = matplotlib.colormaps[style.cmap]
    colours = [cmap(0.15 + 0.8 * i / max(n - 1, 1)) for i in range(n)]
    missing = False
    total_area = sum(shape(f["geometry"]).area for f in features)
    for f in features:
        props, geom = f["properties"], shape(f["geometry"])
        value = lookup(values, props)
        patch = PathPatch(_rings_path(geom), edgecolor="#555555", linewidth=0.4)
        if value is None:
            missing = True
            patch.set(facecolor=NO_DATA_COLOUR, hatch="////")
        else:
            patch.set_facecolor(colours[class_of(value, breaks)])
        patch.set_gid(f"district-{props['adcode']}")
        if props["adcode"] == style.highlight:
            patch.set(edgecolor="#08306b", linewidth=1.8, zorder=3)
        ax.add_patch(patch)
        if style.labels and geom.area >= LABEL_MIN_SHARE * total_area:
            x, y = _label_point(geom, props)
            dark = value is not None and class_of(value, breaks) >= n - 2 and n > 2
            ax.text(x, y, short_name(props["name"]), fontsize=6, ha="center", va="center",
                    color="#ffffff" if dark else "#222222")
    handles = [Patch(facecolor=c, edgecolor="#555555", label=lbl) for c, lbl in zip(colours, class_labels(breaks),
                                                                                  strict=False)]
    if missing:
        handles.append(Patch(facecolor=NO_DATA_COLOUR, edgecolor="#555555", hatch="////", label=NO_DATA))
    return handles, missing


def choropleth_figure(values: Mapping[str, float | None], title: str, legend: str,
                      geojson: Mapping[str, Any], style: MapStyle = MapStyle()) -> Figure:
    """The map as a matplotlib Figure (one PathPatch per unit, gid ``district-<adcode>``)."""
    font = cjk_font()
    with matplotlib.rc_context({"font.family": [font.family], "hatch.color": "#999999",
                                "hatch.linewidth": 0.5}):
        features = list(geojson["features"])
        bounds = [shape(f["geometry"]).bounds for f in features]
        x0, y0 = min(b[0] for b in bounds), min(b[1] for b in bounds)
        x1, y1 = max(b[2] for b in bounds), max(b[3] for b in bounds)
        aspect = 1.0 / math.cos(math.radians((y0 + y1) / 2))
        height = style.width_in * 0.76 * (y1 - y0) * aspect / (x1 - x0) / 0.86 + 0.2
        fig = Figure(figsize=(style.width_in, height), dpi=style.dpi)
        ax = fig.add_axes((0.01, 0.06, 0.76, 0.86))
        handles, _ = _draw(ax, features, values, style)
        ax.set_xlim(x0 - 0.05, x1 + 0.05)
        ax.set_ylim(y0 - 0.05, y1 + 0.05)
        ax.set_aspect(aspect)
        ax.set_axis_off()
        fig.suptitle(title, fontsize=13, y=0.985)
        leg = ax.legend(handles=handles, title=legend, loc="lower left", bbox_to_anchor=(1.0, 0.02), fontsize=8, title_fontsize=9,
                        frameon=False)
        leg.set_gid("legend")
        note = style.note if style.note is not None else f"polygons: {PurePath(str(geojson.get('source', 'GeoJSON'))).name}"
        fig.text(0.01, 0.01, note, fontsize=6, color="#666666")
    return fig


def _render(values: Mapping[str, float | None], title: str, legend: str, settings: Settings | None,
            geojson: Mapping[str, Any] | None, style: MapStyle, fmt: str) -> bytes:
    collection = geojson if geojson is not None else district_geojson(settings or Settings())
    fig = choropleth_figure(values, title, legend, collection, style)
    buf = io.BytesIO()
    rc: dict[str, Any] = {"svg.fonttype": "none", "svg.hashsalt": "iplayout"}
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        fig.savefig(buf, format=fmt, dpi=style.dpi, metadata={"Date": None} if fmt == "svg" else None)
    return buf.getvalue()


def choropleth_svg(values: Mapping[str, float | None], title: str, legend: str, settings: Settings | None = None,
                   *, geojson: Mapping[str, Any] | None = None, style: MapStyle = MapStyle()) -> str:
    """SVG text of the map; ``values`` keyed by adcode (or unit name); missing units are hatched."""
    return _render(values, title, legend, settings, geojson, style, "svg").decode("utf-8")


def choropleth_png(values: Mapping[str, float | None], title: str, legend: str, settings: Settings | None = None,
                   *, geojson: Mapping[str, Any] | None = None, style: MapStyle = MapStyle()) -> bytes:
    """PNG bytes of the map (see ``choropleth_svg``)."""
    return _render(values, title, legend, settings, geojson, style, "png")
