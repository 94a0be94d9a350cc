"""What a report shows, as plain data: tables, maps and provenance gathered from the graph."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from iplayout.errors import AnalysisError
from iplayout.queries.results import records
from iplayout.queries.runner import QueryRun

TOP = 10


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    note: str | None = None

    @classmethod
    def of(cls, title: str, frame: pd.DataFrame, columns: Sequence[str] | None = None,
           note: str | None = None) -> Table:
        cols = [c for c in (columns or frame.columns) if c in frame.columns]
        return cls(title, [str(c) for c in cols], records(frame[cols]) if len(frame) else [], note)

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "columns": self.columns, "rows": self.rows, "note": self.note}


@dataclass
class MapFigure:
    title: str
    metric: str
    svg: str


@dataclass
class Report:
    kind: str  # "district" | "industry"
    key: str
    title: str
    subtitle: str
    facts: dict[str, Any]
    maps: list[MapFigure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)
    queries: list[str] = field(default_factory=list)

    @property
    def synthetic(self) -> bool:
        return bool(self.provenance.get("synthetic"))

    def summary(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "title": self.title, "synthetic": self.synthetic,
                "maps": [m.metric for m in self.maps], "tables": {t.title: len(t.rows) for t in self.tables},
                "queries": self.queries}


def provenance(run: QueryRun, engine: str, map_source: str | None) -> dict[str, Any]:
    """Data sources in the graph and whether any of them is the synthetic demo."""
    patents = run.rows("report_patent_sources", {"limit": 20})
    stats = run.rows("report_observation_sources", {"limit": 20})
    districts = run.rows("report_districts")
    synthetic = any(r.get("synthetic") for r in [*patents, *stats, *districts])
    sources = [{"kind": kind, "source": r.get("source"), "records": r.get("records"),
                "synthetic": bool(r.get("synthetic"))} for kind, rows in (("patents", patents), ("statistics", stats))
               for r in rows]
    return {"synthetic": synthetic, "engine": engine, "sources": sources, "map_polygons": map_source,
            "generated": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()}


def optional(title: str, build: Any) -> Table:
    """A table from an analysis that may not have data yet: its reason becomes the table note."""
    try:
        table: Table = build()
    except AnalysisError as exc:
        return Table(title, [], [], f"not available: {exc}")
    return table


def year_counts(run: QueryRun, adcode: str | None) -> pd.DataFrame:
    """Patents, papers, standards and policies per year (one district, or the whole region)."""
    from iplayout.reports.metrics import COUNT_QUERIES

    parts = []
    for name, col in COUNT_QUERIES.values():
        frame = run.frame(name, columns=["adcode", "year", col])
        if adcode is not None:
            frame = frame[frame["adcode"] == adcode]
        series = pd.to_numeric(frame[col], errors="coerce").groupby(pd.to_numeric(frame["year"])).sum()
        parts.append(series.rename(col))
    out = pd.concat(parts, axis=1).fillna(0).astype(int) if parts else pd.DataFrame()
    out.index.name = "year"
    return out.reset_index().sort_values("year")
