"""CSV/TSV and XLSX tables (patents, papers, standards, policies, statistics), streamed row by row."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import Any

from iplayout.errors import IngestionError
from iplayout.ingestion import textio
from iplayout.ingestion.readers.base import Item, ReadContext, RowMapper, pick_mapper
from iplayout.ingestion.records import Locator, Reject
from iplayout.ingestion.safety import check_zip, looks_binary

# The csv module's default 128 KB field cap would abort the whole file on one long cell; the
# real per-field limit (1 MB) is enforced later as a reject reason for that record only.
_CSV_FIELD_CAP = 64 * 1024 * 1024
_DELIMITERS = (",", "\t", ";", "|")


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _line_issues(report: textio.DecodeReport, first: int, last: int, where: str) -> Iterator[Reject]:
    for lineno in range(first, last + 1):
        if lineno in report.fallback_lines:
            yield Reject(
                locator=where,
                reason=f"line {lineno} decoded as {report.fallback_lines[lineno]}, "
                f"the file is {report.encoding} (mixed encodings)",
                action="field",
            )


def table_headers(ctx: ReadContext) -> list[str] | None:
    """The header row of a CSV/TSV or of an XLSX's first sheet (``None`` for other files or none)."""
    suffix = ctx.path.suffix.lower()
    try:
        if suffix in {".csv", ".tsv", ".tab", ".txt"}:
            _, encoding = textio.sniff(ctx.path)
            lines = textio.iter_lines(ctx.path, textio.DecodeReport(encoding))
            try:
                line = next((ln for ln in lines if ln.strip()), None)
            finally:
                getattr(lines, "close", lambda: None)()  # the generator holds the file open
            if line is None:
                return None
            delimiter = "\t" if suffix in {".tsv", ".tab"} else _delimiter(line)
            return [h.strip() for h in next(csv.reader([line], delimiter=delimiter))]
        if suffix == ".xlsx":
            import openpyxl

            book = openpyxl.load_workbook(ctx.path, read_only=True, data_only=True)
            try:
                for values in book.worksheets[0].iter_rows(values_only=True):
                    cells = [_cell(v).strip() for v in values]
                    if any(cells):
                        return cells
            finally:
                book.close()
    except (OSError, ValueError, KeyError, csv.Error):
        return None
    return None


def read_csv(ctx: ReadContext) -> Iterator[Item]:
    sample, encoding = textio.sniff(ctx.path)
    if not sample:
        raise IngestionError(f"{ctx.source}: file is empty")
    if looks_binary(sample, encoding):
        raise IngestionError(f"{ctx.source}: binary content, not a CSV text file")
    report = textio.DecodeReport(encoding)
    lines = textio.iter_lines(ctx.path, report)
    header_line, offset = None, 0
    for line in lines:
        offset += 1
        if line.strip():
            header_line = line
            break
    if header_line is None:
        raise IngestionError(f"{ctx.source}: file has no header line")
    delimiter = "\t" if ctx.path.suffix.lower() in {".tsv", ".tab"} else _delimiter(header_line)
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_CAP))
    headers = [h.strip() for h in next(csv.reader([header_line], delimiter=delimiter))]
    mapper = pick_mapper(headers, ctx)
    reader = csv.reader(lines, delimiter=delimiter)
    yield from _csv_rows(reader, headers, mapper, ctx, report, offset)


def _csv_rows(
    reader: Any,
    headers: list[str],
    mapper: RowMapper,
    ctx: ReadContext,
    report: textio.DecodeReport,
    offset: int,
) -> Iterator[Item]:
    """Rows after the header; ``offset`` = physical lines consumed before the csv reader started."""
    row_no = 0
    last_line = offset
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row_no += 1
            yield Reject(locator=str(ctx.locator(row=row_no)), reason=f"unreadable CSV row: {exc}")
            continue
        first_line, last_line = last_line + 1, reader.line_num + offset
        if not "".join(cells).strip():
            continue
        row_no += 1
        where = ctx.locator(row=row_no)
        if report.fallback_lines:  # files that decoded cleanly skip both checks
            yield from _line_issues(report, first_line, last_line, str(where))
        bad = sorted(n for n in report.bad_lines if first_line <= n <= last_line) if report.bad_lines else None
        if bad:
            reason = f"undecodable bytes on line {bad[0]} (not {report.encoding}); row skipped"
            yield Reject(locator=str(where), reason=reason, raw_value=_short_row(cells))
            continue
        if len(cells) != len(headers):
            yield _width_reject(cells, headers, where)
            continue
        yield from mapper.records(dict(zip(headers, cells, strict=True)), where)


def _short_row(cells: list[str]) -> str:
    text = ",".join(cells)
    return text if len(text) <= 200 else text[:200] + "…"


def _width_reject(cells: list[Any], headers: list[str], where: Locator) -> Reject:
    what = "truncated row" if len(cells) < len(headers) else "too many cells (unquoted delimiter?)"
    return Reject(
        locator=str(where),
        reason=f"{what}: {len(cells)} cells, header has {len(headers)}",
        raw_value=_short_row([str(c) if c is not None else "" for c in cells]),
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(ctx: ReadContext) -> Iterator[Item]:
    if ctx.path.stat().st_size == 0:
        raise IngestionError(f"{ctx.source}: file is empty")
    check_zip(ctx.path, ctx.limits)
    import openpyxl  # lazily: only xlsx sources pay for it

    try:
        book = openpyxl.load_workbook(ctx.path, read_only=True, data_only=True)
    except (OSError, KeyError, ValueError) as exc:
        raise IngestionError(f"{ctx.source}: cannot open workbook ({exc})") from exc
    try:
        for sheet in book.worksheets:
            yield from _sheet_rows(sheet, ctx)
    finally:
        book.close()


def _sheet_rows(sheet: Any, ctx: ReadContext) -> Iterator[Item]:
    rows = sheet.iter_rows(values_only=True)
    headers: list[str] | None = None
    mapper: RowMapper | None = None
    row_no = 0
    for values in rows:
        cells = [_cell(v) for v in values]
        if not any(c.strip() for c in cells):
            continue
        if headers is None:
            headers = [c.strip() for c in cells]
            while headers and not headers[-1]:
                headers.pop()  # read-only sheets report trailing empty columns
            mapper = pick_mapper(headers, ctx)
            continue
        row_no += 1
        where = ctx.locator(sheet=sheet.title, row=row_no)
        extra = cells[len(headers) :]
        if any(c.strip() for c in extra):
            yield _width_reject(cells, headers, where)
            continue
        cells = cells[: len(headers)] + [""] * (len(headers) - len(cells))
        assert mapper is not None
        yield from mapper.records(dict(zip(headers, cells, strict=True)), where)
