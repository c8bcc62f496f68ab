"""The authorisation matrix (issue 13, ADR 0020): every API operation and every page,
as every role, on an object of the caller's street and on one of another street; an
out-of-scope read or write never answers 2xx, never writes, and never shows the other
area's codes or names; nothing answers 5xx.

The demo is loaded once for the module (in a transaction rolled back at the end); each
cell runs in a savepoint rolled back after it, so a write in one cell never changes the
next."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from shequ.api.tests import matrix as m

pytestmark = pytest.mark.slow

DOC = json.loads((Path(settings.REPO_DIR) / "docs" / "openapi.json").read_text(encoding="utf-8"))
API = "/api/v1/"


@dataclass
class World:
    clients: dict[str, Client]          # page clients (session), by Who.label
    headers: dict[str, dict[str, str]]  # API headers (bearer token), by Who.label
    homes: dict[str, str | None]
    sides: m.Sides
    names: dict[str, str]               # area code -> name, for the leak check
    objects: dict[tuple[str, str], Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from shequ.accounts.models import User
    from shequ.accounts.services import issue_token
    from shequ.accounts.tests.factories import make_user
    from shequ.areas.models import Area
    from shequ.authz import SYSTEM
    from shequ.core import calendar
    from shequ.web.management.commands.demo import demo_loaders

    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    with media, django_db_blocker.unblock(), transaction.atomic():
        calendar.invalidate()
        for load in demo_loaders():
            load(stdout=StringIO())
        m.complete()
        users: dict[str, Any] = {w.label: User.objects.get(username=name)
                                 for w, name in ((w, m.DEMO_USERNAMES.get(w.label))
                                                 for w in m.WHO) if name}
        for label, (role, code) in m.B_USERS.items():
            users[label] = make_user(role, code, username=label)
        clients: dict[str, Client] = {}
        headers: dict[str, dict[str, str]] = {}
        homes: dict[str, str | None] = {}
        for who in m.WHO:
            client = Client(raise_request_exception=True)
            user = users.get(who.label)
            homes[who.label] = who.home
            if user is not None:
                client.force_login(user)
                key = issue_token(actor=SYSTEM, user=user, name="matrix")
                headers[who.label] = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
            else:
                headers[who.label] = {}
            clients[who.label] = client
        org = m.apps.get_model("orgs.Operator")._default_manager.filter(
            user=users["org_user"]).select_related("org").first()
        if org is not None:
            homes["org_user"] = org.org.area_code[:9]
        names = dict(Area.objects.filter(code__startswith=m.DISTRICT, level__in=(
            "street", "community", "compound")).values_list("code", "name"))
        yield World(clients, headers, homes, m.Sides(), names)
        transaction.set_rollback(True)
    calendar.invalidate()


# ------------------------------------------------------------------------------ routes

@dataclass(frozen=True)
class Route:
    kind: str              # "api" or "page"
    method: str
    template: str          # /api/v1/... or the page's route
    public: bool
    name: str = ""


def api_routes() -> list[Route]:
    out = []
    for template, operations in DOC["paths"].items():
        for method, op in operations.items():
            out.append(Route("api", method, template, not op.get("security")))
    return out


def _walk(resolver: URLResolver, prefix: str = "", ns: str = "") -> Iterator[tuple[str, str]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern), ns + (f"{p.namespace}:" if p.namespace
                                                               else ""))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), ns + (p.name or "")


# Pages that are not the project's: Django's admin (superusers only), the language switch.
NOT_OURS = ("api/", "admin/", "i18n/", "static/", "media/")
# Pages anyone may read (no user): public information and the doors in. The matrix checks
# that exactly these answer 2xx to an anonymous GET.
PUBLIC_PAGES = {
    "web:home", "web:login", "web:stations", "healthz", "readyz",
    "services:portal", "services:progress",
    "services:open311_services", "services:open311_service",
    "elections:public", "elections:public_detail", "elections:check", "elections:pdf",
    "autonomy:index", "autonomy:community", "autonomy:proposal", "autonomy:meeting",
    "autonomy:evaluation", "autonomy:recall",
    # a notice to be posted, and a request to convene whose signatures are public like a
    # recall petition's
    "autonomy:meeting_notice", "autonomy:request",
    "orgs:directory", "orgs:profile", "orgs:indicators",
    "rules:index",
    # purchase of services is open data (OCDS): the same facts on pages and in JSON
    "procurement:public", "procurement:catalogue", "procurement:public_project",
    "procurement:record_json", "procurement:releases_json", "procurement:extension",
    "procurement:extension_schema",
}


def page_routes() -> list[Route]:
    out = []
    for route, name in _walk(get_resolver()):
        if route.startswith(NOT_OURS) or route.startswith("^"):
            continue
        for method in ("get", "post"):
            out.append(Route("page", method, "/" + route, name in PUBLIC_PAGES, name))
    return out


def fill(route: Route, side: str) -> tuple[str, Any, m.Resource | None, list[str]]:
    """The route's URL on ``side``, its object (the last one its path names), the
    object's resource, and the keys that have no matrix entry."""
    parts = route.template.strip("/").split("/")
    if route.kind == "api":
        parts = route.template[len(API):].strip("/").split("/")
    missing: list[str] = []
    obj: Any = None
    resource: m.Resource | None = None
    values: list[str] = []
    # the last object parameter first: earlier ones (an election of a station) follow it
    indices = [i for i, p in enumerate(parts) if m.PARAM.search(p)]
    chosen: dict[int, str] = {}
    for i in reversed(indices):
        key = m.key_of(parts, i)
        name = m.PARAM.search(parts[i]).group(0).strip("{}<>").split(":")[-1]  # type: ignore[union-attr]
        if key in m.WORDS:
            chosen[i] = m.WORDS[key]
        elif obj is not None and hasattr(obj, name):
            chosen[i] = str(getattr(obj, name))
        elif obj is not None and hasattr(obj, f"{name}_id"):
            chosen[i] = str(getattr(obj, f"{name}_id"))
        elif key in m.RESOURCES:
            res = m.RESOURCES[key]
            found = res.pick(side).first()
            if found is None:
                missing.append(f"{key} (no object on side {side})")
                chosen[i] = "0"
                continue
            if obj is None:
                obj, resource = found, res
            chosen[i] = str(getattr(found, res.key))
        else:
            missing.append(key)
            chosen[i] = "0"
    for i, p in enumerate(parts):
        values.append(m.PARAM.sub(chosen[i], p) if i in chosen else p)
    url = "/" + "/".join(values)
    if route.kind == "api":
        url = API + "/".join(values)
    if route.template.endswith("/") and not url.endswith("/"):
        url += "/"
    return url, obj, resource, missing


