"""USPTO trademark daily XML (TDXF): real case files from the corpus, and unsafe XML refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from iplayout.ingestion.run import IngestResult


def test_real_case_files(shared_dir: Path, ingest: Callable[..., IngestResult], active: Callable[..., Any]) -> None:
    result = ingest(shared_dir / "corpus" / "trademarks_us_uspto_samples")
    assert result.accepted == 3 and result.rejected == 0
    marks = active("trademarks")
    samson = marks["TM:US:70011210"]
    assert (samson.name, samson.classes, samson.registration_date, samson.status) == (
        "SAMSON", ["22"], "1884-05-27", "USPTO 800")
    # Two ownership entries (party types 43 and 44): the latest is the current holder.
    assert [h.name for h in samson.holders] == ["SAMSON ROPE TECHNOLOGIES, LLC"]
    assert samson.goods == ["CORDS, LINES, [ TWINES, ] AND ROPES"]
    madrid = marks["TM:US:79001917"]
    assert madrid.holders[0].country == "CH" and madrid.raw["international_registration_number"] == "0822403"
    assert madrid.publication_date == "2005-06-28"
    thin = marks["TM:US:60000001"]  # envelope and flags only: no mark text, owner or class
    assert thin.name is None and thin.holders == [] and thin.registration_date == "1870-10-25"


def test_entity_declarations_refused(tmp_path: Path, ingest: Callable[..., IngestResult],
                                     rejects: Callable[[IngestResult], list[dict[str, Any]]]) -> None:
    path = tmp_path / "apc.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<trademark-applications-daily>'
                    "<case-file><serial-number>1</serial-number></case-file></trademark-applications-daily>",
                    encoding="utf-8")
    result = ingest(path)
    assert result.accepted == 0
    assert any("unsafe XML refused" in r["reason"] for r in rejects(result))
