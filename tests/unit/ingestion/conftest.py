"""Helpers for the ingestion tests: a Settings per test home and the ledger's active records."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iplayout.config import Settings
from iplayout.ingestion.ledger import Ledger
from iplayout.ingestion.run import IngestResult, ingest_paths


@pytest.fixture
def settings(home: Path) -> Settings:
    return Settings(home=home)


@pytest.fixture
def ingest(settings: Settings) -> Callable[..., IngestResult]:
    def run(*paths: Path | str, **kwargs: Any) -> IngestResult:
        return ingest_paths(list(paths), settings, **kwargs)

    return run


@pytest.fixture
def active(settings: Settings) -> Callable[..., dict[str, Any]]:
    """All active records in the ledger, by id (optionally of one kind)."""

    def read(kind: str | None = None) -> dict[str, Any]:
        with Ledger(settings.ledger_path) as ledger:
            return {s.id: s.record for s in ledger.all_active([kind] if kind else None)}

    return read


@pytest.fixture
def rejects() -> Callable[[IngestResult], list[dict[str, Any]]]:
    import json

    def read(result: IngestResult) -> list[dict[str, Any]]:
        if not result.rejects_file:
            return []
        lines = Path(result.rejects_file).read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]

    return read