# ------------------------------------------------------------------------------- cells

@dataclass
class Cell:
    who: str
    route: Route
    side: str
    url: str
    status: int = 0
    error: str = ""
    body: str = ""
    sent: str = ""
    content_type: str = ""
    written: list[tuple[str, str]] = field(default_factory=list)


def _request(world: World, who: str, route: Route, url: str, side: str) -> Cell:
    from shequ.audit.models import AuditEntry

    cell = Cell(who, route, side, url)
    client = world.clients[who]
    kwargs: dict[str, Any] = {}
    data: Any = None
    if route.kind == "api":
        kwargs.update(world.headers[who])
        op = DOC["paths"][route.template][route.method]
        query = {}
        for param in op.get("parameters", []):
            if param["in"] == "query" and param.get("required"):
                query[param["name"]] = m.example(param["schema"], DOC, world.sides, side,
                                                 param["name"])
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        body = op.get("requestBody", {}).get("content", {})
        if "application/json" in body:
            data = json.dumps(m.example(body["application/json"]["schema"], DOC, world.sides,
                                        side))
            kwargs["content_type"] = "application/json"
        elif "multipart/form-data" in body:
            from django.core.files.uploadedfile import SimpleUploadedFile
            from django.test.client import encode_multipart

            schema = body["multipart/form-data"]["schema"]
            fields = {}
            for name in schema.get("required", []):
                fields[name] = SimpleUploadedFile("a.csv", b"a,b\n1,2\n", "text/csv")
            data = encode_multipart("BoUnDaRy", fields)
            kwargs["content_type"] = "multipart/form-data; boundary=BoUnDaRy"
    cell.url = url
    cell.sent = url + (data.decode("utf-8", "replace") if isinstance(data, bytes) else data or "")
    with transaction.atomic():
        before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        try:
            if data is None:
                response = client.generic(route.method.upper(), url, **kwargs)
            else:
                response = client.generic(route.method.upper(), url, data, **kwargs)
            cell.status = response.status_code
            cell.content_type = response.get("Content-Type", "")
            if not getattr(response, "streaming", False):
                cell.body = response.content.decode("utf-8", "replace")
            else:
                cell.body = b"".join(response.streaming_content).decode(  # type: ignore[attr-defined]
                    "utf-8", "replace")
        except Exception as exc:  # a server error: what the matrix looks for
            cell.status = 500
            cell.error = f"{type(exc).__name__}: {exc}"[:300]
        cell.written = list(AuditEntry.objects.filter(pk__gt=before).values_list(
            "action", "area_code"))
        transaction.set_rollback(True)
    return cell


