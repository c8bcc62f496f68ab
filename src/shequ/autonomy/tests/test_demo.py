from __future__ import annotations

from typing import Any

from shequ.autonomy import demo
from shequ.autonomy.models import (
    Disclosure,
    EvaluationTarget,
    Meeting,
    Proposal,
    RecallPetition,
)


def test_demo_has_a_year_of_life_and_is_idempotent(tree: Any) -> None:
    from shequ.accounts import demo as accounts_demo

    accounts_demo.load()
    demo.load()
    assert set(Proposal.objects.values_list("state", flat=True)) == set(Proposal.State.values)
    assert Meeting.objects.filter(quorate=False).exists()
    assert Meeting.objects.filter(kind=Meeting.Kind.COUNCIL).exists()
    assert EvaluationTarget.objects.filter(flagged=True).count() == 1
    assert Disclosure.objects.filter(overdue_flagged_at__isnull=False).exists()
    assert RecallPetition.objects.count() == 1
    counts = (Proposal.objects.count(), Meeting.objects.count())
    demo.load()
    assert (Proposal.objects.count(), Meeting.objects.count()) == counts
