"""Station tally sheets typed twice by two different people; differences resolved
against the paper sheet (ADR 0604)."""

from __future__ import annotations

import copy
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ.audit.services import record
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.elections import tally
from shequ.elections.enums import AuditAction, Code
from shequ.elections.errors import refuse
from shequ.elections.lifecycles import WINDOWS
from shequ.elections.models import Election, Kind, Station, StationTally, TallyEntry
from shequ.elections.rules import DOUBLE_ENTRY, profile_of
from shequ.elections.selectors import ballot, differences, registered_voters
from shequ.elections.services._base import actor_name, locked, text
from shequ.elections.tally import MAX_FIGURE


def normalise_tally(data: dict[str, Any]) -> dict[str, Any]:
    """Canonical form of a station tally (so two entries can be compared)."""
    def num(v: Any) -> int:
        try:
            n = int(v or 0)
        except (TypeError, ValueError):
            raise BusinessError(_("Figures must be whole numbers."),
                                code=Code.TALLY_MALFORMED) from None
        if n < 0:
            raise BusinessError(_("Figures cannot be negative."), code=Code.TALLY_MALFORMED)
        if n > MAX_FIGURE:
            raise BusinessError(_("Figures above %(max)s are not possible in a community.")
                                % {"max": f"{MAX_FIGURE:,}"}, code=Code.TALLY_MALFORMED)
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
        out["posts"][code] = {"invalid": num(post.get("invalid")), "votes": votes,
                              "write_ins": writes}
    return out


def check_adds_up(election: Election, station: Station, data: dict[str, Any],
                  round_no: int | None = None) -> None:
    """Refuse a sheet that does not add up against the ballot of its round."""
    if election.kind == Kind.RECALL and any(p.get("write_ins")
                                            for p in (data.get("posts") or {}).values()):
        raise BusinessError(_("A recall ballot asks one question: it has no write-ins."),
                            code=Code.TALLY_MALFORMED)
    posts = ballot(election, round_no)
    prof = profile_of(election)
    tally.check_station({"station": station.name, **data}, {p["post"]: p["seats"] for p in posts},
                        prof, {p["post"]: p["candidates"] for p in posts},
                        {p["post"]: p["label"] for p in posts})
    registered = registered_voters(election)
    if data["issued"] > registered:
        raise refuse(_("%(issued)d ballots issued but only %(registered)d voters registered.")
                     % {"issued": data["issued"], "registered": registered},
                     prof.rule("one_roll_only"))


def _settled(agreed: dict[str, Any], diffs: list[dict[str, Any]],
             fields: dict[str, Any]) -> dict[str, Any]:
    """The first entry with each differing field set to the checked figure; every
    differing field must be given, and nothing else."""
    wanted = {d["field"] for d in diffs}
    missing = sorted(wanted - set(fields))
    extra = sorted(set(fields) - wanted)
    if missing or extra:
        raise BusinessError(_("Give the checked figure of each differing field, and only of "
                              "those (%(n)d field(s)).") % {"n": len(wanted)},
                            code=Code.TALLY_MALFORMED,
                            details={"missing": missing, "not_differing": extra})
    data = copy.deepcopy(agreed)
    for path, value in fields.items():
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise BusinessError(_("Figures must be whole numbers."), code=Code.TALLY_MALFORMED)
        node = data
        keys = path.split(".")
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value
    return data


def _station(election: Election, station_id: int) -> Station:
    station = election.stations.filter(pk=station_id).first()
    if station is None:
        raise NotFound(_("No such polling station."), code=Code.STATION_NOT_FOUND)
    return station


