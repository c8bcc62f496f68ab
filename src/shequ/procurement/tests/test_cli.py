"""``shequ procurement`` and its refusals."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shequ.procurement.tests.conftest import World, contracted

pytestmark = pytest.mark.django_db


def run(*args: Any) -> str:
    out = io.StringIO()
    call_command("procurement", *args, stdout=out)
    return out.getvalue()


def test_budget_show_and_spending(world: World) -> None:
    contracted(world)
    assert run("budget", "春熙路街道办事处", "2026", "1200000.50") == \
        "春熙路街道办事处 2026 政府购买社会组织服务: 1,200,000.50\n"
    shown = run("show", "JJ2025-0001")
    assert "ocds-jjgm26-JJ2025-0001" in shown and "锦江区社工服务协会: 280,000.00" in shown
    assert run("spending", "--by", "category").splitlines() == [
        "社区养老服务\t1\t280,000.00\t0.00", "total\t1\t280,000.00\t0.00"]
    with pytest.raises(CommandError, match=r"^春熙路街道办事处 2025 年已有预算项目“社区服务购买”。$"):
        run("budget", "春熙路街道办事处", "2025", "1", "--title", "社区服务购买")
