"""The daily sweep: applications nobody answered in time count as accepted, provisional
deadlines are settled, suspensions that ran out end."""

from __future__ import annotations

from datetime import timedelta

from shequ.core.jobs import periodic, task


@periodic("orgs.sweep", timedelta(hours=6))
@task()
def sweep_orgs() -> dict[str, int]:
    from shequ.authz import SYSTEM
    from shequ.orgs import services

    return services.sweep(actor=SYSTEM)
