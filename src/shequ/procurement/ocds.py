"""Open Contracting Data Standard 1.1 for every project (ADR 0902).

One release per stage the project has reached — ``planning`` (created from a budget
line), ``tender`` (published; ``tenderCancellation`` when cancelled), ``award``,
``contract`` and ``implementation`` (milestones, payments, the performance evaluation)
— and a record per project with the releases and the compiled release. Fields OCDS lacks
(the catalogue item, the buyer's division code, the no-subcontracting flag, the
performance evaluation) are in the ``shequ_procurement`` extension (``ocds_extension/``).

Rows are read in chunks with ``values()`` (a handful of queries per chunk, no model
instances), so an export streams in bounded memory whatever the number of projects.
Amounts are integer fen until the last step, where they become JSON numbers in yuan.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, QuerySet

from shequ.procurement.models import (
    OCID_PREFIX,
    Bid,
    BidState,
    Contract,
    Enquiry,
    Method,
    Milestone,
    Payment,
    Performance,
    Project,
    State,
    grade_of,
)

EXTENSION_DIR = Path(__file__).parent / "ocds_extension"
EXTENSION_PATH = "/procurement/ocds/extension.json"
PUBLISHER = {"name": "成都市锦江区人民政府", "scheme": "CN-GB2260", "uid": "510104"}
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
CHUNK = 1000

METHODS = {Method.OPEN: "open", Method.INVITED: "selective", Method.NEGOTIATION: "limited",
           Method.INQUIRY: "limited", Method.SINGLE: "direct"}
METHOD_DETAILS = {Method.OPEN: "公开招标", Method.INVITED: "邀请招标",
                  Method.NEGOTIATION: "竞争性谈判", Method.INQUIRY: "询价", Method.SINGLE: "单一来源"}
TENDER_STATUS = {State.DRAFT: "planning", State.TENDERING: "active", State.EVALUATING: "active",
                 State.AWARDED: "complete", State.CONTRACTED: "complete",
                 State.COMPLETED: "complete", State.CANCELLED: "cancelled"}
CONTRACT_STATUS = {"active": "active", "completed": "terminated", "terminated": "terminated"}
MILESTONE_STATUS = {"pending": "scheduled", "delivered": "scheduled", "accepted": "met"}


def ocid(number: str) -> str:
    return f"{OCID_PREFIX}-{number}"


def stamp(day: date | None) -> str | None:
    """A day as an OCDS date-time: midnight in China Standard Time."""
    return None if day is None else f"{day.isoformat()}T00:00:00+08:00"


def money(fen: int | None) -> dict[str, Any]:
    if fen is None:
        return {"amount": None, "currency": "CNY"}
    return {"amount": fen // 100 if fen % 100 == 0 else fen / 100, "currency": "CNY"}


def extension_url(base: str) -> str:
    return base.rstrip("/") + EXTENSION_PATH


# -- reading a chunk --------------------------------------------------------------------

PROJECT_FIELDS = (
    "id", "number", "title", "description", "state", "method", "method_reason", "budget_fen",
    "legal_person_only", "min_grade", "created_on", "published_on", "bid_deadline",
    "closed_on", "awarded_on", "standstill_until", "cancelled_on", "cancel_reason", "year",
    "area_code", "buyer_id", "buyer__name", "buyer__kind", "buyer__area_code",
    "budget_line_id", "budget_line__title", "budget_line__year", "item__code", "item__name",
    "item__category__code", "item__category__name", "item__category__catalogue__version")


class Chunk:
    """Everything the releases of some projects need, read in seven queries. Related rows
    are selected by the chunk's range of project ids (an index range, no list of
    parameters to send and parse); organisations' names come from a cache shared by the
    chunks of one export (bounded by the registry, not by the number of projects)."""

    def __init__(self, project_rows: list[dict[str, Any]],
                 names: dict[int, Any] | None = None) -> None:
        from shequ.orgs import facade as orgs

        self.projects = project_rows
        span = (project_rows[0]["id"], project_rows[-1]["id"])
        self.bids: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for b in (Bid.objects.filter(project__id__range=span).order_by("project_id", "id")
                  .values("id", "project_id", "org_id", "price_fen", "state", "submitted_on",
                          "rank", "score")):
            self.bids[b["project_id"]].append(dict(b))
        self.enquiries = dict(Enquiry.objects.filter(project__id__range=span).values("project_id")
                              .annotate(n=Count("id")).values_list("project_id", "n"))
        self.contracts = {c["project_id"]: c for c in Contract.objects.filter(
            project__id__range=span).values(
            "id", "project_id", "org_id", "bid_id", "value_fen", "original_value_fen",
            "paid_fen", "signed_on", "starts_on", "ends_on", "term_reason", "no_subcontracting",
            "state", "ended_on")}
        ids = [c["id"] for c in self.contracts.values()]
        cspan = (min(ids), max(ids)) if ids else (0, -1)  # contract ids, an index range
        self.milestones: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for m in (Milestone.objects.filter(contract__id__range=cspan)
                  .order_by("contract_id", "seq")
                  .values("id", "contract_id", "seq", "title", "deliverable", "due_on",
                          "amount_fen", "state", "delivered_on", "accepted_on")):
            self.milestones[m["contract_id"]].append(dict(m))
        self.payments: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for pay in (Payment.objects.filter(contract__id__range=cspan)
                    .order_by("paid_on", "id")
                    .values("id", "contract_id", "milestone_id", "amount_fen", "paid_on")):
            self.payments[pay["contract_id"]].append(dict(pay))
        self.performance = {p["contract_id"]: p for p in Performance.objects.filter(
            contract__id__range=cspan).values("contract_id", "evaluated_by",
                                                      "evaluator_name", "score", "on")}
        self.orgs = names if names is not None else {}
        missing = {b["org_id"] for bids in self.bids.values() for b in bids} - set(self.orgs)
        if missing:
            self.orgs.update(orgs.briefs(missing, grades=False))


def chunks(qs: QuerySet[Project], size: int = CHUNK) -> Iterator[Chunk]:
    """The projects of ``qs`` in id order, ``size`` at a time (keyset, not offset)."""
    last = 0
    names: dict[int, Any] = {}
    base = qs.order_by("id").values(*PROJECT_FIELDS)
    while True:
        rows = list(base.filter(id__gt=last)[:size])
        if not rows:
            return
        last = rows[-1]["id"]
        yield Chunk(rows, names)


# -- building releases ------------------------------------------------------------------


def _buyer_party(p: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"buyer-{p['buyer_id']}", "name": p["buyer__name"],
            "roles": ["buyer", "procuringEntity", "payer"],
            "address": {"region": p["buyer__area_code"], "countryName": "中国"},
            "divisionCode": p["buyer__area_code"],
            "buyerKind": p["buyer__kind"]}


def _org_party(chunk: Chunk, org_id: int, roles: list[str]) -> dict[str, Any]:
    brief = chunk.orgs.get(org_id)
    party: dict[str, Any] = {"id": f"org-{org_id}", "name": brief.name if brief else "",
                             "roles": roles}
    if brief is not None and brief.identifier:
        scheme = "CN-USCC" if len(brief.identifier) == 18 else "CN-JJ-FILING"
        party["identifier"] = {"scheme": scheme, "id": brief.identifier, "legalName": brief.name}
    return party


def _ref(party: dict[str, Any]) -> dict[str, Any]:
    return {"id": party["id"], "name": party["name"]}


def _release(p: dict[str, Any], stage: str, tag: str, day: date | None,
             parties: list[dict[str, Any]]) -> dict[str, Any]:
    buyer = p.get("_buyer") or p.setdefault("_buyer", _buyer_party(p))
    the_ocid = p.get("_ocid") or p.setdefault("_ocid", ocid(p["number"]))
    return {"ocid": the_ocid, "id": f"{the_ocid}-{stage}",
            "date": stamp(day), "tag": [tag], "initiationType": "tender", "language": "zh",
            "parties": [buyer, *parties], "buyer": {"id": buyer["id"], "name": buyer["name"]}}


def _tender(p: dict[str, Any]) -> dict[str, Any]:
    return {"id": p["number"], "title": p["title"],
            "status": TENDER_STATUS[p["state"]],
            "catalogueItem": {"catalogue": p["item__category__catalogue__version"],
                              "categoryCode": p["item__category__code"],
                              "categoryName": p["item__category__name"],
                              "itemCode": p["item__code"], "itemName": p["item__name"]},
            "items": [{"id": "1", "description": p["item__name"],
                       "classification": {"scheme": "JJ-GMFW-ML", "id": p["item__code"],
                                          "description": p["item__name"]}}],
            "value": money(p["budget_fen"]),
            "mainProcurementCategory": "services"}


def releases(chunk: Chunk, p: dict[str, Any]) -> list[dict[str, Any]]:
    """The releases of one project, oldest first."""
    out: list[dict[str, Any]] = []
    planning = _release(p, "planning", "planning", p["created_on"], [])
    planning["planning"] = {
        "rationale": p["method_reason"] or p["description"] or p["title"],
        "budget": {"id": f"budget-line-{p['budget_line_id']}",
                   "description": f"{p['buyer__name']} {p['budget_line__year']}年 "
                                  f"{p['budget_line__title']}",
                   "amount": money(p["budget_fen"]), "project": p["title"],
                   "projectID": p["number"]}}
    planning["tender"] = {**_tender(p), "status": "planning"}
    out.append(planning)
    if p["published_on"] is None and p["state"] != State.CANCELLED:
        return out
    bids = chunk.bids.get(p["id"], [])
    live = [b for b in bids if b["state"] != BidState.WITHDRAWN]
    tenderers = [_org_party(chunk, b["org_id"], ["tenderer"]) for b in live] \
        if p["closed_on"] else []
    if p["published_on"] is not None:
        tender = _release(p, "tender", "tender", p["published_on"], tenderers)
        t = _tender(p)
        t.update({
            "procurementMethod": METHODS[p["method"]],
            "procurementMethodDetails": METHOD_DETAILS[p["method"]],
            "awardCriteria": "singleBidOnly" if p["method"] == Method.SINGLE else "ratedCriteria",
            "submissionMethod": ["written"],
            "tenderPeriod": {"startDate": stamp(p["published_on"]),
                             "endDate": stamp(p["bid_deadline"])},
            "enquiryPeriod": {"startDate": stamp(p["published_on"]),
                              "endDate": stamp(p["bid_deadline"])},
            "hasEnquiries": bool(chunk.enquiries.get(p["id"])),
            "eligibilityCriteria": _eligibility_text(p),
            "noSubcontracting": True,
        })
        if p["method_reason"]:
            t["procurementMethodRationale"] = p["method_reason"]
        if p["closed_on"]:
            t["numberOfTenderers"] = len(live)
            t["tenderers"] = [_ref(x) for x in tenderers]
            t["awardPeriod"] = {"startDate": stamp(p["closed_on"]),
                                "endDate": stamp(p["awarded_on"])}
        if p["state"] != State.CANCELLED:
            t["status"] = "active" if p["state"] in (State.TENDERING, State.EVALUATING) \
                else "complete"
        tender["tender"] = t
        out.append(tender)
    if p["state"] == State.CANCELLED:
        cancel = _release(p, "cancellation", "tenderCancellation", p["cancelled_on"], tenderers)
        cancel["tender"] = {"id": p["number"], "status": "cancelled",
                            "cancellationReason": p["cancel_reason"]}
        out.append(cancel)
        return out
    won = next((b for b in bids if b["state"] == BidState.WON), None)
    if p["awarded_on"] is None or won is None:
        return out
    supplier = _org_party(chunk, won["org_id"], ["tenderer", "supplier", "payee"])
    award = _release(p, "award", "award", p["awarded_on"], [supplier])
    award_id = f"{p['number']}-A1"
    award["awards"] = [{"id": award_id, "status": "active", "date": stamp(p["awarded_on"]),
                        "value": money(won["price_fen"]), "suppliers": [_ref(supplier)],
                        "items": [{"id": "1", "description": p["item__name"]}]}]
    out.append(award)
    c = chunk.contracts.get(p["id"])
    if c is None:
        return out
    contract_id = f"{p['number']}-C1"
    signed = _release(p, "contract", "contract", c["signed_on"], [supplier])
    milestones = chunk.milestones.get(c["id"], [])
    contract: dict[str, Any] = {
        "id": contract_id, "awardID": award_id, "title": p["title"],
        "status": "active", "period": {"startDate": stamp(c["starts_on"]),
                                       "endDate": stamp(c["ends_on"])},
        "value": money(c["original_value_fen"]), "dateSigned": stamp(c["signed_on"]),
        "noSubcontracting": c["no_subcontracting"],
        "milestones": [{"id": f"M{m['seq']}", "title": m["title"], "type": "delivery",
                        "description": m["deliverable"], "dueDate": stamp(m["due_on"]),
                        "status": "scheduled"} for m in milestones]}
    if c["term_reason"]:
        contract["termRationale"] = c["term_reason"]
    signed["contracts"] = [contract]
    out.append(signed)
    payments = chunk.payments.get(c["id"], [])
    perf = chunk.performance.get(c["id"])
    touched = [m for m in milestones if m["delivered_on"]]
    if not (payments or touched or perf or c["state"] != "active"):
        return out
    days = [c["signed_on"], *(m["accepted_on"] or m["delivered_on"] for m in touched),
            *(x["paid_on"] for x in payments), perf["on"] if perf else None, c["ended_on"]]
    latest = max(d for d in days if d is not None)
    seqs = {m["id"]: m["seq"] for m in milestones}
    impl_contract: dict[str, Any] = {
        "id": contract_id, "awardID": award_id,
        "status": CONTRACT_STATUS[c["state"]],
        "value": money(c["value_fen"]),
        "implementation": {
            "milestones": [{"id": f"M{m['seq']}", "title": m["title"], "type": "delivery",
                            "dueDate": stamp(m["due_on"]),
                            "status": MILESTONE_STATUS[m["state"]],
                            **({"dateMet": stamp(m["accepted_on"])} if m["accepted_on"] else {})}
                           for m in milestones],
            "transactions": [{"id": f"P{x['id']}", "source": f"budget-line-{p['budget_line_id']}",
                              "date": stamp(x["paid_on"]), "value": money(x["amount_fen"]),
                              "payer": _ref(p.get("_buyer") or _buyer_party(p)),
                              "payee": _ref(supplier),
                              "milestoneID": f"M{seqs.get(x['milestone_id'], 0)}"}
                             for x in payments]}}
    if perf is not None:
        impl_contract["implementation"]["performanceEvaluation"] = {
            "date": stamp(perf["on"]), "score": perf["score"], "grade": grade_of(perf["score"]),
            "evaluatorType": perf["evaluated_by"], "evaluatorName": perf["evaluator_name"]}
    impl = _release(p, "implementation", "implementation", latest, [supplier])
    impl["contracts"] = [impl_contract]
    out.append(impl)
    return out


def _eligibility_text(p: dict[str, Any]) -> str:
    parts = ["符合《政府采购法》第二十二条规定的条件", "近三年内无重大违法记录"]
    if p["legal_person_only"]:
        parts.append("具有法人资格")
    else:
        parts.append("备案的社区社会组织可参加")
    if p["min_grade"]:
        parts.append(f"社会组织评估等级 {p['min_grade']}A 以上")
    return "；".join(parts) + "。"


# -- records ------------------------------------------------------------------------------


def merge(into: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """OCDS merge: objects field by field, arrays of objects with ``id`` by id, other
    values (and other arrays) replaced by the newer release's."""
    for key, value in new.items():
        old = into.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            merge(old, value)
        elif (isinstance(value, list) and isinstance(old, list) and value
              and all(isinstance(v, dict) and "id" in v for v in value)
              and all(isinstance(v, dict) and "id" in v for v in old)):
            by_id = {v["id"]: v for v in old}
            for v in value:
                if v["id"] in by_id:
                    merge(by_id[v["id"]], v)
                else:
                    old.append(v)
                    by_id[v["id"]] = v
        else:
            into[key] = json.loads(json.dumps(value)) if isinstance(value, dict | list) else value
    return into


