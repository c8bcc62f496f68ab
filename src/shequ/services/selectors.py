"""Reads of the services module, always scoped to the caller (``authz.scope_q``), and the
pure computations pages show. Lists return querysets ordered for keyset paging."""

from __future__ import annotations

import hmac
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    F,
    Func,
    Lookup,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas import facade as areas_facade
from shequ.areas.models import Area
from shequ.core.errors import NotFound
from shequ.services import rollups
from shequ.services.enums import Code, Perm
from shequ.services.models import (
    ALERT_SLAS,
    Case,
    CaseEvent,
    ItemVersion,
    Notification,
    ServiceItem,
    Sla,
    State,
    StatRollup,
)
from shequ.services.notices import event_label


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- catalogue (public)


def items(*, active_only: bool = True) -> QuerySet[ServiceItem]:
    qs = (ServiceItem.objects.select_related("current", "current__handling_duty")
          .filter(current__isnull=False))
    return qs.filter(active=True) if active_only else qs


def get_item(code: str) -> ServiceItem:
    item = items(active_only=False).filter(code=code).first()
    if item is None:
        raise NotFound(_("No such service item."), code=Code.UNKNOWN_ITEM,
                       details={"item_code": code})
    return item


def versions_of(code: str) -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(item__code=code).order_by("-version")


# ---------------------------------------------------------------- cases


STREET_LENGTH = 9


def _successor(code: str) -> str | None:
    """The first digit string of the same length after every code starting with ``code``
    (``"510104"`` → ``"510105"``), or ``None`` when there is none (all nines)."""
    if not code.isdigit() or set(code) == {"9"}:
        return None
    return str(int(code) + 1).zfill(len(code))


def _prefix(field: str, code: str) -> Q:
    """``field`` starts with ``code``, as a range: unlike ``LIKE 'code%'`` a range keeps
    its index under a generic plan (prepared statements, ADR 0010) and with any collation."""
    nxt = _successor(code)
    if nxt is None:
        return Q(**{f"{field}__startswith": code})
    return Q(**{f"{field}__gte": code, f"{field}__lt": nxt})


def inside(code: str) -> Q:
    """Cases filed in ``code`` or below, expressed on the column whose index serves the
    scope (ADR 0025): a street by ``street_code`` equality, a district or city by a range
    of ``street_code``, a community by ``area_code`` equality when no area lies below it
    (else a range), always with its street, so the street's indexes serve it too."""
    if len(code) < STREET_LENGTH:
        return _prefix("street_code", code)
    if len(code) == STREET_LENGTH:
        return Q(street_code=code)
    street = Q(street_code=code[:STREET_LENGTH])
    if Area.objects.filter(code__startswith=code).exclude(code=code).exists():
        return street & _prefix("area_code", code)
    return street & Q(area_code=code)


def scope(user: Any, perm: str) -> Q:
    """``authz.scope_q(user, perm)`` for cases, in the index-friendly form of
    :func:`inside` (the same rows: ``street_code`` is ``area_code``'s first 9 digits)."""
    codes = authz.scope_codes(user, perm)
    if codes is None:
        return Q()
    if not codes:
        return Q(pk__in=[])
    q = Q()
    for code in codes:
        q |= inside(code)
    return q


def cases(*, user: Any, state: str = "", sla: str = "", street: str = "", item: str = "",
          channel: str = "", q: str = "") -> QuerySet[Case]:
    """Cases in the caller's ``services.view`` scope, newest first.

    Ordered by ``(submitted_at, id)``, which an index led by the scope's own column
    serves (``case_recent``, ``case_street_recent``, ``case_area_recent``; with an alert
    filter the partial ``case_alert_*``), so a keyset page reads about as many rows as it
    shows. Item and version are fetched after the page (``prefetch_related``: two small
    queries by key), never joined before the LIMIT."""
    authz.check(user, Perm.VIEW)
    qs = Case.objects.filter(scope(user, Perm.VIEW)).prefetch_related("version", "item")
    if state:
        qs = qs.filter(state=state)
    if sla:
        qs = qs.filter(sla=sla)
    if street:
        qs = qs.filter(street_code=street)
    if item:
        qs = qs.filter(item_id=Subquery(ServiceItem.objects.filter(code=item).values("id")[:1]))
    if channel:
        qs = qs.filter(channel=channel)
    if q:
        qs = qs.filter(search(q))
    return qs.order_by("-submitted_at", "-id")


