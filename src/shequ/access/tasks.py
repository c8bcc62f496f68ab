"""Background work of ``access``: loading an uploaded extract, computing an analysis,
solving a siting question (ADR 0006: heavy work runs in the worker, never in a request).
A failure is recorded on the row by the service; the task only logs it."""

from __future__ import annotations

import logging
from pathlib import Path

from shequ.core.errors import BusinessError
from shequ.core.jobs import task

log = logging.getLogger("shequ.access")


@task()
def load_network_task(network_id: int, path: str) -> str:
    from shequ.access.services import load_network
    from shequ.authz import SYSTEM

    try:
        network = load_network(actor=SYSTEM, network_id=network_id, path=Path(path))
    except BusinessError as exc:
        log.warning("network %s failed: %s", network_id, exc)
        return "failed"
    finally:
        Path(path).unlink(missing_ok=True)
    return str(network.state)


@task()
def run_analysis_task(analysis_id: int) -> str:
    from shequ.access.services import run_analysis

    try:
        return str(run_analysis(analysis_id=analysis_id).state)
    except Exception:  # recorded on the analysis by the service
        log.exception("analysis %s failed", analysis_id)
        return "failed"


@task()
def run_siting_task(run_id: int) -> str:
    from shequ.access.services import run_siting

    try:
        return str(run_siting(run_id=run_id).state)
    except Exception:  # recorded on the run by the service
        log.exception("siting run %s failed", run_id)
        return "failed"
