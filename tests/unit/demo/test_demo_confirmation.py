"""`iplayout demo --fresh` on a store with real records asks on a terminal (real embedded store)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import typer

from iplayout.demo.commands import _guard_real_records
from iplayout.graph.ladybug_store import LadybugStore

PROV = {"source": "export.csv", "locator": "row=1", "run_id": "r1", "extractor": "records@1", "synthetic": False}


@pytest.mark.parametrize(("answer", "refused"), [(True, False), (False, True)])
def test_fresh_asks_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: bool,
                                  refused: bool) -> None:
    store = LadybugStore(tmp_path / "graph.lbdb")
    store.ensure_schema()
    store.upsert_nodes("Patent", [{"id": "CN218751475U", "title": "一种无人机机载多功能盒", **PROV}])
    asked: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(typer, "confirm", lambda text: asked.append(text) or answer)
    try:
        if refused:
            with pytest.raises(typer.Exit):
                _guard_real_records(store, fresh=True, yes=False)
        else:
            _guard_real_records(store, fresh=True, yes=False)
    finally:
        store.close()
    assert asked == ["--fresh deletes 1 real records (Patent 1) and everything else in the store. Continue?"]
