"""Packaged reference tables: a fresh home gets WIPO fields and Chinese IPC titles from real records,
a user file in $IPLAYOUT_HOME/reference/ overrides the packaged table, and `check` names the versions."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from iplayout import refdata
from iplayout.config import Settings
from iplayout.graph.ladybug_store import LadybugStore
from iplayout.ingestion.detect import reader_for
from iplayout.ingestion.ledger import Ledger
from iplayout.ingestion.readers.base import ReadContext
from iplayout.ingestion.records import PatentRecord
from iplayout.ingestion.run import ingest_paths
from iplayout.nlp.pipeline import build
from iplayout.nlp.reference_rows import References, load_references

CN_EXPORT = "corpus/patents_cn_full_record_samples/incopat_style_10_records.csv"
USPTO = "corpus/patents_us_uspto_samples"
WIPO_CSV = "reference/ipc_wipo_35_fields/ipc_technology.csv"
TITLES_TSV = "reference/ipc_zh_2026/ipc_zh_2026.01.tsv"


def _uspto_records(shared: Path) -> list[PatentRecord]:
    out = []
    for path in sorted((shared / USPTO).glob("xml20*/*.xml")):
        ctx = ReadContext(path=path, source=str(path), kind="patents")
        out += [r for r in reader_for(path, "patents")(ctx) if isinstance(r, PatentRecord) and r.cpc]
    return out


def _patstat(code: str) -> str:
    """PATSTAT's padding: subclass, then the main group right-aligned in four characters."""
    compact = code.replace(" ", "")
    sub, rest = compact[:4], compact[4:]
    main, _, group = rest.partition("/")
    return f"{sub}{main.rjust(4)}/{group}"


def _field_of(code: str, patterns: list[tuple[str, str]]) -> str | None:
    """The WIPO field of a compact code by the concordance's LIKE patterns (most specific wins),
    read straight from the public table: an independent check of the package's loader."""
    sub, rest = code[:4], code[4:]
    padded = sub + rest.split("/")[0].rjust(4) if rest else sub
    hits = [(len(p.rstrip("%")), name) for p, name in patterns if padded.startswith(p.rstrip("%"))]
    return max(hits)[1] if hits else None


def test_fresh_home_gets_wipo_fields_and_chinese_titles(shared_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert not (home / "reference").exists()
    us = _uspto_records(shared_dir)
    assert us, "the USPTO samples carry CPC codes"
    patstat = tmp_path / "patstat_cpc.csv"
    with patstat.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["publication_number", "application_number", "title", "cpc", "application_date"])
        for r in us:
            w.writerow([r.id, r.application_number or r.id, r.title, ";".join(_patstat(c) for c in r.cpc),
                        r.application_date])
    settings = Settings(store="embedded", home=home)
    ingest_paths([shared_dir / CN_EXPORT, patstat], settings)
    store = LadybugStore(settings.embedded_path)
    try:
        build(settings, store, Ledger(settings.ledger_path))
        fields = store.cypher_read(
            "MATCH (p:Patent)-[:CLASSIFIED_AS]->(:Technology)-[:BROADER*1..4]->(f:Technology) "
            "WHERE f.scheme = 'WIPO35' RETURN p.id AS id, collect(DISTINCT f.name_en) AS fields")
        titles = store.cypher_read(
            "MATCH (:Patent)-[:CLASSIFIED_AS]->(t:Technology) WHERE t.scheme = 'IPC' "
            "RETURN DISTINCT t.id AS id, t.name_zh AS zh")
    finally:
        store.close()
    with (shared_dir / WIPO_CSV).open(encoding="utf-8") as fh:
        patterns = [(r["ipc"], r["field_name"]) for r in csv.DictReader(fh)]
    by_id = {r["id"]: set(r["fields"]) for r in fields}
    with (shared_dir / CN_EXPORT).open(encoding="utf-8") as fh:
        codes = {r["公开号"]: r["分类号"].split(";") for r in csv.DictReader(fh)}
    codes |= {r.id: list(r.cpc) for r in us}
    expected = {pid: {_field_of(c.replace(" ", ""), patterns) for c in cs} - {None} for pid, cs in codes.items()}
    for pid, want in expected.items():  # every field the concordance gives for a code of the patent
        assert want <= by_id.get(pid, set()), (pid, codes[pid], want, by_id.get(pid))
    assert sum(1 for w in expected.values() if w) >= len(codes) - 1  # B64U (2023) is newer than the table
    with (shared_dir / TITLES_TSV).open(encoding="utf-8") as fh:
        official = {row["code"]: row["title_zh"] for row in csv.DictReader(fh, delimiter="\t")}
    in_table = [(r, r["id"].split(":", 1)[1]) for r in titles if r["id"].split(":", 1)[1] in official]
    assert len(in_table) >= 30  # CPC-only subgroups and H01L (moved to H10 in IPC 2026) are not in the table
    for r, code in in_table:
        assert r["zh"] and r["zh"].replace(" ", "") == official[code].replace(" ", ""), (code, r["zh"])
    versions = refdata.built_versions(home)
    assert versions is not None
    assert {t: v["origin"] for t, v in versions.items()} == {
        "ipc_titles_zh": "packaged", "wipo35": "packaged", "gbt4754": "packaged", "nice_classes": "packaged",
        "nice_groups": "packaged", "nice_concordance": "packaged"}
    assert "2017 snapshot" in versions["nice_groups"]["version"]


