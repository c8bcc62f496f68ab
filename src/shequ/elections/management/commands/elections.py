"""``shequ elections``: count, inspect and run residents'-committee elections.

    shequ elections tally FILE.json          # independent count, no database (docs/elections.md)
    shequ elections profiles                 # the rule profiles with their citations
    shequ elections list [--within CODE]
    shequ elections show ID
    shequ elections step ID ACTION [--on DAY] # a lifecycle step (lifecycles.ELECTION), back-dated
    shequ elections count ID                 # count the confirmed station tallies
    shequ elections count-all CODE           # election night: every election counting below CODE
    shequ elections announce ID [--on DAY]
    shequ elections pdf ID OUT.pdf           # the results announcement
    shequ elections coverage CODE            # share of communities directly elected

Every sub-command but ``tally`` and ``profiles`` uses the database and acts as the
``system`` actor.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shequ.core.errors import BusinessError

MAX_DEPTH = 20  # a tally document nests 6 levels (rounds → stations → posts → votes → marks)


def nesting_error(raw: str) -> tuple[int, int] | None:
    """Where a JSON text first nests deeper than ``MAX_DEPTH`` (line, column), found
    without parsing, so a hostile file cannot exhaust the parser's recursion."""
    depth, line, col, in_string, escaped = 0, 1, 0, False, False
    for ch in raw:
        col += 1
        if ch == "\n":
            line, col = line + 1, 0
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, col
        elif ch in "]}":
            depth -= 1
    return None


