"""Export recognition by header score, rejects counted per record, and the missing-field hint."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from iplayout.config import Settings
from iplayout.ingestion.profiles import rank_profiles
from iplayout.ingestion.run import ingest_paths

CN_EXPORT = "corpus/patents_cn_full_record_samples/incopat_style_10_records.csv"
FIVE = ["公开号", "专利名称", "申请人", "发明人", "申请日"]


def _five_header_gb18030(shared_dir: Path, out: Path, copies: int) -> int:
    """The five-header export of the issue (no 申请号), GB18030, from the real CN export sample:
    each real row repeated with a distinct publication number to reach a realistic size."""
    with (shared_dir / CN_EXPORT).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with out.open("w", encoding="gb18030", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(FIVE)
        for n in range(copies):
            for r in rows:
                w.writerow([f"{r['公开号']}{n:04d}" if n else r["公开号"], r["专利名称"], r["申请人"], r["发明人"],
                            r["申请日"]])
    return copies * len(rows)


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, IPLAYOUT_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "iplayout", *args], capture_output=True, text=True, env=env,
                          check=False, timeout=300)


def test_five_header_cn_export_is_recognised_without_profile(shared_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "export_gb18030.csv"
    n = _five_header_gb18030(shared_dir, path, copies=30)
    detection = rank_profiles(FIVE, None)
    assert detection.profile is not None and detection.profile.name == "cn_patents"
    assert (detection.score, detection.headers, detection.note) == (5, 5, None)
    result = ingest_paths([path], Settings(home=tmp_path / "home"))
    assert (result.accepted, result.rejected) == (n, 0) and n == 300
    assert "hints" not in result.summary()


def test_ties_and_low_scores_are_reported() -> None:
    tie = rank_profiles(["title", "year", "x1", "x2", "x3", "x4", "x5"], None)
    assert tie.profile is not None and tie.tied
    assert tie.note == (f"profile {tie.profile.name} chosen over {', '.join(tie.tied)} (each maps 2 of 7 headers);"
                        " pass --profile to choose")
    low = rank_profiles(["申请号", "x1", "x2", "x3", "x4", "x5"], None)
    assert low.profile is not None and low.profile.name == "cn_patents" and not low.tied
    assert low.note == "profile cn_patents maps only 1 of 6 headers; pass --profile if it is wrong"
    detected = rank_profiles(["standard_number", "title"], None)  # one known header alone selects nothing else
    assert detected.profile is not None and detected.profile.name == "standards_en" and detected.note is None
    assert rank_profiles(["title", "x1"], None).profile is None  # one header, nobody's detect header


def test_rejected_counts_records_and_the_hint_names_the_profile(shared_dir: Path, tmp_path: Path) -> None:
    # 10 rows, each missing two required fields (id and title): 20 reject lines, 10 rejected records.
    path = tmp_path / "ten.csv"
    with (shared_dir / CN_EXPORT).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["发明人", "申请日"])
        w.writerows([r["发明人"], r["申请日"]] for r in rows)
    out = _cli(tmp_path / "home", "ingest", str(path), "--kind", "patents", "--json")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["rejected"] == 10 and summary["accepted"] == 0
    lines = [json.loads(x) for x in Path(summary["rejects_file"]).read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 20 and {x["field"] for x in lines} == {"id", "title"}
    hint = [x for x in out.stderr.splitlines() if x.startswith("hint: ")]
    assert len(hint) == 1 and "10 of 10 records lack" in hint[0] and "headers seen: 发明人, 申请日" in hint[0]
    assert summary["hints"] == [hint[0].removeprefix("hint: ")]


def test_hint_suggests_the_profile_that_maps_the_headers(shared_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "export_gb18030.csv"
    n = _five_header_gb18030(shared_dir, path, copies=5)
    result = ingest_paths([path], Settings(home=tmp_path / "home"), profile="patents_generic")
    assert result.rejected == n and result.accepted == 0
    (hint,) = result.hints
    assert f"{n} of {n} records lack 'id'" in hint
    assert "profile used: patents_generic" in hint and "try --profile cn_patents (it maps 公开号 → id)" in hint
