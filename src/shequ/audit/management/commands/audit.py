"""``shequ audit``: verify the log, take and export checkpoints (ADR 0007, ADR 0014).

    shequ audit verify                              # every chain, head, the seal, checkpoints
    shequ audit verify --against cp-000123.json     # also against a copy kept outside
    shequ audit checkpoint create                   # what the daily job does
    shequ audit checkpoint export --output cp.json  # the latest (or --number N)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shequ.audit.models import AuditCheckpoint
from shequ.audit.seal import CheckpointRefused, export, take_checkpoint
from shequ.audit.verify import checkpoint_overdue, verify_all


class Command(BaseCommand):
    help = "Audit log tools: verify the hash chains; create and export checkpoints."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check every chain, head, the seal and checkpoints")
        verify.add_argument("--against", type=Path, default=None,
                            help="an exported checkpoint kept outside the database")
        cp = sub.add_parser("checkpoint", help="sign every chain's head now, or export one")
        cp.add_argument("what", choices=["create", "export"])
        cp.add_argument("--number", type=int, default=None, help="export this checkpoint")
        cp.add_argument("--output", type=Path, default=None, help="file (default: stdout)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "verify":
            self._verify(opts["against"])
        elif opts["what"] == "create":
            self._create()
        else:
            self._export(opts["number"], opts["output"])

    def _verify(self, against: Path | None) -> None:
        doc = None
        if against is not None:
            try:
                doc = json.loads(against.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
                raise CommandError(_("%(f)s: cannot read the checkpoint: %(e)s")
                                   % {"f": against, "e": exc}) from None
            if not isinstance(doc, dict):
                raise CommandError(_("%(f)s: not an exported checkpoint.") % {"f": against})
        count, problems = verify_all(against=doc)
        for problem in problems:
            self.stderr.write(str(problem))
        overdue = checkpoint_overdue()
        if overdue is True:
            self.stderr.write(_("Warning: no checkpoint has been taken yet; run `shequ worker` "
                                "(daily job) or `shequ audit checkpoint create`."))
        elif overdue:
            self.stderr.write(_("Warning: the latest checkpoint (%(n)d) is more than two days "
                                "old; is `shequ worker` running?") % {"n": overdue.number})
        if problems:
            chains = sorted({p.chain for p in problems})
            raise CommandError(_("%(n)d problem(s) found in %(c)d audit entries (%(chains)s).")
                               % {"n": len(problems), "c": count, "chains": ", ".join(chains)})
        self.stdout.write(_("%(c)d audit entries verified; no problem found.") % {"c": count})

    def _create(self) -> None:
        try:
            cp = take_checkpoint()
        except CheckpointRefused as exc:
            raise CommandError(_("The head of chain %(c)s does not carry a valid signature; "
                                 "run `shequ audit verify`. No checkpoint was taken.")
                               % {"c": exc.args[0]}) from None
        if cp is None:
            self.stdout.write(_("Nothing was appended since the latest checkpoint."))
        else:
            self.stdout.write(_("Checkpoint %(n)d taken over %(c)d chains.")
                              % {"n": cp.number, "c": len(cp.heads)})

    def _export(self, number: int | None, output: Path | None) -> None:
        qs = AuditCheckpoint.objects.order_by("-number")
        cp = qs.filter(number=number).first() if number is not None else qs.first()
        if cp is None:
            raise CommandError(_("No such checkpoint; take one with "
                                 "`shequ audit checkpoint create`."))
        text = json.dumps(export(cp), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(_("Checkpoint %(n)d written to %(f)s.") % {"n": cp.number, "f": output})
