"""Pages: register through the form, upload an import, own record, query counts."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from shequ.authz import SYSTEM
from shequ.people import services
from shequ.people.models import Resident
from shequ.people.tests.factories import make_identity_number

pytestmark = pytest.mark.django_db


def login(make_user: Any, role: str, code: str) -> Client:
    c = Client()
    c.force_login(make_user(role, code))
    return c


def test_register_through_the_form_and_errors_on_the_form(tree: Any, make_user: Any) -> None:
    c = login(make_user, "community_worker", tree.community.code)
    number = make_identity_number(date(1990, 10, 10), serial=701)
    r = c.post("/people/residents/new/", {"name": "吴一", "id_number": number,
                                          "community_code": tree.community.code,
                                          "household_number": "F1", "head": "on",
                                          "registered_here": "on", "lives_here": "on"})
    res = Resident.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/people/residents/{res.pk}/"
    again = c.post("/people/residents/new/", {"name": "吴一", "id_number": number,
                                              "community_code": tree.community.code})
    page = again.content.decode()
    assert again.status_code == 200 and "此人已在本社区登记" in page and number not in page
    bad = c.post("/people/residents/new/", {"name": "吴二", "id_number": "510104199002300011",
                                            "community_code": tree.community.code})
    assert "19900230" in bad.content.decode() and Resident.objects.count() == 1
    elsewhere = c.post("/people/residents/new/", {"name": "吴三",
                                                  "id_number": make_identity_number(date(1991, 1, 1)),
                                                  "community_code": tree.agricultural.code})
    assert 'role="alert"' in elsewhere.content.decode() and Resident.objects.count() == 1


def test_import_page_dry_run_then_import(tree: Any, make_user: Any) -> None:
    c = login(make_user, "street_officer", tree.street.code)
    wb = Workbook()
    ws = wb.active
    ws.title = "居民"
    ws.append(["姓名", "公民身份号码", "社区代码", "户号", "户主"])
    ws.append(["郑一", make_identity_number(date(1955, 5, 5), serial=702), tree.community.code, "G1", "是"])
    ws.append(["郑二", "123", tree.community.code, "G1", "否"])
    buf = io.BytesIO()
    wb.save(buf)

    def upload(dry: bool, sheet: str = "") -> str:
        f = SimpleUploadedFile("r.xlsx", buf.getvalue())
        data = {"file": f, "sheet": sheet}
        if dry:
            data["dry_run"] = "on"
        return c.post("/people/import/", data).content.decode()

    page = upload(True)
    assert "试运行" in page and "公民身份号码" in page
    assert "公民身份号码应为 18 位,此号码为 3 位。" in page
    assert not Resident.objects.exists()
    assert "没有名为 名单 的工作表" in upload(False, sheet="名单")
    page = upload(False)
    assert not Resident.objects.exists()  # the batch had a bad row: nothing written
    number = make_identity_number(date(1955, 5, 5), serial=702)
    csv = f"姓名,公民身份号码,社区代码\n郑一,{number},{tree.community.code}\n".encode("gb18030")
    page = c.post("/people/import/", {"file": SimpleUploadedFile("r.csv", csv)}).content.decode()
    assert Resident.objects.get().name == "郑一"


def test_list_page_query_count_does_not_grow(tree: Any, make_user: Any,
                                             django_assert_max_num_queries: Any) -> None:
    for i in range(30):
        services.register_resident(actor=SYSTEM, name=f"居民{i}",
                                   id_number=make_identity_number(date(1960 + i, 1, 1), serial=800 + i),
                                   community_code=tree.community.code, household_number=f"Q{i // 3}",
                                   head=i % 3 == 0)
    c = login(make_user, "community_worker", tree.community.code)
    with django_assert_max_num_queries(12):
        page = c.get("/people/").content.decode()
    assert "居民29" in page


def test_own_record_needs_a_link(tree: Any, make_user: Any) -> None:
    c = login(make_user, "resident", tree.community.code)
    assert c.get("/people/me/").status_code == 404
    assert c.get("/people/").status_code == 403
    assert Client().get("/people/me/").status_code == 302  # sign in first


def test_move_out_and_rights_pages(tree: Any, make_user: Any) -> None:
    res = services.register_resident(actor=SYSTEM, name="钱一",
                                     id_number=make_identity_number(date(1950, 1, 1), serial=901),
                                     community_code=tree.community.code)
    c = login(make_user, "street_officer", tree.street.code)
    r = c.post(f"/people/residents/{res.pk}/move-out/", {"on": "2026-01-05"})
    assert r.status_code == 302
    res.refresh_from_db()
    assert res.moved_out_on == date(2026, 1, 5)
    services.file_rights_request(actor=SYSTEM, resident=res, kind="access")
    assert "钱一" in c.get("/people/rights/").content.decode()


def test_api_import_export_households_and_memberships(tree: Any, make_user: Any) -> None:
    from shequ.people.models import BodyKind

    c = login(make_user, "civil_affairs", tree.district.code)
    number = make_identity_number(date(1970, 7, 7), serial=951)
    other = make_identity_number(date(1972, 7, 7), serial=952)
    csv = (f"姓名,公民身份号码,社区代码,户号,户主\n孔一,{number},{tree.community.code},K1,是\n"
           f"孔二,{other},{tree.community.code},K1,否\n").encode()
    r = c.post("/api/v1/people/residents/import?dry_run=true",
               {"file": SimpleUploadedFile("r.csv", csv)})
    assert r.status_code == 200 and r.json()["created"] == 2 and not Resident.objects.exists()
    r = c.post("/api/v1/people/residents/import", {"file": SimpleUploadedFile("r.csv", csv)})
    assert r.json()["created"] == 2
    bad = c.post("/api/v1/people/residents/import", {"file": SimpleUploadedFile("r.csv", b"a,b\n1,2\n")})
    assert bad.status_code == 400 and bad.json()["code"] == "import_file"
    assert bad.json()["message"].startswith("r.csv:1: 未知的列")
    res = Resident.objects.get(name="孔二")
    hh = c.get(f"/api/v1/people/households/{res.household_id}").json()
    assert len(hh["members"]) == 2 and number not in str(hh)
    hh = c.post(f"/api/v1/people/households/{res.household_id}/head", {"resident_id": res.pk},
                content_type="application/json").json()
    assert hh["head_id"] == res.pk
    ex = c.post("/api/v1/people/residents/export", {"within": tree.community.code},
                content_type="application/json")
    data = b"".join(ex.streaming_content)
    assert data[:2] == b"PK"
    body = services.create_body(actor=SYSTEM, kind=BodyKind.PARTY, name="党委", area_code=tree.community.code)
    m = services.add_membership(actor=SYSTEM, body=body, post_role="secretary", person_name="孔一",
                                start_date=date(2021, 1, 1))
    r = c.post(f"/api/v1/people/memberships/{m.pk}/end", {"end_date": "2024-01-01", "reason": "调任"},
               content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "unknown_end_reason"
    assert r.json()["message"] == "未知的任职终止原因：调任。"
    r = c.post(f"/api/v1/people/memberships/{m.pk}/end",
               {"end_date": "2024-01-01", "reason": "transferred"}, content_type="application/json")
    assert r.json()["end_date"] == "2024-01-01" and r.json()["end_reason"] == "transferred"


def test_pages_in_chinese_and_english(tree: Any, make_user: Any) -> None:
    c = login(make_user, "street_officer", tree.street.code)
    assert "居民信息" in c.get("/people/").content.decode()
    c.post("/i18n/setlang/", {"language": "en", "next": "/people/"})
    page = c.get("/people/").content.decode()
    assert "Resident register" in page and "Identity numbers are shown masked" in page
    assert "Governance bodies" in c.get("/people/bodies/").content.decode()


def test_staff_link_an_account_so_the_resident_sees_their_record(tree: Any, make_user: Any) -> None:
    resident = services.register_resident(
        actor=SYSTEM, name="郑二", id_number=make_identity_number(date(1985, 3, 3), serial=711),
        community_code=tree.community.code, household_number="L1", head=True)
    account = make_user("resident", tree.community.code, username="zheng")
    outsider = login(make_user, "resident", tree.community.code)
    assert outsider.post(f"/people/residents/{resident.pk}/link-user/",
                         {"username": "zheng"}).status_code == 403
    staff = login(make_user, "community_worker", tree.community.code)
    r = staff.post(f"/people/residents/{resident.pk}/link-user/", {"username": "wuming"},
                   follow=True)
    assert "没有名为 wuming 的用户" in r.content.decode()
    staff.post(f"/people/residents/{resident.pk}/link-user/", {"username": "zheng"})
    resident.refresh_from_db()
    assert resident.user == account
    own = Client()
    own.force_login(account)
    assert "郑二" in own.get("/people/me/").content.decode()


def test_the_read_log_on_the_resident_page_says_when_it_is_cut(tree: Any, make_user: Any) -> None:
    res = services.register_resident(actor=SYSTEM, name="常查",
                                     id_number=make_identity_number(date(1960, 1, 1), serial=961),
                                     community_code=tree.community.code)
    c = login(make_user, "civil_affairs", tree.district.code)
    for i in range(20):
        services.reveal_identity_number(SYSTEM, res, f"核验{i}")
    page = c.get(f"/people/residents/{res.pk}/").content.decode()
    assert page.count("核验") == 20 and "仅显示最近" not in page
    services.reveal_identity_number(SYSTEM, res, "核验20")
    page = c.get(f"/people/residents/{res.pk}/").content.decode()
    assert "核验20" in page and "核验0<" not in page and "仅显示最近 20 次读取。" in page