# the work list's columns an export reads: the keyset key first, nothing joined
EXPORT_COLUMNS = ("id", "submitted_at", "number", "version_id", "applicant_name",
                  "resident_id", "street_code", "area_code", "channel", "state", "sla",
                  "accepted_on", "due_on", "decided_on")


def case_export_chunks(*, user: Any, filters: Mapping[str, str] | None = None,
                       chunk: int = 2000) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of :func:`cases` (same scope, filters and order) as ``EXPORT_COLUMNS``
    tuples, ``chunk`` at a time by keyset on ``(submitted_at, id)``: memory holds one
    chunk whatever the list's length, and each chunk is one query on the list's own
    index."""
    qs = cases(user=user, **(filters or {})).prefetch_related(None).values_list(*EXPORT_COLUMNS)
    after: tuple[Any, Any] | None = None
    while True:
        page = qs if after is None else qs.filter(
            Q(submitted_at__lt=after[0]) | Q(submitted_at=after[0], id__lt=after[1]))
        rows = list(page[:chunk])
        if rows:
            yield rows
        if len(rows) < chunk:
            return
        after = (rows[-1][1], rows[-1][0])


def days_overdue(state: str, due_on: date | None, on: date) -> int | None:
    """Working days an open case under review is past its deadline (``None`` when it is
    not overdue, or the calendar lacks a year in between): what the work list shows."""
    from shequ.core import calendar

    if state not in OPEN or due_on is None or due_on >= on:
        return None
    try:
        return calendar.workdays_between(due_on, on)
    except calendar.CalendarYearUnknown:  # a year not entered: said on the console, not guessed here
        return None
class _ILike(Lookup):  # type: ignore[type-arg]
    """``lhs ILIKE 'pattern'`` (PostgreSQL): the operator pg_trgm's GIN index serves
    (Django's ``icontains`` writes ``UPPER(col) LIKE UPPER(…)``, which no trigram index
    matches). The pattern is written into the statement as a quoted literal, not bound:
    how many cases a term matches decides the plan (a surname: walk the scope's ordered
    index; a rare name: the trigram bitmap). And the statement is never prepared: a
    comment numbers each search, so its text never repeats and psycopg never reaches
    ``prepare_threshold`` (ADR 0010); a generic plan, which knows neither the term nor how
    wide the scope is, chose a bitmap of a district's 1.1 million cases (ADR 0027)."""

    lookup_name = "trgm_ilike"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        literal = connection.ops.compose_sql("%s", [self.rhs.value]).replace("%", "%%")
        return f"{lhs} ILIKE {literal} /* search {next(_SEARCHES)} */", tuple(lhs_params)


_SEARCHES = itertools.count(1)


class _Spaced(Func):
    """A space before and after every character: ``'王明'`` → ``' 王 明 '``. Each character
    is then a word of its own, with trigrams (``'  王'``, ``' 王 '``) that a search of one or
    two Chinese characters can look up (``LIKE '%王明%'`` has none). The exact expression
    of the index ``case_name_trgm`` (migration 0012): change both or neither."""

    template = "(' ' || regexp_replace(%(expressions)s, '(.)', '\\1 ', 'g'))"
    output_field = CharField()


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(q: str) -> Q:
    """Cases whose number or applicant's name contains ``q``, case-insensitively (the work
    list's and the API's ``q``). On PostgreSQL (ADR 0027) through the trigram indexes:
    ``number ILIKE '%q%'`` (``case_number_trgm``), or the spaced name containing the spaced
    ``q`` (``case_name_trgm``), which holds exactly when the name contains ``q`` and, unlike
    ``'%q%'``, has trigrams for one or two Chinese characters. A case number is ASCII
    (``510104022-2025-000123``, ADR 0400): a term with any other character is looked up
    in names only (in the number it would read the whole index to find nothing). The
    same cases as ``icontains`` on either field, which is what SQLite runs."""
    if connection.vendor != "postgresql":
        return Q(number__icontains=q) | Q(applicant_name__icontains=q)
    spaced = "% " + "".join(_like_escape(c) + " " for c in q) + "%"
    name = Q(_ILike(_Spaced(F("applicant_name")), Value(spaced)))
    if not q.isascii():
        return name
    return Q(_ILike(F("number"), Value("%" + _like_escape(q) + "%"))) | name


