"""The JSON API, ``/api/v1/``: one NinjaAPI; each module contributes a router from its
``api.py``. Errors always have the shape ``{code, message, details}`` (``ErrorOut``), and
the OpenAPI document says so for every operation (ADR 0017)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from shequ import __version__
from shequ.api.auth import SessionAuth, TokenAuth
from shequ.core.apischemas import ErrorOut
from shequ.core.errors import BusinessError
from shequ.core.throttle import Throttled

# Documented on every operation (401 where the operation needs a user): any operation may
# refuse input (400, 422), a step (409), a scope (403) or an object (404).
ERRORS: dict[int, str] = {
    400: "Bad request: a business rule refused it (code says which)",
    401: "Not signed in, or the session or token expired (code auth_required)",
    403: "Not allowed here (code forbidden), or the session's CSRF token is missing "
         "(code csrf_failed)",
    404: "Not found, or outside the caller's scope",
    409: "Conflicts with the current state (code conflict, invalid_transition…)",
    422: "Input missing or invalid (code invalid_input, details.errors)",
}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add ``ErrorOut`` and the error responses to every operation of a generated
    document, keeping any an operation declared itself (e.g. 429 ``throttled``)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema(
        ref_template="#/components/schemas/{model}"))
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                if status == 401 and not operation.get("security"):
                    continue  # public: nobody needs to sign in
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": description,
                                         "content": {"application/json": {"schema": ref}}}
    return schema


class ShequAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)


api = ShequAPI(
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
    ("shequ.access.api", "/access", "access"),
    ("shequ.orgs.api", "/orgs", "orgs"),
    ("shequ.linkage.api", "/linkage", "linkage"),
    ("shequ.procurement.api", "/procurement", "procurement"),
    ("shequ.assessment.api", "/assessment", "assessment"),
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
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    if isinstance(exc, Throttled):
        response["Retry-After"] = str(exc.retry_after)
    return response


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
