"""The one task interface for background and periodic work.

Tasks are ``django-tasks`` tasks (database backend by default, so no broker is needed).
Periodic jobs are registered here with an interval; ``shequ worker`` runs the worker and,
beside it, a scheduler that enqueues each periodic job when it is due. Periodic jobs must
be idempotent: running one twice is harmless (ADR 0006).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

log = logging.getLogger("shequ.jobs")

__all__ = ["PERIODIC", "Periodic", "enqueue_due", "periodic", "task"]


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    task: Any


PERIODIC: dict[str, Periodic] = {}


def periodic(name: str, every: timedelta) -> Callable[[Any], Any]:
    """Register an existing task to run every ``every`` (decorate after ``@task``)."""

    def register(task_obj: Any) -> Any:
        PERIODIC[name] = Periodic(name=name, every=every, task=task_obj)
        return task_obj

    return register


def enqueue_due(now: Any = None) -> list[str]:
    """Enqueue every periodic job whose interval has passed; safe to call from several
    schedulers at once (the row lock decides who enqueues)."""
    from shequ.core.models_jobs import JobRun

    now = now or timezone.now()
    started: list[str] = []
    for name, job in sorted(PERIODIC.items()):
        with transaction.atomic():
            run, _created = JobRun.objects.get_or_create(name=name)
            run = JobRun.objects.select_for_update().get(pk=run.pk)
            if run.last_enqueued_at and now - run.last_enqueued_at < job.every:
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            job.task.enqueue()
            started.append(name)
    return started


class Scheduler(threading.Thread):
    """Background thread of ``shequ worker``: checks for due periodic jobs every
    ``tick`` seconds until stopped."""

    def __init__(self, tick: float = 30.0) -> None:
        super().__init__(daemon=True, name="shequ-scheduler")
        self.tick = tick
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                for name in enqueue_due():
                    log.info("enqueued periodic job %s", name)
            except Exception:  # the scheduler must survive a passing database error
                log.exception("scheduler tick failed")
            self.stopped.wait(self.tick)