def own_record(user: Any) -> Any:
    """The signed-in user's own resident record (``None`` without one): a resident
    applies only as this person."""
    from shequ.people import facade as people

    return people.resident_of_user(user)


def real_names(usernames: set[str]) -> dict[str, str]:
    """How staff are named on a page: their display name (real name), not the user name
    stored in a history line; one query for a page's names."""
    from shequ.accounts.facade import User

    names = {n for n in usernames if n}
    if not names:
        return {}
    return {u: d for u, d in User.objects.filter(username__in=names)
            .values_list("username", "display_name") if d}


def can_see(user: Any, case: Case) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if case.applicant_user_id is not None and case.applicant_user_id == getattr(user, "pk", None):
        return True
    return authz.has_perm(user, Perm.VIEW, case.area_code)


def get_case(*, user: Any, number: str) -> Case:
    """A case its applicant or a staff member in scope may see; otherwise 404 (never
    telling whether the number exists)."""
    case = (Case.objects.select_related("version", "item", "station", "department")
            .filter(number=number).first())
    if user is None or not user.is_authenticated:
        authz.check(user, Perm.VIEW)
    if case is None or not can_see(user, case):
        raise NotFound(_("No such case."), code=Code.UNKNOWN_CASE, details={"number": number})
    return case


def phone_hint(case: Case) -> str:
    """What a page shows of the applicant's phone: only the four digits the progress
    query asks for (the number itself is stored encrypted)."""
    return ("*" * 7 + case.phone_last4) if case.phone_last4 else ""


def my_cases(*, user: Any) -> QuerySet[Case]:
    """The signed-in resident's own applications, newest first."""
    authz.check(user, Perm.APPLY)
    return (Case.objects.filter(applicant_user=user).select_related("version", "item")
            .order_by("-submitted_at", "-id"))


def notifications(*, user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first (nothing for anonymous visitors)."""
    if user is None or not user.is_authenticated or not getattr(user, "pk", None):
        return Notification.objects.none()
    return (Notification.objects.filter(user=user).select_related("case")
            .order_by("-created_at", "-id"))


def street_overdue(*, user: Any, street: str, on: date | None = None) -> QuerySet[Case]:
    """A street's overdue cases, most overdue first (served by the partial index
    ``case_open_due``)."""
    authz.check(user, Perm.VIEW, street)
    on = on or today()
    return (Case.objects.filter(street_code=street, state=State.IN_REVIEW, due_on__lt=on)
            .order_by("due_on", "id"))


def overdue(*, user: Any, street: str, on: date | None = None, limit: int = 100
            ) -> list[Case]:
    """The first ``limit`` of :func:`street_overdue`, with only the columns a list shows."""
    return list(street_overdue(user=user, street=street, on=on)
                .only("number", "area_code", "street_code", "item_id", "due_on", "accepted_on",
                      "state", "sla", "extension_days", "applicant_name")[:limit])


def issue_overdue(*, user: Any, on: date | None = None) -> QuerySet[Case]:
    """Decided cases whose result has not reached the applicant by the issue deadline
    (行政许可法 Art. 44), in the caller's scope."""
    authz.check(user, Perm.VIEW)
    on = on or today()
    return (Case.objects.filter(scope(user, Perm.VIEW),
                                state__in=[State.APPROVED, State.REJECTED], issue_due_on__lt=on)
            .order_by("issue_due_on", "id"))


DECIDED_UNISSUED = (State.APPROVED, State.REJECTED)
OPEN = (State.IN_REVIEW,)


