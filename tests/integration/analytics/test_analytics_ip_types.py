"""``analyze density --ip-type trademarks|all`` on the small demo graph, on both engines, checked against
counts taken straight from the demo rows."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from iplayout.errors import AnalysisError
from iplayout.graph.store import GraphStore
from iplayout.queries.density import DensityOptions, density

SCHEME = "GBT4754-2017"


def _located(demo_rows: Any) -> dict[str, str]:
    return {r["from"]: r["to"] for r in demo_rows.rels[("LOCATED_IN", "Organization", "District")]}


def _expected_marks(demo_rows: Any) -> Counter[str]:
    where = _located(demo_rows)
    held = demo_rows.rels[("APPLIED_FOR", "Organization", "Trademark")]
    return Counter(where[r["from"]] for r in held if r["from"] in where)


def test_density_trademarks_counts_marks_by_district_and_industry(demo_store: GraphStore, demo_rows: Any) -> None:
    res = density(demo_store, DensityOptions(ip_type="trademarks"))
    assert res.params["ip_types_counted"] == ["trademarks"]
    dist = res.frame()
    expected = _expected_marks(demo_rows)
    assert expected and dict(zip(dist["adcode"], dist["trademarks"], strict=True)) == {
        a: float(expected.get(a, 0)) for a in dist["adcode"]}
    assert (dist["ip_items"] == dist["trademarks"]).all()
    cells = res.frame("cells")
    assert "ip_items" in cells.columns and "patents" not in cells.columns and "invention" not in cells.columns
    # Class 43 (food and drink, accommodation) maps to 餐饮业 and 住宿业 in the shipped concordance.
    assert {"GBT4754:H62", "GBT4754:H61"} <= set(cells["industry"])
    maps = {(r["from"], r["to"]) for r in demo_rows.rels[("MAPS_TO", "Technology", "Industry")]}
    classes = {(r["from"], r["to"]) for r in demo_rows.rels[("CLASSIFIED_AS", "Trademark", "Technology")]}
    where = _located(demo_rows)
    owner = {r["to"]: r["from"] for r in demo_rows.rels[("APPLIED_FOR", "Organization", "Trademark")]}
    in_h62 = {(where[owner[m]], m) for m, t in classes if (t, "GBT4754:H62") in maps and owner[m] in where}
    expected_cells = Counter(adcode for adcode, _ in in_h62)
    got = cells[cells["industry"] == "GBT4754:H62"].set_index("adcode")["ip_items"].to_dict()
    assert got == {a: float(n) for a, n in expected_cells.items()}


def test_density_all_adds_patents_and_trademarks(demo_store: GraphStore) -> None:
    both = density(demo_store, DensityOptions(ip_type="all"))
    patents = density(demo_store, DensityOptions())
    marks = density(demo_store, DensityOptions(ip_type="trademarks"))
    assert both.params["ip_types_counted"] == ["patents", "trademarks"]
    dist = both.frame()
    assert (dist["ip_items"] == dist["patents"] + dist["trademarks"]).all()
    p_ind = patents.frame("industries").set_index("industry")["patents"]
    t_ind = marks.frame("industries").set_index("industry")["ip_items"]
    a_ind = both.frame("industries").set_index("industry")["ip_items"]
    assert a_ind.to_dict() == p_ind.add(t_ind, fill_value=0.0).reindex(a_ind.index).to_dict()
    assert "patents" in patents.frame("cells").columns  # the default is unchanged


def test_unknown_ip_type_is_one_clear_error(demo_store: GraphStore) -> None:
    with pytest.raises(AnalysisError, match="--ip-type must be one of patents, trademarks, all"):
        density(demo_store, DensityOptions(ip_type="designs"))


def test_catalog_and_evaluate_take_the_ip_type(demo_store: GraphStore) -> None:
    from iplayout.queries.catalog import CatalogOptions, catalog
    from iplayout.queries.evaluate import EvaluateOptions, evaluate

    cat = catalog(demo_store, CatalogOptions(ip_type="trademarks", top=50))
    rows = cat.frame()
    assert cat.params["ip_types_counted"] == ["trademarks"] and "ip_items" in rows.columns
    # Ranked on marks, the city's list reaches consumer and service industries patents never map to.
    assert {"GBT4754:H62", "GBT4754:C14"} & set(rows[rows["adcode"] == "city"]["industry"])
    assert rows["evidence"].str.startswith("ip_items=").all()
    ev = evaluate(demo_store, EvaluateOptions(ip_type="all"))
    matching = ev.frame("matching")
    assert ev.params["ip_types_counted"] == ["patents", "trademarks"] and "ip_items" in matching.columns
    assert matching[matching["industry"] == "GBT4754:H62"]["ip_items"].sum() > 0


def test_monitor_takes_the_ip_type(demo_store: GraphStore, demo_rows: Any) -> None:
    from iplayout.queries.monitor import MonitorOptions, monitor

    res = monitor(demo_store, MonitorOptions(ip_type="trademarks"))
    snap = res.frame()
    assert res.params["ip_types_counted"] == ["trademarks"] and "ip_items" in snap.columns
    assert snap["ip_items"].sum() == sum(_expected_marks(demo_rows).values())  # each mark once per district
    fastest = res.frame("fastest_technologies")
    assert not fastest.empty and fastest["tech"].str.match(r"^NICE:\d{4}$").all()  # similar-goods groups
    entrants = res.frame("new_entrants")
    assert not entrants.empty and "ip_items_first_year" in entrants.columns
    both = monitor(demo_store, MonitorOptions(ip_type="all")).frame()
    patents = monitor(demo_store, MonitorOptions()).frame()
    assert both["ip_items"].sum() == patents["patents"].sum() + snap["ip_items"].sum()


def _add_outside_marks(store: GraphStore) -> dict[str, list[str]]:
    """Two Chengdu firms holding marks of classes 43 and 09 (benchmark holders); returns mark -> classes."""
    marks = {"TM:CN:OUT1": ["43"], "TM:CN:OUT2": ["43"], "TM:CN:OUT3": ["09"], "TM:CN:OUT4": ["43", "09"]}
    store.upsert_nodes("City", [{"id": "510100", "name": "成都市"}])
    store.upsert_nodes("Organization", [{"id": f"ORG:CD{i}", "name": f"成都示例{i}", "kind": "enterprise"}
                                        for i in (1, 2)])
    store.upsert_relationships("LOCATED_IN", "Organization", "City",
                               [{"from": f"ORG:CD{i}", "to": "510100"} for i in (1, 2)])
    store.upsert_nodes("Trademark", [{"id": m, "name": m, "year": 2022, "office": "CN"} for m in marks])
    store.upsert_relationships("APPLIED_FOR", "Organization", "Trademark",
                               [{"from": f"ORG:CD{1 + i % 2}", "to": m} for i, m in enumerate(marks)])
    store.upsert_relationships("CLASSIFIED_AS", "Trademark", "Technology",
                               [{"from": m, "to": f"NICE:{c}"} for m, cs in marks.items() for c in cs])
    return marks


def test_benchmark_populations_count_the_chosen_ip_type(demo_store: GraphStore, demo_rows: Any,
                                                        tmp_path: Any) -> None:
    opts = DensityOptions(ip_type="trademarks", region="chongqing")
    alone = density(demo_store, opts)  # every demo mark is held in the region: nothing to compare with
    assert alone.params["benchmark"] == "none" and alone.params["benchmark_items"] == "trademarks"
    assert "no trademarks whose holders are located outside the scope" in alone.params["benchmark_note"]
    assert {r["rta_benchmark"] for r in alone.tables["industries"]} == {None}
    patents = density(demo_store, DensityOptions(region="chongqing"))  # the demo's outside patents
    assert patents.params["benchmark"] == "outside" and "benchmark_items" not in patents.params

    marks = _add_outside_marks(demo_store)
    maps: dict[str, set[str]] = {}
    for r in demo_rows.rels[("MAPS_TO", "Technology", "Industry")]:
        maps.setdefault(r["from"], set()).add(r["to"])
    assert maps.get("NICE:43") and maps.get("NICE:09"), "the demo maps classes 43 and 09"
    bench = Counter(i for cs in marks.values() for i in {i for c in cs for i in maps[f"NICE:{c}"]})
    res = density(demo_store, opts)
    assert res.params["benchmark"] == "outside" and res.params["benchmark_size"] == len(marks)
    ind = res.frame("industries").set_index("industry")
    local = ind["ip_items"] / ind["ip_items"].sum()
    total = sum(bench.values())
    for industry, rta in ind["rta_benchmark"].items():
        want = local[industry] / (bench[industry] / total) if bench.get(industry) else None
        assert (rta == pytest.approx(want)) if want is not None else rta != rta, industry  # NaN: no benchmark

    table = tmp_path / "national_marks.csv"
    table.write_text("industry,trademarks\nGBT4754:H62,300\nGBT4754:C39,100\n", "utf-8")
    res = density(demo_store, DensityOptions(ip_type="trademarks", benchmark=str(table)))
    rta = res.frame("industries").set_index("industry")["rta_benchmark"]
    assert rta["GBT4754:H62"] == pytest.approx(local["GBT4754:H62"] / 0.75)
    patents_only = tmp_path / "national_patents.csv"
    patents_only.write_text("industry,patents\nGBT4754:H62,300\n", "utf-8")
    with pytest.raises(AnalysisError, match="needs columns industry and trademarks"):
        density(demo_store, DensityOptions(ip_type="trademarks", benchmark=str(patents_only)))