class Command(BaseCommand):
    help = "Residents' committee elections: tally, list, show, step, count, announce, recount, pdf, coverage."
    requires_system_checks: list[str] = []  # `tally` must run without a database

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        tally = sub.add_parser("tally", help="count a JSON election document (no database)")
        tally.add_argument("file", help="the JSON document, or - for standard input")
        tally.add_argument("--compact", action="store_true", help="one line of JSON")
        sub.add_parser("profiles", help="rule profiles with values and citations")
        ls = sub.add_parser("list", help="elections")
        ls.add_argument("--within", default="")
        show = sub.add_parser("show", help="one election")
        show.add_argument("id", type=int)
        step = sub.add_parser("step", help="a lifecycle transition")
        step.add_argument("id", type=int)
        step.add_argument("transition")
        step.add_argument("--on", type=date.fromisoformat, default=None,
                          help="the day the step was taken (YYYY-MM-DD), if not today")
        cnt = sub.add_parser("count", help="count the confirmed tallies of the current round")
        cnt.add_argument("id", type=int)
        ann = sub.add_parser("announce", help="announce the counted result")
        ann.add_argument("id", type=int)
        ann.add_argument("--on", type=date.fromisoformat, default=None,
                         help="the day of the announcement (YYYY-MM-DD), if not today")
        pdf = sub.add_parser("pdf", help="write the results announcement as PDF")
        pdf.add_argument("id", type=int)
        pdf.add_argument("out")
        night = sub.add_parser("count-all", help="count every election in counting below an area code")
        night.add_argument("code")
        rec = sub.add_parser("recount", help="correct an announced result: a station's re-counted "
                                             "tally (JSON, as the API takes it) with a reason")
        rec.add_argument("id", type=int)
        rec.add_argument("station", type=int, help="polling-station id")
        rec.add_argument("file", help="the station's tally as JSON, or - for standard input")
        rec.add_argument("--reason", required=True)
        rec.add_argument("--round", type=int, default=1, dest="round_no")
        cov = sub.add_parser("coverage", help="direct-election coverage below an area")
        cov.add_argument("code")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "_" + opts["action"].replace("-", "_"))(opts)
        except BusinessError as exc:
            details = exc.details
            if details.get("rule"):
                self.stderr.write(str(details.get("source") or details.get("citation", "")))
            raise CommandError(str(exc.message)) from None

    def _dump(self, data: Any, compact: bool = False) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=None if compact else 2,
                                     default=str))

    def _tally(self, opts: dict[str, Any]) -> None:
        from shequ.elections.tally import count_election

        name = opts["file"]
        try:
            raw = sys.stdin.read() if name == "-" else Path(name).read_text("utf-8")
        except (OSError, ValueError) as exc:
            raise CommandError(f"{name}: {exc}") from None
        too_deep = nesting_error(raw)
        if too_deep is not None:
            line, col = too_deep
            raise CommandError(f"{name}:{line}:{col}: nested more than {MAX_DEPTH} levels deep; "
                               "a tally document is a few levels deep")
        try:
            doc = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{name}:{exc.lineno}:{exc.colno}: {exc.msg}") from None
        except (ValueError, RecursionError) as exc:
            raise CommandError(f"{name}: {exc}") from None
        if not isinstance(doc, dict):
            raise CommandError(f"{name}: the document must be a JSON object")
        try:
            result = count_election(doc)
        except BusinessError as exc:
            where = str(exc.details.get("where", "")).split(".")[-1].split(" ")[0]
            at = raw.find(f'"{where}"') if where else -1
            place = f"{name}:{raw.count(chr(10), 0, at) + 1}" if at >= 0 else name
            raise CommandError(f"{place}: {exc.message}") from None
        self._dump(result, opts["compact"])

    def _profiles(self, opts: dict[str, Any]) -> None:
        from shequ.elections.rules import RULESETS, base

        self._dump([{"profile": code, "label": str(rs.label), "version": base(code).version,
                     "rules": [{"key": r.key, "label": str(r.label), "value": r.value,
                                "unit": str(r.unit), "display": r.display(), "source": r.source()}
                               for r in rs.rules.values()]}
                    for code, rs in RULESETS.items()])

    def _list(self, opts: dict[str, Any]) -> None:
        from shequ.elections.models import Election

        qs = Election.objects.filter(area_code__startswith=opts["within"])
        for e in qs.order_by("area_code", "-voting_day"):
            self.stdout.write("\t".join([str(e.pk), e.area_code, str(e.voting_day), e.status,
                                         e.outcome or "-", e.kind, e.name]))

    def _show(self, opts: dict[str, Any]) -> None:
        from shequ.authz import SYSTEM
        from shequ.elections import selectors

        self._dump(selectors.election_summary(user=SYSTEM, election_id=opts["id"]))

    def _step(self, opts: dict[str, Any]) -> None:
        from shequ.authz import SYSTEM
        from shequ.elections import services

        election = services.transition(actor=SYSTEM, election_id=opts["id"],
                                       action=opts["transition"], on=opts["on"])
        self.stdout.write(f"{election.pk}\t{election.status}")

    def _count(self, opts: dict[str, Any]) -> None:
        from shequ.authz import SYSTEM
        from shequ.elections import services

        result = services.count(actor=SYSTEM, election_id=opts["id"])
        self._dump(result.result)

    def _count_all(self, opts: dict[str, Any]) -> None:
        from shequ.authz import SYSTEM
        from shequ.elections import services

        self._dump(services.count_many(actor=SYSTEM, within=opts["code"]))

    def _announce(self, opts: dict[str, Any]) -> None:
        from shequ.authz import SYSTEM
        from shequ.elections import services

        election = services.announce(actor=SYSTEM, election_id=opts["id"], on=opts["on"])
        self.stdout.write(f"{election.pk}\t{election.status}\t{election.outcome}")

    def _recount(self, opts: dict[str, Any]) -> None:
        from shequ.authz import SYSTEM
        from shequ.elections import services

        name = opts["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, ValueError) as exc:
            raise CommandError(f"{name}: {exc}") from None
        too_deep = nesting_error(text)
        if too_deep is not None:
            line, col = too_deep
            raise CommandError(f"{name}:{line}:{col}: nested more than {MAX_DEPTH} levels deep; "
                               "a tally sheet is a few levels deep")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{name}:{exc.lineno}:{exc.colno}: {exc.msg}") from None
        except (ValueError, RecursionError) as exc:
            raise CommandError(f"{name}: {exc}") from None
        result = services.recount(actor=SYSTEM, election_id=opts["id"], station_id=opts["station"],
                                  data=data, reason=opts["reason"], round_no=opts["round_no"])
        self.stdout.write(f"{opts['id']}\tresult version {result.version}\t{result.outcome}")

    def _pdf(self, opts: dict[str, Any]) -> None:
        from shequ.authz import SYSTEM
        from shequ.elections import selectors
        from shequ.elections.documents import announcement

        election = selectors.get_election(user=SYSTEM, election_id=opts["id"])
        Path(opts["out"]).write_bytes(announcement(election, SYSTEM))
        self.stdout.write(opts["out"])

    def _coverage(self, opts: dict[str, Any]) -> None:
        from shequ.elections import selectors

        self._dump(selectors.coverage(opts["code"]))
