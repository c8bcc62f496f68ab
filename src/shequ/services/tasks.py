"""The periodic sweep (the clock's "chronograph") and the exports' housekeeping, run by
``shequ worker``."""

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


@task()
def export_statistics(export_id: int) -> str:
    """Write a statistics workbook the statistics page asked for (ADR 0026)."""
    from shequ.services import export

    return str(export.run_export(export_id).state)


@periodic("services.prune_exports", timedelta(hours=6))
@task()
def prune_exports() -> int:
    """Delete the Excel exports past their keeping period (``export.prune``)."""
    from shequ.services import export

    return export.prune()