def compile_record(rels: list[dict[str, Any]]) -> dict[str, Any]:
    compiled: dict[str, Any] = {}
    for rel in rels:
        merge(compiled, {k: v for k, v in rel.items() if k not in ("id", "tag", "date")})
    compiled.update({"id": f"{rels[-1]['ocid']}-compiled", "tag": ["compiled"],
                     "date": rels[-1]["date"]})
    return {"ocid": rels[0]["ocid"], "releases": rels, "compiledRelease": compiled}


# -- packages ---------------------------------------------------------------------------------


def _meta(base: str, published: datetime, kind: str) -> dict[str, Any]:
    return {"uri": f"{base.rstrip('/')}/procurement/ocds/{kind}.json", "version": "1.1",
            "extensions": [extension_url(base)], "publishedDate": published.isoformat(),
            "publisher": PUBLISHER, "license": LICENSE,
            "publicationPolicy": f"{base.rstrip('/')}/procurement/"}


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _dumps(obj: Any) -> str:
    return _ENCODER.encode(obj)


def stream_package(qs: QuerySet[Project], *, base: str, published: datetime,
                   records: bool = False, size: int = CHUNK) -> Iterator[str]:
    """A release package (or a record package) as pieces of JSON text: the head, then each
    release (record) as it is built, then the tail. Nothing holds more than a chunk."""
    kind = "records" if records else "releases"
    meta = _meta(base, published, kind)
    head = _dumps(meta)[:-1] + f',"{kind}":['
    yield head
    first = True
    for chunk in chunks(qs, size):
        out: list[str] = []
        for p in chunk.projects:
            rels = releases(chunk, p)
            items: Iterable[dict[str, Any]] = [compile_record(rels)] if records else rels
            for item in items:
                out.append(_dumps(item))
        if out:
            yield ("" if first else ",") + ",".join(out)
            first = False
    yield "]}"


def projects_of_year(year: int | None = None) -> QuerySet[Project]:
    qs = Project.objects.all()
    return qs.filter(year=year) if year else qs.filter(~Q(number=""))


def project_releases(project: Project) -> list[dict[str, Any]]:
    chunk = next(chunks(Project.objects.filter(pk=project.pk)))
    return releases(chunk, chunk.projects[0])


def project_record(project: Project) -> dict[str, Any]:
    return compile_record(project_releases(project))
