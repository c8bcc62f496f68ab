"""Small helpers shared by the organisation pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from shequ.core import paging
from shequ.core.errors import BusinessError


def page_of(request: HttpRequest, qs: Any, limit: int = 50) -> paging.Page[Any]:
    return paging.keyset(qs, cursor=request.GET.get("cursor") or None, limit=limit)


def error(request: HttpRequest, exc: BusinessError) -> None:
    messages.error(request, str(exc.message))


def pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def year_param(request: HttpRequest, default: int | None = None) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    if raw.isdigit() and 1990 <= int(raw) <= today.year:
        return int(raw)
    return default if default is not None else today.year


def date_param(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def back(request: HttpRequest, default: str) -> str:
    """Where to go after a POST: the page's own ``next`` if it is one of ours."""
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target.startswith("/orgs/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default)
