"""``shequ linkage``: the needs and a need's ranked candidates, explained."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_rank_prints_every_factor(need: Any, providers: Any) -> None:
    out = io.StringIO()
    call_command("linkage", "rank", str(need.pk), "--limit", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1] == "1. 陈静 (社会工作师) 84.3"
    assert lines[2:7] == [
        "     服务类别: 主营类别  100.0% × 20% = 20.0",
        "     距离: 1.11 公里  88.9% × 25% = 22.2",
        "     空余服务能力: 1 项中空余 1 项  100.0% × 15% = 15.0",
        "     服务经历: 已完成 10 次服务  66.7% × 20% = 13.3",
        "     评价: 10 条评价与先验（中性 3 分）的均值 3.77  69.2% × 20% = 13.8"]
    assert lines[7] == "2. 锦江区颐养社工中心 (民办非企业单位) 82.5"
    out = io.StringIO()
    call_command("linkage", "needs", "--area", "510104022009", stdout=out)
    assert out.getvalue().split("\t")[-1].strip() == "独居老人周末探访"
    with pytest.raises(CommandError) as exc:
        call_command("linkage", "rank", "99999")
    assert str(exc.value) == "没有这个需求。"
