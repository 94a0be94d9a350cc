"""`analyze density` with no statistics ingested: patents per 10k residents from the packaged 2020
census, with the source named in the JSON; graph observations still win where they exist.

The corpus holds no Chongqing export, so the real CN export sample (a 61-column incoPat-style
file) is re-addressed to Chongqing applicants in the test; everything else is the real records.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

from iplayout import refdata

CN_EXPORT = "corpus/patents_cn_full_record_samples/incopat_style_10_records.csv"
CHONGQING = [("重庆大学", "重庆市沙坪坝区沙正街174号", "500106"),
             ("重庆邮电大学", "重庆市南岸区崇文路2号", "500108"),
             ("重庆长安汽车股份有限公司", "重庆市江北区建新东路260号", "500105"),
             ("西南大学", "重庆市北碚区天生路2号", "500109")]


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, IPLAYOUT_HOME=str(home), IPLAYOUT_STORE="embedded")
    return subprocess.run([sys.executable, "-m", "iplayout", *args], capture_output=True, text=True, env=env,
                          check=False, timeout=600)


def test_density_uses_the_census_when_the_graph_has_no_population(shared_dir: Path, tmp_path: Path) -> None:
    with (shared_dir / CN_EXPORT).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = list(reader.fieldnames or []), list(reader)
    for i, row in enumerate(rows):
        row["申请人"], row["申请人地址"], _ = CHONGQING[i % len(CHONGQING)]
        row["国省代码"] = "重庆(50)"
    export = tmp_path / "cq_export.csv"
    with export.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header)
        w.writeheader()
        w.writerows(rows)
    home = tmp_path / "home"
    assert _run(home, "ingest", str(export)).returncode == 0
    built = _run(home, "build", "--no-index")
    assert built.returncode == 0, built.stderr
    out = _run(home, "analyze", "density", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    with gzip.open(refdata.packaged("census2020"), "rt", encoding="utf-8") as fh:
        census = {r["adcode"]: int(r["population"]) for r in csv.DictReader(fh)}
    with_patents = [r for r in result["rows"] if r["patents"]]
    assert {r["adcode"] for r in with_patents} == {code for _, _, code in CHONGQING}
    for r in with_patents:
        assert r["population_10k"] == census[r["adcode"]] / 10_000
        assert abs(r["patents_per_10k"] - r["patents"] / (census[r["adcode"]] / 10_000)) < 1e-9
        assert r["population_source"].startswith("census2020 (packaged: 7th national census")
    assert result["params"]["census_units"] == 38
    assert "leiii/census" in result["params"]["census_table"]

    # An observation in the graph wins over the census for its district, and is named as such.
    stats = tmp_path / "population.csv"
    stats.write_text("district,year,metric,value,unit\n沙坪坝区,2023,population,150,万人\n", encoding="utf-8")
    assert _run(home, "ingest", str(stats), "--kind", "stats").returncode == 0
    assert _run(home, "build", "--no-index").returncode == 0
    again = json.loads(_run(home, "analyze", "density", "--json").stdout)
    sha = next(r for r in again["rows"] if r["adcode"] == "500106")
    assert sha["population_10k"] == 150 and sha["population_source"] == "graph observations"
    assert again["params"]["census_units"] == 37
