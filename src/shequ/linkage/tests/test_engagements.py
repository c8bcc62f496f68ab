"""Invitations carry the explanation of why the provider was proposed; engagements run to
completion and feedback, keeping each provider's figures (load, record, ratings)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shequ.core.errors import BusinessError, Conflict, Forbidden
from shequ.linkage import explain, selectors, services
from shequ.linkage.models import EngagementState, NeedState, ProviderStats


@pytest.fixture
def operator(providers: Any, make_user: Any) -> Any:
    from shequ.authz import SYSTEM
    from shequ.orgs import services as orgs

    user = make_user("org_user", "510104", username="zuzhi")
    orgs.add_operator(actor=SYSTEM, org_id=providers["A"].pk, user=user)
    return user


def _stats(kind: str, pid: int) -> tuple[int, int, int, int]:
    s = ProviderStats.objects.get(kind=kind, provider_id=pid)
    return s.active, s.completed, s.rating_sum, s.rating_n


def test_invitation_to_feedback(need: Any, providers: Any, operator: Any,
                                community_worker: Any, make_user: Any) -> None:
    a = providers["A"]
    e = services.invite(actor=community_worker, need_id=need.pk, kind="org", provider_id=a.pk,
                        on=date(2026, 2, 21))
    assert (e.score, e.provider_name, e.state) == (Decimal("82.5"), "锦江区颐养社工中心", "invited")
    assert [line["arithmetic"] for line in explain.stored_lines(e.explanation)] == [
        "100.0% × 20% = 20.0", "88.9% × 25% = 22.2", "100.0% × 15% = 15.0",
        "44.4% × 20% = 8.9", "82.1% × 20% = 16.4"]
    with pytest.raises(Conflict) as exc:
        services.invite(actor=community_worker, need_id=need.pk, kind="org", provider_id=a.pk)
    assert str(exc.value.message) == "已邀请过该服务方。"
    other = make_user("org_user", "510104", username="other")
    with pytest.raises(BusinessError) as exc:
        services.engagement_step(actor=other, engagement_id=e.pk, action="accept")
    assert str(exc.value.message) == "只有受邀的服务方可以答复。"
    services.engagement_step(actor=operator, engagement_id=e.pk, action="accept",
                             on=date(2026, 2, 22))
    need.refresh_from_db()
    assert need.state == NeedState.MATCHED
    assert _stats("org", a.pk) == (1, 4, 18, 4)
    services.engagement_step(actor=operator, engagement_id=e.pk, action="start", on=date(2026, 3, 1))
    with pytest.raises(BusinessError):
        services.engagement_step(actor=operator, engagement_id=e.pk, action="complete",
                                 hours=-1, on=date(2026, 6, 1))
    services.engagement_step(actor=operator, engagement_id=e.pk, action="complete", hours=96,
                             served=38, on=date(2026, 6, 1))
    assert _stats("org", a.pk) == (0, 5, 18, 4)
    with pytest.raises(Forbidden):  # feedback is the community's
        services.engagement_step(actor=operator, engagement_id=e.pk, action="feedback", rating=5)
    with pytest.raises(BusinessError) as exc:
        services.engagement_step(actor=community_worker, engagement_id=e.pk, action="feedback",
                                 rating=6)
    assert str(exc.value.message) == "评分为1至5。"
    e = services.engagement_step(actor=community_worker, engagement_id=e.pk, action="feedback",
                                 rating=5, feedback="服务认真", on=date(2026, 6, 5))
    assert (e.state, e.rating, e.hours, e.served) == (EngagementState.CLOSED, 5, 96, 38)
    assert _stats("org", a.pk) == (0, 5, 23, 5)
    need = services.need_step(actor=community_worker, need_id=need.pk, action="close",
                              on=date(2026, 6, 30))
    assert need.state == NeedState.CLOSED
    # the record and the new rating count at the next need: record 5/10 = 0.5 → 10.0;
    # rating (23 + 4 × 3)/(5 + 3) = 4.375, (4.375 − 1)/4 = 0.8438 → 16.9
    again = services.post_need(
        actor=community_worker, area_code="510104022009", category="elderly", title="助浴",
        description="上门助浴", address="督院街", beneficiaries=10, wanted_from=date(2026, 7, 1),
        wanted_to=date(2026, 7, 31), budget_fen=500_000, lat_e6=30_650_000, lon_e6=104_080_000,
        on=date(2026, 6, 30))
    a_again = next(c for c in selectors.candidates(again)[0]
                   if (c.ranked.kind, c.ranked.id) == ("org", a.pk))
    assert [str(f.points) for f in a_again.ranked.factors] == ["20.0", "22.2", "15.0", "10.0",
                                                               "16.9"]


def test_full_not_served_and_too_far(need: Any, providers: Any, community_worker: Any) -> None:
    with pytest.raises(Conflict) as exc:
        services.invite(actor=community_worker, need_id=need.pk, kind="org",
                        provider_id=providers["D"].pk)
    assert str(exc.value.message) == "该服务方已满负荷（正在进行 1 项服务）。"
    for key in ("E", "C"):
        with pytest.raises(BusinessError) as exc:
            services.invite(actor=community_worker, need_id=need.pk, kind="org",
                            provider_id=providers[key].pk)
        assert str(exc.value.message) == "该服务方在需求附近不提供“养老服务”服务，或暂不可接受邀请。"


def test_a_social_worker_answers_through_the_staff(need: Any, providers: Any,
                                                  community_worker: Any, make_user: Any) -> None:
    w = providers["W"]
    e = services.invite(actor=community_worker, need_id=need.pk, kind="worker", provider_id=w.pk)
    with pytest.raises(BusinessError):
        services.engagement_step(actor=community_worker, engagement_id=e.pk, action="accept")
    officer = make_user("street_officer", "510104022")
    e = services.engagement_step(actor=officer, engagement_id=e.pk, action="decline",
                                 note="排班已满")
    assert e.state == EngagementState.DECLINED


def test_cancelling_a_need_withdraws_its_invitations(need: Any, providers: Any,
                                                     community_worker: Any, operator: Any) -> None:
    e1 = services.invite(actor=community_worker, need_id=need.pk, kind="org",
                         provider_id=providers["A"].pk)
    e2 = services.invite(actor=community_worker, need_id=need.pk, kind="org",
                         provider_id=providers["B"].pk)
    services.engagement_step(actor=operator, engagement_id=e1.pk, action="accept")
    with pytest.raises(BusinessError) as exc:
        services.need_step(actor=community_worker, need_id=need.pk, action="cancel")
    assert str(exc.value.message) == "有已接受的服务正在进行，请先终止。"
    with pytest.raises(BusinessError):
        services.engagement_step(actor=operator, engagement_id=e1.pk, action="abandon")
    services.engagement_step(actor=operator, engagement_id=e1.pk, action="abandon",
                             note="人手不足")
    assert _stats("org", providers["A"].pk)[0] == 0
    need = services.need_step(actor=community_worker, need_id=need.pk, action="cancel")
    e2.refresh_from_db()
    assert need.state == NeedState.CANCELLED and e2.state == EngagementState.WITHDRAWN


def test_posting_checks(providers: Any, community_worker: Any, make_user: Any) -> None:
    base = dict(area_code="510104022009", category="elderly", title="t", description="d",
                address="a", beneficiaries=1, wanted_from=date(2026, 3, 1),
                wanted_to=date(2026, 3, 31))
    with pytest.raises(BusinessError) as exc:
        services.post_need(actor=community_worker, **base)
    assert str(exc.value.message) == "需求要么有预算，要么仅需志愿者。"
    with pytest.raises(BusinessError):
        services.post_need(actor=community_worker, budget_fen=100, volunteer_only=True, **base)
    resident = make_user("resident", "510104022009")
    with pytest.raises(Forbidden):
        services.post_need(actor=resident, volunteer_only=True, **base)
    elsewhere = make_user("community_worker", "510104022011")
    with pytest.raises(Forbidden):
        services.post_need(actor=elsewhere, volunteer_only=True, **base)
