"""The election's printed documents through ``shequ.documents`` (one layout, Chinese
font, numbered and dated): the results announcement (选举结果公告; a recall vote's is
罢免表决结果公告), the public roll (选民榜)
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
from shequ.elections.models import Election, Kind, Outcome, Voter

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
    """选举结果公告: the first round's figures, every round's votes, the new committee. A
    recall vote's is its own (罢免表决结果公告, :func:`recall_announcement`)."""
    from shequ.elections.selectors import announced_result, latest_result

    if election.kind == Kind.RECALL:
        return recall_announcement(election, actor)
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
        if res is not None:
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


def _recall_outcome(outcome: str, subject: str) -> str:
    words = {
        Outcome.RECALLED: _("Result: %(subject)s is recalled."),
        Outcome.NOT_RECALLED: _("Result: %(subject)s is not recalled: the recall was not "
                                "approved by more than half of those who voted."),
        Outcome.INVALID_TURNOUT: _("Result: the vote is invalid, as not more than half of the "
                                   "registered voters voted; %(subject)s is not recalled."),
        Outcome.VOID: _("Result: the vote is invalid, as more ballots were returned than "
                        "issued; %(subject)s is not recalled."),
    }
    return words.get(Outcome(outcome), words[Outcome.VOID]) % {"subject": subject}


def _recall_figures(election: Election, rec: dict[str, Any], outcome: str) -> list[
        str | TableBlock]:
    """The figures, then each rule applied to them with its citation."""
    from shequ.elections.rules import profile_of, rule_in
    from shequ.rules.shares import share_needed

    reg, issued, returned = int(rec["registered"]), int(rec["issued"]), int(rec["returned"])
    approve = int(rec["approve"])
    rows = [[_("Voters registered to vote"), _("%(n)d people") % {"n": reg}],
            [_("Ballots issued"), _("%(n)d ballots") % {"n": issued}],
            [_("Ballots cast (returned)"), _("%(n)d ballots, %(pct)s of the registered voters")
             % {"n": returned, "pct": _percent(returned / reg) if reg else "—"}],
            [_("of which invalid"), _("%(n)d ballots") % {"n": int(rec["invalid"])}],
            [_("Approve the recall"), _("%(n)d votes, %(pct)s of the ballots cast")
             % {"n": approve, "pct": _percent(approve / returned) if returned else "—"}],
            [_("Against the recall"), _("%(n)d votes") % {"n": int(rec["against"])}],
            [_("Abstain"), _("%(n)d votes") % {"n": int(rec["abstain"])}]]
    header = [_("Item"), pgettext("recall announcement", "Number")]
    parts: list[str | TableBlock] = [TableBlock(header, rows, [80, 70])]
    prof = profile_of(election)
    turnout, approval = rule_in(prof, "recall_turnout"), rule_in(prof, "recall_approval")
    if outcome == Outcome.VOID:
        parts.append(_("%(returned)d ballots were returned but only %(issued)d issued: the "
                       "vote is invalid (%(source)s).") % {
            "returned": returned, "issued": issued,
            "source": prof.rule("void_if_returned_exceeds_issued").source()})
        return parts
    valid = outcome != Outcome.INVALID_TURNOUT
    parts.append((_("Rule applied: the vote is valid only if %(rule)s of the registered voters "
                    "vote; %(returned)d of %(registered)d voted, so the vote is valid.") if valid
                  else _("Rule applied: the vote is valid only if %(rule)s of the registered "
                         "voters vote; %(returned)d of %(registered)d voted, so the vote is "
                         "not valid.")) % {"rule": turnout.display(), "returned": returned,
                                           "registered": reg})
    if valid:
        parts.append(_("Rule applied: a recall passes only with the approval of %(rule)s of "
                       "those who voted, that is %(needed)d of the %(returned)d ballots cast "
                       "or more; %(approve)d approve.") % {
            "rule": approval.display(), "returned": returned, "approve": approve,
            "needed": share_needed(str(approval.value), returned)})
    sources = dict.fromkeys([turnout.source()] + ([approval.source()] if valid else []))
    parts.append(_("Source: %(source)s.") % {"source": "；".join(sources)})
    return parts


def recall_announcement(election: Election, actor: Any = None) -> bytes:
    """罢免表决结果公告 (ADR 0612): the question, the figures of the vote, the rules applied
    with their citation and the outcome (罢免 / 未罢免 / 表决无效); no candidates and no
    committee."""
    from shequ.elections.selectors import announced_result, latest_result

    with translation.override("zh-hans"):
        res = announced_result(election) or latest_result(election)
        subject = election.recall_subject
        parts: list[str | TableBlock] = [
            _("On %(day)s the voters voted on whether to recall %(subject)s.")
            % {"day": long_date(election.voting_day), "subject": subject}]
        number, footnote = "", ""
        if res is None:
            parts.append(_("The vote has not been counted yet."))
        else:
            number = _number("announcement", election, election, actor)
            parts.extend(_recall_figures(election, res.result["recall"], res.outcome))
            parts.append(_recall_outcome(res.outcome, subject))
            footnote = (_("Result version %(v)d, corrected by a re-count: %(reason)s.")
                        % {"v": res.version, "reason": res.recount_reason}
                        if res.recount_reason else _("Result version %(v)d.") % {"v": res.version})
        doc = Document(title=_("Announcement of the result of the recall vote"), number=number,
                       paragraphs=parts, issuer=_committee(election),
                       issued_on=timezone.localdate(), footnote=footnote)
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
