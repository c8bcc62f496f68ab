"""Elections: the only writers. Every use case checks permission, runs in one
transaction, writes an audit entry and refuses with the rule and its source named
(``details = {"rule", "citation", ...}``)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas.models import Area, Level
from shequ.audit.services import record
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.elections import states, tally
from shequ.elections.models import (
    Basis,
    Candidate,
    Election,
    ElectionPost,
    Kind,
    Mode,
    Objection,
    Outcome,
    Proxy,
    Result,
    Station,
    StationTally,
    Status,
    TallyEntry,
    Voter,
)
from shequ.elections.rules import MODES, PROFILES, Profile, Rule, get_profile
from shequ.people import facade
from shequ.people.models import Body, BodyKind, Membership, Post, Resident

MANAGE = "elections.manage"
TALLY = "elections.tally"
RECOUNT = "elections.recount"

ROLL_EDIT_STATES = (Status.SETUP, Status.ROLL_PUBLISHED, Status.NOMINATING, Status.CANDIDATES_ANNOUNCED)
DOUBLE_ENTRY = Rule("double_entry", 2, "entries by different people",
                    "本系统规则：公开计票，计票结果由两人分别录入、核对一致（村民委员会组织法 第十五条）")


class RuleError(BusinessError):
    """A refusal under a rule of law: ``details`` name the rule and its citation."""

    default_code = "rule"
    status = 422


def refuse(message: Any, rule: Rule, **details: Any) -> RuleError:
    return RuleError(message, code=rule.key,
                     details={"rule": rule.key, "value": rule.as_dict()["value"], "unit": rule.unit,
                              "citation": rule.citation, **details})


def _today(on: date | None) -> date:
    return on or timezone.localdate()


def _actor_name(actor: Any) -> str:
    return str(getattr(actor, "username", "") or actor)


def profile_of(election: Election) -> Profile:
    return get_profile(election.profile)


def _election(actor: Any, election_id: int, perm: str) -> Election:
    election = Election.objects.select_for_update().filter(pk=election_id).first()
    if election is None:
        raise NotFound(_("No such election."), code="election_not_found")
    authz.check(actor, perm, election.area_code)
    return election


def _require_state(election: Election, allowed: tuple[str, ...], what: Any) -> None:
    if election.status not in allowed:
        raise Conflict(_("%(what)s is not possible while the election is “%(status)s”.")
                       % {"what": what, "status": Status(election.status).label},
                       code="invalid_transition",
                       details={"status": election.status, "allowed_in": list(allowed)})


# --------------------------------------------------------------------------- set-up


def create_election(*, actor: Any, community_code: str, voting_day: date,
                    posts: list[dict[str, Any]], mode: str = Mode.ALL_VOTERS, name: str = "",
                    profile: str | None = None, overrides: dict[str, Any] | None = None,
                    kind: str = Kind.GENERAL, replaces_id: int | None = None,
                    stations: list[dict[str, str]] | None = None, on: date | None = None) -> Election:
    """Set up an election: posts and seats, mode, rule profile (snapshot) and timeline."""
    authz.check(actor, MANAGE, community_code)
    area = Area.objects.filter(code=community_code, level=Level.COMMUNITY).first()
    if area is None:
        raise NotFound(_("No community with code %(code)s.") % {"code": community_code},
                       code="unknown_community")
    if mode not in MODES:
        raise BusinessError(_("Unknown election mode %(mode)s.") % {"mode": mode}, code="unknown_mode")
    try:
        prof = get_profile(profile).with_overrides(overrides or {})
    except KeyError as exc:
        raise BusinessError(_("Unknown rule profile or rule %(name)s.") % {"name": str(exc)},
                            code="unknown_profile", details={"profiles": sorted(PROFILES)}) from None
    today = _today(on)
    lead = prof["roll_days_before"]
    if (voting_day - today).days < lead.value:
        raise refuse(_("Voting day %(day)s leaves fewer than %(n)d days to publish the roll before it.")
                     % {"day": voting_day, "n": lead.value}, lead, voting_day=voting_day,
                     latest_publication=voting_day - timedelta(days=lead.value))
    clean = _clean_posts(posts)
    if kind == Kind.GENERAL:
        seats = sum(p["seats"] for p in clean)
        lo, hi = prof["members_min"], prof["members_max"]
        if not lo.value <= seats <= hi.value:
            raise refuse(_("A committee has %(lo)d to %(hi)d members; these posts have %(n)d seats.")
                         % {"lo": lo.value, "hi": hi.value, "n": seats}, lo, seats=seats)
        women = prof["women_seat"]
        if women.value and not any(p["women_only"] and p["seats"] for p in clean):
            raise refuse(_("At least one seat must be reserved for a woman (a women's post)."), women)
        if not any(p["code"] == "chair" for p in clean):
            raise BusinessError(_("The committee needs a chair post."), code="chair_required")
    replaces = None
    if kind == Kind.BY_ELECTION:
        replaces = Election.objects.filter(pk=replaces_id or 0, area_code=community_code,
                                           status=Status.ANNOUNCED).first()
        if replaces is None:
            raise BusinessError(_("A by-election fills vacancies of an announced election of the same "
                                  "community; name it."), code="by_election_needs_election")
        _check_vacancies(community_code, clean, voting_day)
    with transaction.atomic():
        if Election.objects.filter(area_code=community_code).filter(
                status__in=list(states.OPEN_STATES)).exists():
            raise Conflict(_("This community already has an election in progress."),
                           code="election_in_progress")
        election = Election.objects.create(
            area_code=community_code, mode=mode, kind=kind, voting_day=voting_day,
            name=name or _default_name(area.name, voting_day, kind), profile=prof.as_dict(),
            replaces=replaces)
        ElectionPost.objects.bulk_create([
            ElectionPost(election=election, code=p["code"], label=p["label"], seats=p["seats"],
                         women_only=p["women_only"], order=i) for i, p in enumerate(clean)])
        for st in stations or []:
            Station.objects.create(election=election, name=st["name"], kind=st.get("kind", "fixed"),
                                   place=st.get("place", ""))
        record(actor=actor, action="elections.create", obj=election, area_code=community_code,
               changes={"voting_day": voting_day, "mode": mode, "kind": kind,
                        "profile": [prof.code, prof.version], "posts": clean})
    return election


def vacancies(community_code: str, on: date) -> dict[str, int]:
    """Seats of the residents' committee that nobody holds on ``on``, per post: what a
    by-election (补选) may fill. Members recalled, resigned or otherwise gone have their
    membership ended in people, so their seats count here."""
    body = facade.bodies_of(community_code, BodyKind.RESIDENTS_COMMITTEE).order_by("pk").first()
    if body is None:
        return {}
    held = dict(facade.current_members(body, on).values("post__role")
                .annotate(n=Count("pk")).values_list("post__role", "n"))
    return {post.role: max(post.seats - held.get(post.role, 0), 0)
            for post in body.posts.order_by("pk")}


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
                code="no_such_vacancy",
                details={"post": p["code"], "seats": p["seats"], "vacancies": open_seats})


def _default_name(community: str, day: date, kind: str) -> str:
    short = community.replace("居委会", "").replace("居民委员会", "")
    suffix = "居民委员会补选" if kind == Kind.BY_ELECTION else "居民委员会换届选举"
    return f"{short}{day.year}年{suffix}"


def _clean_posts(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    for p in posts:
        code = str(p.get("code", "")).strip()
        seats = int(p.get("seats", 0))
        if not code or seats < 1 or code in seen:
            raise BusinessError(_("Each post needs a unique code and at least one seat."),
                                code="post_invalid", details={"post": code})
        seen.add(code)
        clean.append({"code": code, "label": str(p.get("label") or code), "seats": seats,
                      "women_only": bool(p.get("women_only", False))})
    if not clean:
        raise BusinessError(_("An election needs at least one post."), code="post_invalid")
    return clean


def add_station(*, actor: Any, election_id: int, name: str, kind: str = "fixed", place: str = ""
                ) -> Station:
    with transaction.atomic():
        election = _election(actor, election_id, MANAGE)
        _require_state(election, (*ROLL_EDIT_STATES, Status.POLLING), _("Adding a polling station"))
        if kind not in Station.Kind.values or not name.strip():
            raise BusinessError(_("A station needs a name and a kind (fixed or mobile)."),
                                code="station_invalid")
        if election.stations.filter(name=name.strip()).exists():
            raise Conflict(_("There is already a station of that name."), code="station_exists")
        station = Station.objects.create(election=election, name=name.strip(), kind=kind, place=place)
        record(actor=actor, action="elections.add_station", obj=station, area_code=election.area_code,
               changes={"name": station.name, "kind": kind, "place": place})
    return station


# --------------------------------------------------------------------------- roll


def _on_other_roll(id_hash: str, election: Election) -> Voter | None:
    return (Voter.objects.filter(id_hash=id_hash, active=True).exclude(election=election)
            .select_related("election").first())


def build_roll(*, actor: Any, election_id: int) -> dict[str, int]:
    """Put everyone eligible by the register on the roll (18+ on voting day, registered
    and living here, not deprived of political rights); in household mode one adult per
    household (the head when eligible). Group representatives are added one by one."""
    with transaction.atomic():
        election = _election(actor, election_id, MANAGE)
        _require_state(election, (Status.SETUP,), _("Building the roll"))
        prof = profile_of(election)
        counts = {"added": 0, "already": 0, "on_other_roll": 0}
        if election.mode == Mode.GROUP_REPRESENTATIVES:
            return counts
        eligible = (facade.eligible_voters(election.area_code, election.voting_day)
                    .filter(registered_here=True, lives_here=True).order_by("birth_date", "pk"))
        people = list(eligible)
        basis = Basis.REGISTERED_RESIDENT
        if election.mode == Mode.HOUSEHOLD:
            basis = Basis.HOUSEHOLD_REPRESENTATIVE
            chosen: dict[Any, Resident] = {}
            for r in people:
                key = r.household_id or f"r{r.pk}"
                head_id = r.household.head_id if r.household_id and r.household else None
                if key not in chosen or r.pk == head_id:
                    chosen[key] = r
            people = list(chosen.values())
        have = set(election.voters.values_list("id_hash", flat=True))
        elsewhere = set(Voter.objects.filter(active=True, id_hash__in=[p.id_hash for p in people])
                        .exclude(election=election).values_list("id_hash", flat=True))
        station = election.stations.filter(kind=Station.Kind.FIXED).first()
        new = []
        for r in people:
            if r.id_hash in have:
                counts["already"] += 1
            elif r.id_hash in elsewhere:
                counts["on_other_roll"] += 1
            else:
                new.append(Voter(election=election, area_code=r.area_code, resident=r, id_hash=r.id_hash,
                                 name=r.name, sex=r.sex, basis=basis, station=station))
        Voter.objects.bulk_create(new, batch_size=1000)
        counts["added"] = len(new)
        record(actor=actor, action="elections.build_roll", obj=election, area_code=election.area_code,
               changes={**counts, "rule": prof["voting_age"].citation})
    return counts


def _resident(community_code: str, resident_id: int | None, identity_number: str | None) -> Resident:
    resident = None
    if resident_id is not None:
        resident = facade.residents_of(community_code).filter(pk=resident_id).first()
    elif identity_number:
        resident = facade.resident_by_identity(identity_number)
    if resident is None:
        raise NotFound(_("No such resident in the register."), code="resident_not_found")
    return resident


def add_voter(*, actor: Any, election_id: int, basis: str, reason: str, resident_id: int | None = None,
              identity_number: str | None = None, group: str = "", station_id: int | None = None
              ) -> Voter:
    """Add one person to the roll, with the basis and reason (村民委员会组织法 第十三条)."""
    with transaction.atomic():
        election = _election(actor, election_id, MANAGE)
        _require_state(election, ROLL_EDIT_STATES, _("Adding a voter"))
        resident = _resident(election.area_code, resident_id, identity_number)
        return _add_voter(actor, election, resident, basis, reason, group, station_id)


def _add_voter(actor: Any, election: Election, resident: Resident, basis: str, reason: str,
               group: str = "", station_id: int | None = None) -> Voter:
    prof = profile_of(election)
    if basis not in Basis.values:
        raise BusinessError(_("Unknown basis %(basis)s.") % {"basis": basis}, code="unknown_basis")
    if not reason.strip() and basis != Basis.REGISTERED_RESIDENT:
        raise BusinessError(_("An addition to the roll needs a reason."), code="reason_required")
    age = prof["voting_age"]
    if not facade.adults_of(resident.community_code, election.voting_day).filter(pk=resident.pk).exists():
        raise refuse(_("%(name)s is not %(age)d or older on voting day, or no longer lives in the register.")
                     % {"name": resident.name, "age": age.value}, age)
    if resident.deprived_of_political_rights:
        raise refuse(_("People deprived of political rights cannot vote."), age,
                     reason="deprived_of_political_rights")
    if resident.community_code != election.area_code and basis != Basis.RESIDENT_ONE_YEAR:
        raise refuse(_("%(name)s is registered in another community.") % {"name": resident.name},
                     prof["one_roll_only"])
    if basis == Basis.REGISTERED_AWAY and not resident.registered_here:
        raise refuse(_("Only people registered here may ask to vote while living away."),
                     prof["residence_years"])
    if basis == Basis.RESIDENT_ONE_YEAR:
        years = prof["residence_years"]
        since = resident.residence_since
        limit = election.voting_day.replace(year=election.voting_day.year - int(years.value))
        if not resident.lives_here or since is None or since > limit:
            raise refuse(_("Unregistered residents may vote after living here for %(n)d year(s) "
                           "(since %(limit)s at the latest).") % {"n": years.value, "limit": limit},
                         years, residence_since=since)
    if basis == Basis.GROUP_REPRESENTATIVE:
        cap = prof["group_representatives_max"]
        if not group.strip():
            raise BusinessError(_("Name the residents' group this representative stands for."),
                                code="group_required")
        if election.voters.filter(group=group.strip(), removed=False).count() >= cap.value:
            raise refuse(_("Group %(group)s already has %(n)d representatives.")
                         % {"group": group, "n": cap.value}, cap)
    if election.voters.filter(id_hash=resident.id_hash).exists():
        raise Conflict(_("%(name)s is already on this roll.") % {"name": resident.name},
                       code="already_on_roll")
    other = _on_other_roll(resident.id_hash, election)
    if other is not None:
        raise refuse(_("%(name)s is already on the roll of %(election)s; nobody may be on two rolls.")
                     % {"name": resident.name, "election": other.election.name},
                     prof["one_roll_only"], other_election=other.election_id)
    station = election.stations.filter(pk=station_id).first() if station_id else \
        election.stations.filter(kind=Station.Kind.FIXED).first()
    try:
        with transaction.atomic():
            voter = Voter.objects.create(
                election=election, area_code=resident.area_code, resident=resident,
                id_hash=resident.id_hash, name=resident.name, sex=resident.sex, basis=basis,
                reason=reason.strip(), group=group.strip(), station=station)
    except IntegrityError:
        raise refuse(_("%(name)s is already on another open roll; nobody may be on two rolls.")
                     % {"name": resident.name}, prof["one_roll_only"]) from None
    record(actor=actor, action="elections.add_voter", obj=voter, area_code=election.area_code,
           changes={"election": election.pk, "basis": basis, "reason": voter.reason, "group": voter.group})
    return voter


def assign_station(*, actor: Any, election_id: int, station_id: int, voter_ids: list[int]) -> int:
    with transaction.atomic():
        election = _election(actor, election_id, MANAGE)
        _require_state(election, (*ROLL_EDIT_STATES, Status.POLLING), _("Assigning voters"))
        station = election.stations.filter(pk=station_id).first()
        if station is None:
            raise NotFound(_("No such polling station."), code="station_not_found")
        n = election.voters.filter(pk__in=voter_ids).update(station=station)
        record(actor=actor, action="elections.assign_station", obj=station, area_code=election.area_code,
               changes={"voters": n})
    return n


def file_objection(*, actor: Any, election_id: int, kind: str, filed_by: str, reason: str,
                   voter_id: int | None = None, identity_number: str | None = None,
                   on: date | None = None) -> Objection:
    """An objection to the published roll, within the statutory period."""
    with transaction.atomic():
        election = _election(actor, election_id, MANAGE)
        _require_state(election, (Status.ROLL_PUBLISHED, Status.NOMINATING, Status.CANDIDATES_ANNOUNCED),
                       _("An objection to the roll"))
        prof = profile_of(election)
        day = _today(on)
        period = prof["objection_days"]
        assert election.roll_published_on is not None
        last = election.roll_published_on + timedelta(days=period.value)
        if day > last or day < election.roll_published_on:
            raise refuse(_("Objections are accepted within %(n)d days of the roll's publication "
                           "(until %(last)s).") % {"n": period.value, "last": last}, period, last_day=last)
        if kind not in Objection.Kind.values or not reason.strip() or not filed_by.strip():
            raise BusinessError(_("An objection needs its kind, who files it and the reason."),
                                code="objection_invalid")
        voter = resident = None
        if kind == Objection.Kind.WRONGFUL:
            voter = election.voters.filter(pk=voter_id or 0, removed=False).first()
            if voter is None:
                raise NotFound(_("That person is not on the roll."), code="voter_not_found")
        else:
            resident = _resident(election.area_code, None, identity_number) if identity_number else None
            if resident is None:
                raise NotFound(_("Give the identity number of the person missing from the roll."),
                               code="resident_not_found")
        obj = Objection.objects.create(election=election, kind=kind, voter=voter, resident=resident,
                                       filed_by=filed_by.strip(), reason=reason.strip(), filed_on=day)
        record(actor=actor, action="elections.file_objection", obj=obj, area_code=election.area_code,
               changes={"kind": kind, "filed_on": day, "voter": voter_id})
    return obj


def decide_objection(*, actor: Any, objection_id: int, decision: str, reason: str,
                     on: date | None = None) -> Objection:
    """Decide an objection; upholding one adds or removes the person. A decision after
    the statutory period is recorded and flagged as late."""
    obj = Objection.objects.filter(pk=objection_id).first()
    if obj is None:
        raise NotFound(_("No such objection."), code="objection_not_found")
    with transaction.atomic():
        election = _election(actor, obj.election_id, MANAGE)
        _require_state(election, (Status.ROLL_PUBLISHED, Status.NOMINATING, Status.CANDIDATES_ANNOUNCED),
                       _("A decision on an objection"))
        obj = Objection.objects.select_for_update().get(pk=objection_id)
        if obj.decision:
            raise Conflict(_("This objection has already been decided."), code="objection_decided")
        if decision not in (Objection.Decision.UPHELD, Objection.Decision.REJECTED) or not reason.strip():
            raise BusinessError(_("A decision is upheld or rejected, with reasons."),
                                code="decision_invalid")
        prof = profile_of(election)
        day = _today(on)
        period = prof["decision_days"]
        if day < obj.filed_on:
            raise BusinessError(_("A decision cannot precede the objection."), code="decision_date")
        obj.decided_late = day > obj.filed_on + timedelta(days=period.value)
        if decision == Objection.Decision.UPHELD:
            if obj.kind == Objection.Kind.WRONGFUL and obj.voter is not None:
                Voter.objects.filter(pk=obj.voter.pk).update(removed=True, active=False,
                                                             removed_reason=reason.strip()[:300])
            elif obj.resident is not None:
                _add_voter(actor, election, obj.resident, Basis.OBJECTION, reason)
        obj.decision, obj.decided_on, obj.decision_reason = decision, day, reason.strip()
        obj.save(update_fields=["decision", "decided_on", "decision_reason", "decided_late"])
        record(actor=actor, action="elections.decide_objection", obj=obj, area_code=election.area_code,
               changes={"decision": decision, "decided_on": day, "late": obj.decided_late,
                        "rule": period.citation})
    return obj


def register_proxy(*, actor: Any, election_id: int, principal_id: int, proxy_id: int, relation: str,
                   on: date | None = None) -> Proxy:
    """A written proxy: only to a close relative who is also a voter, and no voter holds
    more proxies than the profile allows."""
    with transaction.atomic():
        election = _election(actor, election_id, MANAGE)
        _require_state(election, (*ROLL_EDIT_STATES, Status.POLLING), _("Registering a proxy"))
        prof = profile_of(election)
        relatives = prof["proxy_relatives"]
        if relation not in relatives.value:
            raise refuse(_("A written proxy may be given only to a close relative."), relatives,
                         relation=relation)
        principal = election.voters.filter(pk=principal_id, removed=False).first()
        proxy = election.voters.filter(pk=proxy_id, removed=False).first()
        if principal is None or proxy is None or principal.pk == proxy.pk:
            raise refuse(_("Both the voter and the proxy must be different people on this roll."),
                         relatives)
        if Proxy.objects.filter(principal=principal).exists():
            raise Conflict(_("This voter has already given a proxy."), code="proxy_exists")
        if Proxy.objects.filter(principal=proxy).exists():
            raise refuse(_("Someone who has given a proxy cannot hold one."), relatives)
        cap = prof["proxies_per_voter_max"]
        if Proxy.objects.filter(proxy=proxy).count() >= cap.value:
            raise refuse(_("%(name)s already holds %(n)d proxies.") % {"name": proxy.name, "n": cap.value},
                         cap)
        p = Proxy.objects.create(election=election, principal=principal, proxy=proxy, relation=relation,
                                 registered_on=_today(on))
        record(actor=actor, action="elections.register_proxy", obj=p, area_code=election.area_code,
               changes={"principal": principal.pk, "proxy": proxy.pk, "relation": relation})
    return p


# --------------------------------------------------------------------------- nominations


def nominate(*, actor: Any, election_id: int, post: str, candidate_id: int, nominator_ids: list[int],
             statement: str = "") -> Candidate:
    """A direct nomination by voters on the roll; the same person nominated again for the
    same post gathers the new nominators (a joint nomination)."""
    with transaction.atomic():
        election = _election(actor, election_id, MANAGE)
        _require_state(election, (Status.NOMINATING,), _("A nomination"))
        prof = profile_of(election)
        the_post = election.posts.filter(code=post).first()
        if the_post is None:
            raise NotFound(_("No such post in this election."), code="post_not_found")
        person = election.voters.filter(pk=candidate_id, removed=False).first()
        if person is None:
            raise refuse(_("Only a voter on this roll can stand as a candidate."), prof["nominators_min"])
        nominators = list(election.voters.filter(pk__in=nominator_ids, removed=False))
        rule = prof["nominators_min"]
        if len(nominators) != len(set(nominator_ids)):
            raise refuse(_("Every nominator must be a voter on this roll."), rule)
        existing = election.candidates.filter(voter=person).first()
        if existing is not None and existing.post_id != the_post.pk:
            raise Conflict(_("%(name)s is already nominated for %(post)s.")
                           % {"name": person.name, "post": existing.post.label}, code="one_post_only")
        if existing is not None and existing.state == Candidate.State.WITHDRAWN:
            raise Conflict(_("%(name)s has withdrawn.") % {"name": person.name}, code="withdrawn")
        total = len(nominators) + (existing.nominators.count() if existing else 0)
        if total < rule.value:
            raise refuse(_("A nomination needs at least %(n)d nominator(s) on the roll.")
                         % {"n": rule.value}, rule)
        if the_post.women_only and person.sex != "F":
            raise refuse(_("Only women may stand for %(post)s.") % {"post": the_post.label},
                         prof["women_seat"])
        if existing is None and election.candidates.filter(name=person.name).exists():
            raise Conflict(_("Another candidate has the same name; results are counted by name, so "
                             "add a distinguishing mark to one of them in the register."),
                           code="candidate_name_taken")
        cand = existing or Candidate.objects.create(election=election, post=the_post, voter=person,
                                                    name=person.name, sex=person.sex,
                                                    statement=statement[:500])
        cand.nominators.add(*nominators)
        left = _leave_election_committee(election, person, prof)
        record(actor=actor, action="elections.nominate", obj=cand, area_code=election.area_code,
               changes={"post": post, "nominators": [n.pk for n in nominators],
                        "joint": existing is not None, "left_election_committee": left})
    return cand


def _leave_election_committee(election: Election, person: Voter, prof: Profile) -> list[int]:
    """A member of the election committee who becomes a candidate leaves it (村民委员会组织法
    第十二条): their current membership of the community's election committee ends today."""
    rule = prof.rules.get("candidate_leaves_committee")  # absent from version-1 snapshots
    if rule is None or not rule.value:
        return []
    ended = []
    for body in facade.bodies_of(election.area_code, BodyKind.ELECTION_COMMITTEE):
        for m in facade.current_members(body).filter(resident_id=person.resident_id):
            m.end_date, m.end_reason = timezone.localdate(), "became a candidate"
            m.save(update_fields=["end_date", "end_reason"])
            ended.append(m.pk)
    return ended


