"""The one pagination of the API: ``@paginate(Cursor)`` on every list route (ADR 0011).

It lives in ``core`` because every module's ``api.py`` uses it and ``shequ.api`` sits
above every module (import-linter's layers); ``shequ.api.pagination`` re-exports it.

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


class Cursor(PaginationBase):
    class Input(Schema):
        limit: int = Field(paging.DEFAULT_LIMIT, ge=1, le=paging.MAX_LIMIT,
                           description="rows per page")
        cursor: str | None = Field(None, max_length=2000,
                                   description="`next` of the previous page")

    class Output(Schema):
        items: list[Any]
        next: str | None = Field(None, description="cursor of the next page; null on the last")

    items_attribute = "items"

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest,
                          **params: Any) -> dict[str, Any]:
        if isinstance(queryset, QuerySet):
            page = paging.keyset(queryset, cursor=pagination.cursor, limit=pagination.limit)
        else:
            page = paging.slice_page(list(queryset), cursor=pagination.cursor,
                                     limit=pagination.limit)
        return {"items": page.items, "next": page.next}
