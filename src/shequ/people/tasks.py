"""Periodic work of the people module (registered with ``shequ.core.jobs``)."""

from __future__ import annotations

import logging
from datetime import timedelta

from shequ.authz import SYSTEM
from shequ.core.jobs import periodic, task

log = logging.getLogger("shequ.people")


@periodic("people.retention", timedelta(days=1))
@task()
def retention() -> int:
    """De-identify residents who moved away longer ago than the retention period
    (PIPL Art. 19, 47). Idempotent: a second run finds nothing left to do."""
    from shequ.people import services

    done = services.run_retention(actor=SYSTEM)
    log.info("retention: de-identified %d moved-away residents", done)
    return done
