"""``shequ ids check VALUE``: which kind of number it is, whether it is valid, why not.
Exits non-zero when it is not valid."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shequ.core import ids


class Command(BaseCommand):
    help = "Check a resident identity number, credit code or division code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check"])
        parser.add_argument("value")

    def handle(self, *args: Any, **opts: Any) -> None:
        value: str = opts["value"]
        kind = ids.identify(value)
        try:
            if kind == ids.IdKind.RESIDENT_ID:
                rid = ids.parse_resident_id(value)
                sex = _("male") if rid.sex == "M" else _("female")
                self.stdout.write(_("Resident identity number (GB 11643): valid. "
                                    "Born %(b)s, %(s)s, registered at %(a)s. Shown as %(m)s.")
                                  % {"b": rid.birth_date.isoformat(), "s": sex,
                                     "a": rid.address_code, "m": rid.masked})
            elif kind == ids.IdKind.CREDIT_CODE:
                cc = ids.parse_credit_code(value)
                dept = ids.USCC_DEPARTMENTS.get(cc.department, _("unknown"))
                org = (ids.CIVIL_AFFAIRS_TYPES.get(cc.org_type, _("unknown"))
                       if cc.is_civil_affairs else cc.org_type)
                self.stdout.write(_("Unified social credit code (GB 32100): valid. "
                                    "Registered by %(d)s, type %(t)s, division %(v)s.")
                                  % {"d": dept, "t": org, "v": cc.division_code})
            elif kind == ids.IdKind.DIVISION_CODE:
                level = ids.check_division_code(value)
                self.stdout.write(_("Division code: valid format (%(l)s level).") % {"l": level})
            else:
                raise CommandError(_("Not a resident identity number, credit code or division "
                                     "code: %(v)s") % {"v": value})
        except ids.InvalidId as exc:
            label = {ids.IdKind.RESIDENT_ID: _("Resident identity number (GB 11643)"),
                     ids.IdKind.CREDIT_CODE: _("Unified social credit code (GB 32100)"),
                     ids.IdKind.DIVISION_CODE: _("Division code")}[kind]
            raise CommandError(_("%(k)s: not valid. %(why)s") % {"k": label, "why": exc.message}
                               ) from None
