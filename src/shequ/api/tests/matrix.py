"""The world of the authorisation matrix (ADR 0020): the Jinjiang demo loaded once, the
eight roles of street A (春熙路街道 510104022; the demo's users) and district, an officer and
a station worker of street B (三圣街道 510104037), and, for every kind of object a route
names, one object on each side.

A route joins the matrix by the name of the object its path names: ``RESOURCES`` (keyed by
the path up to the parameter, parameters written ``*``) or, for a word such as a step's
name, ``WORDS``. A route with a parameter in neither fails the matrix test."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

DISTRICT = "510104"
STREET_A = "510104022"
COMMUNITY_A = "510104022009"
STREET_B = "510104037"
COMMUNITY_B = "510104037001"


@dataclass(frozen=True)
class Who:
    """A row of the matrix: ``home`` is the street the user works in (``None``: the whole
    district, or nobody); an object outside it is out of their scope."""

    label: str
    role: str | None
    home: str | None


WHO = [
    Who("anonymous", None, None),
    Who("district_admin", "district_admin", None),
    Who("civil_affairs", "civil_affairs", None),
    Who("street_officer", "street_officer", STREET_A),
    Who("station_worker", "station_worker", STREET_A),
    Who("community_worker", "community_worker", STREET_A),
    Who("representative", "representative", STREET_A),
    Who("resident", "resident", STREET_A),
    Who("org_user", "org_user", STREET_A),  # home: replaced by its organisation's street
    Who("street_officer_b", "street_officer", STREET_B),
    Who("station_worker_b", "station_worker", STREET_B),
]
DEMO_USERNAMES = {"district_admin": "admin", "civil_affairs": "minzheng",
                  "street_officer": "jiedao", "station_worker": "zhanwu",
                  "community_worker": "shegong", "representative": "daibiao",
                  "resident": "jumin", "org_user": "zuzhi"}
# street B's users: (role, area code) — the station worker at the community of station JJ-25
B_USERS = {"street_officer_b": ("street_officer", STREET_B),
           "station_worker_b": ("station_worker", COMMUNITY_B)}


def _prefer(qs: QuerySet[Any], lookup: str, prefix: str) -> QuerySet[Any]:
    preferred = qs.filter(**{f"{lookup}__startswith": prefix})
    return preferred if preferred.exists() else qs


def by_area(label: str, lookup: str = "area_code",
            **filters: Any) -> Callable[[str], QuerySet[Any]]:
    """Objects of model ``label`` on a side, through the area code at ``lookup``: side A
    under street A (community A first), side B elsewhere in the district (street B first)."""
    def pick(side: str) -> QuerySet[Any]:
        qs = apps.get_model(label)._default_manager.filter(**filters).order_by("pk")
        if side == "A":
            return _prefer(qs.filter(**{f"{lookup}__startswith": STREET_A}), lookup, COMMUNITY_A)
        other = qs.filter(**{f"{lookup}__startswith": DISTRICT}).exclude(
            **{f"{lookup}__startswith": STREET_A}).exclude(**{lookup: DISTRICT})
        return _prefer(other, lookup, STREET_B)
    return pick


def areas(level: str) -> Callable[[str], QuerySet[Any]]:
    return by_area("areas.Area", "code", level=level, valid_to__isnull=True)


def shared(label: str, **filters: Any) -> Callable[[str], QuerySet[Any]]:
    return lambda side: apps.get_model(label)._default_manager.filter(**filters).order_by("pk")


@dataclass(frozen=True)
class Resource:
    """How to find an object of this kind on a side, the attribute that fills the path,
    the attribute path to its area code, and (``shared``) why one object serves the whole
    district, so that no user is out of scope for it."""

    pick: Callable[[str], QuerySet[Any]]
    key: str = "pk"
    area: str = "area_code"
    shared: str = ""


def _users(side: str) -> QuerySet[Any]:
    street = STREET_A if side == "A" else STREET_B
    return apps.get_model("accounts.User")._default_manager.filter(
        grants__area_code__startswith=street).order_by("pk")


ELECTION = "election.area_code"
RESOURCES: dict[str, Resource] = {
    # API (after /api/v1/)
    "access/analyses/*": Resource(shared("access.Analysis"), shared="a district-wide analysis"),
    "access/siting/*": Resource(shared("access.SitingRun"), shared="a district-wide siting run"),
    "areas/*": Resource(areas("community"), key="code", area="code"),
    "autonomy/communities/*": Resource(areas("community"), key="code", area="code"),
    "autonomy/disclosures/*": Resource(by_area("autonomy.Disclosure")),
    "autonomy/evaluations/*": Resource(by_area("autonomy.EvaluationCampaign")),
    "autonomy/meetings/*": Resource(by_area("autonomy.Meeting")),
    "autonomy/motions/*": Resource(by_area("autonomy.Motion")),
    "autonomy/proposals/*": Resource(by_area("autonomy.Proposal")),
    "autonomy/questions/*": Resource(by_area("autonomy.Question")),
    "autonomy/recalls/*": Resource(by_area("autonomy.RecallPetition")),
    "autonomy/representatives/*": Resource(by_area("autonomy.Representative")),
    "elections/*": Resource(by_area("elections.Election")),
    "elections/public/*": Resource(by_area("elections.Election")),
    "elections/coverage/*": Resource(areas("street"), key="code", area="code"),
    "elections/candidates/*": Resource(by_area("elections.Candidate", "election__area_code"),
                                       area=ELECTION),
    "elections/objections/*": Resource(by_area("elections.Objection", "election__area_code"),
                                       area=ELECTION),
    "elections/*/stations/*": Resource(by_area("elections.Station", "election__area_code"),
                                       area=ELECTION),
    "linkage/engagements/*": Resource(by_area("linkage.Engagement")),
    "linkage/needs/*": Resource(by_area("linkage.Need")),
    "orgs/*": Resource(by_area("orgs.Org")),
    "orgs/applications/*": Resource(by_area("orgs.Application"), key="number"),
    "orgs/complaints/*": Resource(by_area("orgs.Complaint")),
    "orgs/grants/*": Resource(by_area("orgs.GrantApplication")),
    "orgs/penalties/*": Resource(by_area("orgs.Penalty")),
    "orgs/reports/*": Resource(by_area("orgs.AnnualReport")),
    "people/bodies/*": Resource(by_area("people.Body")),
    # a street office's department (科室), page and API: in scope by its street's code
    "people/departments/*": Resource(by_area("areas.Department")),
    "people/households/*": Resource(by_area("people.Household")),
    "people/memberships/*": Resource(by_area("people.Membership", "body__area_code"),
                                     area="body.area_code"),
    "people/residents/*": Resource(by_area("people.Resident")),
    "people/rights-requests/*": Resource(by_area("people.RightsRequest")),
    "people/staff/*": Resource(by_area("people.StaffMember")),
    "services/cases/*": Resource(by_area("services.Case"), key="number"),
    "services/items/*": Resource(shared("services.ServiceItem"), key="code",
                                 shared="the district's catalogue of service items"),
    # pages
    "people/rights/*": Resource(by_area("people.RightsRequest")),
    "services/apply/*": Resource(shared("services.ServiceItem"), key="code",
                                 shared="the district's catalogue of service items"),
    "services/cases/*/files/*": Resource(by_area("services.Attachment", "case__area_code"),
                                         area="case.area_code"),
    "services/open311/v2/services/*": Resource(shared("services.ServiceItem"), key="code",
                                               shared="the district's catalogue"),
    "services/open311/v2/requests/*": Resource(by_area("services.Case"), key="number"),
    "autonomy/c/*": Resource(areas("community"), key="code", area="code"),
    "access/a/*": Resource(areas("community"), key="code", area="code"),
    "access/networks/*": Resource(shared("access.Network"), shared="the district's network"),
    "orgs/o/*": Resource(by_area("orgs.Org")),
    "orgs/portal/o/*": Resource(by_area("orgs.Org")),
    "orgs/a/*": Resource(by_area("orgs.Application"), key="number"),
    "orgs/supervision/*/*": Resource(by_area("orgs.AnnualReport")),
    "orgs/support/*/*": Resource(by_area("orgs.GrantApplication")),
    "console/areas/*": Resource(areas("community"), key="code", area="code"),
    "console/users/*": Resource(_users, key="username", area="grants.first.area_code"),
    # routes of the modules merged after the matrix was written
    "autonomy/requests/*": Resource(by_area("autonomy.ConveneRequest")),
    "elections/*/voters/*": Resource(by_area("elections.Voter", "election__area_code"),
                                     area=ELECTION),
    "assessment/*": Resource(shared("assessment.Snapshot"),
                             shared="a district's published assessment (each page shows a "
                                    "street officer only the rows of their street)"),
    "assessment/snapshots/*": Resource(shared("assessment.Snapshot"),
                                       shared="a district's published assessment"),
    "assessment/schemes/*": Resource(shared("assessment.Scheme"),
                                     shared="the district's assessment scheme"),
    "procurement/*": Resource(by_area("procurement.Project"), key="number"),
    "procurement/projects/*": Resource(by_area("procurement.Project"), key="number"),
    "procurement/p/*": Resource(by_area("procurement.Project"), key="number"),
    "procurement/portal/p/*": Resource(by_area("procurement.Project"), key="number"),
    "procurement/staff/p/*": Resource(by_area("procurement.Project"), key="number"),
    "procurement/contracts/*": Resource(by_area("procurement.Contract")),
    "services/cases/*/documents/*/*": Resource(
        by_area("services.CaseEvent", "case__area_code", action__in=["accept", "auto_accept"]),
        area="case.area_code"),
    "services/stats/export/*": Resource(shared("services.StatExport", kind="statistics"),
                                        shared="a user's own export: anyone else gets 404"),
    "services/work/export/*": Resource(shared("services.StatExport", kind="cases"),
                                       shared="a user's own export: anyone else gets 404"),
}

# Parameters that are words, not objects: a value that exercises the route.
WORDS: dict[str, str] = {
    "elections/*/steps/*": "cancel",
    "procurement/projects/*/steps/*": "cancel",
    "services/cases/*/documents/*": "acceptance",
    "linkage/needs/*/steps/*": "cancel",
    "linkage/engagements/*/steps/*": "withdraw",
    "orgs/applications/*/steps/*": "accept",
    "orgs/complaints/*/steps/*": "close",
    "orgs/grants/*/steps/*": "approve",
    "orgs/penalties/*/steps/*": "decide",
    "orgs/reports/*/steps/*": "review",
    "services/cases/*/*": "accept",
    "orgs/a/*/*": "receipt",
    "orgs/o/*/staff/*": "reports",
    "orgs/supervision/*": "report",
    "orgs/support/*": "grant",
    "rules/*": "services",
    "rules/*/*": "default",
}

PARAM = re.compile(r"\{[^}]+\}|<[^>]+>")


def key_of(parts: list[str], index: int) -> str:
    """The key of the parameter in ``parts[index]``: the path up to it, parameters as ``*``."""
    return "/".join("*" if PARAM.search(p) else p for p in parts[:index + 1])


def area_of(obj: Any, path: str) -> str:
    value: Any = obj
    for attr in path.split("."):
        value = getattr(value, attr)
        if inspect.ismethod(value):
            value = value()
    return str(value or "")


# ----------------------------------------------------------------------------- bodies

class Sides:
    """Objects of each side that request bodies and queries name (a resident, an
    organisation…), found once."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], Any] = {}

    def first(self, label: str, side: str, lookup: str = "area_code") -> Any:
        key = (label, side)
        if key not in self.cache:
            self.cache[key] = by_area(label, lookup)(side).first()
        return self.cache[key]

    def community(self, side: str) -> str:
        return COMMUNITY_A if side == "A" else COMMUNITY_B

    def named(self, name: str, side: str) -> Any:
        """A value for a field called ``name`` on ``side``; ``KeyError`` if the name
        means nothing in particular."""
        pk = lambda label, lookup="area_code": getattr(self.first(label, side, lookup), "pk", 0)  # noqa: E731
        values: dict[str, Callable[[], Any]] = {
            "area_code": lambda: self.community(side),
            "community_code": lambda: self.community(side),
            "within": lambda: self.community(side),
            "street": lambda: STREET_A if side == "A" else STREET_B,
            "code": lambda: self.community(side),
            "resident_id": lambda: pk("people.Resident"),
            "principal_id": lambda: pk("people.Resident"),
            "proxy_id": lambda: pk("people.Resident"),
            "candidate_id": lambda: pk("people.Resident"),
            "new_head_id": lambda: pk("people.Resident"),
            "present_ids": lambda: [pk("autonomy.Representative")],
            "nominator_ids": lambda: [pk("people.Resident")],
            "representative_id": lambda: pk("autonomy.Representative"),
            "org_id": lambda: pk("orgs.Org"),
            "provider_id": lambda: pk("orgs.Org"),
            "meeting_id": lambda: pk("autonomy.Meeting"),
            "constituency_id": lambda: pk("autonomy.Constituency"),
            "staff_id": lambda: pk("people.StaffMember"),
            "membership_id": lambda: pk("people.Membership", "body__area_code"),
            "voter_id": lambda: pk("elections.Voter"),
            "station_code": lambda: getattr(self.first("areas.ServiceStation", side), "code", ""),
            "item_code": lambda: apps.get_model("services.ServiceItem")._default_manager
            .order_by("pk").values_list("code", flat=True).first(),
            "programme_id": lambda: apps.get_model("orgs.Programme")._default_manager
            .order_by("pk").values_list("pk", flat=True).first(),
        }
        return values[name]()


