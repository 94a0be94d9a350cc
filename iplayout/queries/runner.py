"""Run named queries for an analysis and keep the list of query names it used."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pandas as pd

from iplayout.graph.store import GraphStore


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


class QueryRun:
    """Wraps a store; ``frame`` runs a named query into a DataFrame and records its name."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.used: list[str] = []

    def rows(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        if name not in self.used:
            self.used.append(name)
        return [{k: _plain(v) for k, v in r.items()} for r in self.store.run_named(name, dict(params or {}))]

    def frame(self, name: str, params: Mapping[str, Any] | None = None,
              columns: list[str] | None = None) -> pd.DataFrame:
        """Rows of ``name`` as a DataFrame; ``columns`` gives the shape when there are no rows."""
        data = self.rows(name, params)
        if not data:
            return pd.DataFrame(columns=columns or [])
        return pd.DataFrame(data)
