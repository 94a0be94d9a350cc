"""What the workbench needs beyond the analytics: display names, downloads and table exports.

* ``GET /labels``: zh + en display names of every column, flag, metric, label and relationship
  type (``iplayout.api.display``: derived from the ontology and the indicator/rules YAML);
* ``GET /downloads/district/{adcode}?format=html|pdf``: the district report as a file;
* ``GET /downloads/matching.xlsx``: the resource matching table (``iplayout report matching``);
* ``POST /exports/xlsx``: the rows of a table as shown (columns with their display titles) as XLSX.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path as FsPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from iplayout.api.deps import ServicesDep, StoreDep, optional_module
from iplayout.api.display import display_names
from iplayout.api.jsonsafe import json_safe
from iplayout.api.problems import ApiProblem, problem_responses

router = APIRouter(tags=["workbench"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORT_ROWS = 20_000
Scalar = str | int | float | bool | None
FileName = Annotated[str, Query(min_length=1, max_length=80, pattern=r"^[\w\-. ]+$")]


def _attachment(body: bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/labels", responses=problem_responses(401),
            summary="Display names (zh + en) of columns, flags, metrics, node labels and relationship types")
def labels() -> dict[str, Any]:
    return display_names()


@router.get("/downloads/district/{adcode}", responses={200: {"content": {"text/html": {}, "application/pdf": {}}},
                                                       **problem_responses(401, 404, 422, 501)},
            summary="The district report as a download (HTML, or PDF with WeasyPrint)")
def district_report_file(services: ServicesDep, store: StoreDep, adcode: Annotated[str, Path(pattern=r"^\d{6}$")],
                         format: Literal["html", "pdf"] = "html") -> Response:  # noqa: A002 - public name
    if adcode not in services.district_names():
        raise ApiProblem(404, "not-found", "District not found", f"no district with adcode {adcode}")
    report = optional_module("iplayout.reports.report", "maps and reports")
    html = report.render_html(report.build(store, services.settings, "district", adcode))
    if format == "pdf":
        pdf = optional_module("iplayout.reports.pdf", "maps and reports")
        return _attachment(pdf.html_to_pdf(html), "application/pdf", f"district-{adcode}.pdf")
    return _attachment(html.encode("utf-8"), "text/html; charset=utf-8", f"district-{adcode}.html")


@router.get("/downloads/matching.xlsx", responses={200: {"content": {XLSX: {}}}, **problem_responses(401, 422, 501)},
            summary="The resource matching table (district x industry, degree D) as XLSX")
def matching_file(store: StoreDep, scheme: Annotated[str, Query(pattern=r"^[A-Za-z0-9_.:\-]{1,40}$")] = "GBT4754-2017",
                  ) -> Response:
    matching = optional_module("iplayout.reports.matching", "maps and reports")
    frame = matching.matching_frame(store, scheme)
    if frame.empty:
        raise ApiProblem(422, "analysis-failed", "No matching table",
                         f"no district x industry rows for scheme {scheme!r} in this graph")
    with tempfile.TemporaryDirectory(prefix="iplayout-matching-") as tmp:
        path = matching.matching_table_xlsx(frame, FsPath(tmp) / "matching.xlsx",
                                            {"scheme": scheme, "graph engine": store.engine})
        body = FsPath(path).read_bytes()
    return _attachment(body, XLSX, "matching.xlsx")


def _cell(value: Any) -> Any:
    """A value a worksheet accepts: lists joined, control characters (illegal in XLSX) dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, list):
        value = "、".join(map(str, value))
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


class ExportColumn(BaseModel):
    key: str = Field(min_length=1, max_length=80)
    title: str = Field(min_length=1, max_length=120)


class ExportRequest(BaseModel):
    columns: list[ExportColumn] = Field(min_length=1, max_length=200)
    rows: list[dict[str, Scalar | list[Scalar]]] = Field(max_length=MAX_EXPORT_ROWS)
    sheet: str = Field(default="data", min_length=1, max_length=31, pattern=r"^[^\[\]:*?/\\]+$")


@router.post("/exports/xlsx", responses={200: {"content": {XLSX: {}}}, **problem_responses(401, 422)},
             summary="A table's rows (as the page shows them) as an XLSX workbook")
def export_xlsx(body: ExportRequest, filename: FileName = "table.xlsx") -> Response:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = body.sheet
    ws.append([_cell(c.title) for c in body.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in body.rows:
        values = [json_safe(row.get(c.key)) for c in body.columns]
        ws.append([_cell(v) for v in values])
    buf = io.BytesIO()
    wb.save(buf)
    name = filename if filename.endswith(".xlsx") else f"{filename}.xlsx"
    return _attachment(buf.getvalue(), XLSX, name)


class Status(BaseModel):
    nodes: int = Field(description="nodes in the graph: 0 on a first start")
    synthetic: bool = Field(description="the graph holds the generated demo corpus")
    search_documents: int | None = Field(description="documents in the search index; null when there is none yet")
    search_note: str | None = None


@router.get("/workbench/status", response_model=Status, responses=problem_responses(401, 503),
            summary="What the workbench's home page needs: is the graph empty (first run), is it demo data")
def status(services: ServicesDep) -> Status:
    """Unlike GET /ready this answers 200 on an empty home, so the page can show the first-run steps."""
    from iplayout.errors import SearchError

    nodes = int(services.store.run_named("graph_node_count")[0]["n"])
    synthetic = int(services.store.run_named("synthetic_documents")[0]["n"]) > 0
    try:
        documents: int | None = int(services.search().stats().get("documents", 0) or 0)
        note = None
    except SearchError as exc:
        documents, note = None, str(exc).splitlines()[0][:300]
    return Status(nodes=nodes, synthetic=synthetic, search_documents=documents, search_note=note)