def example(schema: dict[str, Any], doc: dict[str, Any], sides: Sides, side: str,
            name: str = "") -> Any:
    """A plausible value for ``schema`` (the OpenAPI document's), with the side's objects
    for the fields that name one, so that a refusal is about scope, not about input."""
    if name:
        try:
            return sides.named(name, side)
        except KeyError:
            pass
    if "$ref" in schema:
        target = schema["$ref"].split("/")[-1]
        return example(doc["components"]["schemas"][target], doc, sides, side)
    for combo in ("anyOf", "oneOf", "allOf"):
        if combo in schema:
            options = [s for s in schema[combo] if s.get("type") != "null"]
            return example(options[0], doc, sides, side, name) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        wanted = set(schema.get("required", [])) | {
            p for p in props if p in ("area_code", "community_code", "resident_id", "org_id")}
        return {p: example(props[p], doc, sides, side, p) for p in props if p in wanted}
    if kind == "array":
        return [example(schema.get("items", {}), doc, sides, side)]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return max(float(schema.get("minimum", 1)), 1.0)
    if kind == "boolean":
        return True
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return "2026-11-20"
        if fmt == "date-time":
            return "2026-11-20T10:00:00+08:00"
        if fmt == "binary":
            return b"a,b\n1,2\n"
        return "测试"
    return None