def withdraw(*, actor: Any, candidate_id: int, reason: str) -> Candidate:
    cand = Candidate.objects.filter(pk=candidate_id).first()
    if cand is None:
        raise NotFound(_("No such candidate."), code="candidate_not_found")
    with transaction.atomic():
        election = _election(actor, cand.election_id, MANAGE)
        _require_state(election, (Status.NOMINATING, Status.CANDIDATES_ANNOUNCED), _("A withdrawal"))
        if cand.state == Candidate.State.WITHDRAWN:
            raise Conflict(_("This candidate has already withdrawn."), code="withdrawn")
        if not reason.strip():
            raise BusinessError(_("A withdrawal needs a reason."), code="reason_required")
        cand.state, cand.withdrawn_reason = Candidate.State.WITHDRAWN, reason.strip()[:300]
        cand.save(update_fields=["state", "withdrawn_reason"])
        record(actor=actor, action="elections.withdraw", obj=cand, area_code=election.area_code,
               changes={"reason": cand.withdrawn_reason})
    return cand


def _check_competitive(election: Election, prof: Profile) -> None:
    rule = prof["competitive_list"]
    counts = dict(election.candidates.exclude(state=Candidate.State.WITHDRAWN)
                  .values_list("post_id").annotate(n=Count("pk")))
    short = [{"post": p.label, "seats": p.seats, "candidates": counts.get(p.pk, 0)}
             for p in election.posts.all() if counts.get(p.pk, 0) < p.seats + rule.value]
    if short:
        raise refuse(_("Each post needs more candidates than seats (差额): %(posts)s.")
                     % {"posts": "、".join(f"{s['post']} {s['candidates']}/{s['seats']}" for s in short)},
                     rule, posts=short)


