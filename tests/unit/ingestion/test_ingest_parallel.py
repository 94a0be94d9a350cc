"""Large files are built in worker processes: ledger, counts and rejects equal an in-process run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from iplayout.config import Settings
from iplayout.ingestion import parallel
from iplayout.ingestion.ledger import Ledger
from iplayout.ingestion.run import IngestResult, ingest_paths

HEADER = "公开号,申请号,专利名称,申请人,申请人地址,分类号,申请日,专利类型"


def _row(i: int, **change: str) -> str:
    cells = {
        "id": f"CN{i:07d}A",
        "app": f"CN2020{i:07d}.1",
        "title": f"一种裝置{i}" if i % 7 == 0 else f"一种装置{i}",  # some Traditional: originals kept
        "applicant": "重庆大学;西南大学" if i % 5 == 0 else "重庆大学",
        "address": "400044重庆市沙坪坝区",
        "ipc": "H01M10/0525;XYZ" if i % 11 == 0 else "H01M10/0525",  # bad codes: field rejects
        "date": "20221399" if i % 13 == 0 else "20200101",
        "kind": "发明",
    }
    cells.update(change)
    return ",".join(cells.values())


def _files(folder: Path) -> Path:
    """Every reader with records in several chunks, and rejects of every origin among them."""
    folder.mkdir()
    rows = [_row(i) for i in range(60)]
    rows[10] = _row(3)  # a duplicate id: rejected by the main process
    rows[20] = rows[20].rsplit(",", 2)[0]  # a truncated row: rejected by the reader
    rows[30] = _row(30, title="")  # no title: rejected by validation
    data = ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")
    data += _row(70, title="一种电池").encode("gbk") + b"\n"  # another encoding on one line
    data += b"CN9\xff\xfe\xff\xfe\x80,x\n" + _row(71).encode() + b"\n"  # undecodable bytes
    (folder / "patents.csv").write_bytes(data)
    lines = [json.dumps({"kind_of_record": "standards", "id": f"GB/T {i}-2020", "title": f"标准{i}"}) for i in range(25)]
    lines[5] = "{broken"
    lines[6] = json.dumps({"kind_of_record": "standards", "id": "GB/T 1-2020", "title": "again"})
    (folder / "standards.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ris = "".join(f"TY  - JOUR\nTI  - 论文{i}\nAU  - 张三\nPY  - {2000 + i}\nER  - \n" for i in range(20))
    (folder / "papers.ris").write_text(ris, encoding="utf-8")
    (folder / "empty.csv").write_bytes(b"")
    return folder


def _ingest(home: Path, paths: list[Path], workers: int, **kwargs: Any) -> tuple[IngestResult | str, dict[str, Any]]:
    settings = Settings(home=home, ingest_workers=workers)
    try:
        result: IngestResult | str = ingest_paths(paths, settings, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the exception is part of what is compared
        result = f"{type(exc).__name__}: {exc}"
    return result, _ledger(settings)


def _ledger(settings: Settings) -> dict[str, Any]:
    """Everything stored but run ids and times, and the rejects files' lines."""
    with sqlite3.connect(settings.ledger_path) as db:
        rows = db.execute(
            "SELECT kind, id, source, locator, locator_json, hash, json, status FROM records ORDER BY kind, id"
        ).fetchall()
    rejects = settings.rejects_dir.glob("*.jsonl") if settings.rejects_dir.is_dir() else []
    return {"records": rows, "rejects": sorted(p.read_text(encoding="utf-8") for p in rejects)}  # names: run ids


def _summary(result: IngestResult | str) -> Any:
    return result if isinstance(result, str) else result.model_dump(exclude={"run_id", "rejects_file"})