def _literal_in(column: str, values: Any) -> str:
    """``column IN ('a', 'b')`` with the values inline (fixed enum values, never input)."""
    assert all(str(v).replace("_", "").isalnum() for v in values)
    quoted = ", ".join(f"'{v}'" for v in values)
    qn = connection.ops.quote_name
    return f"{qn(Case._meta.db_table)}.{qn(column)} IN ({quoted})"


def alerts_query(*, user: Any, on: date) -> tuple[str, list[Any]]:
    """The SQL of :func:`alerts` (a test prepares it as a generic plan)."""
    base = Case.objects.filter(scope(user, Perm.VIEW)).order_by()
    codes = authz.scope_codes(user, Perm.VIEW)
    late_sql, late_params = (base.extra(where=[_literal_in("state", DECIDED_UNISSUED)])  # noqa: S610
                             .filter(issue_due_on__lt=on).values("pk").query.sql_with_params())
    if codes is None or (codes and all(len(c) <= STREET_LENGTH for c in codes)):
        # whole streets: the two status counts are the rollups' sums (kept by the steps
        # and the sweep with the status itself), a few hundred rows whatever the number
        # of cases; the partial index read every alert case of the scope
        roll_sql, roll_params = (_rollup_scope(StatRollup.objects.order_by(), codes)
                                 .values("overdue", "warning").query.sql_with_params())
        sql = ("SELECT COALESCE(SUM(r.overdue), 0), COALESCE(SUM(r.warning), 0), "  # noqa: S608
               f"(SELECT COUNT(*) FROM ({late_sql}) l) FROM ({roll_sql}) r")
        return sql, [*late_params, *roll_params]
    # both alert states in one pass over the partial index (its rows are all alerts); the
    # partial indexes' predicates are written as literals, so that even a generic plan of
    # this prepared statement (ADR 0010) can prove them and use the index
    alert_sql, alert_params = (base.extra(where=[_literal_in("sla", ALERT_SLAS)])  # noqa: S610
                               .values("sla").query.sql_with_params())
    sql = (f"SELECT COUNT(*) FILTER (WHERE a.sla = %s), COUNT(*) FILTER (WHERE a.sla = %s), "  # noqa: S608
           f"(SELECT COUNT(*) FROM ({late_sql}) l) FROM ({alert_sql}) a")
    return sql, [Sla.OVERDUE, Sla.WARNING, *late_params, *alert_params]


@dataclass(frozen=True)
class Alerts:
    overdue: int
    warning: int
    late_issue: int


def alerts(*, user: Any, on: date | None = None) -> Alerts:
    """The console's three counts in one query, in the caller's scope (ADR 0025): the
    cases whose time-limit status (the sweep's, or the last step's) is overdue or warning,
    and the decisions past their issue deadline. For whole streets (district and street
    roles) the two status counts are the rollups' sums, kept with the status in the same
    transaction (ADR 0026); a community counts its few alert rows from the partial
    index. The issue deadline is counted from ``case_issue_due`` (only undelivered
    decisions)."""
    authz.check(user, Perm.VIEW)
    sql, params = alerts_query(user=user, on=on or today())
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    return Alerts(overdue=int(row[0]), warning=int(row[1]), late_issue=int(row[2]))


# ---------------------------------------------------------------- public progress


def same_phone(case: Case, last4: str) -> bool:
    """Constant-time comparison of the second factor of the public progress query."""
    return bool(case.phone_last4) and hmac.compare_digest(case.phone_last4,
                                                           last4.strip()[-4:])


@dataclass(frozen=True)
class Progress:
    number: str
    item: str
    state: str
    state_label: str
    received_on: date
    accepted_on: date | None
    due_on: date | None
    decided_on: date | None
    sla: str
    sla_label: str
    steps: list[tuple[date, str]]
    missing: list[str]


