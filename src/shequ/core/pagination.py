"""The one pagination of the API: ``@paginate(Cursor)`` on every list route (ADR 0011).
It lives in ``core`` because every module's ``api.py`` sits below ``shequ.api``.

A route returns a scoped queryset (or a short list) and declares ``response=list[Out]``;
ninja wraps it as ``{"items": [...], "next": "<cursor>" | null}``. Pass ``next`` back
as ``cursor`` for the following page. One maximum (``core.paging.MAX_LIMIT``) for every
list; no list counts its whole scope.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from shequ.core import paging


class CursorInput(Schema):
    limit: int = Field(paging.DEFAULT_LIMIT, ge=1, le=paging.MAX_LIMIT, description="rows per page")
    cursor: str | None = Field(None, max_length=2000, description="`next` of the previous page")


class CursorPage(Schema):
    items: list[Any]
    next: str | None = Field(None, description="cursor of the next page; null on the last")


class Cursor(PaginationBase):
    Input = CursorInput  # type: ignore[assignment]  # one name in the API document
    Output = CursorPage  # type: ignore[assignment]

    items_attribute = "items"

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest,
                          **params: Any) -> dict[str, Any]:
        if isinstance(queryset, QuerySet):
            page = paging.keyset(queryset, cursor=pagination.cursor, limit=pagination.limit)
        else:
            page = paging.slice_page(list(queryset), cursor=pagination.cursor,
                                     limit=pagination.limit)
        return {"items": page.items, "next": page.next}