def _foreign_codes(home: str) -> re.Pattern[str]:
    """Area codes (9, 12 or 15 digits, not part of a longer number) outside ``home``."""
    return re.compile(rf"(?<!\d)(?!{home})510104\d{{3}}(?:\d{{3}}){{0,2}}(?!\d)")


def leaks(world: World, cell: Cell, area: str | None, home: str | None,
          request_text: str) -> list[str]:
    """Codes and names of the other area in an answer. With an object: its community,
    street and compound, unless the caller sent them; without one (a list): any code
    outside the caller's street."""
    found = []
    if area:
        for size in (9, 12, 15):
            code = area[:size]
            if len(code) < size:
                continue
            for token in (code, world.names.get(code, "")):
                if token and token not in request_text and token in cell.body:
                    found.append(token)
    elif home:
        found += sorted({c for c in _foreign_codes(home).findall(cell.body)
                         if c not in request_text})[:3]
    return found


# Out-of-scope cells that may answer 2xx, and why (route template, who).
_DIVISIONS = ("an organisation user's grant is the district's: divisions and their "
              "figures are public reference data")
EXEMPT: dict[tuple[str, str], str] = {
    ("/api/v1/orgs/{org_id}/complaints", "org_user"):
        "anyone may complain about any organisation (the complaint page is public)",
    ("/orgs/o/<int:org_id>/complain/", "org_user"):
        "anyone may complain about any organisation (the complaint page is public)",
    ("/api/v1/areas", "org_user"): _DIVISIONS,
    ("/api/v1/areas/{code}", "org_user"): _DIVISIONS,
    ("/api/v1/areas/{code}/children", "org_user"): _DIVISIONS,
    ("/api/v1/areas/{code}/history", "org_user"): _DIVISIONS,
    ("/api/v1/areas/{code}/resolve", "org_user"): _DIVISIONS,
    ("/api/v1/areas/{code}/departments", "org_user"):
        "an organisation user's grant is the district's: a street office's departments "
        "(names, categories, duties) are public organisation data, as divisions are",
    ("/orgs/portal/apply/", "org_user"): _DIVISIONS,
    ("/console/areas/<str:code>/", "org_user"): _DIVISIONS,
    ("/procurement/portal/p/<str:number>/", "org_user"):
        "any organisation may read and bid for any open tender in the district",
    ("/procurement/portal/p/<str:number>/act/", "org_user"):
        "any organisation may read and bid for any open tender in the district",
}


def _sides(route: Route) -> tuple[str, ...]:
    """Both sides when the path names an object or the body or query names an area."""
    if m.PARAM.search(route.template):
        return ("A", "B")
    if route.kind == "api":
        op = DOC["paths"][route.template][route.method]
        sides = m.Sides()
        body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        schemas = [(p["schema"], p["name"]) for p in op.get("parameters", [])
                   if p["in"] == "query" and p.get("required")]
        if body:
            schemas.append((body["schema"], ""))
        texts = {side: json.dumps([m.example(s, DOC, sides, side, n) for s, n in schemas])
                 for side in ("A", "B")}
        if texts["A"] != texts["B"]:
            return ("A", "B")
    return ("A",)


@dataclass
class Run:
    cells: list[Cell] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)


