"""Keyset pages: every row once, in order, whatever the page size; bad cursors refused."""

from __future__ import annotations

from typing import Any

import pytest

from shequ.areas.models import Area
from shequ.core import paging


def walk(qs: Any, limit: int) -> list[Any]:
    seen, cursor = [], None
    while True:
        page = paging.keyset(qs, cursor=cursor, limit=limit)
        seen.extend(page.items)
        if not page.has_next:
            return seen
        cursor = page.next


@pytest.mark.django_db
@pytest.mark.parametrize("order", [("code",), ("-code",), ("level", "name"), ("-level", "-name")])
@pytest.mark.parametrize("limit", [1, 2, 5, 200])
def test_pages_cover_every_row_once_in_order(tree: Any, order: tuple[str, ...], limit: int) -> None:
    qs = Area.objects.order_by(*order)
    assert [a.pk for a in walk(qs, limit)] == [a.pk for a in qs.order_by(*order, "pk")]


@pytest.mark.django_db
def test_a_page_reads_only_its_rows(tree: Any, django_assert_num_queries: Any) -> None:
    first = paging.keyset(Area.objects.order_by("code"), limit=3)
    with django_assert_num_queries(1):
        paging.keyset(Area.objects.order_by("code"), cursor=first.next, limit=3)


@pytest.mark.django_db
@pytest.mark.parametrize("cursor", ["!!!", "bm90IGpzb24", paging.encode([1]),
                                    paging.encode(["x", "y", "z"]), paging.encode([None, "1"])])
def test_a_tampered_cursor_is_a_clear_error(tree: Any, cursor: str) -> None:
    with pytest.raises(paging.BadCursor) as err:
        paging.keyset(Area.objects.order_by("level", "code"), cursor=cursor)
    assert str(err.value.message) == "此分页链接已失效，请从第一页开始。"


def test_lists_in_memory_page_the_same_way() -> None:
    items = list(range(7))
    first = paging.slice_page(items, limit=3)
    second = paging.slice_page(items, cursor=first.next, limit=3)
    third = paging.slice_page(items, cursor=second.next, limit=3)
    assert (first.items, second.items, third.items, third.next) == ([0, 1, 2], [3, 4, 5], [6], None)
    with pytest.raises(paging.BadCursor):
        paging.slice_page(items, cursor=paging.encode([-3]))