# --------------------------------------------------------------------------- lifecycle


def transition(*, actor: Any, election_id: int, action: str, on: date | None = None) -> Election:
    """Take one lifecycle step (``states.TRANSITIONS``) after its statutory checks."""
    if action not in states.SIMPLE_ACTIONS:
        if action == "count":
            count(actor=actor, election_id=election_id)
        elif action == "announce":
            announce(actor=actor, election_id=election_id)
        else:
            states.next_status("", action)
        return Election.objects.get(pk=election_id)
    with transaction.atomic():
        election = _election(actor, election_id, MANAGE)
        new = states.next_status(election.status, action)
        prof = profile_of(election)
        day = _today(on)
        changes: dict[str, Any] = {"from": election.status, "to": new}
        if action == "publish_roll":
            lead = prof["roll_days_before"]
            if not election.voters.filter(removed=False).exists():
                raise BusinessError(_("The roll is empty."), code="roll_empty")
            if (election.voting_day - day).days < lead.value:
                raise refuse(_("The roll must be published at least %(n)d days before voting day "
                               "(by %(last)s).") % {"n": lead.value,
                                                    "last": election.voting_day - timedelta(days=lead.value)},
                             lead)
            election.roll_published_on = day
            changes["on"] = day
        elif action == "announce_candidates":
            _check_competitive(election, prof)
            lead = prof["candidates_days_before"]
            if (election.voting_day - day).days < lead.value:
                raise refuse(_("The formal candidates must be announced at least %(n)d days before "
                               "voting day.") % {"n": lead.value}, lead)
            election.candidates.filter(state=Candidate.State.NOMINATED).update(state=Candidate.State.FORMAL)
            election.candidates_announced_on = day
            changes["on"] = day
        elif action == "open_polling":
            _check_competitive(election, prof)
            pending = election.objections.filter(decision="").count()
            if pending:
                raise refuse(_("%(n)d objection(s) to the roll are still undecided.") % {"n": pending},
                             prof["decision_days"], pending=pending)
            if not election.stations.exists():
                raise BusinessError(_("Set up at least one polling station."), code="no_station")
            election.registered = election.voters.filter(removed=False).count()
            changes["registered"] = election.registered
        elif action == "start_supplementary":
            latest = election.results.order_by("-version").first()
            if latest is None or latest.outcome != Outcome.SUPPLEMENTARY_NEEDED:
                raise refuse(_("A supplementary round is held only when seats remain unfilled after a "
                               "valid first round."), prof["supplementary_floor"])
            election.round = 2
            election.supplementary_ballot = latest.result["supplementary_ballot"]
            changes["ballot"] = election.supplementary_ballot
        elif action == "cancel":
            election.voters.update(active=False)
        election.status = new
        election.save()
        record(actor=actor, action=f"elections.{action}", obj=election, area_code=election.area_code,
               changes=changes)
    return election