def run(world: World, routes: list[Route]) -> Run:
    out = Run()
    for route in routes:
        bound = _sides(route)
        for side in bound:
            url, obj, resource, missing = fill(route, side)
            if missing:
                out.missing.update(f"{route.method.upper()} {route.template}: {k}" for k in missing)
                continue
            if obj is not None and resource is not None:
                area = "" if resource.shared else m.area_of(obj, resource.area)
            elif len(bound) == 2:
                area = world.sides.community(side)
            else:
                area = ""
            for who in m.WHO:
                cell = _request(world, who.label, route, url, side)
                out.cells.append(cell)
                _judge(world, out, cell, who.label, area)
    return out


def _judge(world: World, out: Run, cell: Cell, who: str, area: str) -> None:
    route = cell.route
    where = f"{who:<17} {route.method.upper():<5} {cell.url}"
    if cell.status >= 500:
        out.violations.append(f"{where} -> {cell.status} {cell.error}")
        return
    if route.kind == "api":
        out.violations += [f"{where} -> {cell.status} {problem}" for problem in _undocumented(cell)]
    if route.public or (route.template, who) in EXEMPT:
        return
    home = world.homes[who]
    request_text = cell.sent
    outside = who == "anonymous" or bool(home and area and not area.startswith(home))
    if outside:
        if 200 <= cell.status < 300:
            out.violations.append(f"{where} -> {cell.status} out of scope")
        foreign = [w for w in cell.written if not w[0].endswith(("refused", "denied"))]
        if foreign:
            out.violations.append(f"{where} -> wrote {foreign}")
        found = leaks(world, cell, area or None, None, request_text)
        if found:
            out.violations.append(f"{where} -> {cell.status} shows {found}")
    elif not area and home and 200 <= cell.status < 300 and route.method == "get":
        found = leaks(world, cell, None, home, request_text)
        if found:
            out.violations.append(f"{where} -> {cell.status} list shows {found}")


def _undocumented(cell: Cell) -> list[str]:
    """The answer against the committed document (ADR 0017): its status is listed for the
    operation and a JSON body validates against the schema listed for that status."""
    from jsonschema import Draft202012Validator

    from shequ.api.tests.test_openapi import REGISTRY, _pointer

    route = cell.route
    responses = DOC["paths"][route.template][route.method]["responses"]
    status = str(cell.status)
    if status not in responses:
        return [f"status not in the document (lists {', '.join(sorted(responses))})"]
    if "application/json" not in responses[status].get("content", {}) or \
            not cell.content_type.startswith("application/json"):
        return []
    ref = "urn:shequ:openapi#/" + _pointer("paths", route.template, route.method, "responses",
                                           status, "content", "application/json", "schema")
    validator = Draft202012Validator({"$ref": ref}, registry=REGISTRY,
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = list(validator.iter_errors(json.loads(cell.body)))
    return [f"body does not match the document: {list(e.path)}: {e.message[:120]}"
            for e in errors[:2]]


def _report(run_: Run) -> str:
    return f"{len(run_.violations)} violations:\n" + "\n".join(run_.violations[:80])


def test_every_route_joins_the_matrix(world: World, db: None) -> None:
    """A route whose path names an object the matrix cannot find (no ``RESOURCES`` or
    ``WORDS`` entry, or no such object on a side) fails here."""
    missing = set()
    for route in api_routes() + page_routes():
        for side in _sides(route):
            missing.update(f"{route.template}: {k}" for k in fill(route, side)[3])
    assert not missing, "\n".join(sorted(missing))


def _groups(routes: list[Route], prefix: str) -> list[str]:
    return sorted({r.template[len(prefix):].split("/")[0] for r in routes})


@pytest.mark.parametrize("group", _groups(api_routes(), API))
def test_api_matrix(world: World, db: None, group: str) -> None:
    """Every API operation under ``/api/v1/<group>``, in chunks so that workers share them."""
    result = run(world, [r for r in api_routes() if r.template[len(API):].split("/")[0] == group])
    assert not result.missing
    assert not result.violations, _report(result)


@pytest.mark.parametrize("group", _groups(page_routes(), "/"))
def test_page_matrix(world: World, db: None, group: str) -> None:
    routes = [r for r in page_routes() if r.template[1:].split("/")[0] == group]
    result = run(world, routes)
    assert not result.missing
    assert not result.violations, _report(result)
    public = {c.route.name for c in result.cells
              if c.who == "anonymous" and c.route.method == "get" and 200 <= c.status < 300}
    declared = {r.name for r in routes if r.public}
    assert public == declared, "answer an anonymous GET: " + ", ".join(sorted(public))


