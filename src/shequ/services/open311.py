"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), mapped onto cases.

- ``services.json`` / ``services/{code}.json``: the catalogue (public).
- ``requests.json`` GET: cases in the caller's scope (or the caller's own), with
  ``service_request_id``, ``service_code``, ``start_date``, ``end_date``, ``status``
  filters; POST: submit a case (``address_id`` = the applicant's community code).
- ``requests/{id}.json``: one case.

Authentication: ``api_key`` (an API token, also accepted as a bearer header); GET also
accepts the signed-in session. Requests expose no personal data: no name, phone or
free-text description. ``expected_datetime`` is the end of the deadline day (Asia/Shanghai).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from shequ import authz
from shequ.accounts.selectors import user_for_token
from shequ.core.errors import AuthRequired, BusinessError
from shequ.services import selectors, services
from shequ.services.enums import Perm
from shequ.services.models import Case, Channel, ServiceItem, State

CLOSED_STATES = frozenset({State.ISSUED, State.CLOSED, State.WITHDRAWN, State.REFUSED})
MAX_RESULTS = 1000
DEFAULT_WINDOW = timedelta(days=90)


def _is_han(text: str) -> bool:
    return bool(text) and all("\u3400" <= ch <= "\u9fff" or ch == "·" for ch in text)


def _error(status: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False)


def _user(request: HttpRequest, *, session_ok: bool) -> Any:
    key = request.GET.get("api_key") or request.POST.get("api_key") or ""
    auth = request.headers.get("Authorization", "")
    if not key and auth.lower().startswith("bearer "):
        key = auth[7:].strip()
    if key:
        user = user_for_token(key)
        if user is None:
            raise AuthRequired()
        return user
    if session_ok and request.user.is_authenticated:
        return request.user
    raise AuthRequired()


def _service(item: ServiceItem) -> dict[str, Any]:
    v = item.current
    assert v is not None
    return {"service_code": item.code, "service_name": v.name, "description": v.description
            or v.legal_basis, "metadata": bool(v.materials), "type": "batch",
            "keywords": ",".join([v.get_handler_level_display(), v.department]),
            "group": v.get_department_category_display()}


def _expected(case: Case) -> str | None:
    if case.due_on is None:
        return None
    end = datetime.combine(case.due_on, time(23, 59, 59), tzinfo=timezone.get_current_timezone())
    return end.isoformat()


def _request(case: Case) -> dict[str, Any]:
    return {
        "service_request_id": case.number,
        "status": "closed" if case.state in CLOSED_STATES else "open",
        "status_notes": str(case.get_state_display()),
        "service_name": case.version.name,
        "service_code": case.item.code,
        "description": "",
        "agency_responsible": case.version.department,
        "service_notice": str(case.get_sla_display()),
        "requested_datetime": timezone.localtime(case.submitted_at).isoformat(),
        "updated_datetime": timezone.localtime(case.updated_at).isoformat(),
        "expected_datetime": _expected(case),
        "address": "",
        "address_id": case.area_code,
        "zipcode": None, "lat": None, "long": None, "media_url": None,
    }


def _guard(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        try:
            response: JsonResponse = view(request, *args, **kwargs)
            return response
        except BusinessError as exc:
            return _error(exc.status, str(exc.message))
    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
@_guard
def service_list(request: HttpRequest) -> JsonResponse:
    return JsonResponse([_service(i) for i in selectors.items()], safe=False)


@require_GET
@_guard
def service_definition(request: HttpRequest, code: str) -> JsonResponse:
    item = selectors.get_item(code)
    v = item.current
    assert v is not None
    attributes = [{"variable": False, "code": "material_" + m["code"], "datatype": "text",
                   "required": False, "datatype_description": _("Bring or upload this material."),
                   "order": n, "description": m["name"]} for n, m in enumerate(v.materials, 1)]
    return JsonResponse({"service_code": item.code, "attributes": attributes})


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_guard
def requests(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return _post(request)
    user = _user(request, session_ok=True)
    staff = authz.has_perm(user, Perm.VIEW)
    qs = selectors.cases(user=user) if staff else selectors.my_cases(user=user)
    qs = qs.select_related("item", "version")
    ids = [i for i in request.GET.get("service_request_id", "").split(",") if i]
    if ids:
        qs = qs.filter(number__in=ids)
    else:
        if request.GET.get("service_code"):
            qs = qs.filter(item__code__in=request.GET["service_code"].split(","))
        end = parse_datetime(request.GET.get("end_date", "")) or timezone.now()
        start = parse_datetime(request.GET.get("start_date", "")) or end - DEFAULT_WINDOW
        qs = qs.filter(submitted_at__gte=start, submitted_at__lte=end)
        status = request.GET.get("status", "")
        if status == "open":
            qs = qs.exclude(state__in=CLOSED_STATES)
        elif status == "closed":
            qs = qs.filter(state__in=CLOSED_STATES)
    return JsonResponse([_request(c) for c in qs[:MAX_RESULTS]], safe=False)


def _post(request: HttpRequest) -> JsonResponse:
    user = _user(request, session_ok=False)
    data = request.POST
    missing = [f for f in ("service_code", "address_id") if not data.get(f)]
    if missing:
        return _error(400, _("Missing fields: %(f)s.") % {"f": ", ".join(missing)})
    # Chinese names are written surname first without a space (孙 + 丽 = 孙丽)
    last, first = data.get("last_name", "").strip(), data.get("first_name", "").strip()
    name = f"{last}{first}" if _is_han(last + first) else " ".join(p for p in (last, first) if p)
    case = services.submit_case(
        actor=user, item_code=data["service_code"], area_code=data["address_id"],
        applicant_name=name, phone=data.get("phone", ""),
        description=data.get("description", ""), channel=Channel.OPEN311,
        idempotency_key=request.headers.get("Idempotency-Key", ""))
    return JsonResponse([{"service_request_id": case.number, "service_notice":
                          _("Received. Acceptance is decided by %(d)s.")
                          % {"d": case.accept_by.isoformat()}, "account_id": None}],
                        safe=False, status=201)


@require_GET
@_guard
def request_detail(request: HttpRequest, number: str) -> JsonResponse:
    user = _user(request, session_ok=True)
    case = selectors.get_case(user=user, number=number)
    return JsonResponse([_request(case)], safe=False)
