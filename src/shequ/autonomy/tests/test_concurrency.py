"""Parallel signing near a threshold counts every signature exactly once (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection

from shequ.authz import SYSTEM
from shequ.autonomy import services
from shequ.autonomy.models import CoSignature, Proposal, RecallSignature
from shequ.core.errors import Conflict

URBAN = "510104022009"


def _in_parallel(fn: Any, args: list[Any]) -> tuple[int, list[str]]:
    ok, refused = [0], []
    lock = threading.Lock()
    barrier = threading.Barrier(len(args))

    def run(arg: Any) -> None:
        try:
            barrier.wait()
            fn(arg)
            with lock:
                ok[0] += 1
        except Conflict as exc:
            with lock:
                refused.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return ok[0], refused


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_cosigning_near_the_threshold() -> None:
    from shequ.areas.tests.factories import make_tree
    from shequ.autonomy.tests.factories import residents

    make_tree()
    proposer, *others = residents(URBAN, 21)
    p = services.submit_proposal(actor=SYSTEM, community_code=URBAN, title="t", body="b",
                                 resident_id=proposer.pk)
    for r in others[:7]:
        services.cosign_proposal(actor=SYSTEM, proposal_id=p.pk, resident_id=r.pk)
    rest = others[7:]  # 13 people race for the last 3 places; two of them twice
    attempts = [r.pk for r in rest] + [rest[0].pk, rest[1].pk]
    ok, refused = _in_parallel(
        lambda rid: services.cosign_proposal(actor=SYSTEM, proposal_id=p.pk, resident_id=rid),
        attempts)
    p = Proposal.objects.get(pk=p.pk)
    assert ok == 3 and len(refused) == len(attempts) - 3
    assert set(refused) <= {"signing_closed", "already_signed"}
    assert p.cosigner_count == CoSignature.objects.filter(proposal=p).count() == 10
    assert p.state == Proposal.State.SUBMITTED
    assert p.events.filter(action="cosigned").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_recall_signatures() -> None:
    from shequ.areas.tests.factories import make_tree
    from shequ.autonomy.tests.factories import residents
    from shequ.people.models import Body, Membership

    make_tree()
    voters = residents(URBAN, 40)  # needs ≥ 1/5 → 8
    body = Body.objects.create(kind="residents_committee", name="居委会", area_code=URBAN)
    member = Membership.objects.create(body=body, person_name="李委员",
                                       start_date=date(2024, 1, 1))
    petition = services.start_recall(actor=SYSTEM, community_code=URBAN,
                                     membership_id=member.pk, reasons="理由",
                                     resident_id=voters[0].pk)
    assert petition.signatures_needed == 8
    ok, _refused = _in_parallel(
        lambda rid: services.sign_recall(actor=SYSTEM, petition_id=petition.pk, resident_id=rid),
        [v.pk for v in voters[1:20]] * 2)
    petition.refresh_from_db()
    assert ok == 7
    assert petition.signature_count == RecallSignature.objects.filter(petition=petition).count() == 8
    assert petition.state == "submitted"
