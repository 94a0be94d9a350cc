"""The organisation alias table: loading, checks with file:line errors, and applying it to mentions."""

from __future__ import annotations

from pathlib import Path

import pytest

from iplayout.errors import ExtractionError
from iplayout.nlp import organisations as orgs
from iplayout.nlp.aliases import ledger_version, load_aliases, load_folder
from iplayout.nlp.versions import extractor_version

HUAWEI = '"Huawei Technologies Co., Ltd.",华为技术有限公司\nHUAWEI TECH CO LTD,华为技术有限公司\n'


def _write(folder: Path, text: str, name: str = "org_aliases.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_three_spellings_become_one_organisation_with_every_name(tmp_path: Path) -> None:
    table = load_folder(_write(tmp_path, "name,canonical\n" + HUAWEI).parent)
    merged = {table.apply(orgs.resolve(n)) for n in ("华为技术有限公司", "Huawei Technologies Co., Ltd.",
                                                      "HUAWEI TECH CO LTD", "Huawei Tech. Co., Ltd.")}
    assert {o.id for o in merged} == {"org:华为技术"}
    assert {o.name for o in merged} == {"华为技术有限公司"}
    assert {o.aliases for o in merged} == {("华为技术有限公司", "Huawei Technologies Co., Ltd", "HUAWEI TECH CO LTD")}


def test_without_the_table_languages_never_merge() -> None:
    ids = {orgs.resolve(n).id for n in ("华为技术有限公司", "Huawei Technologies Co., Ltd.", "HUAWEI TECH CO LTD")}
    assert ids == {"org:华为技术", "org:huawei tech"}  # the two English spellings meet by the English key only


def test_similar_firms_stay_separate(tmp_path: Path) -> None:
    table = load_folder(_write(tmp_path, "name,canonical\n" + HUAWEI).parent)
    keys = {table.apply(orgs.resolve(n)).key for n in ("华为技术有限公司", "华为软件技术有限公司", "华为终端有限公司")}
    assert len(keys) == 3
    brackets = {table.apply(orgs.resolve(n)).key for n in ("长安福特(重庆)汽车有限公司", "长安福特汽车有限公司")}
    assert len(brackets) == 2


def test_chains_resolve_to_the_end_and_columns_may_be_reordered(tmp_path: Path) -> None:
    table = load_aliases([_write(tmp_path, "canonical,name,note\nB Co,A Co,x\nC Co,B Co,\n")])
    assert table.apply(orgs.resolve("A Co")).key == "c"
    assert table.apply(orgs.resolve("A Co")).aliases == ("C Co", "B Co", "A Co")


@pytest.mark.parametrize(("text", "where", "reason"), [
    ("name\nA Co\n", ":1:", "missing column 'canonical'"),
    ("alias,canonical\nA Co,B Co\n", ":1:", "missing column 'name'"),
    ("", ":1:", "missing column 'name'"),
    ("name,canonical\nA Co,B Co\nB Co,A Co\n", ":3:", "alias cycle"),
    ("name,canonical\nA Co,B Co\nB Co,C Co\nC Ltd,A Co\n", ":4:", "alias cycle"),
    ("name,canonical\nA Co,B Co\nA Co,C Co\n", ":3:", "already has canonical"),
    ("name,canonical\nA Co,\n", ":2:", "no canonical"),
    ("name,canonical\n\n,B Co\n", ":3:", "no name"),
])
def test_bad_alias_file_is_one_line_error_with_file_and_line(tmp_path: Path, text: str, where: str,
                                                            reason: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ExtractionError) as err:
        load_aliases([path])
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{path}{where}") and reason in message


def test_a_changed_table_changes_the_ledger_version_of_kinds_with_organisations(tmp_path: Path) -> None:
    one = load_aliases([_write(tmp_path, "name,canonical\n" + HUAWEI)])
    two = load_aliases([_write(tmp_path, "name,canonical\nA Co,B Co\n", "org_aliases_2.csv")])
    assert ledger_version("patents", None) == extractor_version("patents")
    assert ledger_version("patents", one) != ledger_version("patents", two) != extractor_version("patents")
    assert ledger_version("stats", one) == extractor_version("stats")  # statistics name no organisation


def test_aliases_are_search_facets(tmp_path: Path) -> None:
    from iplayout.ingestion.records import Party, PatentRecord
    from iplayout.nlp.entities import ExtractionContext
    from iplayout.nlp.index_docs import FacetMaps, facets
    from iplayout.nlp.record_rows import record_to_rows
    from iplayout.nlp.rows import GraphRows

    class Stored:
        kind, id, source, locator = "patents", "CN1A", "t.csv", ""
        record = PatentRecord(id="CN1A", title="一种通信装置", abstract="本发明公开了一种通信装置。",
                              applicants=[Party(name="HUAWEI TECH CO LTD")])

    table = load_folder(_write(tmp_path, "name,canonical\n" + HUAWEI).parent)
    rows = record_to_rows(Stored(), ExtractionContext(aliases=table))
    found = facets(rows, "CN1A", FacetMaps(GraphRows()))["organizations"]
    assert {"org:华为技术", "华为技术有限公司", "HUAWEI TECH CO LTD", "Huawei Technologies Co., Ltd"} <= set(found)
