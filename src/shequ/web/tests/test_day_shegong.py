"""The community worker's day, pages only, in a real browser (issues 12 and 13): register
a resident (a wrong identity number first, then one registered in another community,
answered without saying where), edit a resident without the sensitive fields, export the
community's residents and import a file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shequ.accounts.tests.factories import PASSWORD


def sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#signin")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_community_workers_day(page: Any, live_server: Any, make_user: Any,
                                   tmp_path: Path) -> None:
    from shequ.areas.tests.factories import make_tree
    from shequ.audit.models import AuditEntry
    from shequ.authz import SYSTEM
    from shequ.people import services
    from shequ.people.models import Resident
    from shequ.people.tests.factories import make_identity_number

    tree = make_tree()
    make_user("community_worker", tree.community.code, username="shegong",
              display_name="督院街社区 陈静")
    elsewhere = make_identity_number(date(1966, 6, 6), serial=61)
    services.register_resident(actor=SYSTEM, name="外社区居民", id_number=elsewhere,
                               community_code=tree.community2.code)
    zhang = services.register_resident(actor=SYSTEM, name="张秀英", low_income=True,
                                       id_number=make_identity_number(date(1950, 5, 5), serial=62),
                                       community_code=tree.community.code)
    url = live_server.url
    sign_in(page, url, "shegong")
    page.wait_for_url(f"{url}/console/")

    # a new resident: a mistyped number, then one registered in another community
    page.goto(f"{url}/people/")
    page.click("#new-resident")
    assert page.locator("h1").inner_text() == "登记居民"
    good = make_identity_number(date(1988, 8, 8), serial=63)
    page.fill("#id_name", "李明")
    page.fill("#id_id_number", good[:17] + ("0" if good[17] != "0" else "1"))
    page.fill("#id_community_code", tree.community.code)
    page.click("#submit")
    assert page.locator("[role=alert]").first.inner_text() == (
        "校验码错误(GB 11643-1999,ISO 7064 MOD 11-2)。")
    page.fill("#id_id_number", elsewhere)
    page.click("#submit")
    assert page.locator("[role=alert]").first.inner_text() == (
        "此人已在其他社区登记，须先在原社区办理迁出（区级部门可查看登记所在）。")
    content = page.content()
    assert tree.community2.code not in content and tree.community2.name not in content
    assert "外社区居民" not in content
    page.fill("#id_id_number", good)
    page.click("#submit")
    page.wait_for_selector("text=已登记 李明。")
    assert AuditEntry.objects.filter(action="people.resident.elsewhere_attempt").count() == 1

    # editing a resident: the sensitive fields are not hers to change
    page.goto(f"{url}/people/residents/{zhang.pk}/")
    assert "更正身份证号码" not in page.content()
    page.click("a:text('编辑')")
    assert page.locator("#id_disability").count() == 0
    assert page.locator("#id_low_income").count() == 0
    page.fill("#id_name", "张秀瑛")
    page.click("#submit")
    page.wait_for_selector("text=已保存。")
    zhang.refresh_from_db()
    assert zhang.name == "张秀瑛" and zhang.low_income

    # the community's residents as CSV, then a file of newcomers imported
    page.goto(f"{url}/people/")
    page.click("a:text('导出')")
    assert page.locator("h1").inner_text() == "导出居民"
    page.select_option("#id_fmt", "csv")
    with page.expect_download() as info:
        page.click("#submit")
    saved = tmp_path / "export.csv"
    info.value.save_as(saved)
    exported = saved.read_text(encoding="utf-8-sig").splitlines()
    assert exported[0].startswith("姓名,公民身份号码,性别,出生日期,社区代码")
    assert {line.split(",")[0] for line in exported[1:]} == {"李明", "张秀瑛"}

    newcomer = make_identity_number(date(1995, 9, 9), serial=64)
    upload = tmp_path / "newcomers.csv"
    upload.write_bytes(f"姓名,公民身份号码,社区代码,户号,户主\n王新,{newcomer},"
                       f"{tree.community.code},X1,是\n".encode("gbk"))
    page.goto(f"{url}/people/")
    page.click("a:text('导入')")
    page.set_input_files("#id_file", str(upload))
    page.click("#import")
    page.wait_for_selector("text=试运行:未写入任何数据")
    assert not Resident.objects.filter(name="王新").exists()
    page.set_input_files("#id_file", str(upload))
    page.uncheck("#id_dry_run")
    page.click("#import")
    page.wait_for_selector("h2:text('结果')")
    assert page.locator("#report dd").nth(1).inner_text() == "1"
    assert Resident.objects.get(name="王新").community_code == tree.community.code
