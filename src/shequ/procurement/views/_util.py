"""Helpers shared by the purchase pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from shequ.core.errors import BusinessError


def year_param(request: HttpRequest, default: int | None = None) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return default


def years() -> list[int]:
    return list(range(timezone.localdate().year, 2010, -1))


def attempt(request: HttpRequest, done: str, step: Callable[[], Any], back: str,
            *args: Any) -> HttpResponse:
    """Run a service; its refusal becomes a message on the same page (nothing saved)."""
    try:
        step()
    except BusinessError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done)
    return redirect(back, *args)
