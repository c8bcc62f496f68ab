"""The periodic sweep (the clock's "chronograph"), run by ``shequ worker``."""

from __future__ import annotations

from datetime import timedelta

from shequ.core.jobs import periodic, task

SWEEP_EVERY = timedelta(minutes=30)


@periodic("services.sweep", SWEEP_EVERY)
@task()
def sweep_cases() -> dict[str, int]:
    from shequ.authz import SYSTEM
    from shequ.services import services

    return services.sweep(actor=SYSTEM).as_dict()
