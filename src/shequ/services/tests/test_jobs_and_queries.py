"""The periodic sweep is registered and runs as a task; list pages do not grow queries
with the number of rows."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shequ.services import services

from .conftest import at


def test_sweep_is_a_periodic_task(db: Any) -> None:
    from shequ.core.jobs import PERIODIC
    from shequ.services.tasks import sweep_cases

    assert PERIODIC["services.sweep"].task is sweep_cases
    result = sweep_cases.enqueue()
    assert result.return_value == {"auto_accepted": 0, "updated": 0, "warned": 0,
                                   "escalated": 0, "errors": 0}


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_use_a_constant_number_of_queries(item: Any, officer: Any,
                                                     resident_user: Any) -> None:
    client = Client()
    client.force_login(officer)

    def add(n: int) -> None:
        for _ in range(n):
            case = services.submit_case(actor=resident_user, item_code="JJ-001",
                                        area_code="510104022009", applicant_name="孙丽",
                                        phone="13800001234", at=at("2025-09-29"))
            services.accept(actor=officer, number=case.number, at=at("2025-09-30"))

    add(2)
    few = {u: _queries(client, u) for u in ("/services/work/", "/services/stats/")}
    add(8)
    many = {u: _queries(client, u) for u in ("/services/work/", "/services/stats/")}
    assert few == many
