"""What the use cases of self-governance share: the community, rows by id, text input,
and the resident who acts (ADR 0502)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas.models import Area
from shequ.autonomy.enums import Code, Perm
from shequ.autonomy.lifecycles import voter_refusal
from shequ.core.errors import BusinessError, Forbidden, NotFound
from shequ.lifecycle import Lifecycle
from shequ.people import facade

if TYPE_CHECKING:
    from shequ.people.models import Resident

M = TypeVar("M", bound=models.Model)


def today() -> date:
    return timezone.localdate()


def community_area(code: str) -> Area:
    area = Area.objects.filter(code=code[:12]).first()
    if area is None or len(area.code) != 12:
        raise NotFound(_("Unknown community: %(c)s.") % {"c": code}, code=Code.UNKNOWN_COMMUNITY,
                       details={"community_code": code})
    return area


def _missing(pk: int, what: str | Promise) -> NotFound:
    return NotFound(_("%(what)s %(id)s does not exist.") % {"what": what, "id": pk},
                    details={"id": pk})


def get(model: type[M], pk: int, what: str | Promise) -> M:
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise _missing(pk, what)
    return obj


def locked(model: type[M], pk: int, what: str | Promise) -> M:
    """The row, locked until the end of the calling transaction (concurrent steps on it
    wait, then see what the first one wrote)."""
    obj = model._default_manager.select_for_update().filter(pk=pk).first()
    if obj is None:
        raise _missing(pk, what)
    return obj


def resident(pk: int) -> Resident:
    found = facade.resident(pk)
    if found is None:
        raise _missing(pk, _("Resident"))
    return found


def text(value: str, field: str, label: str | Promise, *, maxlen: int = 10000) -> str:
    """Required text, trimmed; too long is an error, never cut."""
    value = (value or "").strip()
    if not value:
        raise BusinessError(_("Please fill in “%(f)s”.") % {"f": label}, code=Code.REQUIRED,
                            details={"field": field})
    if len(value) > maxlen:
        raise BusinessError(_("“%(f)s” is too long (at most %(n)d characters).")
                            % {"f": label, "n": maxlen}, code=Code.TOO_LONG,
                            details={"field": field, "max": maxlen})
    return value


def in_range(value: date | None, field: str, label: str | Promise, *, earliest: date,
             latest: date) -> date:
    """A required date within a range that makes sense for it (a meeting within the
    coming year, a deadline within the term): an empty date says it is required, a
    date outside says the range, nothing is saved."""
    if value is None:
        raise BusinessError(_("Please fill in “%(f)s”.") % {"f": label}, code=Code.REQUIRED,
                            details={"field": field})
    if not earliest <= value <= latest:
        raise BusinessError(_("“%(f)s” must be between %(a)s and %(b)s; %(d)s is outside.")
                            % {"f": label, "a": earliest.isoformat(), "b": latest.isoformat(),
                               "d": value.isoformat()},
                            code=Code.BAD_DATE, details={"field": field, "value": value,
                                                         "earliest": earliest,
                                                         "latest": latest})
    return value


def require_step(lifecycle: Lifecycle[Any], obj: Any, action: str) -> None:
    """Refuse at once when ``action`` is not a step from ``obj``'s state (before asking
    who acts), naming the steps that are."""
    lifecycle.target(lifecycle.state_of(obj), action)


def person_for(actor: Any, community_code: str, resident_id: int | None = None,
               *, perm: str = Perm.PARTICIPATE) -> Resident:
    """The resident acting: the actor's own linked resident, or (staff registering a
    paper form, the CLI) the resident named by ``resident_id``."""
    if getattr(actor, "is_authenticated", False) is not True:
        authz.check(actor, perm, community_code)  # AuthRequired
    own = facade.resident_of_user(actor)
    if resident_id is not None and (own is None or own.pk != resident_id):
        if not authz.has_perm(actor, Perm.MANAGE, community_code):
            authz.check(actor, perm, community_code)
            raise Forbidden(_("You can only act for yourself."), code=Code.NOT_YOURSELF)
        return resident(resident_id)
    authz.check(actor, perm, community_code)
    if own is None:
        raise Forbidden(_("Your account is not linked to a resident record. Ask your "
                          "community worker to link it."), code=Code.NOT_LINKED)
    return own


def require_voter(person: Resident, community_code: str) -> None:
    refused = voter_refusal(person, community_code, today())
    if refused is not None:
        raise refused
