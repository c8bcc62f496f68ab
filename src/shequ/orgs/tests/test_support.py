"""Incubation at the citizen service centre and the foundation's grants, in fen."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Conflict
from shequ.orgs import services
from shequ.orgs.models import FoundationType, GrantState, Kind, Org, Track

from .conftest import filed_org, registered_org


@pytest.fixture
def foundation(tree: Any) -> Org:
    return Org.objects.create(
        name="锦江区社会组织发展基金会", track=Track.REGISTERED, kind=Kind.FOUNDATION,
        credit_code="53510000MJ0000001X", area_code="510104022009",
        street_code="510104022", authority_code="51", person_in_charge="赵明远",
        foundation_type=FoundationType.LOCAL_PUBLIC, founded_on=date(2010, 6, 1))


def test_incubation_places_and_support(org_user: Any, bureau: Any) -> None:
    a = registered_org(org_user)
    b = filed_org(org_user)
    centre = services.save_centre(actor=bureau, name="锦江区市民服务中心", area_code="510104",
                                  places=1)
    inc_a = services.apply_incubation(actor=org_user, org_id=a.pk, centre_id=centre.pk,
                                      plan="完善治理结构", on=date(2025, 4, 1))
    with pytest.raises(Conflict):
        services.apply_incubation(actor=org_user, org_id=a.pk, centre_id=centre.pk,
                                  plan="again", on=date(2025, 4, 2))
    inc_b = services.apply_incubation(actor=org_user, org_id=b.pk, centre_id=centre.pk,
                                      plan="培养骨干", on=date(2025, 4, 2))
    with pytest.raises(BusinessError) as exc:
        services.incubation_step(actor=bureau, incubation_id=inc_a.pk, action="admit",
                                 supports=["space"], seed_fen=500_000, on=date(2025, 4, 10))
    assert str(exc.value.message) == "种子资金须有金额，有金额须选种子资金。"
    inc_a = services.incubation_step(actor=bureau, incubation_id=inc_a.pk, action="admit",
                                     supports=["space", "seed"], seed_fen=500_000,
                                     on=date(2025, 4, 10))
    assert inc_a.admitted_on == date(2025, 4, 10) and inc_a.seed_fen == 500_000
    with pytest.raises(Conflict) as exc:
        services.incubation_step(actor=bureau, incubation_id=inc_b.pk, action="admit",
                                 supports=["training"], on=date(2025, 4, 11))
    assert str(exc.value.message) == "中心的 1 个孵化席位已满。"
    services.incubation_step(actor=bureau, incubation_id=inc_a.pk, action="graduate",
                             on=date(2026, 4, 10))
    inc_b = services.incubation_step(actor=bureau, incubation_id=inc_b.pk, action="admit",
                                     supports=["training"], on=date(2026, 4, 11))
    assert inc_b.state == "incubating"


def test_grants_budget_payments_and_filed_limit(foundation: Org, org_user: Any,
                                               bureau: Any) -> None:
    a = registered_org(org_user, on=date(2025, 3, 3))
    b = filed_org(org_user, on=date(2025, 3, 3))
    c = registered_org(org_user, on=date(2025, 3, 3), name="锦江区老年书画协会",
                       person_in_charge="钱七")
    with pytest.raises(BusinessError) as exc:
        services.save_programme(actor=bureau, funder_id=a.pk, name="微创投", year=2026,
                                budget_fen=1, max_award_fen=1, opens_on=date(2026, 3, 1),
                                closes_on=date(2026, 12, 31), procedure="评审")
    assert str(exc.value.message) == "资助须来自基金会。"
    prog = services.save_programme(actor=bureau, funder_id=foundation.pk, name="社区微公益创投",
                                   year=2026, budget_fen=15_000_000, max_award_fen=10_000_000,
                                   opens_on=date(2026, 3, 1), closes_on=date(2026, 12, 31),
                                   procedure="在线申报，专家评审，理事会审定。",
                                   categories=["elderly", "culture"])
    with pytest.raises(BusinessError) as exc:
        services.apply_grant(actor=org_user, programme_id=prog.pk, org_id=b.pk, title="书画进楼栋",
                             category="culture", summary="每周一次", requested_fen=6_000_000,
                             on=date(2026, 4, 1))
    assert exc.value.code == "registration_required"
    assert str(exc.value.message) == (
        "督院街社区书画队是备案的社区社会组织，不具有法人资格：最多可申请50,000.00 元；超过须为依法"
        "登记的组织（区社会组织发展基金会资助办法（本地规则，由各区设定））。")
    with pytest.raises(BusinessError) as exc:
        services.apply_grant(actor=org_user, programme_id=prog.pk, org_id=b.pk, title="书画进楼栋",
                             category="culture", summary="每周一次", requested_fen=4_000_000,
                             on=date(2026, 4, 1))
    assert exc.value.code == "report_year"  # the filed report on 2025 was due on 31 March
    services.lodge_report(actor=org_user, org_id=b.pk, year=2025, activities="活动20次",
                          on=date(2026, 4, 2))
    gb = services.apply_grant(actor=org_user, programme_id=prog.pk, org_id=b.pk, title="书画进楼栋",
                              category="culture", summary="每周一次", requested_fen=4_000_000,
                              on=date(2026, 4, 2))
    ga = services.apply_grant(actor=org_user, programme_id=prog.pk, org_id=a.pk, title="银龄关爱",
                              category="elderly", summary="探访独居老人", requested_fen=10_000_000,
                              on=date(2026, 4, 2))
    gc = services.apply_grant(actor=org_user, programme_id=prog.pk, org_id=c.pk, title="书法课堂",
                              category="culture", summary="每月两次", requested_fen=3_000_000,
                              on=date(2026, 4, 3))
    services.grant_step(actor=bureau, grant_id=ga.pk, action="approve", on=date(2026, 5, 1))
    services.grant_step(actor=bureau, grant_id=gb.pk, action="approve", on=date(2026, 5, 1))
    with pytest.raises(BusinessError) as exc:
        services.grant_step(actor=bureau, grant_id=gc.pk, action="approve", on=date(2026, 5, 2))
    assert str(exc.value.message) == "该项目剩余预算10,000.00元；本项资助需30,000.00元。"
    gc = services.grant_step(actor=bureau, grant_id=gc.pk, action="approve", awarded_fen=1_000_000,
                             on=date(2026, 5, 2))
    assert gc.awarded_fen == 1_000_000
    services.pay_grant(actor=bureau, grant_id=ga.pk, amount_fen=6_000_000, paid_on=date(2026, 5, 20))
    with pytest.raises(BusinessError) as exc:
        services.pay_grant(actor=bureau, grant_id=ga.pk, amount_fen=5_000_000,
                           paid_on=date(2026, 9, 1))
    assert str(exc.value.message) == "拨付不得超过资助金额：已拨付60,000.00元，资助金额100,000.00元。"
    services.pay_grant(actor=bureau, grant_id=ga.pk, amount_fen=4_000_000, paid_on=date(2026, 9, 1))
    with pytest.raises(BusinessError):
        services.grant_step(actor=org_user, grant_id=ga.pk, action="report", report="完成",
                            spent_fen=10_000_001, on=date(2026, 11, 1))
    ga = services.grant_step(actor=org_user, grant_id=ga.pk, action="report",
                             report="探访独居老人412人次", spent_fen=9_876_543, on=date(2026, 11, 1))
    ga = services.grant_step(actor=bureau, grant_id=ga.pk, action="close", on=date(2026, 11, 10))
    assert (ga.state, ga.paid_fen, ga.spent_fen) == (GrantState.CLOSED, 10_000_000, 9_876_543)
    line = a.events.get(action="approve")
    from shequ.orgs.texts import TEXTS

    assert TEXTS.render(line.text) == "获锦江区社会组织发展基金会资助100,000.00元，用于“银龄关爱”。"


def test_grant_outside_the_programme_period(foundation: Org, org_user: Any, bureau: Any) -> None:
    a = registered_org(org_user)
    prog = services.save_programme(actor=SYSTEM, funder_id=foundation.pk, name="微创投", year=2026,
                                   budget_fen=100_000, max_award_fen=100_000,
                                   opens_on=date(2026, 3, 1), closes_on=date(2026, 3, 31),
                                   procedure="评审")
    with pytest.raises(BusinessError) as exc:
        services.apply_grant(actor=org_user, programme_id=prog.pk, org_id=a.pk, title="x",
                             category="aid", summary="y", requested_fen=100, on=date(2026, 4, 1))
    assert str(exc.value.message) == "该项目的申报时间为2026-03-01至2026-03-31。"
