"""The voter roll: built from the register, additions with basis and reason, polling
stations, written proxies (村民委员会组织法 第十三条、第十五条)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.audit.services import record
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.elections.enums import AuditAction, Code
from shequ.elections.errors import refuse
from shequ.elections.lifecycles import WINDOWS
from shequ.elections.models import Basis, Election, Mode, Proxy, Relation, Station, Voter
from shequ.elections.rules import profile_of, rule_in
from shequ.elections.services._base import locked, text, today
from shequ.people import facade

if TYPE_CHECKING:
    from shequ.people.models import Resident
    from shequ.rules import Profile


def on_other_roll(id_hash: str, election: Election) -> Voter | None:
    return (Voter.objects.filter(id_hash=id_hash, active=True).exclude(election=election)
            .select_related("election").first())


def build_roll(*, actor: Any, election_id: int) -> dict[str, int]:
    """Put everyone eligible by the register on the roll (18+ on voting day, registered
    and living here, not deprived of political rights); in household mode one adult per
    household (the head when eligible). Group representatives are added one by one."""
    window = WINDOWS["build_roll"]
    with transaction.atomic():
        election = locked(actor, election_id, window.perm)
        window.require(election)
        prof = profile_of(election)
        counts = {"added": 0, "already": 0, "on_other_roll": 0}
        if election.mode == Mode.GROUP_REPRESENTATIVES:
            return counts
        eligible = (facade.eligible_voters(election.area_code, election.voting_day)
                    .filter(registered_here=True, lives_here=True,
                            # a recall of a representative: the voters of their compound
                            area_code__startswith=election.roll_area_code or election.area_code)
                    .select_related("household").order_by("birth_date", "pk"))
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
                new.append(Voter(election=election, area_code=r.area_code, resident=r,
                                 id_hash=r.id_hash, name=r.name, sex=r.sex, basis=basis,
                                 station=station))
        Voter.objects.bulk_create(new, batch_size=1000)
        counts["added"] = len(new)
        record(actor=actor, action=AuditAction.ROLL_BUILD, obj=election,
               area_code=election.area_code,
               changes={**counts, "rule": str(prof.rule("voting_age").citation)})
    return counts


def _resident(community_code: str, resident_id: int | None, identity_number: str | None) -> Resident:
    resident = None
    if resident_id is not None:
        resident = facade.residents_of(community_code).filter(pk=resident_id).first()
    elif identity_number:
        resident = facade.resident_by_identity(identity_number)
    if resident is None:
        raise NotFound(_("No such resident in the register."), code=Code.RESIDENT_NOT_FOUND)
    return resident


@dataclass(frozen=True)
class Confirmation:
    """The election committee's confirmation of a community worker's request: the day
    and the record (e.g. 选举委员会第3次会议纪要)."""

    on: date | None
    record: str


def add_voter(*, actor: Any, election_id: int, basis: str, reason: str,
              resident_id: int | None = None, identity_number: str | None = None,
              group: str = "", station_id: int | None = None,
              confirmed_on: date | None = None, confirmation: str = "") -> Voter:
    """Add one person to the roll, with the basis and reason (村民委员会组织法 第十三条; the
    2025 bases of ADR 0609)."""
    window = WINDOWS["add_voter"]
    with transaction.atomic():
        election = locked(actor, election_id, window.perm)
        window.require(election)
        resident = _resident(election.area_code, resident_id, identity_number)
        confirm = Confirmation(confirmed_on, confirmation or "") if basis == Basis.COMMUNITY_WORKER \
            else None
        return add_resident(actor, election, resident, basis, reason, group, station_id,
                            confirm=confirm)


def add_resident(actor: Any, election: Election, resident: Resident, basis: str, reason: str,
                 group: str = "", station_id: int | None = None, *,
                 confirm: Confirmation | None = None) -> Voter:
    """Put ``resident`` on the roll of a locked ``election`` after every check of the law
    (also used when an objection that someone is missing is upheld)."""
    prof = profile_of(election)
    if basis not in Basis.values:
        raise BusinessError(_("Unknown basis %(basis)s.") % {"basis": basis}, code=Code.UNKNOWN_BASIS)
    reason = text(reason, what=_("The reason"), maxlen=300,
                  required=basis != Basis.REGISTERED_RESIDENT,
                  message=_("An addition to the roll needs a reason."))
    group = text(group, what=_("The residents' group"), maxlen=50)
    age = prof.rule("voting_age")
    if not facade.adults_of(resident.community_code, election.voting_day).filter(pk=resident.pk).exists():
        raise refuse(_("%(name)s is not %(age)d or older on voting day, or no longer lives in the "
                       "register.") % {"name": resident.name, "age": age.value}, age)
    if resident.deprived_of_political_rights:
        raise refuse(_("People deprived of political rights cannot vote."), age,
                     reason="deprived_of_political_rights")
    if (resident.community_code != election.area_code
            and basis not in (Basis.RESIDENT_ONE_YEAR, Basis.COMMUNITY_WORKER)):
        raise refuse(_("%(name)s is registered in another community.") % {"name": resident.name},
                     prof.rule("one_roll_only"))
    if election.roll_area_code and not resident.area_code.startswith(election.roll_area_code):
        raise BusinessError(_("%(name)s does not live in the area whose voters decide this "
                              "recall.") % {"name": resident.name}, code=Code.RECALL_BALLOT,
                            details={"roll_area": election.roll_area_code})
    if basis == Basis.REGISTERED_AWAY and not resident.registered_here:
        raise refuse(_("Only people registered here may ask to vote while living away."),
                     rule_in(prof, "residence_months"))
    confirmed_on, confirmation = None, ""
    if basis == Basis.RESIDENT_ONE_YEAR:
        check_residence(prof, resident, election.voting_day)
    if basis == Basis.COMMUNITY_WORKER:
        confirmed_on, confirmation = check_worker(prof, election, resident, confirm)
    if basis == Basis.GROUP_REPRESENTATIVE:
        cap = prof.rule("group_representatives_max")
        if not group:
            raise BusinessError(_("Name the residents' group this representative stands for."),
                                code=Code.GROUP_REQUIRED)
        if election.voters.filter(group=group, removed=False).count() >= cap.value:
            raise refuse(_("Group %(group)s already has %(n)d representatives.")
                         % {"group": group, "n": cap.value}, cap)
    if election.voters.filter(id_hash=resident.id_hash).exists():
        raise Conflict(_("%(name)s is already on this roll.") % {"name": resident.name},
                       code=Code.ALREADY_ON_ROLL)
    other = on_other_roll(resident.id_hash, election)
    if other is not None:
        raise refuse(_("%(name)s is already on the roll of %(election)s; nobody may be on two "
                       "rolls.") % {"name": resident.name, "election": other.election.name},
                     prof.rule("one_roll_only"), other_election=other.election_id)
    station = (election.stations.filter(pk=station_id).first() if station_id else
               election.stations.filter(kind=Station.Kind.FIXED).first())
    try:
        with transaction.atomic():
            voter = Voter.objects.create(
                election=election, area_code=resident.area_code, resident=resident,
                id_hash=resident.id_hash, name=resident.name, sex=resident.sex, basis=basis,
                reason=reason, group=group, station=station, confirmed_on=confirmed_on,
                confirmation=confirmation)
    except IntegrityError:
        raise refuse(_("%(name)s is already on another open roll; nobody may be on two rolls.")
                     % {"name": resident.name}, prof.rule("one_roll_only")) from None
    record(actor=actor, action=AuditAction.VOTER_ADD, obj=voter, area_code=election.area_code,
           changes={"election": election.pk, "basis": basis, "reason": reason, "group": group,
                    "confirmed_on": confirmed_on, "confirmation": confirmation})
    return voter


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day when the
    month is shorter: 31 August less 6 months is 28 or 29 February)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def check_residence(prof: Profile, resident: Resident, voting_day: date) -> None:
    """A resident without household registration here: living here, for the profile's
    period before voting day (none under the 2018 law, six months under the 2025
    revision as the provincial measures apply it, ADR 0609)."""
    rule = rule_in(prof, "residence_months")
    months = int(rule.value)
    since = resident.residence_since
    if not resident.lives_here:
        raise refuse(_("%(name)s does not live in this community.") % {"name": resident.name},
                     rule)
    if months == 0:
        return
    limit = months_before(voting_day, months)
    if since is None or since > limit:
        raise refuse(_("Residents without household registration here may vote after living "
                       "here for %(n)d months (since %(limit)s at the latest).")
                     % {"n": months, "limit": limit}, rule, residence_since=since,
                     latest_since=limit)


def check_worker(prof: Profile, election: Election, resident: Resident,
                 confirm: Confirmation | None) -> tuple[date, str]:
    """A community worker who lives and is registered elsewhere: only where the profile
    allows it, after the profile's months of work here, on their own request and with the
    election committee's confirmation (its date and record). Returns both."""
    allowed = rule_in(prof, "workers_may_register")
    if not allowed.value:
        raise refuse(_("This election's rules do not let community workers from elsewhere "
                       "register."), allowed)
    period = rule_in(prof, "worker_months")
    since = facade.community_worker_since(resident.pk, election.area_code)
    if since is None:
        raise refuse(_("%(name)s is not a serving community worker of this community.")
                     % {"name": resident.name}, period)
    limit = months_before(election.voting_day, int(period.value))
    if since > limit:
        raise refuse(_("A community worker may register after working here for %(n)d months "
                       "(since %(limit)s at the latest); %(name)s has worked here since "
                       "%(since)s.") % {"n": period.value, "limit": limit, "name": resident.name,
                                        "since": since}, period, worked_since=since,
                     latest_since=limit)
    if confirm is None or confirm.on is None or not confirm.record.strip():
        raise BusinessError(_("A community worker is registered only with the election "
                              "committee's confirmation: enter its date and record."),
                            code=Code.CONFIRMATION_REQUIRED, details={"rule": allowed.key})
    if confirm.on > timezone.localdate():
        raise BusinessError(_("The confirmation date %(day)s is in the future.")
                            % {"day": confirm.on}, code=Code.DATE_IN_FUTURE)
    if confirm.on > election.voting_day:
        raise BusinessError(_("The confirmation date must not be after voting day."),
                            code=Code.DATE_IN_FUTURE)
    record_text = text(confirm.record, what=_("The confirmation record"), maxlen=200)
    return confirm.on, record_text