@pytest.fixture
def workers_for_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers even for these small files, with small chunks (borders fall among the rejects)."""
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK", 4)
    monkeypatch.setattr(parallel, "PART_CHARS", 500)  # chunks sent in parts too


def test_workers_give_the_ledger_of_an_in_process_run(tmp_path: Path, workers_for_all: None) -> None:
    folder = _files(tmp_path / "in")
    serial = _ingest(tmp_path / "serial", [folder], workers=1)
    par = _ingest(tmp_path / "parallel", [folder], workers=2)
    assert isinstance(par[0], IngestResult) and par[0].rejected > 5 and par[0].field_issues > 3
    assert _summary(par[0]) == _summary(serial[0]) and par[1] == serial[1]
    # Again after a change, into the same ledgers: unchanged, updated and deleted records.
    (folder / "patents.csv").write_text("\n".join([HEADER, *(_row(i, kind="实用新型") for i in range(0, 60, 2))]) + "\n")
    serial = _ingest(tmp_path / "serial", [folder], workers=1, replace_source=True)
    par = _ingest(tmp_path / "parallel", [folder], workers=2, replace_source=True)
    assert isinstance(par[0], IngestResult) and par[0].updated > 20 and par[0].deleted > 20
    assert _summary(par[0]) == _summary(serial[0]) and par[1] == serial[1]


def test_a_file_of_rejects_only_streams_in_parts(tmp_path: Path, workers_for_all: None) -> None:
    """Rows the reader rejects itself make no build_record call, hence no new chunk: the chunk
    they all belong to goes in parts, never held whole."""
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([HEADER, *(f"CN{i}A,truncated" for i in range(50)), _row(1)]) + "\n", encoding="utf-8")
    serial = _ingest(tmp_path / "serial", [path], workers=1)
    par = _ingest(tmp_path / "parallel", [path], workers=2)
    assert isinstance(par[0], IngestResult) and (par[0].accepted, par[0].rejected) == (1, 50)
    assert _summary(par[0]) == _summary(serial[0]) and par[1] == serial[1]


def test_three_workers_and_one_chunk_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    folder = _files(tmp_path / "in")  # fewer records than CHUNK: workers 1 and 2 build nothing
    serial = _ingest(tmp_path / "serial", [folder], workers=1)
    par = _ingest(tmp_path / "parallel", [folder], workers=3)
    assert _summary(par[0]) == _summary(serial[0]) and par[1] == serial[1]


def test_a_reader_error_mid_file_comes_after_the_records_before_it(tmp_path: Path, workers_for_all: None) -> None:
    lines = [json.dumps({"kind_of_record": "standards", "id": f"GB/T {i}-2020", "title": f"标准{i}"}) for i in range(30)]
    lines[17] = json.dumps({"title": "no kind"})  # the reader gives up on the file here
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    serial = _ingest(tmp_path / "serial", [path], workers=1)
    par = _ingest(tmp_path / "parallel", [path], workers=2)
    assert "cannot tell the record kind" in str(par[0])
    assert _summary(par[0]) == _summary(serial[0]) and par[1] == serial[1]


def test_an_error_while_building_is_raised_in_place(tmp_path: Path, workers_for_all: None) -> None:
    """A value that cannot be stored (a lone surrogate from a JSON escape) fails in a worker: the
    same exception comes out after the same records, as in-process."""
    lines = [json.dumps({"kind_of_record": "standards", "id": f"GB/T {i}-2020", "title": "标准"}) for i in range(30)]
    lines[21] = '{"kind_of_record": "standards", "id": "GB/T 99-2020", "title": "x", "note": "\\ud800"}'
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    serial = _ingest(tmp_path / "serial", [path], workers=1)
    par = _ingest(tmp_path / "parallel", [path], workers=2)
    assert str(par[0]).startswith("UnicodeEncodeError")
    assert _summary(par[0]) == _summary(serial[0]) and par[1] == serial[1]


def test_a_trademark_package_built_by_workers_equals_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The package is joined once in the main process and its drafts built by the workers, in chunks
    whose borders fall among the orphan, repaired-row and field rejects."""
    from tests.unit.ingestion.cnipa_sample import write_package

    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "DRAFT_CHUNK", 2)
    package = write_package(tmp_path / "pkg")
    serial = _ingest(tmp_path / "serial", [package], workers=1)
    par = _ingest(tmp_path / "parallel", [package], workers=2)
    assert isinstance(par[0], IngestResult) and (par[0].accepted, par[0].rejected) == (5, 3)
    assert _summary(par[0]) == _summary(serial[0]) and par[1] == serial[1]


