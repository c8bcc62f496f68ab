"""``shequ autonomy``: resident self-governance from the command line (as the system).

    shequ autonomy rules 510104022009               # the rule profile in force, with citations
    shequ autonomy override urban quorum 510104 ">=2/3" --citation "锦江区议事规则"
                                                    # (the same as ``shequ rules set autonomy …``)
    shequ autonomy roster 510104022009              # public roster (names only)
    shequ autonomy constituency 510104022009 --name 锦绣苑 --kind compound --households 120
    shequ autonomy appoint 3 --resident 5 --term-start 2026-01-01
    shequ autonomy by-elect 7 --resident 9 --reason "迁出本社区"
    shequ autonomy proposals 510104022009 [--state submitted]
    shequ autonomy show 12                          # one proposal and its history
    shequ autonomy propose 510104022009 --resident 5 --title … --body …
    shequ autonomy cosign 12 --resident 6
    shequ autonomy review 12 --admit|--reject --reason …
    shequ autonomy convene 510104022009 --title … --agenda … --held-on 2026-12-10
    shequ autonomy schedule 12 --meeting 3
    shequ autonomy attendance 3 --present 1,2,3,4
    shequ autonomy vote 7 --representative 2 --choice for
    shequ autonomy close-motion 7
    shequ autonomy assign 12 --to "社区公共服务站" --deadline 2027-01-31
    shequ autonomy plan-disclosures 510104022009 --year 2027
    shequ autonomy flag-overdue [--on 2026-12-01]
    shequ autonomy recall-vote 4 --voting-day 2027-01-20 --station 第一投票站 [--on DAY]
    shequ autonomy recall-result 4 --cast 1200 --approve 700   # petitions waiting before 0011
    shequ autonomy results 510104 2026              # evaluation results (anonymous)
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from shequ.authz import SYSTEM
from shequ.autonomy import selectors, services
from shequ.autonomy.lifecycles import describe
from shequ.core.errors import BusinessError


class Command(BaseCommand):
    help = "Resident self-governance: rules, proposals, meetings, disclosure, recall."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("rules", help="the rule profile of a community")
        p.add_argument("code")
        p = sub.add_parser("override", help="set a rule value for an area")
        for a in ("profile", "key", "area_code", "value"):
            p.add_argument(a)
        p.add_argument("--citation", required=True)
        p = sub.add_parser("roster", help="standing representatives (names only)")
        p.add_argument("code")
        p = sub.add_parser("constituency", help="create or update a constituency")
        p.add_argument("code")
        p.add_argument("--name", required=True)
        p.add_argument("--kind", choices=["compound", "group"], default="group")
        p.add_argument("--households", type=int, required=True)
        p.add_argument("--area", default="")
        p = sub.add_parser("appoint", help="record an elected standing representative")
        p.add_argument("constituency", type=int)
        p.add_argument("--resident", type=int, required=True)
        p.add_argument("--term-start", required=True)
        p.add_argument("--duties", default="")
        p = sub.add_parser("by-elect", help="replace a representative through a by-election")
        p.add_argument("representative", type=int)
        p.add_argument("--resident", type=int, required=True)
        p.add_argument("--reason", default="")
        p = sub.add_parser("proposals", help="a community's proposals")
        p.add_argument("code")
        p.add_argument("--state", default=None)
        p = sub.add_parser("show", help="one proposal and its history")
        p.add_argument("id", type=int)
        p = sub.add_parser("propose", help="submit a proposal for a resident")
        p.add_argument("code")
        p.add_argument("--resident", type=int, required=True)
        p.add_argument("--title", required=True)
        p.add_argument("--body", required=True)
        p = sub.add_parser("cosign", help="register a co-signature")
        p.add_argument("id", type=int)
        p.add_argument("--resident", type=int, required=True)
        p = sub.add_parser("review", help="admissibility review")
        p.add_argument("id", type=int)
        g = p.add_mutually_exclusive_group(required=True)
        g.add_argument("--admit", action="store_true")
        g.add_argument("--reject", action="store_true")
        p.add_argument("--reason", required=True)
        p = sub.add_parser("convene", help="send the notice of a meeting")
        p.add_argument("code")
        p.add_argument("--title", required=True)
        p.add_argument("--agenda", required=True)
        p.add_argument("--held-on", required=True)
        p.add_argument("--notice-on", default=None)
        p = sub.add_parser("schedule", help="put a proposal on a meeting's agenda")
        p.add_argument("id", type=int)
        p.add_argument("--meeting", type=int, required=True)
        p = sub.add_parser("attendance", help="record who is present and check the quorum")
        p.add_argument("meeting", type=int)
        p.add_argument("--present", default="", help="representative ids, comma-separated")
        p.add_argument("--committee", default="",
                       help="committee members present: membership ids, comma-separated")
        p = sub.add_parser("count", help="enter the count of a show of hands or paper ballot")
        p.add_argument("motion", type=int)
        for a in ("--for", "--against", "--abstain"):
            p.add_argument(a, type=int, required=True)
        p = sub.add_parser("vote", help="record a representative's vote")
        p.add_argument("motion", type=int)
        p.add_argument("--representative", type=int, required=True)
        p.add_argument("--choice", choices=["for", "against", "abstain"], required=True)
        p = sub.add_parser("close-motion", help="count the votes")
        p.add_argument("motion", type=int)
        p = sub.add_parser("assign", help="assign an adopted proposal for implementation")
        p.add_argument("id", type=int)
        p.add_argument("--to", required=True)
        p.add_argument("--deadline", required=True)
        p = sub.add_parser("plan-disclosures", help="the disclosure calendar of a year")
        p.add_argument("code")
        p.add_argument("--year", type=int, default=date.today().year)
        p = sub.add_parser("flag-overdue", help="flag overdue disclosures to the street")
        p.add_argument("--on", default=None)
        p = sub.add_parser("recall-vote", help="set up a recall vote in elections (ADR 0513)")
        p.add_argument("id", type=int)
        p.add_argument("--voting-day", required=True)
        p.add_argument("--station", action="append", default=[])
        p.add_argument("--on", default=None)
        p = sub.add_parser("recall-result", help="enter a paper recall vote's result (only "
                                                 "petitions waiting before recall votes ran "
                                                 "in elections)")
        p.add_argument("id", type=int)
        for a in ("--cast", "--approve"):
            p.add_argument(a, type=int, required=True)
        p.add_argument("--registered", type=int, default=None,
                       help="checked against the register's count on the day of the vote")
        p.add_argument("--voted-on", default=None)
        p = sub.add_parser("results", help="evaluation results for the assessment module")
        p.add_argument("within")
        p.add_argument("year", type=int)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "_" + opts["action"].replace("-", "_"))(opts)
        except BusinessError as exc:
            raise CommandError(str(exc.message)) from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None

    def _out(self, value: Any) -> None:
        self.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str))

    def _rules(self, o: dict[str, Any]) -> None:
        selectors.community(o["code"])
        p = selectors.rules(o["code"])
        self.stdout.write(f"{p.key}  {p.version}")
        for r in p.rules.values():
            mark = " *" if r.key in p.overridden else ""
            self.stdout.write(f"  {r.key:34} {r.display()}{mark}\t{r.source()}")

    def _override(self, o: dict[str, Any]) -> None:
        row = services.set_rule_override(actor=SYSTEM, profile=o["profile"], key=o["key"],
                                         area_code=o["area_code"], value=o["value"],
                                         citation=o["citation"])
        self.stdout.write(str(row))

    def _roster(self, o: dict[str, Any]) -> None:
        self._out(selectors.public_roster(o["code"]))

    def _constituency(self, o: dict[str, Any]) -> None:
        c = services.create_constituency(actor=SYSTEM, community_code=o["code"], name=o["name"],
                                         kind=o["kind"], households=o["households"],
                                         area_code=o["area"])
        self.stdout.write(f"{c.pk} {c.name} seats={c.seats}")

    def _appoint(self, o: dict[str, Any]) -> None:
        r = services.appoint_representative(actor=SYSTEM, constituency_id=o["constituency"],
                                            resident_id=o["resident"],
                                            term_start=date.fromisoformat(o["term_start"]),
                                            duties=o["duties"])
        self.stdout.write(f"{r.pk} {r.name} {r.term_start}–{r.term_end}")

    def _by_elect(self, o: dict[str, Any]) -> None:
        r = services.by_elect(actor=SYSTEM, representative_id=o["representative"],
                              resident_id=o["resident"], reason=o["reason"])
        self.stdout.write(f"{r.pk} {r.name} {r.term_start}–{r.term_end} (by-election)")

    def _proposals(self, o: dict[str, Any]) -> None:
        for p in selectors.public_proposals(o["code"], o["state"]).iterator():
            self.stdout.write(f"{p.pk:6} {p.number}  {p.state:12} {p.title}")

    def _show(self, o: dict[str, Any]) -> None:
        p = selectors.public_proposal(o["id"])
        self.stdout.write(f"{p.number} {p.title} [{p.state}] {p.profile_version}")
        for e in p.events.all():
            at = timezone.localtime(e.at)
            self.stdout.write(f"  {at:%Y-%m-%d %H:%M} {e.action:10} {e.state:12} {e.who} "
                              f"{describe(e)}")

    def _propose(self, o: dict[str, Any]) -> None:
        p = services.submit_proposal(actor=SYSTEM, community_code=o["code"], title=o["title"],
                                     body=o["body"], resident_id=o["resident"])
        self.stdout.write(f"{p.pk} {p.number} {p.state}")

    def _cosign(self, o: dict[str, Any]) -> None:
        p = services.cosign_proposal(actor=SYSTEM, proposal_id=o["id"], resident_id=o["resident"])
        self.stdout.write(f"{p.number} {p.cosigner_count}/{p.cosigners_needed} {p.state}")

    def _review(self, o: dict[str, Any]) -> None:
        p = services.review_proposal(actor=SYSTEM, proposal_id=o["id"], admit=o["admit"],
                                     reason=o["reason"])
        self.stdout.write(f"{p.number} {p.state}")

    def _convene(self, o: dict[str, Any]) -> None:
        m = services.convene_meeting(
            actor=SYSTEM, community_code=o["code"], title=o["title"], agenda=o["agenda"],
            held_on=date.fromisoformat(o["held_on"]),
            notice_on=date.fromisoformat(o["notice_on"]) if o["notice_on"] else None)
        self.stdout.write(f"{m.pk} {m.title} {m.held_on} members={m.members}")

    def _schedule(self, o: dict[str, Any]) -> None:
        p = services.schedule_proposal(actor=SYSTEM, proposal_id=o["id"], meeting_id=o["meeting"])
        self.stdout.write(f"{p.number} {p.state} motion={p.motion_id}")

    def _attendance(self, o: dict[str, Any]) -> None:
        ids = [int(x) for x in o["present"].split(",") if x.strip()]
        committee = [int(x) for x in o["committee"].split(",") if x.strip()]
        m = services.record_attendance(actor=SYSTEM, meeting_id=o["meeting"], present_ids=ids,
                                       committee_present_ids=committee)
        self.stdout.write(f"{m.present}/{m.members} present, quorum={'yes' if m.quorate else 'no'}")

    def _vote(self, o: dict[str, Any]) -> None:
        services.cast_vote(actor=SYSTEM, motion_id=o["motion"], choice=o["choice"],
                           representative_id=o["representative"])
        self.stdout.write("ok")

    def _count(self, o: dict[str, Any]) -> None:
        m = services.record_count(actor=SYSTEM, motion_id=o["motion"], votes_for=o["for"],
                                  votes_against=o["against"], abstentions=o["abstain"])
        self.stdout.write(f"{m.votes_for}/{m.votes_against}/{m.abstentions}")

    def _close_motion(self, o: dict[str, Any]) -> None:
        m = services.close_motion(actor=SYSTEM, motion_id=o["motion"])
        self.stdout.write(f"{m.status} {m.votes_for}/{m.votes_against}/{m.abstentions} "
                          f"{m.resolution_number}")

    def _assign(self, o: dict[str, Any]) -> None:
        p = services.assign_proposal(actor=SYSTEM, proposal_id=o["id"], assignee=o["to"],
                                     deadline=date.fromisoformat(o["deadline"]))
        self.stdout.write(f"{p.number} {p.state}")

    def _plan_disclosures(self, o: dict[str, Any]) -> None:
        n = services.plan_disclosures(actor=SYSTEM, community_code=o["code"], year=o["year"])
        self.stdout.write(f"{n} disclosures planned")

    def _flag_overdue(self, o: dict[str, Any]) -> None:
        on = date.fromisoformat(o["on"]) if o["on"] else None
        self.stdout.write(f"{services.flag_overdue_disclosures(actor=SYSTEM, on=on)} flagged")

    def _recall_vote(self, o: dict[str, Any]) -> None:
        p = services.schedule_recall_vote(
            actor=SYSTEM, petition_id=o["id"], voting_day=date.fromisoformat(o["voting_day"]),
            stations=[{"name": n} for n in o["station"]],
            on=date.fromisoformat(o["on"]) if o["on"] else None)
        self.stdout.write(f"{p.member_name}: vote {p.vote_id}")

    def _recall_result(self, o: dict[str, Any]) -> None:
        p = services.record_recall_result(
            actor=SYSTEM, petition_id=o["id"], registered=o["registered"], cast=o["cast"],
            approve=o["approve"],
            voted_on=date.fromisoformat(o["voted_on"]) if o["voted_on"] else None)
        self.stdout.write(f"{p.member_name}: {p.outcome}")

    def _results(self, o: dict[str, Any]) -> None:
        self._out(selectors.evaluation_results(o["within"], o["year"]))
