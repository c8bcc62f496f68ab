"""``shequ people`` commands and the demo loader."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from shequ.authz import SYSTEM
from shequ.people import demo, services
from shequ.people.models import Body, IdentityReveal, Resident, StaffMember
from shequ.people.tests.factories import make_identity_number

pytestmark = pytest.mark.django_db


def run(*args: Any) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("people", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_cli_import_dry_run_report_and_reimport(tree: Any, tmp_path: Path) -> None:
    good = make_identity_number(date(1980, 1, 1), serial=401)
    bad = "510104198002300011"
    path = tmp_path / "r.csv"
    path.write_text(f"姓名,公民身份号码,社区代码\n甲,{good},{tree.community.code}\n"
                    f"乙,{bad},{tree.community.code}\n", encoding="utf-8")
    report = tmp_path / "rejected.csv"
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("people", "import", str(path), "--no-progress", "--report", str(report),
                     stdout=io.StringIO(), stderr=err)
    assert "r.csv:3: [公民身份号码]" in err.getvalue() and good not in err.getvalue()
    assert "ric_birth_date" in report.read_text(encoding="utf-8-sig")
    assert not Resident.objects.exists()
    path.write_text(f"姓名,公民身份号码,社区代码\n甲,{good},{tree.community.code}\n", encoding="utf-8")
    out, _err = run("import", str(path), "--no-progress", "--dry-run")
    assert out.strip() == "试运行,未写入任何数据:共 1 行：新增 1，更新 0，拒绝 0。"
    assert not Resident.objects.exists()
    run("import", str(path), "--no-progress")
    run("import", str(path), "--no-progress")
    assert Resident.objects.count() == 1
    out, _err = run("lookup", good)
    assert "甲" in out and good not in out
    rid = Resident.objects.get().pk
    out, _err = run("reveal", str(rid), "--reason", "协查")
    assert out.strip() == good and IdentityReveal.objects.get().actor_name == "system"
    out, _err = run("export", tree.community.code, "-o", str(tmp_path / "x.xlsx"))
    assert (tmp_path / "x.xlsx").exists() and IdentityReveal.objects.count() == 1
    run("export", tree.community.code, "-o", str(tmp_path / "y.xlsx"), "--full-numbers",
        "--reason", "统计核对")
    assert IdentityReveal.objects.filter(channel="export").count() == 1
    from shequ.accounts.tests.factories import make_user

    make_user("resident", tree.community.code, username="jia")
    out, _err = run("link-user", str(rid), "jia")
    assert Resident.objects.get().user.username == "jia"
    with pytest.raises(CommandError):
        run("link-user", str(rid), "nobody")
    out, _err = run("reseal")
    assert out.strip() == "已检查 1 名居民,重新加密 0 条。"
    out, _err = run("retention", "--dry-run")
    assert out.strip() == "有 0 条记录应去标识化。"


def test_cli_errors_are_command_errors(tree: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        run("import", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError):
        run("lookup", "110101199003070000")


def test_demo_is_idempotent(tree: Any, monkeypatch: Any) -> None:
    from shequ.accounts.demo import load as load_users

    load_users()
    monkeypatch.setattr(demo, "CADRES", 6)
    monkeypatch.setattr(demo, "COMMUNITY_WORKERS", 9)
    monkeypatch.setattr(demo, "SOCIAL_WORKERS", 3)
    monkeypatch.setattr(demo, "RESIDENTS_PER_COMMUNITY", 8)
    demo.load(stdout=io.StringIO())
    counts = (Resident.objects.count(), StaffMember.objects.count(), Body.objects.count())
    assert counts[0] >= 24 and counts[1] == 18 and counts[2] >= 9
    demo.load()
    assert (Resident.objects.count(), StaffMember.objects.count(), Body.objects.count()) == counts
    jumin = Resident.objects.get(user__username="jumin")
    assert jumin.name == "孙丽"
    agricultural = Body.objects.filter(area_code=tree.agricultural.code, kind="council")
    assert agricultural.exists()
    assert services.run_retention(actor=SYSTEM, dry_run=True) == 0
