"""Semantic search and related resources (hybrid dense + BM25 from ``iplayout.search``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from iplayout.api.deps import Services, ServicesDep, optional_module
from iplayout.api.names import NameResolver
from iplayout.api.pagination import Limit, Offset, Page, page
from iplayout.api.problems import ApiProblem, problem_responses

router = APIRouter(tags=["search"])
MAX_WINDOW = 1_000  # hits reachable by paging (offset + limit beyond it gives an empty page)

DocType = Literal["Patent", "Paper", "Standard", "Policy"]
Multi = Annotated[list[str] | None, Query(max_length=20)]


class Card(BaseModel):
    """A search hit as the workbench shows it: the hit plus holders and districts from the index."""

    id: str
    type: str
    title: str
    year: int | None = None
    score: float
    holders: list[str] = Field(default_factory=list, description="holder names (ids resolved to names)")
    holder_ids: list[str] = Field(default_factory=list, description="organisation ids among the holders")
    districts: list[dict[str, str]] = Field(default_factory=list)
    ranks: dict[str, int | None] = Field(default_factory=dict)
    evidence: dict[str, Any] = Field(default_factory=dict)


class SearchPage(Page[Card]):
    query: str
    mode: str
    model_id: str | None = None
    cross_lingual: bool
    notes: list[str] = Field(default_factory=list)
    matching_documents: int


class RelatedPage(Page[Card]):
    id: str
    type: str
    title: str
    model_id: str | None = None
    cross_lingual: bool = False
    notes: list[str] = []


def _card(services: Services, svc: Any, hit: Any) -> Card:
    row = svc.docs.pos.get(hit.id)
    doc = svc.docs.docs[row] if row is not None else None
    names = services.district_names()
    districts = [{"adcode": a, "name": names.get(a, a)} for a in (doc.districts if doc else ())]
    return Card(id=hit.id, type=hit.type, title=hit.title, year=hit.year, score=hit.score,
                holders=list(doc.organizations) if doc else [], districts=districts, ranks=hit.ranks,
                evidence=hit.evidence.model_dump(exclude_defaults=True))


@router.get("/search", response_model=SearchPage, responses=problem_responses(400, 401, 422, 501),
            summary="Hybrid semantic + keyword search over patents, papers, standards and policies")
def search(
    services: ServicesDep,
    q: Annotated[str, Query(min_length=1, max_length=500, pattern=r"\S", description="query text (zh or en)")],
    limit: Limit = 10,
    offset: Offset = 0,
    type: Annotated[list[DocType] | None, Query(max_length=4)] = None,  # noqa: A002 - public name
    district: Multi = None,
    zone: Multi = None,
    industry: Multi = None,
    organization: Multi = None,
    ipc: Multi = None,
    year_from: Annotated[int | None, Query(ge=1800, le=2200)] = None,
    year_to: Annotated[int | None, Query(ge=1800, le=2200)] = None,
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid",
) -> dict[str, Any]:
    filters_mod = optional_module("iplayout.search.filters", "search")
    filters = filters_mod.SearchFilters(types=tuple(type or ()), districts=tuple(district or ()),
                                        zones=tuple(zone or ()), industries=tuple(industry or ()),
                                        organizations=tuple(organization or ()), ipc=tuple(ipc or ()),
                                        year_from=year_from, year_to=year_to)
    svc = services.search()
    if not q.strip():  # e.g. only Unicode separators: nothing to look for
        return page([], limit, offset, total=0) | {"query": q, "mode": mode, "cross_lingual": False,
                                                   "matching_documents": 0}
    window = min(offset + limit, MAX_WINDOW)  # hits beyond the window are not served
    request = optional_module("iplayout.search.service", "search").SearchRequest(
        query=q, filters=filters, top=window, mode=mode)
    result = services.search_batched(request)
    exhausted = len(result.hits) < window  # fewer hits than asked for: that is all there is
    total = len(result.hits) if exhausted else min(result.matching_documents, MAX_WINDOW)
    cards = [_card(services, svc, h) for h in result.hits[offset: offset + limit]]
    NameResolver(services).holders(cards)
    body = page(cards, limit, offset, total=total)
    return body | {"query": result.query, "mode": result.mode, "model_id": result.model_id,
                   "cross_lingual": result.cross_lingual, "notes": result.notes,
                   "matching_documents": result.matching_documents}


@router.get("/related/{doc_id}", response_model=RelatedPage, responses=problem_responses(400, 401, 404, 422, 501),
            summary="Nearest documents of every type to one document, with graph evidence")
def related(
    services: ServicesDep,
    doc_id: Annotated[str, Path(min_length=1, max_length=200)],
    limit: Limit = 10,
    offset: Offset = 0,
    per_type: Annotated[int, Query(ge=1, le=100, description="nearest documents per type")] = 10,
    when: Annotated[Literal["any", "before", "after"], Query(
        description="any; before: same year or earlier (what it builds on); after: same year or later")] = "any",
) -> dict[str, Any]:
    svc = services.search()
    if doc_id not in svc.docs.pos:
        raise ApiProblem(404, "not-found", "Document not in the search index", f"no indexed document {doc_id!r}")
    result = svc.related(doc_id, top=per_type, store=services.store, when=when)
    hits = sorted((h for hs in result.hits.values() for h in hs), key=lambda h: -h.score)
    cards = [_card(services, svc, h) for h in hits]
    NameResolver(services).holders(cards)
    return page(cards, limit, offset) | {"id": result.id, "type": result.type, "title": result.title,
                                         "model_id": result.model_id, "cross_lingual": result.cross_lingual,
                                         "notes": result.notes}