def enter_tally(*, actor: Any, election_id: int, station_id: int,
                data: dict[str, Any]) -> dict[str, Any]:
    """One of the two entries of a station's paper tally. The second must come from a
    different person; equal entries confirm the tally, different ones are shown and must
    be resolved. A tally that does not add up is refused and never confirmed."""
    window = WINDOWS["enter_tally"]
    with transaction.atomic():
        election = locked(actor, election_id, window.perm)
        window.require(election)
        station = _station(election, station_id)
        clean = normalise_tally(data)
        check_adds_up(election, station, clean)
        rnd = election.round
        if StationTally.objects.filter(station=station, round=rnd, current=True).exists():
            raise Conflict(_("This station's tally is already confirmed."),
                           code=Code.TALLY_CONFIRMED)
        entries = list(TallyEntry.objects.filter(station=station, round=rnd).order_by("pk"))
        name = actor_name(actor)
        user_id = getattr(actor, "pk", None)
        if len(entries) == 1 and (entries[0].entered_by_id == user_id if user_id is not None
                                  and entries[0].entered_by_id is not None
                                  else entries[0].entered_by_name == name):
            raise refuse(_("The second entry must be made by a different person."), DOUBLE_ENTRY)
        if len(entries) >= 2:
            raise Conflict(_("Both entries differ; resolve the difference."),
                           code=Code.TALLY_DIFFERS,
                           details={"differences": differences(entries[0].data, entries[1].data)})
        user = actor if getattr(actor, "pk", None) else None
        entry = TallyEntry.objects.create(election=election, station=station, round=rnd,
                                          data=clean, entered_by=user, entered_by_name=name)
        result: dict[str, Any] = {"station": station.pk, "entry": len(entries) + 1,
                                  "status": "first_entry", "differences": []}
        if entries:
            diff = differences(entries[0].data, clean)
            if diff:
                result.update(status="differs", differences=diff)
            else:
                StationTally.objects.create(election=election, station=station, round=rnd,
                                            data=clean, method=StationTally.Method.MATCHED)
                result["status"] = "confirmed"
        record(actor=actor, action=AuditAction.TALLY_ENTER, obj=entry,
               area_code=election.area_code,
               changes={"station": station.pk, "round": rnd, "status": result["status"],
                        "differences": result["differences"]})
    return result


def resolve_tally(*, actor: Any, election_id: int, station_id: int,
                  data: dict[str, Any] | None = None, reason: str,
                  fields: dict[str, Any] | None = None) -> StationTally:
    """Settle a difference between the two entries by checking the paper sheet: either
    ``fields`` (the checked figure of each differing field only, ``{"posts.member.votes.
    杨洋": 12}``: every other figure is the one both entries agree on) or a whole sheet
    (``data``, the API's older form)."""
    window = WINDOWS["resolve_tally"]
    with transaction.atomic():
        election = locked(actor, election_id, window.perm)
        window.require(election)
        station = _station(election, station_id)
        entries = list(TallyEntry.objects.filter(station=station, round=election.round)
                       .order_by("pk"))
        diffs = differences(entries[0].data, entries[1].data) if len(entries) >= 2 else []
        if not diffs:
            raise Conflict(_("There is no difference to resolve at this station."),
                           code=Code.NOTHING_TO_RESOLVE)
        if StationTally.objects.filter(station=station, round=election.round, current=True).exists():
            raise Conflict(_("This station's tally is already confirmed."),
                           code=Code.TALLY_CONFIRMED)
        reason = text(reason, what=_("The reason"), maxlen=500, required=True,
                      message=_("Say how the difference was resolved."))
        if fields is not None:
            data = _settled(entries[0].data, diffs, fields)
        clean = normalise_tally(data or {})
        check_adds_up(election, station, clean)
        confirmed = StationTally.objects.create(election=election, station=station,
                                                round=election.round, data=clean,
                                                method=StationTally.Method.RESOLVED, reason=reason)
        record(actor=actor, action=AuditAction.TALLY_RESOLVE, obj=confirmed,
               area_code=election.area_code,
               changes={"station": station.pk, "reason": reason, "differences": diffs,
                        "settled": fields if fields is not None else None})
    return confirmed
