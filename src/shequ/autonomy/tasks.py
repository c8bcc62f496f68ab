"""Periodic work: flag overdue disclosures to the street (idempotent, ADR 0504, 0505)."""

from __future__ import annotations

from datetime import timedelta

from shequ.core.jobs import periodic, task


@periodic("autonomy.flag_overdue_disclosures", timedelta(hours=6))
@task()
def flag_overdue_disclosures() -> int:
    from shequ.authz import SYSTEM
    from shequ.autonomy import services

    return services.flag_overdue_disclosures(actor=SYSTEM)
