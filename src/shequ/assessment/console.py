"""The console's "to do" figure for assessment: schemes whose year has ended and that
have no snapshot yet (the periodic job computes them; this shows it has not yet)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.assessment.enums import Perm
from shequ.assessment.models import Scheme, Snapshot
from shequ.core.registry import ConsoleItem


def items(user: Any) -> list[ConsoleItem]:
    if not authz.has_perm(user, Perm.COMPUTE):
        return []
    done = Snapshot.objects.filter(scheme__area_code=OuterRef("area_code"),
                                   scheme__kind=OuterRef("kind"), end__year=OuterRef("year"))
    waiting = (Scheme.objects.filter(authz.scope_q(user, Perm.COMPUTE),
                                     year__lt=timezone.localdate().year)
               .filter(~Exists(done)).values("area_code", "year", "kind").distinct().count())
    if not waiting:
        return []
    return [ConsoleItem(_("Ended years not yet assessed"), waiting, "assessment:index", "", "warn")]
