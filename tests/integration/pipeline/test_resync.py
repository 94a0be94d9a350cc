"""`build --resync` on both engines: a wiped graph, a graph and index restored from an older copy and
a deleted index folder all end equal to a clean build of the same ledger; on a consistent store it
writes nothing. `check --deep` finds what an id comparison cannot."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from iplayout.config import Settings
from iplayout.consistency import check
from iplayout.demo import generate
from iplayout.demo.export import write_cn_patent_csv
from iplayout.graph.factory import open_store
from iplayout.graph.store import GraphStore
from iplayout.ingestion.ledger import Ledger
from iplayout.ingestion.run import ingest_paths
from iplayout.nlp.pipeline import build
from iplayout.resync import drift_hint, resync
from iplayout.search.service import SearchService

from ..conftest import settings_for
from .fingerprint import fingerprint

ROWS = 600


class HashEmbedder:
    """Hashed character bigrams: deterministic and instant (the index is what is tested, not ranking)."""

    model_id = "test:resync-hash-64"
    dim = 64
    multilingual = False

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for a, b in zip(t, t[1:], strict=False):
                out[i, int(hashlib.md5((a + b).encode()).hexdigest()[:6], 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


@pytest.fixture(scope="module")
def export_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "demo_patents_SYNTHETIC.csv"
    write_cn_patent_csv(generate("medium", seed=11), path, limit=ROWS)
    return path


def _older_copy(csv: Path, folder: Path) -> Path:
    """The same export as it was earlier: the last 100 rows not there yet, another legal status in 50."""
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    status = header.index("法律状态")
    rows = []
    for n, line in enumerate(lines[1:ROWS - 99]):
        cells = line.split(",")
        if n % 10 == 3:
            cells[status] = "失效" if cells[status] != "失效" else "有效"
        rows.append(",".join(cells))
    folder.mkdir(parents=True, exist_ok=True)
    older = folder / csv.name
    older.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    return older


def _index(settings: Settings) -> SearchService:
    return SearchService.open(settings, embedder=HashEmbedder())


def _build(settings: Settings, store: GraphStore, index: bool = True) -> None:
    with Ledger(settings.ledger_path) as ledger:
        build(settings, store, ledger, index=_index(settings) if index else None)


def _resync(settings: Settings, store: GraphStore) -> dict[str, object]:
    with Ledger(settings.ledger_path) as ledger:
        return resync(settings, store, ledger, _index(settings)).as_dict()


def _lose_graph(settings: Settings, store: GraphStore) -> GraphStore:
    """The database is gone and comes back empty: the embedded file deleted, the Neo4j data cleared."""
    if settings.store == "embedded":
        store.close()
        for path in settings.embedded_path.parent.glob(settings.embedded_path.name + "*"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        return open_store(settings)
    store.clear()
    return store


def _assert_consistent(settings: Settings, store: GraphStore) -> None:
    report = check(settings, store, deep=True)
    assert report.ok, report.problems
    assert report.unchecked == 0


def test_resync_after_a_wiped_graph_and_a_deleted_index_equals_a_clean_build(
        engine: str, tmp_path: Path, export_csv: Path) -> None:
    settings = settings_for(engine, tmp_path / "home")
    ingest_paths([export_csv], settings)
    store = open_store(settings)
    store.clear()
    _build(settings, store)
    clean = fingerprint(store)
    index_ids = _index(settings).ids()
    assert len(index_ids) == ROWS and clean["counts"]["nodes"]["Patent"] == ROWS

    quiet = _resync(settings, store)  # consistent: nothing to do, nothing written
    assert quiet["rebuilt"] == {} and quiet["drift"] == {} and quiet["deleted_from_graph"] == 0
    assert quiet["build"]["nodes_written"] == 0 and quiet["build"]["relationships_written"] == 0  # type: ignore[index]
    assert fingerprint(store) == clean

    store = _lose_graph(settings, store)
    with Ledger(settings.ledger_path) as ledger:
        plain = build(settings, store, ledger, index=_index(settings))
        assert sum(plain.records.values()) == 0  # the ledger says everything is built
        hint = drift_hint(store, ledger, _index(settings))
    assert hint is not None and f"Patent {ROWS:,} missing" in hint and "build --resync" in hint
    assert not check(settings, store).ok

    healed = _resync(settings, store)
    assert healed["rebuilt"] == {"Patent": ROWS}
    assert fingerprint(store) == clean
    _assert_consistent(settings, store)

    shutil.rmtree(settings.index_dir)
    healed = _resync(settings, store)
    assert healed["drift"] == {"Patent": {"index_missing": ROWS}}
    assert healed["rebuilt"] == {} and healed["reindexed"] == ROWS
    assert _index(settings).ids() == index_ids
    assert fingerprint(store) == clean
    _assert_consistent(settings, store)
    again = _resync(settings, store)
    assert again["rebuilt"] == {} and again["build"]["nodes_written"] == 0  # type: ignore[index]
    store.close()


def test_resync_after_an_older_graph_and_index_copy_equals_a_clean_build(
        engine: str, tmp_path: Path, export_csv: Path) -> None:
    # One source file as it was earlier (ingested into the older copy's ledger) and as it is now.
    source = _older_copy(export_csv, tmp_path / "export")
    old = settings_for(engine, tmp_path / "old")
    ingest_paths([source], old)
    shutil.copy2(export_csv, source)
    current = settings_for(engine, tmp_path / "current")
    ingest_paths([source], current)
    store = open_store(current)
    store.clear()
    _build(current, store)
    clean = fingerprint(store)

    # The older copy: what the same store and index held when the export was older.
    if engine == "embedded":
        old_store = open_store(old)
        _build(old, old_store)
        old_store.close()
        store.close()
        shutil.copy2(old.embedded_path, current.embedded_path)  # the older file restored over the current one
        store = open_store(current)
    else:
        store.clear()
        _build(old, store)  # the server now holds the older graph, as after a restore
    shutil.rmtree(current.index_dir)
    shutil.copytree(old.index_dir, current.index_dir)
    assert fingerprint(store) != clean

    report = check(current, store, deep=True)
    stale = report.problems["Patent: content in the graph differs from what was built"]["count"]
    assert stale == 50
    assert report.problems["Patent: built in the ledger but missing from the graph"]["count"] == 100

    healed = _resync(current, store)
    assert healed["drift"]["Patent"]["graph_missing"] == 100  # type: ignore[index]
    assert healed["drift"]["Patent"]["graph_stale"] == 50  # type: ignore[index]
    assert healed["rebuilt"] == {"Patent": ROWS}
    assert fingerprint(store) == clean
    _assert_consistent(current, store)
    store.close()


@pytest.mark.slow
def test_check_deep_finds_one_changed_property_in_10000_documents(engine: str, tmp_path: Path) -> None:
    csv = tmp_path / "demo_patents_SYNTHETIC.csv"
    write_cn_patent_csv(generate("medium", seed=5), csv, limit=10_000)
    settings = settings_for(engine, tmp_path / "home")
    ingest_paths([csv], settings)
    store = open_store(settings)
    store.clear()
    _build(settings, store, index=False)
    report = check(settings, store, deep=True)
    assert report.ok and report.ledger["Patent"] == 10_000, report.problems
    store.close()

    # Edit one property of one document behind the build's back (as a restore of an older copy would).
    with Ledger(settings.ledger_path) as ledger:
        victim = sorted(ledger.built_state("patents", _version()))[4321]
    changed = open_store(settings)
    changed.upsert_nodes("Patent", [{"id": victim, "title": "restored from an older copy"}])
    report = check(settings, changed, deep=True)
    assert report.problems == {"Patent: content in the graph differs from what was built":
                               {"count": 1, "sample": [victim]}}
    assert check(settings, changed).ok  # ids alone cannot see it
    changed.close()


def _version() -> str:
    from iplayout.nlp.versions import extractor_version

    return extractor_version("patents")
