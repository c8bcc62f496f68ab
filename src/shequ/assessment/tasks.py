"""At a period's end: compute the snapshot of every scheme whose year has ended (idempotent;
a period already assessed is left alone)."""

from __future__ import annotations

from datetime import timedelta

from shequ.core.jobs import periodic, task


@periodic("assessment.compute_due", timedelta(hours=12))
@task()
def compute_due() -> int:
    from shequ.assessment import services
    from shequ.authz import SYSTEM

    return len(services.compute_due(actor=SYSTEM))
