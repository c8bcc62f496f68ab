"""The filing track, worked by hand: a community organisation is filed with its street
office, returned once for missing materials, supplied, accepted and filed; the filing
number comes from the street that keeps it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.audit.models import AuditEntry
from shequ.core.errors import BusinessError, Forbidden
from shequ.orgs import services
from shequ.orgs.models import Application, AppState, Org, OrgEvent, Status, Track

from .conftest import ALL_FILED, submit_filing


def test_filing_from_application_to_filing_number(org_user: Any, street_officer: Any) -> None:
    # Monday 2 March 2026: four of six materials handed in
    app = submit_filing(org_user, date(2026, 3, 2), materials=["application", "person", "place",
                                                               "funds"])
    assert app.number == "510104022-2026-00001"
    assert app.authority_code == "510104022" and app.track == Track.FILED
    # 行政许可法 第三十二条: five working days to name what is missing (3–9 March)
    assert app.notice_by == date(2026, 3, 9)
    assert app.limit_days == 10 and app.limit_unit == "working_days"

    app = services.act(actor=street_officer, number=app.number, action="return",
                       missing=["charter", "members"], on=date(2026, 3, 4))
    assert app.state == AppState.RETURNED and app.missing == ["charter", "members"]

    app = services.act(actor=org_user, number=app.number, action="supply",
                       materials=["charter", "members"], on=date(2026, 3, 10))
    assert app.state == AppState.SUBMITTED and app.materials == ALL_FILED
    assert app.notice_by == date(2026, 3, 17)

    app = services.act(actor=street_officer, number=app.number, action="accept",
                       on=date(2026, 3, 11))
    # the clock runs from the day the last materials came (10 March): ten working days
    assert app.complete_on == date(2026, 3, 10) and app.due_on == date(2026, 3, 24)

    app = services.act(actor=street_officer, number=app.number, action="approve",
                       on=date(2026, 3, 20))
    org = app.org
    assert org.track == Track.FILED and org.status == Status.ACTIVE
    assert org.filing_number == "春熙路社备〔2026〕1号"
    assert org.authority_code == "510104022" and org.credit_code == ""
    assert not app.late
    assert [e.action for e in app.events.all()] == ["submit", "return", "supply", "accept",
                                                    "approve"]
    line = OrgEvent.objects.get(org=org, action="filed")
    from shequ.orgs.texts import TEXTS

    assert TEXTS.render(line.text) == "已在春熙路街道备案，备案编号 春熙路社备〔2026〕1号。"
    assert org.operators.get().user == org_user


def test_another_street_may_not_decide(org_user: Any, other_street_officer: Any,
                                       bureau: Any) -> None:
    app = submit_filing(org_user, date(2026, 3, 2))
    before = AuditEntry.objects.count()
    with pytest.raises(Forbidden):
        services.act(actor=other_street_officer, number=app.number, action="accept",
                     on=date(2026, 3, 3))
    # the bureau has no filing decision (the street keeps filings)
    with pytest.raises(Forbidden):
        services.act(actor=bureau, number=app.number, action="accept", on=date(2026, 3, 3))
    assert AuditEntry.objects.count() == before
    assert Application.objects.get(pk=app.pk).state == AppState.SUBMITTED


def test_filing_requirements_named(org_user: Any) -> None:
    with pytest.raises(BusinessError) as exc:
        submit_filing(org_user, date(2026, 3, 2), individual_members=4, has_charter=False)
    assert exc.value.code == "requirements_not_met"
    assert str(exc.value.message) == (
        "这类组织的条件不满足：须有章程（《四川省社区社会组织登记备案管理暂行办法（修订）》"
        "（2023年5月24日）（引用未核实））；4 名成员，至少 10 名（《四川省社区社会组织登记备案管理"
        "暂行办法（修订）》（2023年5月24日）（本地规则，由各区设定）（引用未核实））。")
    assert not Application.objects.exists() and not Org.objects.exists()
