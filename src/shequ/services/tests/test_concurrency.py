"""Case numbers stay unique and gapless per street and year under parallel submissions
(PostgreSQL: each thread has its own connection and transaction)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from shequ.services import services
from shequ.services.models import Case

from .conftest import PDF, at, with_record


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_gapless_numbers_under_concurrent_submissions(item: Any, resident_user: Any,
                                                      make_user: Any) -> None:
    other = with_record(make_user("resident", "510104037001"), "赵强", 9, "510104037001")
    threads, per_thread = 8, 12
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                actor, area = ((resident_user, "510104022009") if (n + i) % 3
                               else (other, "510104037001"))
                services.submit_case(actor=actor, item_code="JJ-001", area_code=area,
                                     applicant_name="", phone="13800001234",
                                     idempotency_key=f"{n}-{i}", at=at("2025-09-29"))
                if i == 5:  # a duplicate inside the storm: refused, number given back
                    with pytest.raises(services.DuplicateSubmission):
                        services.submit_case(actor=actor, item_code="JJ-001", area_code=area,
                                             applicant_name="", idempotency_key=f"{n}-{i}",
                                             at=at("2025-09-29"))
                if i == 7:  # a bad attachment inside the storm: refused, nothing taken
                    with pytest.raises(services.AttachmentRejected):
                        services.submit_case(actor=actor, item_code="JJ-001", area_code=area,
                                             applicant_name="",
                                             uploads=[services.Upload("x.exe", PDF)],
                                             at=at("2025-09-29"))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    assert connection.vendor == "postgresql"
    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert not errors, errors
    total = 0
    for street in ("510104022", "510104037"):
        seqs = sorted(Case.objects.filter(street_code=street, year=2025).values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1)), street
        total += len(seqs)
    assert total == threads * per_thread
    assert Case.objects.values("number").distinct().count() == total
