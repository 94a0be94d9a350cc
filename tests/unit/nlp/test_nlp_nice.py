"""The shipped Nice tables and the Nice -> GB/T 4754-2017 concordance: complete, reasoned, valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iplayout.errors import ExtractionError
from iplayout.nlp import nice
from iplayout.nlp.reference_rows import References, load_references

HEADER = "nice,section,division,industry_name,reasoning\n"


def test_shipped_tables_and_concordance() -> None:
    t = nice.tables()
    assert len(t.classes) == 45 and len(t.groups) == 491
    assert all(cls in t.classes for cls, _ in t.groups.values())
    rows = nice.load_concordance()
    assert {m.nice for m in rows} == {f"{i:02d}" for i in range(1, 46)}  # every class, all mapped
    assert all(m.mapped and len(m.reasoning) > 40 for m in rows)


def test_concordance_names_are_the_gbt4754_names(shared_dir: Path) -> None:
    """Every target 大类 exists in GB/T 4754-2017 under the section and name the concordance gives."""
    path = shared_dir / "reference" / "gbt4754_2017" / "gbt4754_2017_with_notes.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    divisions = {(i["class1"], i["class2"]): i["name"].strip() for i in json.loads(path.read_text(encoding="utf-8"))
                 if str(i["level"]) == "2"}
    for m in nice.load_concordance():
        assert divisions.get((m.section, m.division)) == m.industry_name, m


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "nice_concordance_mine.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _all_but(skip: str, extra: str = "") -> str:
    return "".join(f"{i:02d},C,13,农副食品加工业,a reason\n" for i in range(1, 46) if f"{i:02d}" != skip) + extra


def test_explicitly_unmapped_class_is_accepted(tmp_path: Path) -> None:
    rows = nice.load_concordance(_write(tmp_path, _all_but("45", "45,,,,legal services stay unmapped here\n")))
    unmapped = [m for m in rows if not m.mapped]
    assert [m.nice for m in unmapped] == ["45"]


@pytest.mark.parametrize(("body", "message"), [
    (_all_but("45"), "Nice classes 45 have no row"),
    (_all_but("45", "45,C,13,x,\n"), "needs its reasoning"),
    (_all_but("45", "45,C,1,x,why\n"), "2-digit 大类"),
    (_all_but("45", "46,C,13,x,why\n45,C,13,x,why\n"), "not a Nice class"),
    (_all_but("45", "45,C,13,x,why, with a comma\n"), "6 cells"),
])
def test_invalid_concordance_is_refused(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ExtractionError, match=message):
        nice.load_concordance(_write(tmp_path, body))


def test_user_concordance_replaces_the_shipped_one(tmp_path: Path) -> None:
    _write(tmp_path, _all_but("45", "45,,,,unmapped\n"))
    refs = References.discover(tmp_path)
    assert refs.nice_concordance == tmp_path / "nice_concordance_mine.csv"
    rows = load_references(refs, ("chongqing",), {"source": "test"}).rows
    maps = rows.rels[("MAPS_TO", "Technology", "Industry")]
    assert {dst for _, dst in maps} == {"GBT47542017:13"} and ("NICE:45", "GBT47542017:13") not in maps
    assert len([n for n in rows.nodes["Technology"].values() if n.get("scheme") == "NICE"]) == 45 + 491


def test_packaged_tables_are_the_public_2017_snapshot(shared_dir: Path, tmp_path: Path) -> None:
    """The packaged classes and groups equal ../shared/reference/nice_classification_cn row for row, and a
    build names them (origin packaged, 2017 snapshot) beside the packaged concordance."""
    import csv

    from iplayout import refdata

    ref = shared_dir / "reference" / "nice_classification_cn"
    if not ref.is_dir():
        pytest.skip(f"{ref} is absent")
    with (ref / "nice_classes.csv").open(encoding="utf-8") as fh:
        classes = {f"{int(r['class_no']):02d}": (r["type"], r["title_cn"].strip()) for r in csv.DictReader(fh)}
    with (ref / "similar_groups.csv").open(encoding="utf-8") as fh:
        groups = {r["group_code"]: (f"{int(r['class_no']):02d}", r["group_name"].strip()) for r in csv.DictReader(fh)}
    t = nice.tables()
    assert t.classes == classes and t.groups == groups
    refs = References.discover(tmp_path / "no-reference-folder")
    assert refs.nice_concordance == refdata.packaged("nice_concordance")
    versions = refdata.record_versions(tmp_path, refs.tables())
    assert {versions[k]["origin"] for k in ("nice_classes", "nice_groups", "nice_concordance")} == {"packaged"}
    assert "2017 snapshot" in versions["nice_groups"]["version"] and versions["nice_classes"]["sha256"]
