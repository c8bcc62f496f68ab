"""Import: streamed CSV and .xlsx, per-row report, idempotent, all-or-nothing per batch."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from shequ.authz import SYSTEM
from shequ.core.errors import Forbidden
from shequ.people import facade, importer, services
from shequ.people.importer import ImportFileError
from shequ.people.models import Household, Resident
from shequ.people.tests.factories import make_identity_number

pytestmark = pytest.mark.django_db
HEADER = "姓名,公民身份号码,社区代码,小区代码,户号,户主,联系电话,低保\n"


def csv_rows(text: str) -> Any:
    return importer.read_csv(io.StringIO(text, newline=""))


def good_lines(tree: Any, n: int = 3, start: int = 1) -> list[str]:
    c = tree.community.code
    lines = []
    for i in range(start, start + n):
        number = make_identity_number(date(1960 + i % 40, 1 + i % 12, 1 + i % 28), serial=i)
        lines.append(f"居民{i},{number},{c},,H{(i + 1) // 2},{'是' if i % 2 else '否'},1380000{i:04d},否\n")
    return lines


def run(text: str, **kw: Any) -> services.ImportReport:
    return services.import_residents(actor=kw.pop("actor", SYSTEM), rows=csv_rows(text), **kw)


def test_import_creates_residents_and_households(tree: Any) -> None:
    report = run(HEADER + "".join(good_lines(tree, 4)))
    assert report.ok and (report.created, report.updated) == (4, 0)
    assert Resident.objects.count() == 4 and Household.objects.count() == 2
    h1 = Household.objects.get(number="H1")
    assert h1.head.name == "居民1" and h1.members.count() == 2


def test_reimport_is_idempotent(tree: Any) -> None:
    text = HEADER + "".join(good_lines(tree, 4))
    run(text)
    ids_before = sorted(Resident.objects.values_list("pk", flat=True))
    report = run(text.replace(",否\n", ",是\n"))  # now everyone gets low income
    assert (report.created, report.updated) == (0, 4)
    assert sorted(Resident.objects.values_list("pk", flat=True)) == ids_before
    assert Resident.objects.filter(low_income=True).count() == 4
    assert Household.objects.count() == 2


def test_dry_run_writes_nothing(tree: Any) -> None:
    report = run(HEADER + "".join(good_lines(tree, 3)), dry_run=True)
    assert report.ok and report.created == 3 and not Resident.objects.exists()


def test_bad_rows_are_reported_precisely_and_nothing_is_half_imported(tree: Any) -> None:
    c = tree.community.code
    good = good_lines(tree, 2)
    n1 = make_identity_number(date(1990, 1, 1), serial=50)
    bad_check = n1[:17] + ("0" if n1[17] != "0" else "1")
    impossible = "510104" + "19900231" + "001"
    impossible += __import__("shequ.core.ids", fromlist=["x"]).ric_check_char(impossible)
    text = HEADER + "".join(good) + (
        f"坏号码,{bad_check},{c},,,否,,否\n"
        f"二月三十一,{impossible},{c},,,否,,否\n"
        f"无社区,{make_identity_number(date(1991, 1, 1), serial=51)},510104022999,,,否,,否\n"
        f"第二户主,{make_identity_number(date(1992, 1, 1), serial=52)},{c},,H1,是,,否\n"
    )
    report = run(text)
    assert not report.ok and report.created == 0 and report.batches_rejected == 1
    assert not Resident.objects.exists() and not Household.objects.exists()
    found = {(e.line, e.column, e.code) for e in report.errors}
    assert found == {(4, "公民身份号码", "ric_check"), (5, "公民身份号码", "ric_birth_date"),
                     (6, "社区代码", "unknown_community"), (7, "户主", "duplicate_head")}
    assert "19900231" in str(next(e.message for e in report.errors if e.line == 5))


def test_person_registered_in_another_community_is_rejected(tree: Any) -> None:
    number = make_identity_number(date(1975, 5, 5), serial=77)
    services.register_resident(actor=SYSTEM, name="王五", id_number=number,
                               community_code=tree.community2.code)
    report = run(HEADER + f"王五,{number},{tree.community.code},,,否,,否\n")
    assert [(e.line, e.column, e.code) for e in report.errors] == [
        (2, "公民身份号码", "registered_elsewhere")]
    assert Resident.objects.get().community_code == tree.community2.code


def test_household_head_already_in_database_is_rejected(tree: Any) -> None:
    services.register_resident(actor=SYSTEM, name="户主甲", household_number="H9", head=True,
                               id_number=make_identity_number(date(1960, 1, 1), serial=90),
                               community_code=tree.community.code)
    report = run(HEADER + f"户主乙,{make_identity_number(date(1961, 1, 1), serial=91)},"
                 f"{tree.community.code},,H9,是,,否\n")
    assert [e.code for e in report.errors] == ["household_has_head"]
    assert Resident.objects.count() == 1


def test_nothing_is_written_when_any_row_is_bad(tree: Any) -> None:
    lines = good_lines(tree, 6)
    lines[4] = lines[4].replace(tree.community.code, "5101040229", 1)  # line 6: bad code
    report = run(HEADER + "".join(lines), batch_size=3)
    assert report.batches == 2 and report.batches_rejected == 1
    assert report.created == 0 and not Resident.objects.exists()  # not even the first batch
    assert not Household.objects.exists()
    assert [(e.line, e.code) for e in report.errors] == [(6, "bad_community_code")]
    # fixing the file and running it again imports all of it
    report = run(HEADER + "".join(good_lines(tree, 6)), batch_size=3)
    assert report.ok and (report.created, report.updated) == (6, 0)
    assert Resident.objects.count() == 6
    report = run(HEADER + "".join(good_lines(tree, 6)), batch_size=3)
    assert report.ok and (report.created, report.updated) == (0, 6)


def test_duplicate_number_in_file(tree: Any) -> None:
    line = good_lines(tree, 1)[0]
    report = run(HEADER + line + line.replace("居民1", "别名").replace(",是,", ",否,"))
    assert [(e.line, e.code) for e in report.errors] == [(3, "duplicate_in_file")]


def test_import_needs_permission_in_each_community(tree: Any, make_user: Any) -> None:
    officer = make_user("street_officer", tree.other_street.code)
    report = run(HEADER + "".join(good_lines(tree, 1)), actor=officer)
    assert [e.code for e in report.errors] == ["forbidden"] and not Resident.objects.exists()
    report = run(HEADER + "".join(good_lines(tree, 1)),
                 actor=make_user("community_worker", tree.community2.code))
    assert [e.code for e in report.errors] == ["forbidden"] and not Resident.objects.exists()
    with pytest.raises(Forbidden):
        run(HEADER, actor=make_user("representative", tree.community.code))


def test_csv_without_required_columns_is_refused(tree: Any) -> None:
    with pytest.raises(ImportFileError) as exc:
        run("姓名,电话\n张三,1380000\n")
    assert exc.value.code == "missing_columns"
    assert exc.value.details["missing"] == ["公民身份号码", "社区代码"]


def _xlsx(tmp_path: Path, headers: list[str], rows: list[list[Any]], sheet: str = "居民") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    path = tmp_path / "residents.xlsx"
    wb.save(path)
    return path


def test_xlsx_import(tree: Any, tmp_path: Path) -> None:
    number = make_identity_number(date(1988, 8, 8), serial=88)
    path = _xlsx(tmp_path, ["姓名", "公民身份号码", "社区代码", "户号", "户主", "居住起始日期"],
                 [["赵六", number, tree.community.code, "H5", "是", date(2010, 5, 1)]])
    report = services.import_residents(actor=SYSTEM, rows=importer.read_file(path, sheet="居民"))
    assert report.ok and report.created == 1
    res = facade.resident_by_identity(number)
    assert res is not None and res.residence_since == date(2010, 5, 1)


def test_xlsx_wrong_sheet_and_missing_columns(tree: Any, tmp_path: Path) -> None:
    path = _xlsx(tmp_path, ["姓名", "社区代码"], [["赵六", tree.community.code]], sheet="Sheet1")
    with pytest.raises(ImportFileError) as exc:
        list(importer.read_file(path, sheet="居民"))
    assert exc.value.code == "sheet_missing" and exc.value.details["sheets"] == ["Sheet1"]
    with pytest.raises(ImportFileError) as exc:
        list(importer.read_file(path))
    assert exc.value.code == "missing_columns" and "Sheet1" in str(exc.value.message)
    assert exc.value.details["missing"] == ["公民身份号码"]
    assert not Resident.objects.exists()


def test_not_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(ImportFileError) as exc:
        list(importer.read_file(path))
    assert exc.value.code == "bad_xlsx"


def test_head_moving_to_another_household(tree: Any) -> None:
    number = make_identity_number(date(1966, 6, 6), serial=606)
    c = tree.community.code
    run(HEADER + f"户主丙,{number},{c},,H1,是,,否\n")
    run(HEADER + f"户主丙,{number},{c},,H2,是,,否\n")
    assert Household.objects.get(number="H1").head is None
    assert Household.objects.get(number="H2").head.name == "户主丙"
    assert Resident.objects.get().household.number == "H2"
