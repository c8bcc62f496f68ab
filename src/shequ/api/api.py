"""The JSON API, ``/api/v1/``: one NinjaAPI; each module contributes a router from its
``api.py``. Errors always have the shape ``{code, message, details}``."""

from __future__ import annotations

from importlib import import_module

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from shequ import __version__
from shequ.api.auth import SessionAuth, TokenAuth
from shequ.core.errors import BusinessError

api = NinjaAPI(
    title="shequ API",
    version="1",
    description="社区治理平台 JSON API. Errors: {code, message, details}. "
                "Authenticate with a bearer token (`shequ accounts token`) or a session.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)

# (module, url prefix, tag); a module without api.py or router is skipped
MODULES = [
    ("shequ.accounts.api", "/me", "accounts"),
    ("shequ.areas.api", "/areas", "areas"),
    ("shequ.people.api", "/people", "people"),
    ("shequ.services.api", "/services", "services"),
    ("shequ.elections.api", "/elections", "elections"),
    ("shequ.autonomy.api", "/autonomy", "autonomy"),
    ("shequ.orgs.api", "/orgs", "orgs"),
    ("shequ.linkage.api", "/linkage", "linkage"),
]

for module_name, prefix, tag in MODULES:
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        continue
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(prefix, router, tags=[tag])


def _error(request: HttpRequest, status: int, code: str, message: str,
           details: dict[str, object] | None = None) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message,
                                         "details": details or {}}, status=status)


@api.exception_handler(BusinessError)
def business_error(request: HttpRequest, exc: BusinessError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "auth_required",
                  _("Please sign in. Your session may have expired."))


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, "invalid_input", _("Some fields are missing or invalid."),
                  {"errors": [{"loc": list(e.get("loc", [])), "msg": e.get("msg", "")}
                              for e in exc.errors]})


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", str(exc))


@api.get("/health", auth=None, tags=["meta"])
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok", "version": __version__}
