"""``iplayout analyze ccd`` and ``iplayout analyze entropy``: formulas on a user's table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iplayout.cli_support import JSON_HELP, emit, fail
from iplayout.errors import IplayoutError

TableOpt = Annotated[Path, typer.Option("--table", help="CSV, TSV or XLSX file.")]
ColumnsOpt = Annotated[str, typer.Option("--columns", help="Comma-separated column names.")]
JsonOpt = Annotated[bool, typer.Option("--json", help=JSON_HELP)]


def _human(rows: list[dict[str, object]], keys: list[str]) -> str:
    return "\n".join("  ".join(f"{k}={r.get(k)}" for k in keys) for r in rows)


def ccd(
    table: TableOpt,
    columns: ColumnsOpt,
    variant: Annotated[str, typer.Option(help="standard | wang2021 | fan2024")] = "standard",
    weights: Annotated[str, typer.Option(help="equal | entropy | w1,w2,... (weights of T)")] = "equal",
    normalise: Annotated[str, typer.Option(help="none | minmax (columns must already be in [0,1] with none)")]
    = "none",
    json_mode: JsonOpt = False,
) -> None:
    """Coupling degree C, comprehensive index T, coordination D and grade for each row.

    Example: iplayout analyze ccd --table scores.csv --columns U1,U2,U3 --variant wang2021 --json
    """
    from iplayout.queries.formula_tables import ccd_table
    from iplayout.queries.table_io import parse_columns, read_table

    try:
        result = ccd_table(read_table(table), parse_columns(columns), variant, weights,
                           normalise)  # type: ignore[arg-type]
    except IplayoutError as exc:
        fail(str(exc))
        return
    emit(result, json_mode, _human(result.rows, ["C", "T", "D", "grade"]))


def entropy(
    table: TableOpt,
    columns: ColumnsOpt,
    normalise: Annotated[str, typer.Option(help="none (proportions of raw values) | minmax")] = "none",
    json_mode: JsonOpt = False,
) -> None:
    """Entropy weight of each column.

    Example: iplayout analyze entropy --table indicators.xlsx --columns patents,rd,output --json
    """
    from iplayout.queries.formula_tables import entropy_table
    from iplayout.queries.table_io import parse_columns, read_table

    if normalise not in ("none", "minmax"):
        fail("--normalise must be none or minmax")
    try:
        result = entropy_table(read_table(table), parse_columns(columns), normalise)  # type: ignore[arg-type]
    except IplayoutError as exc:
        fail(str(exc))
        return
    emit(result, json_mode, _human(result.rows, ["column", "weight"]))


def register(analyze: typer.Typer) -> None:
    analyze.command("ccd")(ccd)
    analyze.command("entropy")(entropy)
