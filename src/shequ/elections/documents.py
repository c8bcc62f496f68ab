"""The election's printed documents through ``shequ.documents`` (one layout, Chinese
font, numbered and dated): the results announcement (选举结果公告), the public roll (选民榜)
and a voter's card (选民证). Official documents are always in Chinese, whatever the
reader's language (ADR 0611). The number is drawn on first printing and kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shequ.areas.models import Area
from shequ.authz import SYSTEM
from shequ.documents import services as documents
from shequ.documents.render import Document, TableBlock, long_date, render
from shequ.elections.models import Election, Outcome, Voter

KINDS = {"announcement": ("elections.announcement", "居选公"),
         "roll": ("elections.roll", "居选榜"),
         "card": ("elections.voter_card", "居选证")}


def _percent(share: Any) -> str:
    """0.9167 → 91.7%."""
    return f"{Decimal(str(share)) * 100:.1f}%"


def _committee(election: Election) -> str:
    """Who signs: the community's election committee."""
    name = Area.objects.filter(code=election.area_code).values_list("name", flat=True).first()
    base = (name or election.area_code).replace("社区居委会", "社区").replace("居委会", "")
    return _("%(community)s Residents' Election Committee") % {"community": base}


def _number(kind: str, obj: Any, election: Election, actor: Any) -> str:
    key, prefix = KINDS[kind]
    who = actor if actor is not None and getattr(actor, "is_authenticated", False) else SYSTEM
    return documents.issue(actor=who, kind=key, prefix=prefix, issuer_code=election.area_code,
                           obj=obj, area_code=election.area_code,
                           on=timezone.localdate()).number


def announcement(election: Election, actor: Any = None) -> bytes:
    """选举结果公告: the first round's figures, every round's votes, the new committee."""
    from shequ.elections.selectors import announced_result, latest_result

    with translation.override("zh-hans"):
        res = announced_result(election) or latest_result(election)
        parts: list[str | TableBlock] = []
        if res is None:
            parts.append(_("No result has been counted yet."))
            number = ""
        else:
            number = _number("announcement", election, election, actor)
            r = res.result
            first = r["rounds"][0]
            parts.append(_("The election was held on %(day)s. Registered voters: %(reg)d; "
                           "ballots issued: %(issued)d; ballots returned: %(returned)d; "
                           "turnout %(turnout)s.") % {
                "day": long_date(election.voting_day), "reg": first["registered"],
                "issued": first["issued"], "returned": first["returned"],
                "turnout": _percent(first["turnout"])})
            parts.append(_("Outcome: %(outcome)s.") % {"outcome": Outcome(r["outcome"]).label})
            if r.get("kind") == "recall":  # one question, no committee (ADR 0612)
                rec = r["recall"]
                parts.append(_("%(question)s: %(approve)d for, %(against)d against, "
                               "%(abstain)d abstaining, %(invalid)d invalid ballots.") % {
                    "question": r["committee"][0]["label"], "approve": rec["approve"],
                    "against": rec["against"], "abstain": rec["abstain"],
                    "invalid": rec["invalid"]})
        if res is not None and res.result.get("kind") != "recall":
            r = res.result
            for rnd in r["rounds"]:
                label = _("First round") if rnd["round"] == "first" else _("Supplementary round")
                rows = [[post["label"], c["name"] + ("*" if c["write_in"] else ""),
                         _("%(n)d votes") % {"n": c["for"]},
                         _("elected") if c["status"] == "elected" else ""]
                        for post in rnd.get("posts", []) for c in post["candidates"]]
                parts.append(_("%(round)s: %(returned)d ballots returned.")
                             % {"round": label, "returned": rnd["returned"]})
                if rows:
                    parts.append(TableBlock([_("Post"), _("Name"), _("Votes"), _("Result")], rows,
                                            [35, 50, 35, 30]))
            parts.append(_("The new committee:"))
            for post in r["committee"]:
                names = "、".join(post["elected"]) or "—"
                vacant = (_("(%(n)d seat(s) vacant)") % {"n": post["vacant"]}
                          if post["vacant"] else "")
                parts.append(f"{post['label']}：{names}{vacant}")
        doc = Document(
            title=_("Announcement of the results of %(election)s") % {"election": election.name},
            number=number, paragraphs=parts, issuer=_committee(election),
            issued_on=timezone.localdate(),
            footnote=(_("* write-in candidate. Result version %(v)d.") % {"v": res.version})
            if res is not None else "")
        return render(doc)


def roll(election: Election, actor: Any = None) -> bytes:
    """选民榜: the public roll, by residents' group and name (names and sex only: the
    identity numbers stay off the wall)."""
    from shequ.elections.selectors import roll as roll_of

    with translation.override("zh-hans"):
        voters = list(roll_of(election).order_by("group", "name", "pk"))
        rows = [[i, v.name, _sex(v.sex), v.group or "—",
                 v.station.name if v.station_id and v.station else "—"]
                for i, v in enumerate(voters, start=1)]
        published = election.roll_published_on or timezone.localdate()
        doc = Document(
            title=_("Roll of voters of %(election)s") % {"election": election.name},
            number=_number("roll", election, election, actor),
            paragraphs=[
                _("The following %(n)d residents are registered to vote on %(day)s.")
                % {"n": len(voters), "day": long_date(election.voting_day)},
                TableBlock([pgettext("roll", "No."), _("Name"), _("Sex"), _("Residents' group"),
                            _("Polling station")], rows, [15, 40, 20, 40, 45]),
                _("Anyone who finds the roll wrong may object to the election committee within "
                  "five days of its publication; the committee decides within three days."),
            ],
            issuer=_committee(election), issued_on=published)
        return render(doc)


def _sex(code: str) -> str:
    return {"F": _("female"), "M": _("male")}.get(code, "—")


def voter_card(voter: Voter, actor: Any = None) -> bytes:
    """选民证: who may vote, where and when."""
    election = voter.election
    with translation.override("zh-hans"):
        station = voter.station.name if voter.station_id and voter.station else "—"
        place = voter.station.place if voter.station_id and voter.station else ""
        doc = Document(
            title=_("Voter's card"), number=_number("card", voter, election, actor),
            paragraphs=[
                _("%(name)s (%(sex)s) is a registered voter in %(election)s.")
                % {"name": voter.name, "sex": _sex(voter.sex), "election": election.name},
                TableBlock([_("Voting day"), _("Polling station"), _("Place")],
                           [[long_date(election.voting_day), station, place or "—"]],
                           [45, 55, 60]),
                _("Bring this card and your identity card to the polling station on voting day."),
            ],
            issuer=_committee(election), issued_on=timezone.localdate())
        return render(doc)
