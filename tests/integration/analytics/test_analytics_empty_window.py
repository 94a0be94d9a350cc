"""A year window with no documents gives empty results, not errors (found by schemathesis)."""

from __future__ import annotations

import pytest

from iplayout.graph.store import GraphStore
from iplayout.queries import facts
from iplayout.queries.catalog import CatalogOptions, catalog
from iplayout.queries.density import DensityOptions, density


@pytest.mark.parametrize("window", [facts.Window(None, 1900), facts.Window(2090, None)])
def test_empty_windows(demo_store: GraphStore, window: facts.Window) -> None:
    dens = density(demo_store, DensityOptions(window=window))
    assert len(dens.rows) == 38
    assert all(r["patents"] == 0 for r in dens.rows)
    assert dens.params["benchmark"] == "none"  # nothing in the window on either side
    # Chain gaps are structural (the demo plants some), so only fill_gap rows remain, with no patents.
    rows = catalog(demo_store, CatalogOptions(window=window)).rows
    assert all(r["category"] == "fill_gap" and r["patents"] == 0 and "chain gap" in r["evidence"] for r in rows)
