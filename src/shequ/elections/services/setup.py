"""Setting up an election (general or by-election) and its polling stations."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas.models import Area, Level
from shequ.audit.services import record
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.elections import rules
from shequ.elections.enums import AuditAction, Code, Perm
from shequ.elections.errors import refuse
from shequ.elections.lifecycles import OPEN_STATES, WINDOWS
from shequ.elections.models import Election, ElectionPost, Kind, Mode, Station, Status
from shequ.elections.selectors import vacancies
from shequ.elections.services._base import locked, text, today
from shequ.rules import Profile


def create_election(*, actor: Any, community_code: str, voting_day: date,
                    posts: list[dict[str, Any]], mode: str = Mode.ALL_VOTERS, name: str = "",
                    profile: str | None = None, overrides: dict[str, Any] | None = None,
                    kind: str = Kind.GENERAL, replaces_id: int | None = None,
                    stations: list[dict[str, str]] | None = None,
                    on: date | None = None) -> Election:
    """Set up an election: posts and seats, mode, the rule profile in force at the
    community (stored as a snapshot, ADR 0607) and the timeline."""
    authz.check(actor, Perm.MANAGE, community_code)
    area = Area.objects.filter(code=community_code, level=Level.COMMUNITY).first()
    if area is None:
        raise NotFound(_("No community with code %(code)s.") % {"code": community_code},
                       code=Code.UNKNOWN_COMMUNITY)
    if mode not in Mode.values:
        raise BusinessError(_("Unknown election mode %(mode)s.") % {"mode": mode},
                            code=Code.UNKNOWN_MODE)
    if kind not in Kind.values:
        raise BusinessError(_("Unknown kind of election %(kind)s.") % {"kind": kind},
                            code=Code.UNKNOWN_KIND)
    prof = rules.with_overrides(rules.resolve(profile or rules.DEFAULT_PROFILE, community_code),
                                overrides or {})
    day = today(on)
    _check_voting_day(prof, voting_day, day)
    clean = _clean_posts(posts)
    if kind == Kind.GENERAL:
        seats = sum(p["seats"] for p in clean)
        lo, hi = prof.rule("members_min"), prof.rule("members_max")
        if not lo.value <= seats <= hi.value:
            raise refuse(_("A committee has %(lo)d to %(hi)d members; these posts have %(n)d "
                           "seats.") % {"lo": lo.value, "hi": hi.value, "n": seats}, lo,
                         seats=seats)
        women = prof.rule("women_seat")
        if women.value and not any(p["women_only"] and p["seats"] for p in clean):
            raise refuse(_("At least one seat must be reserved for a woman (a women's post)."),
                         women)
        if not any(p["code"] == "chair" for p in clean):
            raise BusinessError(_("The committee needs a chair post."), code=Code.CHAIR_REQUIRED)
    clean_stations = [_clean_station(st) for st in stations or []]
    replaces = None
    if kind == Kind.BY_ELECTION:
        replaces = (Election.objects.filter(pk=replaces_id or 0, area_code=community_code,
                                            status=Status.ANNOUNCED)
                    .exclude(kind=Kind.RECALL).first())
        if replaces is None:
            raise BusinessError(_("A by-election fills vacancies of an announced election of the "
                                  "same community; name it."),
                                code=Code.BY_ELECTION_NEEDS_ELECTION)
        _check_vacancies(community_code, clean, voting_day)
    with transaction.atomic():
        if Election.objects.filter(area_code=community_code, status__in=list(OPEN_STATES)).exists():
            raise Conflict(_("This community already has an election in progress."),
                           code=Code.ELECTION_IN_PROGRESS)
        election = Election.objects.create(
            area_code=community_code, mode=mode, kind=kind, voting_day=voting_day,
            name=text(name, what=_("The name"), maxlen=150) or _default_name(area.name, voting_day, kind),
            profile=rules.snapshot(prof), replaces=replaces)
        ElectionPost.objects.bulk_create([
            ElectionPost(election=election, code=p["code"], label=p["label"], seats=p["seats"],
                         women_only=p["women_only"], order=i) for i, p in enumerate(clean)])
        Station.objects.bulk_create([Station(election=election, **st) for st in clean_stations])
        record(actor=actor, action=AuditAction.ELECTION_CREATE, obj=election,
               area_code=community_code,
               changes={"voting_day": voting_day, "mode": mode, "kind": kind,
                        "profile": [prof.key, prof.version], "posts": clean,
                        "stations": [st["name"] for st in clean_stations]})
    return election


def _check_voting_day(prof: Profile, voting_day: date, day: date) -> None:
    """The roll can be published the statutory period before voting day, and voting day
    is not absurdly far away (ADR 0603, 0610); the same for an election and a recall."""
    lead = prof.rule("roll_days_before")
    if (voting_day - day).days < lead.value:
        raise refuse(_("Voting day %(day)s leaves fewer than %(n)d days to publish the roll "
                       "before it.") % {"day": voting_day, "n": lead.value}, lead,
                     voting_day=voting_day,
                     latest_publication=voting_day - timedelta(days=lead.value))
    horizon = prof.rule("setup_days_before_max")
    if (voting_day - day).days > horizon.value:
        raise refuse(_("Voting day %(day)s is more than %(n)d days away; an election is set up "
                       "in the year it is held (check the date).")
                     % {"day": voting_day, "n": horizon.value}, horizon, voting_day=voting_day)


RECALL_POST = "recall"


def create_recall(*, actor: Any, community_code: str, voting_day: date, subject: str,
                  roll_area_code: str = "", stations: list[dict[str, str]] | None = None,
                  profile: str | None = None, on: date | None = None) -> Election:
    """Set up a recall vote (ADR 0612): one question, "是否罢免 <subject>", put to the roll
    of the community (or of ``roll_area_code`` below it: a representative's compound),
    under the same roll rules, periods, stations and double-entry tally as an election,
    counted under the recall rule (``recall_turnout``, ``recall_approval``). Who may be
    recalled is the caller's question (autonomy's petition); elections runs the vote."""
    authz.check(actor, Perm.MANAGE, community_code)
    area = Area.objects.filter(code=community_code, level=Level.COMMUNITY).first()
    if area is None:
        raise NotFound(_("No community with code %(code)s.") % {"code": community_code},
                       code=Code.UNKNOWN_COMMUNITY)
    name = text(subject, what=_("The person's name"), maxlen=100, required=True,
                code=Code.RECALL_SUBJECT_REQUIRED,
                message=_("A recall vote names the person whose recall is put to the vote."))
    roll_area_code = (roll_area_code or "").strip()
    if roll_area_code and (not roll_area_code.startswith(community_code)
                           or len(roll_area_code) > 15):
        raise BusinessError(_("The roll's area must lie in the community."),
                            code=Code.UNKNOWN_COMMUNITY, details={"roll_area": roll_area_code})
    prof = rules.resolve(profile or rules.DEFAULT_PROFILE, community_code)
    day = today(on)
    _check_voting_day(prof, voting_day, day)
    clean_stations = [_clean_station(st) for st in stations or []]
    short = area.name.replace("居委会", "").replace("居民委员会", "")
    with transaction.atomic():
        if Election.objects.filter(area_code=community_code, status__in=list(OPEN_STATES)).exists():
            raise Conflict(_("This community already has an election in progress."),
                           code=Code.ELECTION_IN_PROGRESS)
        election = Election.objects.create(
            area_code=community_code, mode=Mode.ALL_VOTERS, kind=Kind.RECALL,
            voting_day=voting_day, name=f"{short}{voting_day.year}年罢免{name}投票",
            profile=rules.snapshot(prof), recall_subject=name,
            roll_area_code=roll_area_code if roll_area_code != community_code else "")
        ElectionPost.objects.create(election=election, code=RECALL_POST,
                                    label=f"是否罢免{name}", seats=1, order=0)
        Station.objects.bulk_create([Station(election=election, **st) for st in clean_stations])
        record(actor=actor, action=AuditAction.RECALL_CREATE, obj=election,
               area_code=community_code,
               changes={"voting_day": voting_day, "subject": name,
                        "roll_area": election.roll_area_code or community_code,
                        "profile": [prof.key, prof.version],
                        "stations": [st["name"] for st in clean_stations]})
    return election


def _check_vacancies(community_code: str, posts: list[dict[str, Any]], voting_day: date) -> None:
    """A by-election elects only into seats that are actually empty: more would enlarge the
    committee beyond what the general election set up."""
    open_seats = vacancies(community_code, voting_day)
    for p in posts:
        free = open_seats.get(p["code"], 0)
        if p["seats"] > free:
            raise BusinessError(
                _("The committee has %(free)d vacant seat(s) on the post %(post)s; a by-election "
                  "cannot elect %(n)d.") % {"free": free, "post": p["label"], "n": p["seats"]},
                code=Code.NO_SUCH_VACANCY,
                details={"post": p["code"], "seats": p["seats"], "vacancies": open_seats})


def _default_name(community: str, day: date, kind: str) -> str:
    """The official title of the election (a proper name, in Chinese like the ballot)."""
    short = community.replace("居委会", "").replace("居民委员会", "")
    suffix = "居民委员会补选" if kind == Kind.BY_ELECTION else "居民委员会换届选举"
    return f"{short}{day.year}年{suffix}"


def _clean_posts(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    for p in posts:
        code = str(p.get("code", "")).strip()
        try:
            seats = int(p.get("seats", 0))
        except (TypeError, ValueError):
            seats = 0
        label = str(p.get("label") or code).strip()
        if not code or seats < 1 or code in seen or len(code) > 30 or len(label) > 50:
            raise BusinessError(_("Each post needs a unique code (at most 30 characters), a label "
                                  "of at most 50 characters and at least one seat."),
                                code=Code.POST_INVALID, details={"post": code})
        seen.add(code)
        clean.append({"code": code, "label": label, "seats": seats,
                      "women_only": bool(p.get("women_only", False))})
    if not clean:
        raise BusinessError(_("An election needs at least one post."), code=Code.POST_INVALID)
    return clean


def _clean_station(st: dict[str, Any]) -> dict[str, str]:
    name = str(st.get("name") or "").strip()
    kind = str(st.get("kind") or Station.Kind.FIXED)
    place = str(st.get("place") or "").strip()
    if not name or kind not in Station.Kind.values or len(name) > 100 or len(place) > 200:
        raise BusinessError(_("A station needs a name (at most 100 characters), a kind (fixed or "
                              "mobile) and a place of at most 200 characters."),
                            code=Code.STATION_INVALID, details={"station": name})
    return {"name": name, "kind": kind, "place": place}


def add_station(*, actor: Any, election_id: int, name: str, kind: str = Station.Kind.FIXED,
                place: str = "") -> Station:
    window = WINDOWS["add_station"]
    with transaction.atomic():
        election = locked(actor, election_id, window.perm)
        window.require(election)
        clean = _clean_station({"name": name, "kind": kind, "place": place})
        if election.stations.filter(name=clean["name"]).exists():
            raise Conflict(_("There is already a station of that name."), code=Code.STATION_EXISTS)
        station = Station.objects.create(election=election, **clean)
        record(actor=actor, action=AuditAction.STATION_ADD, obj=station,
               area_code=election.area_code, changes=clean)
    return station
