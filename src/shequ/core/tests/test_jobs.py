from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import task

from shequ.core import jobs

CALLS: list[int] = []


@task()
def _tick() -> None:
    CALLS.append(1)


@pytest.mark.django_db
def test_periodic_job_is_enqueued_once_per_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "PERIODIC", {})
    jobs.periodic("test.tick", timedelta(minutes=5))(_tick)
    CALLS.clear()
    now = timezone.now()
    assert jobs.enqueue_due(now) == ["test.tick"]
    assert jobs.enqueue_due(now + timedelta(minutes=1)) == []
    assert jobs.enqueue_due(now + timedelta(minutes=6)) == ["test.tick"]
    assert len(CALLS) == 2  # the immediate backend in tests runs the task at once
