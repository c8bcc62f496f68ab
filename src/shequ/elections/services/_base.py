"""What every elections service shares: the locked election, the day of a step, the
actor's name, bounded texts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.core.errors import BusinessError, NotFound
from shequ.elections.enums import Code, Perm
from shequ.elections.models import Election


def today(on: date | None) -> date:
    """The day of a step: the day given (a step entered after the fact, ADR 0603) or today.
    A day after today is refused: a step is recorded when it happened, never ahead, or a
    future date would open polling before voting day (ADR 0610)."""
    now = timezone.localdate()
    if on is None:
        return now
    if on > now:
        raise BusinessError(_("The date %(day)s is after today (%(today)s): a step is recorded "
                              "on the day it happened, not in advance.")
                            % {"day": on, "today": now}, code=Code.DATE_IN_FUTURE,
                            details={"on": on, "today": now})
    return on


def actor_name(actor: Any) -> str:
    """Who acted, as stored with a tally entry or a count: the real name where the account
    has one (pages show people, not user names), else the user name."""
    return str(getattr(actor, "display_name", "") or getattr(actor, "username", "") or actor)


def locked(actor: Any, election_id: int, perm: Perm) -> Election:
    """The election, locked for the transaction, once ``actor`` may do ``perm`` there."""
    election = Election.objects.select_for_update().filter(pk=election_id).first()
    if election is None:
        raise NotFound(_("No such election."), code=Code.ELECTION_NOT_FOUND)
    authz.check(actor, perm, election.area_code)
    return election


def text(value: str | None, *, what: str | Promise, maxlen: int, required: bool = False,
         code: Code = Code.REASON_REQUIRED, message: str | Promise | None = None) -> str:
    """A text input, stripped; empty when required or too long is an error (nothing is
    cut silently)."""
    clean = (value or "").strip()
    if required and not clean:
        raise BusinessError(message or _("%(what)s is required.") % {"what": what}, code=code)
    if len(clean) > maxlen:
        raise BusinessError(_("%(what)s is too long: at most %(n)d characters.")
                            % {"what": what, "n": maxlen}, code=Code.TEXT_TOO_LONG,
                            details={"length": len(clean), "max": maxlen})
    return clean
