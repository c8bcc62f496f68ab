"""The JSON API, ``/api/v1/``: one NinjaAPI; each module contributes a router from its
``api.py``. Errors always have the shape ``{code, message, details}`` (``ErrorOut``), and
the OpenAPI document says so for every operation (ADR 0017)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import DataError
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


def _field(loc: list[Any]) -> str:
    """``["body", "data", "year"]`` -> ``year``; ``["query", "offset"]`` -> ``offset``."""
    parts = [str(p) for p in loc]
    while len(parts) > 1 and parts[0] in ("body", "query", "path", "form", "file", "header",
                                          "cookie"):
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in ("payload", "data", "filters", "body"):
            parts = parts[1:]
    return ".".join(parts) or "?"


def _reason(error: dict[str, Any]) -> str:
    """Pydantic's reason in the caller's language (its ``msg`` is English)."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    bounds = {"less_than_equal": (_("at most %(n)s"), "le"),
              "less_than": (_("less than %(n)s"), "lt"),
              "greater_than_equal": (_("at least %(n)s"), "ge"),
              "greater_than": (_("greater than %(n)s"), "gt"),
              "string_too_long": (_("at most %(n)s characters"), "max_length"),
              "string_too_short": (_("at least %(n)s characters"), "min_length"),
              "too_long": (_("at most %(n)s items"), "max_length"),
              "too_short": (_("at least %(n)s items"), "min_length")}
    if kind in bounds and bounds[kind][1] in ctx:
        return bounds[kind][0] % {"n": ctx[bounds[kind][1]]}
    words = {"missing": _("required"),
             "int_parsing": _("must be a whole number"),
             "int_type": _("must be a whole number"),
             "int_from_float": _("must be a whole number"),
             "float_parsing": _("must be a number"), "float_type": _("must be a number"),
             "decimal_parsing": _("must be a number"),
             "bool_parsing": _("must be true or false"), "bool_type": _("must be true or false"),
             "date_parsing": _("must be a date (YYYY-MM-DD)"),
             "date_from_datetime_parsing": _("must be a date (YYYY-MM-DD)"),
             "date_type": _("must be a date (YYYY-MM-DD)"),
             "datetime_parsing": _("must be a date and time"),
             "datetime_from_date_parsing": _("must be a date and time"),
             "string_type": _("must be text"), "string_pattern_mismatch": _("wrong format"),
             "list_type": _("must be a list"), "dict_type": _("must be an object"),
             "model_attributes_type": _("must be an object"),
             "json_invalid": _("not valid JSON"),
             "enum": _("not one of the allowed values"),
             "literal_error": _("not one of the allowed values")}
    return str(words.get(kind, _("invalid value")))


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """422 naming each field and what is wrong with it, in the caller's language."""
    errors = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", ""),
               "field": _field(list(e.get("loc", []))), "reason": _reason(e)}
              for e in exc.errors]
    listed = _("; ").join(_("%(field)s: %(reason)s") % {"field": e["field"],
                                                            "reason": e["reason"]}
                          for e in errors[:5])
    return _error(request, 422, "invalid_input",
                  _("Some fields are missing or invalid: %(fields)s.") % {"fields": listed},
                  {"errors": errors})


@api.exception_handler(OverflowError)
def overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """A number too large for the database (an id or a figure no schema bounded)."""
    return _error(request, 422, "invalid_input", _("A number is too large."))


@api.exception_handler(DataError)
def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    """PostgreSQL's "integer out of range" and "value too long": the same refusal."""
    return _error(request, 422, "invalid_input",
                  _("A value is out of range or too long for what it describes."))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", str(exc))


@api.get("/health", auth=None, tags=["meta"])
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok", "version": __version__}