def progress(*, number: str, phone_last4: str) -> Progress:
    """Progress by case number plus the last four digits of the phone; the same
    "not found" whether the number is unknown or the digits are wrong; no names."""
    case = Case.objects.select_related("version").filter(number=number.strip()).first()
    if case is None or not same_phone(case, phone_last4):
        raise NotFound(_("No case matches this number and phone digits."),
                       code=Code.PROGRESS_NOT_FOUND)
    steps = [(timezone.localtime(e.at).date(), event_label(e.action))
             for e in CaseEvent.objects.filter(case=case).order_by("at", "id")]
    return Progress(number=case.number, item=case.version.name, state=case.state,
                    state_label=str(case.get_state_display()),
                    received_on=timezone.localtime(case.submitted_at).date(),
                    accepted_on=case.accepted_on, due_on=case.due_on, decided_on=case.decided_on,
                    sla=case.sla, sla_label=str(case.get_sla_display()), steps=steps,
                    missing=list(case.missing) if case.state == State.CORRECTION else [])


# ---------------------------------------------------------------- statistics

GROUPS = ("street", "department", "item", "month")


@dataclass(frozen=True)
class StatRow:
    key: str
    label: str
    cases: int
    completed: int
    on_time: int
    late: int
    overdue_open: int
    avg_workdays: float | None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.completed if self.completed else None


def statistics(*, user: Any, by: str = "street", on: date | None = None,
               start: date | None = None, end: date | None = None, within: str = ""
               ) -> list[StatRow]:
    """On-time rate, average working days used and overdue counts, grouped by street,
    department, item or month of receipt. "Completed" means decided; on time means
    decided on or before the (extended, pause-adjusted) deadline.

    Read from the rollups (ADR 0026) when the period is whole months and the scope whole
    streets (always, for the roles that hold ``services.stats``); otherwise from the
    cases. "Overdue, open" today is the status the clock sweep last set, from the same
    rollups; on another day ``on``, or from the cases, it is counted live from a partial
    index (cases in review past ``on``)."""
    authz.check(user, Perm.STATS)
    if by not in GROUPS:
        raise NotFound(_("Unknown grouping."), code=Code.UNKNOWN_GROUPING,
                       details={"allowed": list(GROUPS)})
    now = on is None or on == today()
    on = on or today()
    codes = authz.scope_codes(user, Perm.STATS)
    whole_streets = (all(len(c) <= STREET_LENGTH for c in codes or [])
                     and len(within) <= STREET_LENGTH)
    whole_months = ((start is None or start.day == 1)
                    and (end is None or (end + timedelta(days=1)).day == 1))
    overdue: dict[Any, int] | None = None
    if whole_streets and whole_months:
        figures, counted = _from_rollups(codes, by, start, end, within)
        overdue = counted if now else None
    else:
        figures = _from_cases(user, by, start, end, within)
    if overdue is None:
        overdue = _overdue_open(user, by, on, start, end, within)
    keys = sorted(set(figures) | set(overdue), key=lambda k: (k is None, str(k)))
    named = _keys(by, keys)
    labels = _labels(by, list(named.values()))
    result = []
    for key in keys:
        n, completed, on_time, timed, days = figures.get(key, (0, 0, 0, 0, 0))
        key_s = named[key]
        result.append(StatRow(key=key_s, label=labels.get(key_s, key_s), cases=n,
                              completed=completed, on_time=on_time, late=completed - on_time,
                              overdue_open=overdue.get(key, 0),
                              avg_workdays=round(days / timed, 2) if timed else None))
    return result


Figures = dict[Any, tuple[int, int, int, int, int]]  # key → cases, completed, on time, timed, days
# the department dimension is two columns (ADR 1003): the handling department record, or
# none and the version's department name; ``_group_key`` makes them one key
ROLLUP_GROUPS = {"street": ("street_code",), "department": ("handling_department", "department"),
                 "item": ("item_id",), "month": ("month",)}
CASE_GROUPS = {"street": ("street_code",), "department": ("department_id", "version__department"),
               "item": ("item_id",), "month": ("month",)}


def _group_key(by: str, fields: tuple[str, ...], row: dict[str, Any]) -> Any:
    if by == "department":
        return rollups.department_key(row[fields[0]], row[fields[1]])
    return _month_key(by, row[fields[0]])


