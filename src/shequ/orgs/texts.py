"""Generated history lines of an organisation, stored as keys (``core.texts``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shequ.core.texts import Texts

TEXTS = Texts({
    "imported": _("Entered from the existing registry."),
    "registered": _("Registered; unified social credit code %(code)s."),
    "filed": _("Filed with %(street)s; filing number %(number)s."),
    "renamed": _("Name changed from %(old)s to %(new)s."),
    "moved": _("Premises changed to %(address)s."),
    "new_person": _("Legal representative or person in charge changed to %(person)s."),
    "items_changed": _("Other registered items changed."),
    "converted": _("Moved from filing to registration; unified social credit code %(code)s."),
    "absorbed": _("Absorbed %(name)s by merger."),
    "merged_into": _("Merged into %(name)s."),
    "deregistered": _("Deregistered."),
    "filing_ended": _("Filing ended."),
    "recognised": _("Recognised as a charitable organisation."),
    "suspended": _("Activities suspended until %(until)s."),
    "resumed": _("Activities resumed."),
    "revoked": _("Registration revoked."),
    "filing_cancelled": _("Filing cancelled."),
    "reinstated": _("Reinstated after review."),
    "report_passed": _("Annual inspection for %(year)s: passed."),
    "report_basic": _("Annual inspection for %(year)s: basically passed."),
    "report_failed": _("Annual inspection for %(year)s: failed."),
    "penalty_decided": _("Administrative penalty decided (%(number)s)."),
    "penalty_quashed": _("Penalty %(number)s quashed on review."),
    "graded": _("Evaluation grade %(grade)sA, valid until %(until)s."),
    "incubating": _("Incubating at %(centre)s."),
    "graduated": _("Graduated from %(centre)s."),
    "grant": _("Grant of %(yuan)s yuan for “%(title)s” from %(funder)s."),
    "operator_added": _("A user was linked to act for the organisation."),
    "performance": _("Purchased service “%(title)s”: performance evaluated by the buyer, "
                     "%(score)s points."),
    "performance_third_party": _("Purchased service “%(title)s”: performance evaluated by a "
                                 "third party, %(score)s points."),
})