def test_files_and_a_trademark_package_share_the_workers(tmp_path: Path, workers_for_all: None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables read by turns and a package's drafts, one after the other, in the same worker processes."""
    from tests.unit.ingestion.cnipa_sample import write_package

    monkeypatch.setattr(parallel, "DRAFT_CHUNK", 3)
    folder = _files(tmp_path / "in")
    write_package(folder / "pkg")
    serial = _ingest(tmp_path / "serial", [folder], workers=1)
    par = _ingest(tmp_path / "parallel", [folder], workers=2)
    assert isinstance(par[0], IngestResult)
    assert [f.kinds for f in par[0].files if f.path.endswith("pkg")] == [{"trademarks": 5}]
    assert _summary(par[0]) == _summary(serial[0]) and par[1] == serial[1]


def test_no_workers_for_small_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: parallel.Builders) -> None:
        raise AssertionError("workers started for a small file")

    monkeypatch.setattr(parallel.Builders, "_start", refuse)
    result, _ = _ingest(tmp_path / "home", [_files(tmp_path / "in")], workers=2)
    assert isinstance(result, IngestResult) and result.accepted > 0


def test_workers_unavailable_means_in_process(tmp_path: Path, workers_for_all: None, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _files(tmp_path / "in")
    serial = _ingest(tmp_path / "serial", [folder], workers=1)
    starts = []

    def fail(self: parallel.Builders) -> None:
        starts.append(1)
        self.usable = False
        raise parallel.WorkersUnavailable("no processes here")

    monkeypatch.setattr(parallel.Builders, "_start", fail)
    fallback = _ingest(tmp_path / "fallback", [folder], workers=2)
    assert starts == [1]  # tried once, not once per file
    assert _summary(fallback[0]) == _summary(serial[0]) and fallback[1] == serial[1]


def test_ingest_workers_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().ingest_workers == 0  # one per core
    monkeypatch.setenv("IPLAYOUT_INGEST_WORKERS", "1")
    assert Settings().ingest_workers == 1
    assert 1 <= parallel.default_workers() <= 4


# -- kill -9 in the middle of a parallel run ---------------------------------------------------

ROWS = 30_000


def _cmd(src: Path, home: Path, *extra: str) -> list[str]:
    code = "import iplayout.ingestion.parallel as p; p.MIN_BYTES = 0; from iplayout.cli import main; main()"
    return [sys.executable, "-c", code, "ingest", str(src), "--home", str(home), "--json", *extra]


def _committed(home: Path) -> int:
    try:
        db = sqlite3.connect(Settings(home=home).ledger_path, timeout=1)
        try:
            return int(db.execute("SELECT count(*) FROM records").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_kill_9_mid_parallel_run_then_rerun_equals_clean_run(tmp_path: Path) -> None:
    src = tmp_path / "big.csv"
    src.write_text("\n".join([HEADER, *(_row(i) for i in range(ROWS))]) + "\n", encoding="utf-8")
    clean, crashed = tmp_path / "clean", tmp_path / "crashed"
    done = subprocess.run(_cmd(src, clean), capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()

    proc = subprocess.Popen(_cmd(src, crashed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _committed(crashed) < 4000 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed; raise ROWS"
    workers = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert 0 < _committed(crashed) < ROWS
    deadline = time.monotonic() + 10  # the workers notice their parent is gone
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)

    done = subprocess.run(_cmd(src, crashed, "--replace-source"), capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()
    with Ledger(Settings(home=clean).ledger_path) as a, Ledger(Settings(home=crashed).ledger_path) as b:
        assert a.checksum() == b.checksum()
        assert b.counts() == a.counts()