def _add_figures(out: Figures, key: Any, figures: tuple[int, int, int, int, int]) -> None:
    before = out.get(key)
    out[key] = figures if before is None else tuple(  # type: ignore[assignment]
        a + b for a, b in zip(before, figures, strict=True))


def _local_midnight(day: date) -> Any:
    return timezone.make_aware(datetime.combine(day, time.min))


def _received(start: date | None, end: date | None) -> Q:
    q = Q()
    if start:
        q &= Q(submitted_at__gte=_local_midnight(start))
    if end:
        q &= Q(submitted_at__lt=_local_midnight(end + timedelta(days=1)))
    return q


def _rollup_scope(qs: QuerySet[StatRollup], codes: list[str] | None) -> QuerySet[StatRollup]:
    """Rollup rows of the streets in ``codes`` (whole streets or wider; ``None``: all)."""
    if codes is None:
        return qs
    q = Q(pk__in=[])
    for code in codes:
        q |= _prefix("street_code", code) if len(code) < STREET_LENGTH else Q(street_code=code)
    return qs.filter(q)


def _from_rollups(codes: list[str] | None, by: str, start: date | None, end: date | None,
                  within: str) -> tuple[Figures, dict[Any, int]]:
    """The figures and the overdue counts (as of the last sweep) by group, one query."""
    qs = _rollup_scope(StatRollup.objects.order_by(), codes)
    if within:
        qs = qs.filter(_prefix("street_code", within) if len(within) < STREET_LENGTH
                       else Q(street_code=within))
    if start:
        qs = qs.filter(month__gte=start)
    if end:
        qs = qs.filter(month__lte=end)
    fields = ROLLUP_GROUPS[by]
    rows = qs.values(*fields).annotate(n=Sum("cases"), c=Sum("completed"), o=Sum("on_time"),
                                       t=Sum("timed"), d=Sum("workdays"), late=Sum("overdue"))
    out: Figures = {}
    overdue: dict[Any, int] = {}
    for r in rows:
        key = _group_key(by, fields, r)
        _add_figures(out, key, (r["n"] or 0, r["c"] or 0, r["o"] or 0, r["t"] or 0, r["d"] or 0))
        if r["late"]:
            overdue[key] = overdue.get(key, 0) + r["late"]
    return out, overdue


def _from_cases(user: Any, by: str, start: date | None, end: date | None,
                within_code: str) -> Figures:
    """The same figures from the cases (a period not in whole months, a community scope)."""
    qs = Case.objects.filter(scope(user, Perm.STATS), _received(start, end)).order_by()
    if within_code:
        qs = qs.filter(inside(within_code))
    if by == "month":
        qs = qs.annotate(month=TruncMonth("submitted_at"))
    fields = CASE_GROUPS[by]
    decided = Q(decided_on__isnull=False)
    rows = qs.values(*fields).annotate(
        n=Count("id"), c=Count("id", filter=decided),
        o=Count("id", filter=decided & Q(due_on__isnull=False, decided_on__lte=F("due_on"))),
        t=Count("workdays_used", filter=decided), d=Sum("workdays_used", filter=decided))
    out: Figures = {}
    for r in rows:
        _add_figures(out, _group_key(by, fields, r), (r["n"], r["c"], r["o"], r["t"], r["d"] or 0))
    return out


def _overdue_open(user: Any, by: str, on: date, start: date | None, end: date | None,
                  within_code: str) -> dict[Any, int]:
    """Open cases past their deadline on ``on``, by group: the clock's figure, counted
    live from the partial index ``case_open_due_all`` (it holds only cases in review)."""
    qs = (Case.objects.filter(scope(user, Perm.STATS), _received(start, end), due_on__lt=on)
          .extra(where=[_literal_in("state", OPEN)]).order_by())  # noqa: S610 (partial index)
    if within_code:
        qs = qs.filter(inside(within_code))
    if by == "month":
        qs = qs.annotate(month=TruncMonth("submitted_at"))
    fields = CASE_GROUPS[by]
    # COUNT(*), not COUNT(id): the partial index case_open_street covers the query without id
    out: dict[Any, int] = {}
    for r in qs.values(*fields).annotate(n=Count("*")):
        key = _group_key(by, fields, r)
        out[key] = out.get(key, 0) + r["n"]
    return out


