"""``shequ people``: residents import/export, look-ups, key rotation, retention, staff
rotation and body coverage. Runs as the system actor (logged as "system").

    shequ people import residents.xlsx --sheet 居民 --dry-run
    shequ people import residents.csv --batch-size 5000 --report rejected.csv
    shequ people departments 510104022
    shequ people post JJ-GB-001 --level street --area 510104022 --from 2026-01-01 --department 3
    shequ people export 510104022009 -o residents.xlsx
    shequ people lookup 51010419800102001X
    shequ people reveal 42 --reason "公安协查函 2026-118号"
    shequ people correct-id 42 51010419800102001X --reason "户口簿核对，原录入错误"
    shequ people elsewhere --within 510104   # numbers tried in one community, held in another
    shequ people link-user 42 jumin          # the account sees its own record at /people/me/
    shequ people reseal                      # after putting a new key first in SHEQU_PII_KEYS
    shequ people retention --dry-run
    shequ people rotation-due --within 510104022
    shequ people coverage 510104
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from shequ.areas import facade as areas
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError
from shequ.people import importer, selectors, services
from shequ.people.models import StaffMember


class Command(BaseCommand):
    help = "Residents, staff and governance bodies: import, export, look-up, key rotation."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import residents and households from .csv or .xlsx")
        imp.add_argument("file", type=Path)
        imp.add_argument("--sheet", default=None, help="worksheet name (.xlsx); default: first")
        imp.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        imp.add_argument("--batch-size", type=int, default=5000)
        imp.add_argument("--encoding", default=None,
                         help="the CSV file's encoding; default: detected (UTF-8, GB18030/GBK)")
        imp.add_argument("--report", type=Path, default=None,
                         help="write rejected rows (line, column, code, reason) to this CSV")
        imp.add_argument("--no-progress", action="store_true")
        exp = sub.add_parser("export", help="residents of an area to .xlsx (numbers masked)")
        exp.add_argument("area_code")
        exp.add_argument("-o", "--output", type=Path, required=True)
        exp.add_argument("--full-numbers", action="store_true")
        exp.add_argument("--reason", default="")
        look = sub.add_parser("lookup", help="find a resident by identity number (hash index)")
        look.add_argument("number")
        rev = sub.add_parser("reveal", help="print a full identity number (logged with reason)")
        rev.add_argument("resident_id", type=int)
        rev.add_argument("--reason", required=True)
        cor = sub.add_parser("correct-id", help="correct a recorded identity number (logged)")
        cor.add_argument("resident_id", type=int)
        cor.add_argument("number")
        cor.add_argument("--reason", required=True)
        ews = sub.add_parser("elsewhere", help="attempts to record a number held in another "
                                                "community (for the district to review)")
        ews.add_argument("--within", default="")
        ews.add_argument("--limit", type=int, default=100)
        link = sub.add_parser("link-user", help="let a user account see a resident's own record")
        link.add_argument("resident_id", type=int)
        link.add_argument("username")
        sub.add_parser("reseal", help="re-encrypt every sealed value under the current key")
        ret = sub.add_parser("retention", help="de-identify residents who moved away long ago")
        ret.add_argument("--dry-run", action="store_true")
        rot = sub.add_parser("rotation-due", help="staff due for rotation (交流轮岗)")
        rot.add_argument("--on", default=None)
        rot.add_argument("--within", default="")
        post = sub.add_parser("post", help="post a staff member (交流轮岗 unless --no-rotation), "
                                           "optionally in a department (科室) of the street")
        post.add_argument("staff_code")
        post.add_argument("--level", required=True, help="district | street | station | community")
        post.add_argument("--area", default="", help="the area code (not for a station)")
        post.add_argument("--station", default=None, help="the station code (level station)")
        post.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        post.add_argument("--department", type=int, default=None,
                          help="a department id of the posting's street office "
                               "(see “shequ people departments”)")
        post.add_argument("--position", default="")
        post.add_argument("--no-rotation", action="store_true")
        deps = sub.add_parser("departments", help="a street office's departments (科室) and "
                                                  "the staff posted to each")
        deps.add_argument("area_code", help="a street (or a community or station's area: "
                                            "its street's)")
        cov = sub.add_parser("coverage", help="communities with a party organisation / committee")
        cov.add_argument("area_code")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "_" + opts["action"].replace("-", "_"))(opts)
        except BusinessError as exc:
            raise CommandError(str(exc.message)) from None

    def _import(self, opts: dict[str, Any]) -> None:
        path: Path = opts["file"]
        if not path.exists():
            raise CommandError(_("No such file: %(f)s") % {"f": path})
        total = None
        if path.suffix.lower() == ".csv":
            with path.open("rb") as fh:
                total = max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1)
        bar = tqdm(total=total, unit=" rows", disable=opts["no_progress"], file=self.stderr._out)
        rows = importer.read_file(path, sheet=opts["sheet"], encoding=opts["encoding"])
        report = services.import_residents(actor=SYSTEM, rows=rows, dry_run=opts["dry_run"],
                                           batch_size=opts["batch_size"], progress=bar.update)
        bar.close()
        for err in report.errors:
            where = f"[{err.column}] " if err.column else ""
            self.stderr.write(f"{path.name}:{err.line}: {where}{err.message} ({err.code})")
        if opts["report"] is not None:
            with opts["report"].open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(["line", "column", "code", "reason"])
                for err in report.errors:
                    writer.writerow([err.line, err.column, err.code, str(err.message)])
        prefix = _("Dry run, nothing written: ") if report.dry_run else ""
        self.stdout.write(prefix + _(
            "%(rows)d rows: %(created)d new, %(updated)d updated, %(rejected)d rejected.") % {
                "rows": report.rows, "created": report.created, "updated": report.updated,
                "rejected": report.rejected_rows})
        if not report.ok:
            raise CommandError(_("%(n)d row(s) rejected: nothing was written. Fix them and "
                                 "import the file again.") % {"n": report.rejected_rows})

    def _export(self, opts: dict[str, Any]) -> None:
        n = services.export_residents(actor=SYSTEM, area_code=opts["area_code"],
                                      out=str(opts["output"]), full_numbers=opts["full_numbers"],
                                      reason=opts["reason"])
        self.stdout.write(_("Exported %(n)d residents to %(f)s.") % {"n": n, "f": opts["output"]})

    def _lookup(self, opts: dict[str, Any]) -> None:
        r = selectors.resident_by_number(user=SYSTEM, number=opts["number"])
        self.stdout.write(f"{r.pk}\t{r.name}\t{r.id_masked}\t{r.community_code}\t"
                          f"{r.household.number if r.household else ''}")

    def _reveal(self, opts: dict[str, Any]) -> None:
        r = selectors.get_resident(user=SYSTEM, pk=opts["resident_id"])
        self.stdout.write(services.reveal_identity_number(SYSTEM, r, opts["reason"], channel="cli"))

    def _correct_id(self, opts: dict[str, Any]) -> None:
        r = selectors.get_resident(user=SYSTEM, pk=opts["resident_id"])
        services.correct_identity_number(actor=SYSTEM, resident=r, id_number=opts["number"],
                                         reason=opts["reason"])
        self.stdout.write(_("Corrected the identity number of %(n)s: now %(m)s.")
                          % {"n": r.name, "m": r.id_masked})

    def _elsewhere(self, opts: dict[str, Any]) -> None:
        qs = selectors.elsewhere_attempts(user=SYSTEM, within=opts["within"])
        for e in qs[:max(1, opts["limit"])]:
            c = e.changes
            self.stdout.write("\t".join([
                e.at.isoformat(timespec="seconds"), e.actor_name, str(c.get("kind", "")),
                str(c.get("community_code", "")), ",".join(c.get("elsewhere", [])),
                ",".join(c.get("id_masked", [])), ",".join(str(n) for n in c.get("lines", []))]))

    def _link_user(self, opts: dict[str, Any]) -> None:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(_("No such user: %(u)s") % {"u": opts["username"]})
        r = selectors.get_resident(user=SYSTEM, pk=opts["resident_id"])
        services.link_user(actor=SYSTEM, resident=r, user=user)
        self.stdout.write(_("%(u)s now sees the record of %(n)s.") % {"u": user.username, "n": r.name})

    def _reseal(self, opts: dict[str, Any]) -> None:
        counts = services.reseal_all(actor=SYSTEM)
        self.stdout.write(_("Checked %(checked)d residents, re-encrypted %(resealed)d.") % counts)

    def _retention(self, opts: dict[str, Any]) -> None:
        n = services.run_retention(actor=SYSTEM, dry_run=opts["dry_run"])
        msg = _("%(n)d records are due for de-identification.") if opts["dry_run"] \
            else _("De-identified %(n)d records.")
        self.stdout.write(msg % {"n": n})

    def _rotation_due(self, opts: dict[str, Any]) -> None:
        on = date.fromisoformat(opts["on"]) if opts["on"] else None
        for d in selectors.rotation_due(user=SYSTEM, on=on, within=opts["within"]):
            dept = d.posting.department.name if d.posting.department else "—"
            self.stdout.write(f"{d.staff.code}\t{d.staff.name}\t{d.staff.get_kind_display()}\t"
                              f"{d.posting.area_code}\t{d.posting.start_date}\t{d.years}\t"
                              f"{dept}")

    def _post(self, opts: dict[str, Any]) -> None:
        staff = StaffMember.objects.filter(code=opts["staff_code"]).first()
        if staff is None:
            raise CommandError(_("No such staff member."))
        try:
            start = date.fromisoformat(opts["start"])
        except ValueError:
            raise CommandError(_("Not a date (YYYY-MM-DD): %(d)s") % {"d": opts["start"]}) from None
        posting = services.post_staff(
            actor=SYSTEM, staff=staff, level=opts["level"], area_code=opts["area"],
            station_code=opts["station"], start_date=start, position=opts["position"],
            rotation=not opts["no_rotation"], department_id=opts["department"])
        self.stdout.write(_("Posted %(s)s to %(a)s from %(d)s.") % {
            "s": staff.code, "a": posting.area_code, "d": posting.start_date})

    def _departments(self, opts: dict[str, Any]) -> None:
        code = opts["area_code"]
        for dept in areas.departments_of(areas.office_code("", code)):
            found = selectors.department_staff(user=SYSTEM, pk=dept.pk)
            duties = "、".join(str(d) for d in found.department.duties.all())
            self.stdout.write(f"{dept.pk}\t{dept.name}\t{dept.get_category_display()}\t"
                              f"{duties}\t{len(found.postings)}")

    def _coverage(self, opts: dict[str, Any]) -> None:
        for c in selectors.coverage(user=SYSTEM, code=opts["area_code"]):
            self.stdout.write(f"{c.code}\t{c.name}\t{c.communities}\t{c.party_share}%\t"
                              f"{c.committee_share}%")
