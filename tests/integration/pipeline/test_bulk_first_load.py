"""A first load into empty tables is staged and COPied in bulk (graph/first_load.py):
the graph it leaves must equal the one the row-by-row path leaves, on real LadybugDB."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from iplayout.config import Settings
from iplayout.demo import generate
from iplayout.demo.export import write_cn_patent_csv
from iplayout.graph.ladybug_store import LadybugStore
from iplayout.ingestion.ledger import Ledger
from iplayout.ingestion.run import ingest_paths
from iplayout.nlp.pipeline import build

from .fingerprint import fingerprint


def _build(home: Path, csv: Path, *, staged: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, object], int]:
    settings = Settings(store="embedded", home=home)
    ingest_paths([csv], settings)
    loaded: list[int] = []
    real_load = LadybugStore.finish_bulk_load

    def spy(self: LadybugStore) -> int:
        loaded.append(real_load(self))
        return loaded[-1]

    with monkeypatch.context() as m:
        m.setattr(LadybugStore, "finish_bulk_load", spy)
        if not staged:
            m.setattr(LadybugStore, "begin_bulk_load", lambda self, directory: False)
        store = LadybugStore(settings.embedded_path)
        result = build(settings, store, Ledger(settings.ledger_path))
    print_ = fingerprint(store)
    store.close()
    assert not (home / "staging").exists(), "staged files must be removed after the load"
    assert sum(result.records.values()) == 1_500
    return print_, sum(loaded)


def test_staged_first_load_equals_row_by_row_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    csv = tmp_path / "demo_patents_SYNTHETIC.csv"
    write_cn_patent_csv(generate("medium", seed=5), csv, limit=1_500)
    bulk, bulk_links = _build(tmp_path / "bulk's home", csv, staged=True, monkeypatch=monkeypatch)
    rows, row_links = _build(tmp_path / "rows", csv, staged=False, monkeypatch=monkeypatch)
    assert bulk_links > 10_000 and row_links == 0  # the bulk path really ran, the other did not
    assert bulk == rows


@pytest.fixture
def store(tmp_path: Path) -> LadybugStore:
    s = LadybugStore(tmp_path / "g.lbdb")
    s.ensure_schema()
    s.upsert_nodes("Organization", [{"id": "org:a", "name": "A"}, {"id": "org:b", "name": "B"}])
    s.upsert_nodes("Patent", [{"id": "P1", "title": "t1"}, {"id": "P2", "title": "t2"}])
    return s


def _links(s: LadybugStore) -> list[tuple[str, str, str | None, int | None, str | None]]:
    rows = s.cypher_read("MATCH (a:Organization)-[e:APPLIED_FOR]->(b:Patent) "
                         "RETURN a.id AS f, b.id AS t, e.role AS role, e.seq AS seq, e.source AS source ORDER BY f, t")
    return [(r["f"], r["t"], r["role"], r["seq"], r["source"]) for r in rows]


def _write_twice(s: LadybugStore) -> None:
    s.upsert_relationships("APPLIED_FOR", "Organization", "Patent", [
        {"from": "org:a", "to": "P1", "role": "applicant", "seq": 1, "source": "first"},
        {"from": "org:b", "to": "P2", "role": "applicant", "seq": 1},
    ])
    # a later batch repeats a pair carrying fewer properties: the others keep their value
    s.upsert_relationships("APPLIED_FOR", "Organization", "Patent", [
        {"from": "org:a", "to": "P1", "seq": 2},
        {"from": "org:a", "to": "P2", "role": "co-applicant"},
    ])


def test_repeated_pairs_merge_as_successive_upserts(store: LadybugStore, tmp_path: Path) -> None:
    assert store.begin_bulk_load(tmp_path / "staging")
    _write_twice(store)
    assert _links(store) == []  # nothing is in the graph before the load
    assert store.finish_bulk_load() == 3
    staged = _links(store)

    other = LadybugStore(tmp_path / "rows.lbdb")
    other.ensure_schema()
    other.upsert_nodes("Organization", [{"id": "org:a", "name": "A"}, {"id": "org:b", "name": "B"}])
    other.upsert_nodes("Patent", [{"id": "P1", "title": "t1"}, {"id": "P2", "title": "t2"}])
    _write_twice(other)
    assert staged == _links(other) == [("org:a", "P1", "applicant", 2, "first"),
                                       ("org:a", "P2", "co-applicant", None, None),
                                       ("org:b", "P2", "applicant", 1, None)]
    store.close()
    other.close()


def test_links_to_missing_nodes_are_dropped_with_a_warning(store: LadybugStore, tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    assert store.begin_bulk_load(tmp_path / "staging")
    store.upsert_relationships("APPLIED_FOR", "Organization", "Patent", [
        {"from": "org:a", "to": "P1"}, {"from": "org:a", "to": "P404"}, {"from": "org:nobody", "to": "P2"}])
    with caplog.at_level(logging.WARNING):
        assert store.finish_bulk_load() == 1
    assert [x[:2] for x in _links(store)] == [("org:a", "P1")]
    assert "APPLIED_FOR" in caplog.text and "endpoint missing" in caplog.text
    store.close()


def test_only_empty_relationship_types_are_staged(store: LadybugStore, tmp_path: Path) -> None:
    store.upsert_relationships("APPLIED_FOR", "Organization", "Patent", [{"from": "org:a", "to": "P1"}])
    assert store.begin_bulk_load(tmp_path / "staging")
    store.upsert_relationships("APPLIED_FOR", "Organization", "Patent", [{"from": "org:b", "to": "P2"}])
    assert len(_links(store)) == 2  # written at once: the table was not empty
    store.abort_bulk_load()
    assert not (tmp_path / "staging").exists()
    store.close()


def _nodes_twice(s: LadybugStore) -> None:
    s.upsert_nodes("Organization", [{"id": "org:a", "name": "A", "address": "重庆市渝北区", "source": "first"}])
    s.upsert_nodes("Organization", [{"id": "org:a", "kind": "enterprise", "address": "重庆市江北区"},
                                    {"id": "org:b", "name": "B"}])
    s.upsert_nodes("Patent", [{"id": "P1", "title": "t1"}])
    s.upsert_relationships("APPLIED_FOR", "Organization", "Patent", [{"from": "org:a", "to": "P1", "seq": 1}])


def _orgs(s: LadybugStore) -> list[dict[str, object]]:
    rows = s.cypher_read("MATCH (n:Organization) RETURN n.id AS id, n.name AS name, n.kind AS kind, "
                         "n.address AS address, n.source AS source ORDER BY id")
    return [dict(r) for r in rows]


def test_staged_nodes_count_as_existing_and_merge_as_successive_upserts(tmp_path: Path) -> None:
    bulk = LadybugStore(tmp_path / "bulk.lbdb")
    bulk.ensure_schema()
    assert bulk.begin_bulk_load(tmp_path / "staging")
    _nodes_twice(bulk)
    assert bulk.existing_keys("Organization", ["org:a", "org:z"]) == {"org:a"}  # staged, not yet in
    assert bulk.cypher_read("MATCH (n:Organization) RETURN count(n) AS n")[0]["n"] == 0
    assert bulk.finish_bulk_load() == 1
    rows = LadybugStore(tmp_path / "rows.lbdb")
    rows.ensure_schema()
    _nodes_twice(rows)
    assert _orgs(bulk) == _orgs(rows) == [
        {"id": "org:a", "name": "A", "kind": "enterprise", "address": "重庆市江北区", "source": "first"},
        {"id": "org:b", "name": "B", "kind": None, "address": None, "source": None}]
    assert _links(bulk) == _links(rows) == [("org:a", "P1", None, 1, None)]
    bulk.close()
    rows.close()
