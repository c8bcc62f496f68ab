from __future__ import annotations

import gzip
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from shequ.areas import selectors, services
from shequ.areas.importer import SHIPPED, DivisionFileError
from shequ.areas.models import Area, Level
from shequ.authz import SYSTEM


def small_source(tmp_path: Path) -> Path:
    src = tmp_path / "div"
    src.mkdir(exist_ok=True)
    (src / "provinces.csv").write_text('code,name\n51,"四川省"\n', encoding="utf-8")
    (src / "cities.csv").write_text('code,name,provinceCode\n5101,"成都市",51\n', encoding="utf-8")
    (src / "areas.csv").write_text('code,name,cityCode,provinceCode\n510104,"锦江区",5101,51\n',
                                   encoding="utf-8")
    (src / "streets.csv").write_text(
        'code,name,areaCode,provinceCode,cityCode\n510104022,"春熙路街道",510104,51,5101\n'
        '510104037,"三圣街道",510104,51,5101\n', encoding="utf-8")
    with gzip.open(src / "villages.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write("code,name,streetCode,provinceCode,cityCode,areaCode\n"
                 '510104022009,"督院街社区居委会",510104022,51,5101,510104\n'
                 '510104037001,"幸福村民委员会",510104037,51,5101,510104\n')
    return src


@pytest.mark.django_db
def test_import_small_source(tmp_path: Path) -> None:
    counts = services.import_divisions(actor=SYSTEM, source=small_source(tmp_path))
    assert counts == {"rows": 7, "created": 7, "updated": 0}
    assert Area.objects.get(code="510104037001").kind == "village"
    assert Area.objects.get(code="510104022009").parent_id == "510104022"
    again = services.import_divisions(actor=SYSTEM, source=small_source(tmp_path))
    assert again == {"rows": 7, "created": 0, "updated": 7}


@pytest.mark.django_db
@pytest.mark.parametrize(("line", "reason"), [
    ('5101040220,"太长街道",510104,51,5101', "9 digits"),
    ('510104023,"",510104,51,5101', "empty"),
    ('510105001,"别区街道",510104,51,5101', "does not start with its parent"),
    ('510199001,"无父街道",510199,51,5101', "unknown"),
    ('510104022,"重复街道",510104,51,5101', "twice"),
])
def test_malformed_file_reports_file_line_reason_and_imports_nothing(
        tmp_path: Path, line: str, reason: str) -> None:
    src = small_source(tmp_path)
    with (src / "streets.csv").open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    with pytest.raises(DivisionFileError) as err, translation.override("en"):
        services.import_divisions(actor=SYSTEM, source=src)
    (first,) = err.value.errors
    assert first.file == "streets.csv" and first.line == 4
    assert reason in first.reason
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_missing_column_and_missing_file(tmp_path: Path) -> None:
    src = small_source(tmp_path)
    (src / "cities.csv").write_text("code,title\n5101,成都市\n", encoding="utf-8")
    (src / "provinces.csv").unlink()
    with pytest.raises(DivisionFileError) as err:
        services.import_divisions(actor=SYSTEM, source=src)
    reasons = {(e.file, e.line): e.reason for e in err.value.errors}
    assert ("provinces.csv", 0) in reasons
    assert "provinceCode" in reasons[("cities.csv", 1)]
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_import_command_prints_errors_and_fails(tmp_path: Path) -> None:
    src = small_source(tmp_path)
    with (src / "villages.csv.gz").open("ab") as fh:
        fh.write(gzip.compress('510104099001,"无街道社区",510104099,51,5101,510104\n'.encode()))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("areas", "import", "--source", str(src), "--no-progress",
                     stdout=StringIO(), stderr=err)
    assert "villages.csv.gz:4:" in err.getvalue()
    assert not Area.objects.exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_shipped_data_loads_jinjiang_within_its_district(tmp_path: Path) -> None:
    counts = services.import_divisions(actor=SYSTEM, within="510104")
    assert counts["rows"] == 1 + 1 + 1 + 11 + 76
    assert Area.objects.filter(level=Level.STREET).count() == 11
    assert Area.objects.filter(level=Level.COMMUNITY).count() == 76


@pytest.mark.slow
@pytest.mark.django_db
def test_jinjiang_history_resolves_old_street_codes() -> None:
    from shequ.areas.demo import load

    load()
    he = Area.objects.get(code="510104024")
    assert he.name == "合江亭街道" and he.valid_to == date(2019, 11, 30)
    assert [a.name for a in selectors.resolve("510104024")] == ["锦官驿街道"]
    assert [a.name for a in selectors.resolve("510104025")] == ["锦官驿街道"]
    assert [a.code for a in selectors.resolve("510104024", on=date(2016, 5, 1))] == ["510104024"]
    assert [a.code for a in selectors.resolve("510104029")] == ["510104"]  # no evident successor
    assert [a.code for a in selectors.resolve("510104022")] == ["510104022"]
    assert Area.objects.filter(code__startswith="510104", level=Level.STREET).count() == 19
    assert Area.objects.filter(code__startswith="510104", level=Level.STREET,
                               valid_to__isnull=True).count() == 11
    from shequ.areas.models import ServiceStation

    assert ServiceStation.objects.count() == 28
    served = {a.code for s in ServiceStation.objects.all() for a in s.serves.all()}
    assert len(served) == 76  # every community is served by a station


def test_shipped_folder_has_licence() -> None:
    assert (SHIPPED.parent / "LICENSE-divisions").read_text().split("\n")[0].strip() == (
        "DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE")
