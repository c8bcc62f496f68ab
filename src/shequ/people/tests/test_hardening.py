"""Issue 13: writing what one may not read (ADR 0307), no cross-scope existence oracle
(ADR 0308), malformed import files (file:line, nothing written)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Conflict, Forbidden
from shequ.people import access, importer, services
from shequ.people.enums import AuditAction
from shequ.people.importer import ImportFileError
from shequ.people.models import Household, Resident
from shequ.people.tests.factories import make_identity_number

pytestmark = pytest.mark.django_db
FORBIDDEN_DISABILITY = "您无权修改“残疾”：此项需要“敏感个人信息”权限，您在此处没有该权限。未保存任何修改。"
ELSEWHERE = "此人已在其他社区登记，须先在原社区办理迁出（区级部门可查看登记所在）。"
DUPLICATE = "已有其他记录使用此身份证号码，未作任何修改（区级部门可查看是哪条记录）。"


def register(tree: Any, number: str | None = None, actor: Any = SYSTEM, **kw: Any) -> Resident:
    args: dict[str, Any] = {"name": "张三", "community_code": tree.community.code,
                            "id_number": number or make_identity_number(date(1980, 1, 2))}
    args.update(kw)
    return services.register_resident(actor=actor, **args)


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def updates() -> int:
    return AuditEntry.objects.filter(action=AuditAction.RESIDENT_UPDATE).count()


# --------------------------------------------------------------------------- A: field writes


@pytest.mark.parametrize("field,label", [("disability", "残疾"), ("low_income", "低保"),
                                         ("deprived_of_political_rights", "被剥夺政治权利")])
def test_worker_cannot_write_a_sensitive_field(tree: Any, make_user: Any, field: str,
                                               label: str) -> None:
    res = register(tree)
    worker = make_user("community_worker", tree.community.code)
    with pytest.raises(Forbidden) as exc:
        services.update_resident(actor=worker, resident=res, name="张叁", **{field: True})
    assert exc.value.status == 403 and exc.value.code == "field_forbidden"
    assert f"“{label}”" in str(exc.value.message) and exc.value.details["field"] == field
    res.refresh_from_db()
    assert res.name == "张三" and not getattr(res, field) and updates() == 0
    # what she may read she may write
    services.update_resident(actor=worker, resident=res, name="张叁", phone="13800001111",
                             lives_here=False)
    res.refresh_from_db()
    assert res.name == "张叁" and res.phone_last4 == "1111" and not res.lives_here


def test_sensitive_officer_writes_them(tree: Any, make_user: Any) -> None:
    res = register(tree)
    officer = make_user("street_officer", tree.street.code)
    services.update_resident(actor=officer, resident=res, disability=True,
                             deprived_of_political_rights=True)
    res.refresh_from_db()
    assert res.disability and res.deprived_of_political_rights


def test_a_childs_record_needs_sensitive_to_change(tree: Any, make_user: Any) -> None:
    child = register(tree, make_identity_number(date(2020, 3, 3)), name="小明")
    worker = make_user("community_worker", tree.community.code)
    assert "lives_here" not in access.writable_fields(worker, child)
    with pytest.raises(Forbidden) as exc:
        services.update_resident(actor=worker, resident=child, lives_here=False)
    assert exc.value.code == "field_forbidden" and "敏感个人信息" in str(exc.value.message)


def test_registering_with_sensitive_values_needs_the_permission(tree: Any, make_user: Any) -> None:
    worker = make_user("community_worker", tree.community.code)
    with pytest.raises(Forbidden) as exc:
        register(tree, actor=worker, disability=True)
    assert str(exc.value.message) == FORBIDDEN_DISABILITY
    assert not Resident.objects.exists()
    register(tree, actor=worker)  # without them, fine
    assert Resident.objects.count() == 1


def test_identity_number_changes_only_by_a_reasoned_correction(tree: Any, make_user: Any
                                                              ) -> None:
    res = register(tree)
    old_masked = res.id_masked
    new = make_identity_number(date(1981, 1, 2))
    admin = make_user("district_admin", tree.district.code)
    with pytest.raises(BusinessError) as exc:
        services.update_resident(actor=admin, resident=res, id_number=new)
    assert exc.value.status == 403 and exc.value.code == "id_correction_only"
    assert str(exc.value.message) == ("身份证号码不能通过编辑修改：更正身份证号码需要专门权限并填写理由。")
    worker = make_user("community_worker", tree.community.code)
    with pytest.raises(Forbidden):
        services.correct_identity_number(actor=worker, resident=res, id_number=new,
                                         reason="录入错误")
    with pytest.raises(BusinessError) as exc:
        services.correct_identity_number(actor=admin, resident=res, id_number=new, reason=" ")
    assert exc.value.code == "reason_required"
    res.refresh_from_db()
    assert res.id_masked == old_masked
    services.correct_identity_number(actor=admin, resident=res, id_number=new,
                                     reason="户口簿核对，原录入错误")
    res.refresh_from_db()
    assert res.birth_date == date(1981, 1, 2) and res.id_masked != old_masked
    entry = AuditEntry.objects.get(action=AuditAction.RESIDENT_CORRECT_ID)
    assert entry.changes == {"id_masked": [old_masked, res.id_masked],
                             "reason": "户口簿核对，原录入错误"}
    assert new not in json.dumps(entry.changes)
    with pytest.raises(BusinessError) as exc:
        services.correct_identity_number(actor=admin, resident=res, id_number=new, reason="再次")
    assert exc.value.code == "same_number"


def test_api_patch_obeys_field_permissions(tree: Any, make_user: Any) -> None:
    res = register(tree)
    c = login(make_user("community_worker", tree.community.code))
    for field in ("disability", "low_income", "deprived_of_political_rights"):
        r = c.patch(f"/api/v1/people/residents/{res.pk}", {field: True, "name": "改名"},
                    content_type="application/json")
        assert r.status_code == 403 and r.json()["code"] == "field_forbidden"
        assert r.json()["details"]["field"] == field
    r = c.patch(f"/api/v1/people/residents/{res.pk}", {"disability": True},
                content_type="application/json")
    assert r.json()["message"] == FORBIDDEN_DISABILITY
    r = c.patch(f"/api/v1/people/residents/{res.pk}",
                {"id_number": make_identity_number(date(1981, 1, 2))},
                content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "id_correction_only"
    res.refresh_from_db()
    assert res.name == "张三" and not (res.disability or res.low_income
                                      or res.deprived_of_political_rights)
    assert updates() == 0
    r = c.patch(f"/api/v1/people/residents/{res.pk}", {"name": "张叁"},
                content_type="application/json")
    assert r.status_code == 200 and r.json()["name"] == "张叁" and r.json()["disability"] is None
    # the privileged correction, through the API
    admin = login(make_user("civil_affairs", tree.district.code))
    new = make_identity_number(date(1982, 2, 2))
    r = admin.post(f"/api/v1/people/residents/{res.pk}/correct-id",
                   {"id_number": new, "reason": "公安机关更正通知"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["birth_date"] == "1982-02-02"
    r = c.post(f"/api/v1/people/residents/{res.pk}/correct-id",
               {"id_number": make_identity_number(date(1983, 3, 3)), "reason": "x"},
               content_type="application/json")
    assert r.status_code == 403


def test_edit_page_offers_only_writable_fields(tree: Any, make_user: Any) -> None:
    res = register(tree)
    Resident.objects.filter(pk=res.pk).update(low_income=True)
    c = login(make_user("community_worker", tree.community.code))
    page = c.get(f"/people/residents/{res.pk}/edit/").content.decode()
    assert 'name="name"' in page and 'name="lives_here"' in page
    assert 'name="disability"' not in page and 'name="low_income"' not in page
    detail = c.get(f"/people/residents/{res.pk}/").content.decode()
    assert "更正身份证号码" not in detail  # the correction is not hers
    assert c.get(f"/people/residents/{res.pk}/correct-id/").status_code == 403
    # a crafted form changes the fields she may write and nothing else: the hidden
    # low-income flag is not reset to "no" by its absent checkbox
    r = c.post(f"/people/residents/{res.pk}/edit/", {
        "name": "张叁", "registered_here": "on", "lives_here": "on", "disability": "on"})
    assert r.status_code == 302
    res.refresh_from_db()
    assert res.name == "张叁" and res.low_income and not res.disability


def test_correction_page_for_the_district(tree: Any, make_user: Any) -> None:
    res = register(tree)
    c = login(make_user("civil_affairs", tree.district.code))
    assert "更正身份证号码" in c.get(f"/people/residents/{res.pk}/").content.decode()
    page = c.post(f"/people/residents/{res.pk}/correct-id/",
                  {"id_number": make_identity_number(date(1984, 4, 4)), "reason": ""})
    assert "这个字段是必填项。" in page.content.decode()
    r = c.post(f"/people/residents/{res.pk}/correct-id/",
               {"id_number": make_identity_number(date(1984, 4, 4)), "reason": "户口簿核对"})
    assert r.status_code == 302
    res.refresh_from_db()
    assert res.birth_date == date(1984, 4, 4)


HEADER = "姓名,公民身份号码,社区代码,户号,户主,残疾,低保\n"


def csv_rows(text: str) -> Any:
    return importer.read_csv(io.StringIO(text))


def test_import_sensitive_columns_need_the_permission(tree: Any, make_user: Any) -> None:
    worker = make_user("community_worker", tree.community.code)
    c = tree.community.code
    n1 = make_identity_number(date(1950, 1, 1), serial=301)
    n2 = make_identity_number(date(1951, 1, 1), serial=302)
    report = services.import_residents(actor=worker, rows=csv_rows(
        HEADER + f"甲,{n1},{c},A1,是,,\n乙,{n2},{c},A1,否,,是\n"))
    assert [(e.line, e.column, e.code) for e in report.errors] == [(3, "低保", "field_forbidden")]
    assert str(report.errors[0].message) == (
        "您无权修改“低保”：此项需要“敏感个人信息”权限，您在此处没有该权限。未保存任何修改。")
    assert not Resident.objects.exists()
    # the district sets the flag; the worker's re-import without a value keeps it
    services.import_residents(actor=SYSTEM, rows=csv_rows(HEADER + f"乙,{n2},{c},A1,否,是,是\n"))
    report = services.import_residents(actor=worker, rows=csv_rows(
        HEADER + f"甲,{n1},{c},A1,是,,\n乙改,{n2},{c},A1,否,,\n"))
    assert report.ok and (report.created, report.updated) == (1, 1)
    b = Resident.objects.get(name="乙改")
    assert b.low_income and b.disability


# --------------------------------------------------------------------------- B: no oracle


def _no_trace(text: str, tree: Any, res: Resident) -> None:
    assert tree.community.code not in text and tree.community.name not in text
    assert res.name not in text and res.id_masked not in text


def test_registering_a_number_held_elsewhere_says_not_where(tree: Any, make_user: Any) -> None:
    number = make_identity_number(date(1970, 6, 1))
    held = register(tree, number, name="王五")
    worker2 = make_user("community_worker", tree.community2.code)
    with pytest.raises(Conflict) as exc:
        register(tree, number, actor=worker2, community_code=tree.community2.code, name="王伍")
    assert exc.value.code == "registered_elsewhere" and str(exc.value.message) == ELSEWHERE
    assert not exc.value.details
    assert Resident.objects.count() == 1
    entry = AuditEntry.objects.get(action=AuditAction.RESIDENT_ELSEWHERE_ATTEMPT)
    assert entry.actor_id == worker2.pk and entry.area_code == tree.street.code
    assert entry.changes["kind"] == "register"
    assert entry.changes["community_code"] == tree.community2.code
    assert entry.changes["elsewhere"] == [tree.community.code]
    assert entry.changes["id_masked"] == [held.id_masked]
    # the API answers the same, without the other community's code, name or the record
    c = login(worker2)
    r = c.post("/api/v1/people/residents", {"name": "王伍", "id_number": number,
                                             "community_code": tree.community2.code},
               content_type="application/json")
    assert r.status_code == 409 and r.json() == {"code": "registered_elsewhere",
                                                 "message": ELSEWHERE, "details": {}}
    _no_trace(r.content.decode(), tree, held)
    # and so does the page
    page = c.post("/people/residents/new/", {"name": "王伍", "id_number": number,
                                              "community_code": tree.community2.code,
                                              "registered_here": "on", "lives_here": "on"})
    text = page.content.decode()
    assert ELSEWHERE in text
    _no_trace(text.replace(number, ""), tree, held)
    assert AuditEntry.objects.filter(action=AuditAction.RESIDENT_ELSEWHERE_ATTEMPT).count() == 3


def test_correcting_to_a_number_held_by_another_record_says_not_whose(tree: Any,
                                                                      make_user: Any) -> None:
    number = make_identity_number(date(1971, 7, 1))
    held = register(tree, number, name="赵六")
    res = register(tree, community_code=tree.community2.code, name="钱七")
    officer = make_user("street_officer", tree.street.code)
    c = login(officer)
    r = c.post(f"/api/v1/people/residents/{res.pk}/correct-id",
               {"id_number": number, "reason": "核对"}, content_type="application/json")
    assert r.status_code == 409 and r.json() == {
        "code": "duplicate_identity", "message": DUPLICATE, "details": {"field": "id_number"}}
    assert str(held.pk) not in json.dumps(r.json()["details"])
    _no_trace(r.content.decode(), tree, held)
    res.refresh_from_db()
    assert res.name == "钱七" and res.id_masked != held.id_masked
    entry = AuditEntry.objects.get(action=AuditAction.RESIDENT_ELSEWHERE_ATTEMPT)
    assert entry.changes["kind"] == "correct_id"
    assert entry.changes["elsewhere"] == [tree.community.code]


def test_import_does_not_name_the_other_community(tree: Any, make_user: Any) -> None:
    number = make_identity_number(date(1972, 8, 1))
    held = register(tree, number, name="孙八")
    worker2 = make_user("community_worker", tree.community2.code)
    report = services.import_residents(actor=worker2, rows=csv_rows(
        "姓名,公民身份号码,社区代码\n" f"孙捌,{number},{tree.community2.code}\n"))
    assert [(e.line, e.code) for e in report.errors] == [(2, "registered_elsewhere")]
    message = str(report.errors[0].message)
    assert message == "此人已在其他社区登记，须先在原社区办理迁出（区级部门可查看登记所在）。"
    _no_trace(json.dumps(report.as_dict(), ensure_ascii=False), tree, held)
    entry = AuditEntry.objects.get(action=AuditAction.RESIDENT_ELSEWHERE_ATTEMPT)
    assert entry.changes["kind"] == "import" and entry.changes["lines"] == [2]
    assert entry.changes["elsewhere"] == [tree.community.code]
    # through the import page too
    c = login(worker2)
    page = c.post("/people/import/", {"file": SimpleUploadedFile(
        "r.csv", f"姓名,公民身份号码,社区代码\n孙捌,{number},{tree.community2.code}\n".encode()),
        "dry_run": "on"}).content.decode()
    assert "此人已在其他社区登记" in page
    _no_trace(page, tree, held)


def test_district_reviews_the_attempts(tree: Any, make_user: Any) -> None:
    number = make_identity_number(date(1973, 9, 1))
    register(tree, number)
    worker2 = make_user("community_worker", tree.community2.code)
    with pytest.raises(Conflict):
        register(tree, number, actor=worker2, community_code=tree.community2.code)
    district = login(make_user("civil_affairs", tree.district.code))
    page = district.get("/people/elsewhere/").content.decode()
    assert "已在其他社区登记的号码" in page
    assert f"{tree.community.name}（{tree.community.code}）" in page
    assert f"{tree.community2.name}（{tree.community2.code}）" in page and "登记" in page
    items = district.get("/api/v1/people/elsewhere-attempts").json()["items"]
    assert [(i["kind"], i["elsewhere"], i["community_code"]) for i in items] == [
        ("register", [tree.community.code], tree.community2.code)]
    assert login(worker2).get("/people/elsewhere/").status_code == 403
    assert login(worker2).get("/api/v1/people/elsewhere-attempts").status_code == 403
    out = io.StringIO()
    call_command("people", "elsewhere", "--within", tree.district.code, stdout=out)
    line = out.getvalue().strip().split("\t")
    assert line[2:5] == ["register", tree.community2.code, tree.community.code]


# --------------------------------------------------------------------------- C: malformed files

GOOD = "姓名,公民身份号码,社区代码,户号\n"


def _file(tmp_path: Path, data: bytes, name: str = "people.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _cli(path: Path, *extra: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("people", "import", str(path), "--no-progress", *extra, stdout=out,
                     stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc)
    return out.getvalue(), err.getvalue()


def _lines(tree: Any, n: int = 2) -> list[str]:
    return [f"居民{i},{make_identity_number(date(1960, 1, i), serial=400 + i)},"
            f"{tree.community.code},H{i}" for i in range(1, n + 1)]


def test_gbk_file_is_detected_and_imported(tree: Any, tmp_path: Path) -> None:
    path = _file(tmp_path, (GOOD + "\n".join(_lines(tree)) + "\n").encode("gbk"))
    out, err = _cli(path)
    assert err == "" and out == "共 2 行：新增 2，更新 0，拒绝 0。\n"
    assert Resident.objects.count() == 2 and Resident.objects.filter(name="居民1").exists()


def test_random_bytes_are_refused_by_name(tree: Any, tmp_path: Path) -> None:
    path = _file(tmp_path, bytes(range(128, 256)) * 40)
    _out, err = _cli(path)
    assert err.startswith("people.csv:1: ") and "UTF-8" in err and "GB18030" in err
    assert not Resident.objects.exists()


def test_unknown_encoding_is_refused_by_name(tree: Any, tmp_path: Path) -> None:
    path = _file(tmp_path, (GOOD + _lines(tree)[0] + "\n").encode())
    _out, err = _cli(path, "--encoding", "klingon")
    assert err == "people.csv:0: 未知的编码 'klingon'。" and not Resident.objects.exists()


@pytest.mark.parametrize("mangle,line,reason", [
    (lambda rows: [rows[0], rows[1].rsplit(",", 1)[0]], 3,
     "有 3 个字段，但表头有 4 个：某个值缺失、多余或含有未加引号的逗号。"),
    (lambda rows: [rows[0] + ",多余", rows[1]], 2,
     "有 5 个字段，但表头有 4 个：某个值缺失、多余或含有未加引号的逗号。"),
    (lambda rows: [rows[0].replace("居民1", "居\x00民1"), rows[1]], 2,
     "含有 NUL 字节：文件已损坏或不是文本文件。"),
    (lambda rows: [rows[0].replace("居民1", '居"民1'), rows[1]], 2,
     "列 姓名 中有多余的引号（\"）。"),
])
def test_malformed_rows_are_refused_with_file_line(tree: Any, tmp_path: Path, mangle: Any,
                                                   line: int, reason: str) -> None:
    rows = mangle(_lines(tree))
    path = _file(tmp_path, (GOOD + "\n".join(rows) + "\n").encode())
    _out, err = _cli(path)
    expected = reason.replace("，", ",").replace("：", ":").replace("（", "(").replace("）", ")")
    assert f"people.csv:{line}: {expected} (malformed_row)" in err
    assert not Resident.objects.exists() and not Household.objects.exists()
    # a dry run reports the same and writes nothing either
    _out, err = _cli(path, "--dry-run")
    assert f"people.csv:{line}: " in err and not Resident.objects.exists()


def test_file_cut_mid_row_is_refused_not_imported_with_empty_columns(tree: Any,
                                                                    tmp_path: Path) -> None:
    rows = _lines(tree, 3)
    cut = GOOD + "\n".join(rows)
    path = _file(tmp_path, cut[:-len(rows[2]) + 8].encode())  # the last row stops short
    _out, err = _cli(path)
    assert "people.csv:4: 有 " in err and not Resident.objects.exists()
    quoted = GOOD + rows[0] + "\n" + rows[1].replace("居民2", '"居民2') + ",H2\n"
    _out, err = _cli(_file(tmp_path, quoted[:-6].encode(), "cut.csv"))
    assert "cut.csv:3: " in err and not Resident.objects.exists()


def test_upload_of_a_malformed_file_writes_nothing(tree: Any, make_user: Any) -> None:
    c = login(make_user("community_worker", tree.community.code))
    rows = _lines(tree)
    data = (GOOD + rows[0] + "\n" + rows[1] + ",多余\n").encode("gbk")
    r = c.post("/api/v1/people/residents/import", {"file": SimpleUploadedFile("r.csv", data)})
    body = r.json()
    assert r.status_code == 200 and body["rejected_rows"] == 1 and body["created"] == 0
    assert body["errors"][0]["line"] == 3 and body["errors"][0]["code"] == "malformed_row"
    assert not Resident.objects.exists()


def test_xlsx_value_under_no_header_is_refused(tree: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "社区代码"])
    a, b = _lines(tree)
    ws.append(a.split(",")[:3])
    ws.append([*b.split(",")[:3], "多余"])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    rows = list(importer.read_file(path))
    assert isinstance(rows[1], importer.RowError) and rows[1].line == 3
    report = services.import_residents(actor=SYSTEM, rows=iter(rows))
    assert report.rejected_rows == 1 and not Resident.objects.exists()
    ws2 = Workbook()
    ws2.active.append(["姓名", "公民身份号码", "社区代码", "备注"])
    ws2.save(tmp_path / "u.xlsx")
    with pytest.raises(ImportFileError) as exc:
        list(importer.read_file(tmp_path / "u.xlsx"))
    assert "备注" in str(exc.value.message)


def test_lookup_and_read_outside_scope_do_not_say_where(tree: Any, make_user: Any) -> None:
    number = make_identity_number(date(1974, 10, 1))
    held = register(tree, number, name="周九")
    c = login(make_user("community_worker", tree.community2.code))
    held_answer = c.post("/api/v1/people/residents/lookup", {"number": number},
                         content_type="application/json")
    nobody = c.post("/api/v1/people/residents/lookup",
                    {"number": make_identity_number(date(1975, 11, 1))},
                    content_type="application/json")
    assert held_answer.status_code == nobody.status_code == 404
    assert held_answer.json() == nobody.json()
    r = c.get(f"/api/v1/people/residents/{held.pk}")
    assert r.status_code == 403 and r.json()["details"] == {}
    _no_trace(r.content.decode(), tree, held)
