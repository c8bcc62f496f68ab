"""The CLI's other commands, the periodic sweep as a task, the console's figures."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.management import call_command

from shequ.authz import SYSTEM
from shequ.orgs import services

from .conftest import registered_org, submit_filing


def test_overdue_eligibility_and_export(org_user: Any, tmp_path: Any) -> None:
    org = registered_org(org_user)
    out = io.StringIO()
    call_command("orgs", "overdue", "--year", "2025", "--on", "2026-06-01", stdout=out)
    assert out.getvalue().strip().split("\t")[1:4] == [
        "锦江区老年互助协会", org.credit_code, "工作报告报送登记管理机关截止日期 05-31"]
    out = io.StringIO()
    call_command("orgs", "eligibility", str(org.pk), stdout=out)
    assert "legal_person\tTrue" in out.getvalue().splitlines()
    path = tmp_path / "out.xlsx"
    call_command("orgs", "export", str(path), stdout=io.StringIO())
    assert path.read_bytes()[:2] == b"PK"


def test_sweep_is_a_periodic_task(org_user: Any) -> None:
    from shequ.core.jobs import PERIODIC
    from shequ.orgs.tasks import sweep_orgs

    assert PERIODIC["orgs.sweep"].task is sweep_orgs
    submit_filing(org_user, date(2025, 3, 3))
    result = sweep_orgs.enqueue()
    assert result.return_value == {"deemed_accepted": 1, "deadlines_settled": 0,
                                   "suspensions_ended": 0}
    out = io.StringIO()
    call_command("orgs", "sweep", stdout=out)
    assert out.getvalue().strip() == "deemed_accepted=0 deadlines_settled=0 suspensions_ended=0"


def test_console_counts_what_the_user_decides(org_user: Any, street_officer: Any,
                                              bureau: Any) -> None:
    from shequ.orgs.console import items

    submit_filing(org_user, date.today())
    assert [(str(i.label), i.value) for i in items(street_officer)] == [("待决定的社会组织申请", 1)]
    assert items(bureau) == [] or all(str(i.label) != "待决定的社会组织申请" for i in items(bureau))
    assert items(org_user) == []
    assert services.sweep(actor=SYSTEM)["deemed_accepted"] == 0