# --------------------------------------------------------------------------- tallies


def ballot(election: Election, round_no: int | None = None) -> list[dict[str, Any]]:
    """The posts on the ballot of a round, with seats and candidate names."""
    round_no = round_no or election.round
    if round_no == 2:
        return [dict(p) for p in election.supplementary_ballot]
    names: dict[int, list[str]] = {}
    for c in election.candidates.exclude(state=Candidate.State.WITHDRAWN).order_by("pk"):
        names.setdefault(c.post_id, []).append(c.name)
    return [{"post": p.code, "label": p.label, "seats": p.seats, "candidates": names.get(p.pk, [])}
            for p in election.posts.all()]


def normalise_tally(data: dict[str, Any]) -> dict[str, Any]:
    """Canonical form of a station tally (so two entries can be compared)."""
    def num(v: Any) -> int:
        try:
            n = int(v or 0)
        except (TypeError, ValueError):
            raise BusinessError(_("Figures must be whole numbers."), code="tally_malformed") from None
        if n < 0:
            raise BusinessError(_("Figures cannot be negative."), code="tally_malformed")
        return n

    out: dict[str, Any] = {"issued": num(data.get("issued")), "returned": num(data.get("returned")),
                           "posts": {}}
    for code, post in sorted((data.get("posts") or {}).items()):
        votes: dict[str, Any] = {}
        for name, raw in sorted((post.get("votes") or {}).items()):
            if isinstance(raw, dict):
                mark = {"for": num(raw.get("for")), "against": num(raw.get("against")),
                        "abstain": num(raw.get("abstain"))}
                votes[name] = mark if mark["against"] or mark["abstain"] else mark["for"]
            else:
                votes[name] = num(raw)
        writes = {str(n).strip(): num(v) for n, v in sorted((post.get("write_ins") or {}).items())
                  if str(n).strip() and num(v)}
        out["posts"][code] = {"invalid": num(post.get("invalid")), "votes": votes, "write_ins": writes}
    return out


