"""`related` fuses dense, lexical and linked evidence (references, citations, people, venue) and says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from iplayout.config import Settings
from iplayout.errors import SearchError
from iplayout.search.documents import IndexDoc
from iplayout.search.service import SearchService


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> SearchService:
    s = SearchService.open(Settings(home=tmp_path_factory.mktemp("related-fusion")))
    s.index_documents([
        IndexDoc(id="10.1/X", type="Paper", title="Regional innovation systems and policy", year=2015,
                 people=("Chen, Li",), venue="RESEARCH POLICY", cites=("10.9/R1", "10.9/R2")),
        # shares one unresolved reference with X: bibliographic coupling on a partial corpus
        IndexDoc(id="Y", type="Paper", title="Wind turbine blade fatigue", year=2012, cites=("10.9/r1",)),
        # cites X (DOI in another case) and W: X and W are co-cited
        IndexDoc(id="Z", type="Paper", title="Battery recycling logistics", year=2018, cites=("10.1/x", "W")),
        IndexDoc(id="W", type="Paper", title="Protein folding kinetics", year=2010, people=("CHEN, LI",)),
        IndexDoc(id="V", type="Paper", title="Deep sea sediment cores", year=2011, venue="Research Policy"),
        IndexDoc(id="L", type="Paper", title="Later work on regional innovation systems policy", year=2020),
    ])
    return s


def test_each_linked_signal_finds_its_document_and_says_why(svc: SearchService) -> None:
    res = svc.related("10.1/X", top=10)
    hits = {h.id: h for h in res.hits["Paper"]}
    assert hits["Y"].evidence.links["coupling"] == ["10.9/R1"] and hits["Y"].ranks["coupling"] == 1
    assert hits["Z"].evidence.links["citation"] == ["cited_by"]
    assert hits["W"].evidence.links["people"] == ["Chen, Li"] and "co_cited_by:Z" in hits["W"].evidence.links["citation"]
    assert hits["V"].evidence.links["venue"] == ["RESEARCH POLICY"]
    assert "10.1/X" not in hits
    assert all(h.evidence.dense_similarity is not None for h in hits.values())
    assert res.model_id == svc.index_model_id


def test_prior_signal_and_when(svc: SearchService) -> None:
    hits = svc.related("10.1/X", top=10).hits["Paper"]
    later = next(h for h in hits if h.id == "L")
    assert "prior" not in later.ranks and "dense" in later.ranks  # later work: not in the prior-work list
    assert all(h.year is not None and h.year <= 2015 for h in svc.related("10.1/X", top=10, when="before").hits["Paper"])
    assert {h.id for h in svc.related("10.1/X", top=10, when="after").hits["Paper"]} == {"L", "Z"}


def test_unknown_id_is_an_error(svc: SearchService) -> None:
    with pytest.raises(SearchError, match="not in the search index"):
        svc.related("NOPE")


def test_index_keeps_links_across_save_and_load(svc: SearchService, tmp_path: Path) -> None:
    again = SearchService.open(Settings(home=svc.folder.parent))
    x = again.docs.docs[again.docs.pos["10.1/X"]]
    assert x.cites == ("10.9/R1", "10.9/R2") and x.people == ("Chen, Li",) and x.venue == "RESEARCH POLICY"


def test_patents_sharing_a_rare_ipc_main_group_are_related(tmp_path: Path) -> None:
    s = SearchService.open(Settings(home=tmp_path))
    s.index_documents([
        IndexDoc(id="P1", type="Patent", title="Battery pack cooling plate", ipc=("H01M 10/6556", "B60L 58/26")),
        IndexDoc(id="P2", type="Patent", title="Seat rail adjuster", ipc=("H01M10/613",)),  # same main group H01M 10
        IndexDoc(id="P3", type="Patent", title="Traction motor housing", ipc=("B60L 58/12",)),  # B60L 58, common
        IndexDoc(id="P4", type="Patent", title="Charging pile cable", ipc=("B60L 58/10",)),
        IndexDoc(id="P5", type="Patent", title="Rice seed coating", ipc=("A01C 1/06",)),
    ])
    hits = {h.id: h for h in s.related("P1", top=10, types=("Patent",)).hits["Patent"]}
    assert hits["P2"].evidence.links["ipc_groups"] == ["H01M 10/00"] and hits["P2"].ranks["ipc_groups"] == 1
    assert hits["P3"].evidence.links["ipc_groups"] == ["B60L 58/00"]
    assert "ipc_groups" not in hits["P5"].ranks