def test_user_files_override_the_packaged_tables(tmp_path: Path) -> None:
    ref = tmp_path / "reference"
    ref.mkdir()
    (ref / "ipc_technology_mine.csv").write_text(
        "field_nr,sector,field_name,ipc\n4,Electrical engineering,Our own digital field,H04L%\n", encoding="utf-8")
    (ref / "ipc_zh_mine.tsv").write_text("code\ttitle_zh\nH04L\t我们自己的标题\n", encoding="utf-8")
    refs = References.discover(ref)
    assert refs.wipo35 == ref / "ipc_technology_mine.csv" and refs.ipc_titles_zh == ref / "ipc_zh_mine.tsv"
    assert refs.gbt4754 == refdata.packaged("gbt4754")  # not overridden: still packaged
    loaded = load_references(refs, (), {"source": "reference"})
    assert loaded.wipo35 is not None and [f.name for f in loaded.wipo35.fields.values()] == ["Our own digital field"]
    assert loaded.titles_zh == {"H04L": "我们自己的标题"}
    home = tmp_path
    versions = refdata.record_versions(home, refs.tables())
    assert versions["wipo35"]["origin"] == "user" and versions["gbt4754"]["origin"] == "packaged"


def test_check_reports_the_reference_versions(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "reference").mkdir(parents=True)
    (home / "reference" / "census_mine.csv").write_text("adcode,population\n500103,600000\n", encoding="utf-8")
    refdata.record_versions(home, References.discover(home / "reference").tables())
    empty = LadybugStore(Settings(home=home).embedded_path)  # an empty graph to check against
    empty.ensure_schema()
    empty.close()
    env = {"IPLAYOUT_HOME": str(home), "IPLAYOUT_STORE": "embedded", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "iplayout", "check", "--json"], capture_output=True, text=True,
                         env=env, check=False, timeout=300)
    assert out.returncode == 0, out.stderr
    tables = json.loads(out.stdout)["reference_tables"]
    assert tables["wipo35"]["version"] == refdata.manifest()["wipo35"]["version"]
    assert tables["ipc_titles_zh"]["origin"] == "packaged"
    assert tables["census2020"] == {"origin": "user", "version": "user file census_mine.csv",
                                    "file": str(home / "reference" / "census_mine.csv"),
                                    "sha256": tables["census2020"]["sha256"]}
    text = subprocess.run([sys.executable, "-m", "iplayout", "check"], capture_output=True, text=True, env=env,
                          check=False, timeout=300)
    assert "reference wipo35: packaged Schmoch 2008" in text.stdout