def differences(a: dict[str, Any], b: dict[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    """Where two entries differ: ``[{"field", "first", "second"}]``."""
    out: list[dict[str, Any]] = []
    for key in sorted(set(a) | set(b)):
        va, vb = a.get(key), b.get(key)
        path = f"{prefix}{key}"
        if isinstance(va, dict) and isinstance(vb, dict):
            out.extend(differences(va, vb, path + "."))
        elif va != vb:
            out.append({"field": path, "first": va, "second": vb})
    return out


def _check_adds_up(election: Election, station: Station, data: dict[str, Any]) -> None:
    posts = ballot(election)
    tally.check_station({"station": station.name, **data}, {p["post"]: p["seats"] for p in posts},
                        profile_of(election), {p["post"]: p["candidates"] for p in posts})
    registered = registered_voters(election)
    if data["issued"] > registered:
        raise refuse(_("%(issued)d ballots issued but only %(registered)d voters registered.")
                     % {"issued": data["issued"], "registered": registered},
                     profile_of(election)["one_roll_only"])


def enter_tally(*, actor: Any, election_id: int, station_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """One of the two entries of a station's paper tally. The second must come from a
    different person; equal entries confirm the tally, different ones are shown and must
    be resolved. A tally that does not add up is refused and never confirmed."""
    with transaction.atomic():
        election = _election(actor, election_id, TALLY)
        _require_state(election, (Status.COUNTING,), _("Entering a tally"))
        station = election.stations.filter(pk=station_id).first()
        if station is None:
            raise NotFound(_("No such polling station."), code="station_not_found")
        clean = normalise_tally(data)
        _check_adds_up(election, station, clean)
        rnd = election.round
        if StationTally.objects.filter(station=station, round=rnd, current=True).exists():
            raise Conflict(_("This station's tally is already confirmed."), code="tally_confirmed")
        entries = list(TallyEntry.objects.filter(station=station, round=rnd).order_by("pk"))
        name = _actor_name(actor)
        if entries and any(e.entered_by_name == name for e in entries[-1:]) and len(entries) == 1:
            raise refuse(_("The second entry must be made by a different person."), DOUBLE_ENTRY)
        if len(entries) >= 2:
            raise Conflict(_("Both entries differ; resolve the difference."), code="tally_differs",
                           details={"differences": differences(entries[0].data, entries[1].data)})
        user = actor if getattr(actor, "pk", None) else None
        entry = TallyEntry.objects.create(election=election, station=station, round=rnd, data=clean,
                                          entered_by=user, entered_by_name=name)
        result: dict[str, Any] = {"station": station.pk, "entry": len(entries) + 1, "status": "first_entry",
                                  "differences": []}
        if entries:
            diff = differences(entries[0].data, clean)
            if diff:
                result.update(status="differs", differences=diff)
            else:
                StationTally.objects.create(election=election, station=station, round=rnd, data=clean,
                                            method=StationTally.Method.MATCHED)
                result["status"] = "confirmed"
        record(actor=actor, action="elections.enter_tally", obj=entry, area_code=election.area_code,
               changes={"station": station.pk, "round": rnd, "status": result["status"],
                        "differences": result["differences"]})
    return result


def resolve_tally(*, actor: Any, election_id: int, station_id: int, data: dict[str, Any], reason: str
                  ) -> StationTally:
    """Settle a difference between the two entries by checking the paper sheet."""
    with transaction.atomic():
        election = _election(actor, election_id, MANAGE)
        _require_state(election, (Status.COUNTING,), _("Resolving a tally"))
        station = election.stations.filter(pk=station_id).first()
        if station is None:
            raise NotFound(_("No such polling station."), code="station_not_found")
        entries = list(TallyEntry.objects.filter(station=station, round=election.round).order_by("pk"))
        if len(entries) < 2 or not differences(entries[0].data, entries[1].data):
            raise Conflict(_("There is no difference to resolve at this station."), code="nothing_to_resolve")
        if StationTally.objects.filter(station=station, round=election.round, current=True).exists():
            raise Conflict(_("This station's tally is already confirmed."), code="tally_confirmed")
        if not reason.strip():
            raise BusinessError(_("Say how the difference was resolved."), code="reason_required")
        clean = normalise_tally(data)
        _check_adds_up(election, station, clean)
        confirmed = StationTally.objects.create(election=election, station=station, round=election.round,
                                                data=clean, method=StationTally.Method.RESOLVED,
                                                reason=reason.strip()[:500])
        record(actor=actor, action="elections.resolve_tally", obj=confirmed, area_code=election.area_code,
               changes={"station": station.pk, "reason": confirmed.reason,
                        "differences": differences(entries[0].data, entries[1].data)})
    return confirmed


def registered_voters(election: Election) -> int:
    """Voters on the roll: frozen when polling opens, counted live before."""
    if election.registered is not None:
        return election.registered
    return election.voters.filter(removed=False).count()


def build_document(election: Election, *, posts: list[ElectionPost], candidates: list[tuple[int, str]],
                   stations: list[tuple[int, str, str]], confirmed: dict[tuple[int, int], dict[str, Any]],
                   registered: int) -> dict[str, Any]:
    """The counting engine's document from rows already loaded (one election or a batch).

    ``candidates``: (post id, name) of candidates not withdrawn, in nomination order;
    ``stations``: (id, name, kind); ``confirmed``: (station id, round) -> tally data.
    """
    names: dict[int, list[str]] = {}
    for post_id, name in candidates:
        names.setdefault(post_id, []).append(name)
    first = [{"post": p.code, "label": p.label, "seats": p.seats, "candidates": names.get(p.pk, [])}
             for p in posts]
    rounds: list[dict[str, Any]] = []
    for rnd in range(1, election.round + 1):
        missing = [name for pk, name, _kind in stations if (pk, rnd) not in confirmed]
        if missing:
            raise BusinessError(_("Tallies not yet confirmed: %(stations)s.")
                                % {"stations": "、".join(missing)}, code="tallies_missing",
                                details={"stations": missing, "round": rnd})
        item: dict[str, Any] = {"stations": [{"station": name, "kind": kind, **confirmed[(pk, rnd)]}
                                             for pk, name, kind in stations]}
        if rnd == 2:
            item["posts"] = [dict(p) for p in election.supplementary_ballot]
        rounds.append(item)
    return {"profile": election.profile, "registered": registered, "posts": first, "rounds": rounds}


def election_document(election: Election) -> dict[str, Any]:
    """The election as the counting engine's JSON document (``docs/elections.md``)."""
    return build_document(
        election, posts=list(election.posts.all()),
        candidates=list(election.candidates.exclude(state=Candidate.State.WITHDRAWN).order_by("pk")
                        .values_list("post_id", "name")),
        stations=list(election.stations.order_by("pk").values_list("pk", "name", "kind")),
        confirmed={(t.station_id, t.round): t.data
                   for t in StationTally.objects.filter(election=election, current=True)},
        registered=registered_voters(election))


def count(*, actor: Any, election_id: int) -> Result:
    """Count the confirmed tallies of every round so far with the counting engine."""
    with transaction.atomic():
        election = _election(actor, election_id, MANAGE)
        states.next_status(election.status, "count")
        result = _count(actor, election, reason="")
        election.status = Status.COUNTED
        election.outcome = result.outcome
        election.save(update_fields=["status", "outcome", "updated_at"])
        record(actor=actor, action="elections.count", obj=result, area_code=election.area_code,
               changes={"version": result.version, "outcome": result.outcome, "round": election.round})
    return result


def _count(actor: Any, election: Election, reason: str) -> Result:
    doc = election_document(election)
    counted = tally.count_election(doc)
    version = (election.results.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    return Result.objects.create(election=election, version=version, result=json.loads(json.dumps(counted)),
                                 outcome=counted["outcome"], counted_by_name=_actor_name(actor),
                                 recount_reason=reason)


def count_many(*, actor: Any, within: str, batch_size: int = 500) -> dict[str, int]:
    """Count every election in ``counting`` below ``within`` (election night for a
    district or a province): a few queries per batch of elections, the
    same document and engine as :func:`count`, one audit entry per street naming each
    election and its outcome. Elections with unconfirmed tallies are left for later."""
    authz.check(actor, MANAGE, within)
    rows = list(Election.objects.filter(area_code__startswith=within, status=Status.COUNTING)
                .order_by("area_code", "pk").values_list("pk", "area_code"))
    ids = [pk for pk, _code in rows]
    batches = [ids[i:i + batch_size] for i in range(0, len(ids), batch_size)]
    totals: dict[str, int] = {}
    for batch in batches:
        for outcome, n in _count_batch(actor, batch).items():
            totals[outcome] = totals.get(outcome, 0) + n
    return totals


def _count_batch(actor: Any, ids: list[int]) -> dict[str, int]:
    with transaction.atomic():
        elections = list(Election.objects.select_for_update().filter(pk__in=ids, status=Status.COUNTING))
        ids = [e.pk for e in elections]
        posts: dict[int, list[ElectionPost]] = {}
        for p in ElectionPost.objects.filter(election_id__in=ids).order_by("order", "pk"):
            posts.setdefault(p.election_id, []).append(p)
        cands: dict[int, list[tuple[int, str]]] = {}
        for eid, post_id, name in (Candidate.objects.filter(election_id__in=ids)
                                   .exclude(state=Candidate.State.WITHDRAWN).order_by("pk")
                                   .values_list("election_id", "post_id", "name")):
            cands.setdefault(eid, []).append((post_id, name))
        stations: dict[int, list[tuple[int, str, str]]] = {}
        for pk, eid, name, kind in (Station.objects.filter(election_id__in=ids).order_by("pk")
                                    .values_list("pk", "election_id", "name", "kind")):
            stations.setdefault(eid, []).append((pk, name, kind))
        confirmed: dict[int, dict[tuple[int, int], dict[str, Any]]] = {}
        for eid, sid, rnd, data in (StationTally.objects.filter(election_id__in=ids, current=True)
                                    .values_list("election_id", "station_id", "round", "data")):
            confirmed.setdefault(eid, {})[(sid, rnd)] = data
        live = dict(Voter.objects.filter(election_id__in=[e.pk for e in elections if e.registered is None],
                                         removed=False).values_list("election_id").annotate(n=Count("pk")))
        versions = dict(Result.objects.filter(election_id__in=ids).values_list("election_id")
                        .annotate(v=Max("version")))
        name = _actor_name(actor)
        results: list[Result] = []
        done: list[Election] = []
        outcomes: dict[str, int] = {}
        for e in elections:
            try:
                doc = build_document(e, posts=posts.get(e.pk, []), candidates=cands.get(e.pk, []),
                                     stations=stations.get(e.pk, []), confirmed=confirmed.get(e.pk, {}),
                                     registered=live.get(e.pk, 0) if e.registered is None else e.registered)
            except BusinessError:
                outcomes["incomplete"] = outcomes.get("incomplete", 0) + 1
                continue
            counted = tally.count_election(doc)
            results.append(Result(election=e, version=versions.get(e.pk, 0) + 1, result=counted,
                                  outcome=counted["outcome"], counted_by_name=name))
            e.status, e.outcome = Status.COUNTED, counted["outcome"]
            done.append(e)
            outcomes[counted["outcome"]] = outcomes.get(counted["outcome"], 0) + 1
        _insert_results(results)
        for outcome in {e.outcome for e in done}:
            Election.objects.filter(pk__in=[e.pk for e in done if e.outcome == outcome]).update(
                status=Status.COUNTED, outcome=outcome, updated_at=timezone.now())
        by_street: dict[str, dict[str, str]] = {}
        for e in done:  # one audit entry per street: chains stay per street
            by_street.setdefault(e.area_code[:9], {})[str(e.pk)] = e.outcome
        for street, counted_here in by_street.items():
            record(actor=actor, action="elections.count_batch", object_type="elections.election",
                   object_id=",".join(counted_here)[:200], area_code=street,
                   changes={"elections": counted_here})
    return outcomes


def _insert_results(results: list[Result]) -> None:
    """Insert new results; on PostgreSQL with COPY (election night writes tens of
    thousands of JSON documents, and COPY skips client-side quoting of each one)."""
    if connection.vendor != "postgresql":
        Result.objects.bulk_create(results, batch_size=500)
        return
    now = timezone.now()
    table = Result._meta.db_table
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} (election_id, version, result, outcome, counted_at, counted_by_name, "
            f"recount_reason) FROM STDIN") as copy:
        for r in results:
            copy.write_row((r.election_id, r.version, json.dumps(r.result, ensure_ascii=False), r.outcome,
                            now, r.counted_by_name, r.recount_reason))


def announce(*, actor: Any, election_id: int, on: date | None = None) -> Election:
    """Announce the counted result: it becomes immutable, the roll closes and the new
    committee is recorded as memberships in ``people``."""
    with transaction.atomic():
        election = _election(actor, election_id, MANAGE)
        states.next_status(election.status, "announce")
        result = election.results.order_by("-version").first()
        assert result is not None
        prof = profile_of(election)
        if result.outcome == Outcome.SUPPLEMENTARY_NEEDED:
            raise refuse(_("Seats are unfilled: hold the supplementary round before announcing."),
                         prof["supplementary_floor"])
        now = timezone.now() if on is None else timezone.make_aware(
            datetime.combine(on, time(18, 0)), timezone.get_current_timezone())
        result.announced_at = now
        result.save(update_fields=["announced_at"])
        election.status = Status.ANNOUNCED
        election.outcome = result.outcome
        election.announced_at = now
        election.save(update_fields=["status", "outcome", "announced_at", "updated_at"])
        election.voters.update(active=False)
        members = _record_committee(election, result, timezone.localtime(now).date()) if result.outcome in (
            Outcome.COMPLETE, Outcome.VACANT) else []
        record(actor=actor, action="elections.announce", obj=election, area_code=election.area_code,
               changes={"result": result.version, "outcome": result.outcome, "members": members})
    return election


def _record_committee(election: Election, result: Result, day: date) -> list[str]:
    """Write the elected committee as Body/Post/Membership rows (people's Popolo model)."""
    source = f"elections:{election.pk}"
    body = facade.bodies_of(election.area_code, BodyKind.RESIDENTS_COMMITTEE).order_by("pk").first()
    if body is None:
        area = Area.objects.filter(code=election.area_code).first()
        base = (area.name if area else election.area_code).replace("社区居委会", "社区").replace("居委会", "")
        body = Body.objects.create(kind=BodyKind.RESIDENTS_COMMITTEE, name=f"{base}居民委员会",
                                   area_code=election.area_code, founded_on=day)
    if election.kind == Kind.GENERAL:
        body.memberships.filter(Q(end_date__isnull=True) | Q(end_date__gte=day)).exclude(
            source=source).update(end_date=day - timedelta(days=1), end_reason="term ended: new committee")
    # a re-count replaces what an earlier announcement of this election recorded
    body.memberships.filter(source=source, end_date__isnull=True).update(
        end_date=day, end_reason="corrected by re-count")
    posts = {p.code: p for p in election.posts.all()}
    by_name = {c.name: c.voter.resident for c in election.candidates.select_related("voter__resident")}
    roll = {v.name: v.resident for v in election.voters.filter(removed=False).select_related("resident")}
    names = []
    for item in result.result["committee"]:
        ep = posts[item["post"]]
        post, _created = Post.objects.get_or_create(body=body, role=ep.code,
                                                    defaults={"label": ep.label, "seats": ep.seats})
        for person in item["elected"]:
            resident = by_name.get(person) or roll.get(person)
            Membership.objects.create(body=body, post=post, resident=resident, person_name=person,
                                      start_date=day, source=source)
            names.append(person)
    return names


def recount(*, actor: Any, election_id: int, station_id: int, data: dict[str, Any], reason: str,
            round_no: int = 1) -> Result:
    """The only correction of an announced result: a new confirmed tally version for the
    station, a new result version, an audit entry with before and after; the election
    must then be announced again."""
    with transaction.atomic():
        election = _election(actor, election_id, RECOUNT)
        states.next_status(election.status, "recount")
        if not reason.strip():
            raise BusinessError(_("A re-count needs a reason."), code="reason_required")
        station = election.stations.filter(pk=station_id).first()
        if station is None or round_no not in range(1, election.round + 1):
            raise NotFound(_("No such polling station or round."), code="station_not_found")
        old = StationTally.objects.select_for_update().get(station=station, round=round_no, current=True)
        clean = normalise_tally(data)
        saved_round, election.round = election.round, round_no
        _check_adds_up(election, station, clean)
        election.round = saved_round
        old.current = False
        StationTally.objects.filter(pk=old.pk).update(current=False)
        StationTally.objects.create(election=election, station=station, round=round_no, data=clean,
                                    method=StationTally.Method.RECOUNT, version=old.version + 1,
                                    reason=reason.strip()[:500])
        before = election.results.order_by("-version").first()
        result = _count(actor, election, reason=reason.strip()[:500])
        election.status = Status.COUNTED
        election.outcome = result.outcome
        election.save(update_fields=["status", "outcome", "updated_at"])
        record(actor=actor, action="elections.recount", obj=result, area_code=election.area_code,
               changes={"station": station.pk, "round": round_no, "reason": reason,
                        "tally": [old.data, clean],
                        "outcome": [before.outcome if before else None, result.outcome],
                        "version": result.version})
    return result
