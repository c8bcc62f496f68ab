"""Keyset pagination for every list, on pages and in the API (ADR 0011).

A page is the rows after a *cursor* (the ordering values of the last row shown), so the
database reads only the rows it returns, whatever the page number, and a list never
counts its whole scope: it says whether there is a next page instead of a total. The
queryset's ordering must end with a unique field; ``pk`` is added when it does not.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from shequ.core.errors import BusinessError

T = TypeVar("T")

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


class BadCursor(BusinessError):
    default_code = "bad_cursor"
    default_message = _("This page link is no longer valid; start from the first page.")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next: str | None  # cursor of the following page, None on the last page

    @property
    def has_next(self) -> bool:
        return self.next is not None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return value


def encode(values: Sequence[Any]) -> str:
    raw = json.dumps([_plain(v) for v in values], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadCursor() from None
    if not isinstance(values, list):
        raise BadCursor()
    return values


def ordering_of(qs: QuerySet[Any]) -> list[str]:
    """The queryset's ordering, ending with ``pk`` (added if no unique field ends it)."""
    order = [str(o) for o in (qs.query.order_by or qs.model._meta.ordering or [])]
    if not order or order[-1].lstrip("-") not in ("pk", "id", qs.model._meta.pk.name):
        direction = "-" if order and order[-1].startswith("-") else ""
        order.append(f"{direction}pk")
    return order


def _field(qs: QuerySet[Any], name: str) -> Any:
    name = name.lstrip("-")
    if name == "pk":
        return qs.model._meta.pk
    return qs.model._meta.get_field(name.split("__")[0])


def _value_of(row: Any, name: str) -> Any:
    value = row
    for part in name.lstrip("-").split("__"):
        value = getattr(value, "pk" if part == "pk" else part)
    return value


def after(qs: QuerySet[Any], order: list[str], values: list[Any]) -> QuerySet[Any]:
    """Rows strictly after ``values`` in ``order``: ``a <= x AND (a < x OR (a = x AND
    b < y) …)`` for descending keys, so the first key gives the index a range to scan."""
    if len(values) != len(order):
        raise BadCursor()
    try:
        typed = [_field(qs, name).to_python(v) for name, v in zip(order, values, strict=True)]
    except Exception:  # any value the field refuses makes the cursor invalid
        raise BadCursor() from None
    if any(v is None for v in typed):
        raise BadCursor()
    ors = Q()
    for i, name in enumerate(order):
        field = name.lstrip("-")
        op = "lt" if name.startswith("-") else "gt"
        cond = Q(**{f"{field}__{op}": typed[i]})
        for j in range(i):
            cond &= Q(**{order[j].lstrip("-"): typed[j]})
        ors |= cond
    first = order[0].lstrip("-")
    bound = "lte" if order[0].startswith("-") else "gte"
    return qs.filter(Q(**{f"{first}__{bound}": typed[0]}) & ors)


def keyset(qs: QuerySet[Any], *, cursor: str | None = None, limit: int = DEFAULT_LIMIT) -> Page[Any]:
    """One page of ``qs`` after ``cursor`` (``None``: the first page)."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    order = ordering_of(qs)
    qs = qs.order_by(*order)
    if cursor:
        qs = after(qs, order, decode(cursor))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = encode([_value_of(rows[-1], name) for name in order]) if more and rows else None
    return Page(items=rows, next=nxt)


def slice_page(items: Sequence[T], *, cursor: str | None = None,
               limit: int = DEFAULT_LIMIT) -> Page[T]:
    """The same contract for a list already in memory (short lists only)."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    start = 0
    if cursor:
        values = decode(cursor)
        if len(values) != 1 or not isinstance(values[0], int) or values[0] < 0:
            raise BadCursor()
        start = values[0]
    chunk = list(items[start:start + limit])
    more = start + limit < len(items)
    return Page(items=chunk, next=encode([start + limit]) if more else None)
