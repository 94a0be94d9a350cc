"""`analyze chains --coverage` on the hand-made graph (both engines): shares worked out by hand."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from iplayout.graph.store import GraphStore
from iplayout.queries.chains import ChainOptions, chains

_spec = importlib.util.spec_from_file_location("analytics_mini_graph", Path(__file__).with_name("mini_graph.py"))
assert _spec and _spec.loader
mini = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mini)


def test_coverage_by_hand(store: GraphStore) -> None:
    mini.load(store)
    res = chains(store, ChainOptions(region="chongqing", coverage=True))
    cov = {r["chain"]: r for r in res.tables["coverage"]}
    # scope patents p1-p8; under a link: battery p1 p2 p3 p6, vehicle p5 p6 p7 -> 6 of 8 (p4, p8 are G06F)
    assert cov["nev"]["patents_in_chain"] == 6 and cov["nev"]["scope_patents"] == 8
    assert cov["(any)"]["share"] == pytest.approx(0.75)
    # the graph adds p9 (an unlocated applicant, B60L -> vehicle): 7 of 9
    assert cov["(any)"]["graph_share"] == pytest.approx(7 / 9)
    missed = {r["subclass"]: r for r in res.tables["uncovered_subclasses"]}
    assert set(missed) == {"G06F"} and missed["G06F"]["patents_in_no_link"] == 2
    assert missed["G06F"]["share_of_patents"] == pytest.approx(0.25)
