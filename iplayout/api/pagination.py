"""limit/offset pagination shared by every list the API returns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

T = TypeVar("T")
MAX_LIMIT = 500
MAX_OFFSET = 100_000

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="items available (before paging)")
    limit: int
    offset: int
    next_offset: int | None = Field(default=None, description="offset of the next page, null on the last")


def page(items: Sequence[T], limit: int, offset: int, total: int | None = None) -> dict[str, Any]:
    """A page of ``items`` (already the full list unless ``total`` is given with a pre-sliced list)."""
    if total is None:
        total = len(items)
        items = items[offset: offset + limit]
    nxt = offset + limit if offset + limit < total else None
    return {"items": list(items), "total": total, "limit": limit, "offset": offset, "next_offset": nxt}