def assign_station(*, actor: Any, election_id: int, station_id: int, voter_ids: list[int]) -> int:
    """Send voters to a polling station (or mobile ballot box)."""
    window = WINDOWS["assign_station"]
    with transaction.atomic():
        election = locked(actor, election_id, window.perm)
        window.require(election)
        station = election.stations.filter(pk=station_id).first()
        if station is None:
            raise NotFound(_("No such polling station."), code=Code.STATION_NOT_FOUND)
        n = election.voters.filter(pk__in=voter_ids).update(station=station)
        record(actor=actor, action=AuditAction.VOTER_ASSIGN, obj=station,
               area_code=election.area_code, changes={"voters": n})
    return n


def register_proxy(*, actor: Any, election_id: int, principal_id: int, proxy_id: int,
                   relation: str, on: date | None = None) -> Proxy:
    """A written proxy: only to a close relative who is also a voter, and no voter holds
    more proxies than the profile allows."""
    window = WINDOWS["register_proxy"]
    with transaction.atomic():
        election = locked(actor, election_id, window.perm)
        window.require(election)
        prof = profile_of(election)
        relatives = prof.rule("proxy_relatives")
        if relatives.value and relation not in Relation.values:
            raise refuse(_("A written proxy may be given only to a close relative."), relatives,
                         relation=relation, relations=list(Relation.values))
        if relation not in Relation.values:
            raise BusinessError(_("Unknown relation %(relation)s.") % {"relation": relation},
                                code=Code.UNKNOWN_RELATION)
        principal = election.voters.filter(pk=principal_id, removed=False).first()
        proxy = election.voters.filter(pk=proxy_id, removed=False).first()
        if principal is None or proxy is None or principal.pk == proxy.pk:
            raise refuse(_("Both the voter and the proxy must be different people on this roll."),
                         relatives)
        if Proxy.objects.filter(principal=principal).exists():
            raise Conflict(_("This voter has already given a proxy."), code=Code.PROXY_EXISTS)
        if Proxy.objects.filter(principal=proxy).exists():
            raise refuse(_("Someone who has given a proxy cannot hold one."), relatives)
        cap = prof.rule("proxies_per_voter_max")
        if Proxy.objects.filter(proxy=proxy).count() >= cap.value:
            raise refuse(_("%(name)s already holds %(n)d proxies.")
                         % {"name": proxy.name, "n": cap.value}, cap)
        p = Proxy.objects.create(election=election, principal=principal, proxy=proxy,
                                 relation=relation, registered_on=today(on))
        record(actor=actor, action=AuditAction.PROXY_REGISTER, obj=p, area_code=election.area_code,
               changes={"principal": principal.pk, "proxy": proxy.pk, "relation": relation})
    return p
