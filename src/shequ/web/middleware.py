"""Business errors raised in a page become a readable page with the right status."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shequ.core.errors import AuthRequired, BusinessError


class BusinessErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, AuthRequired):
            from django.contrib import messages

            messages.warning(request, _("Please sign in. Your session may have expired."))
            return redirect(f"{reverse('web:login')}?next={request.path}")
        if isinstance(exception, BusinessError):
            return render(request, "web/error.html", {"error": exception},
                          status=exception.status)
        return None
