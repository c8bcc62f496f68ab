"""Generated texts the module stores as keys (``core.texts``), shown in the reader's
language: the findings of a count (``tally.count_election``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shequ.core.texts import Texts

TEXTS = Texts({
    "not_void": _("%(returned)d ballots returned, %(issued)d issued: not more returned than "
                  "issued."),
    "void": _("%(returned)d ballots returned but only %(issued)d issued: the election is void."),
    "turnout": _("%(returned)d of %(registered)d registered voters voted; needed: %(share)s."),
    "threshold_first": _("To be elected: %(share)s of the %(returned)d ballots cast, that is "
                         "%(needed)d votes or more."),
    "threshold_supplementary": _("Supplementary round: the most votes win, but with %(share)s "
                                 "of the %(returned)d ballots cast, that is %(needed)d votes or "
                                 "more."),
    "recall_approval": _("%(approve)d of the %(returned)d ballots cast approve the recall; "
                         "needed: %(share)s, that is %(needed)d or more."),
})
