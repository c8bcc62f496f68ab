"""The daily audit checkpoint (ADR 0014), a periodic job run by ``shequ worker``."""

from __future__ import annotations

import logging
from datetime import timedelta

from shequ.audit.seal import take_checkpoint
from shequ.core.jobs import periodic, task

log = logging.getLogger("shequ.audit")


@periodic("audit.checkpoint", timedelta(days=1))
@task()
def checkpoint() -> int:
    """Sign every chain's head; nothing when no entry was appended since the last one.
    Returns the new checkpoint's number, or 0."""
    cp = take_checkpoint()
    if cp is None:
        return 0
    log.info("audit checkpoint %d taken over %d chains", cp.number, len(cp.heads),
             extra={"checkpoint": cp.number, "chains": len(cp.heads)})
    return cp.number