# ----------------------------------------------------------------- objects the demo lacks

def _clone(obj: Any, **changes: Any) -> Any:
    obj.pk = None
    obj.id = None
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def complete() -> None:
    """Give each side the objects the demo has on one side only (or on none), copied from
    the other side's or made from the side's own residents, elections and cases."""
    from datetime import UTC, date, datetime

    from django.core.files.base import ContentFile

    model = apps.get_model
    sides = Sides()
    for side in ("A", "B"):
        resident = sides.first("people.Resident", side)
        code = resident.area_code[:12]
        if not by_area("autonomy.Question")(side).exists():
            disclosure = by_area("autonomy.Disclosure")(side).first()
            _clone(model("autonomy.Question")._default_manager.order_by("pk").first(),
                   disclosure=disclosure, asker=resident, area_code=disclosure.area_code,
                   answer="", status="open")
        if not by_area("autonomy.RecallPetition")(side).exists():
            _clone(model("autonomy.RecallPetition")._default_manager.order_by("pk").first(),
                   community_code=code, area_code=code, initiator=resident, membership=None)
        if not by_area("elections.Objection", "election__area_code")(side).exists():
            election = by_area("elections.Election")(side).first()
            model("elections.Objection")._default_manager.create(
                election=election, resident=resident, kind=model("elections.Objection").Kind.choices[0][0],
                filed_by="测试", reason="测试", filed_on=date(2026, 11, 20))
        if not by_area("orgs.Penalty")(side).exists():
            org = by_area("orgs.Org")(side).first()
            _clone(model("orgs.Penalty")._default_manager.order_by("pk").first(), org=org,
                   area_code=org.area_code, complaint=None, inspection=None)
        if not by_area("people.RightsRequest")(side).exists():
            model("people.RightsRequest")._default_manager.create(
                resident=resident, kind="access", area_code=resident.area_code,
                received_on=date(2026, 11, 20), due_on=date(2026, 12, 20))
        if not by_area("services.Attachment", "case__area_code")(side).exists():
            case = by_area("services.Case")(side).first()
            attachment = model("services.Attachment")(
                case=case, name="a.pdf", content_type="application/pdf", size=9, sha256="0" * 64)
            attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
            attachment.save()
        if not by_area("autonomy.ConveneRequest")(side).exists():
            request = model("autonomy.ConveneRequest")
            request._default_manager.create(
                community_code=code, area_code=code, kind=request.Kind.choices[0][0],
                via=request.Via.choices[0][0], subject="测试", initiator=resident, base=10,
                signatures_needed=2, profile_version="test")
    for kind in ("statistics", "cases"):
        if not model("services.StatExport")._default_manager.filter(kind=kind).exists():
            admin = model("accounts.User")._default_manager.get(username="admin")
            model("services.StatExport")._default_manager.create(
                user=admin, kind=kind, params={}, state="ready", content=b"PK", rows=0,
                created_at=datetime(2026, 11, 20, tzinfo=UTC))
