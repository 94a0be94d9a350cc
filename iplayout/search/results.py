"""What a search or a related-resources lookup returns (JSON-ready pydantic models)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Evidence(BaseModel):
    """Why a document was returned."""

    matched_terms: list[str] = Field(default_factory=list)  # query tokens found in the document
    dense_similarity: float | None = None  # cosine of the query and the document's best passage
    bm25_score: float | None = None
    shared_terms: list[str] = Field(default_factory=list)  # related: rare tokens both documents contain
    graph: list[dict[str, Any]] = Field(default_factory=list)  # related: {"kind", "via", "name"} facts
    # related: what each linked-evidence signal shared (people, organizations, venue, coupling
    # references, citation direction)
    links: dict[str, list[str]] = Field(default_factory=dict)


class Hit(BaseModel):
    id: str
    type: str
    title: str
    year: int | None = None
    score: float
    ranks: dict[str, int | None] = Field(default_factory=dict)  # 1-based rank per method, None = not found
    evidence: Evidence = Field(default_factory=Evidence)


class SearchResult(BaseModel):
    query: str
    mode: str
    model_id: str | None = None
    cross_lingual: bool
    notes: list[str] = Field(default_factory=list)
    filters: dict[str, Any] = Field(default_factory=dict)
    matching_documents: int  # documents that satisfy the filters
    hits: list[Hit]


class RelatedResult(BaseModel):
    id: str
    type: str
    title: str
    model_id: str | None = None
    cross_lingual: bool
    notes: list[str] = Field(default_factory=list)
    hits: dict[str, list[Hit]]  # per document type, nearest first