def received_by_street_month(*, user: Any, start: date | None = None,
                             end: date | None = None) -> dict[str, dict[date, int]]:
    """Cases received per street and month (the statistics page's chart): from the
    rollups for whole streets, else from the cases."""
    authz.check(user, Perm.STATS)
    codes = authz.scope_codes(user, Perm.STATS)
    out: dict[str, dict[date, int]] = {}
    if all(len(c) <= STREET_LENGTH for c in codes or []):
        qs = StatRollup.objects.order_by()
        if codes is not None:
            q = Q(pk__in=[])
            for code in codes:
                q |= _prefix("street_code", code) if len(code) < STREET_LENGTH else \
                    Q(street_code=code)
            qs = qs.filter(q)
        if start:
            qs = qs.filter(month__gte=start.replace(day=1))
        if end:
            qs = qs.filter(month__lte=end)
        for r in qs.values("street_code", "month").annotate(n=Sum("cases")):
            out.setdefault(r["street_code"], {})[r["month"]] = r["n"] or 0
        return out
    rows = (Case.objects.filter(scope(user, Perm.STATS), _received(start, end)).order_by()
            .annotate(month=TruncMonth("submitted_at")).values("street_code", "month")
            .annotate(n=Count("id")))
    for r in rows:
        out.setdefault(r["street_code"], {})[_month_key("month", r["month"])] = r["n"]
    return out


def street_names(codes: list[str]) -> dict[str, str]:
    return dict(Area.objects.filter(code__in=codes).values_list("code", "name"))


def _month_key(by: str, value: Any) -> Any:
    if by == "month" and isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value


def _keys(by: str, keys: list[Any]) -> dict[Any, str]:
    """Each group's key as shown: a month as ``2025-10``, an item by its code."""
    if by == "month":
        return {k: k.strftime("%Y-%m") if k else "" for k in keys}
    if by == "item":
        codes = dict(ServiceItem.objects.filter(pk__in=[k for k in keys if k is not None])
                     .values_list("pk", "code"))
        return {k: codes.get(k, str(k)) for k in keys}
    if by == "department":  # a department record by its id, else the version's name
        return {k: f"#{k[0]}" if k[0] else k[1] for k in keys}
    return {k: str(k) for k in keys}


def _labels(by: str, keys: list[Any]) -> dict[str, str]:
    if by == "street":
        return dict(Area.objects.filter(code__in=keys).values_list("code", "name"))
    if by == "item":
        return {i.code: i.current.name for i in items(active_only=False).filter(code__in=keys)
                if i.current}
    if by == "department":
        return {f"#{d.pk}": f"{d.street.name if d.street else d.area_code} · {d.name}"
                for d in areas_facade.departments_by_id(
                    [int(k[1:]) for k in keys if k.startswith("#")])}
    return {}


def total(rows: list[StatRow]) -> StatRow:
    completed = sum(r.completed for r in rows)
    weighted = [r.avg_workdays * r.completed for r in rows if r.avg_workdays is not None]
    return StatRow(key="", label=str(_("Total")), cases=sum(r.cases for r in rows),
                   completed=completed, on_time=sum(r.on_time for r in rows),
                   late=sum(r.late for r in rows), overdue_open=sum(r.overdue_open for r in rows),
                   avg_workdays=round(sum(weighted) / completed, 2) if completed else None)


def overdue_cases(*, user: Any, on: date | None = None, within: str = "") -> QuerySet[Case]:
    """Overdue open cases across the caller's scope, most overdue first, for the
    statistics page (a keyset page) and the export: the partial index
    ``case_open_due_all`` serves the order, whatever the scope."""
    authz.check(user, Perm.STATS)
    on = on or today()
    qs = (Case.objects.filter(scope(user, Perm.STATS), due_on__lt=on)
          .extra(where=[_literal_in("state", OPEN)]))  # noqa: S610 (partial index)
    if within:
        qs = qs.filter(inside(within))
    return qs.prefetch_related("version", "department").order_by("due_on", "id")
