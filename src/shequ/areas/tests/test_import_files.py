"""``shequ areas import`` given malformed files (issue 13 item 10): a file:line error on
stderr, a non-zero exit, nothing written; GBK is read as such."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shequ.areas.models import Area
from shequ.areas.tests.test_import import small_source
from shequ.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
STREETS = "code,name,areaCode,provinceCode,cityCode\n"


def _import(src: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("areas", "import", "--source", str(src), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _refused(src: Path) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("areas", "import", "--source", str(src), "--no-progress",
                     stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert str(exc.value) == f"区划文件中有 {len(lines)} 个问题;未导入任何数据。"
    assert not Area.objects.exists() and not AuditEntry.objects.exists()
    return lines[0]


def test_a_gbk_streets_file_is_read_as_gbk(tmp_path: Path) -> None:
    src = small_source(tmp_path)
    (src / "streets.csv").write_bytes(
        (STREETS + "510104022,春熙路街道,510104,51,5101\n510104037,三圣街道,510104,51,5101\n")
        .encode("gbk"))
    out, _err = _import(src)
    assert out == "已导入 7 个区划:新增 7 个,更新 0 个。\n"
    assert Area.objects.get(code="510104022").name == "春熙路街道"


@pytest.mark.parametrize(("content", "expected"), [
    (STREETS.encode() + "510104022,春熙路街道,510104\n".encode(),
     "streets.csv:2: 有 3 个字段,但表头有 5 个:某个值缺失、多余或含有未加引号的逗号。"),
    (STREETS.encode() + "510104022,春熙路街道,510104,51,5101,多余\n".encode(),
     "streets.csv:2: 有 6 个字段,但表头有 5 个:某个值缺失、多余或含有未加引号的逗号。"),
    (STREETS.encode() + "510104022,春熙\x00路街道,510104,51,5101\n".encode(),
     "streets.csv:2: 含有 NUL 字节:文件已损坏或不是文本文件。"),
    (STREETS.encode() + '510104022,春熙"路街道,510104,51,5101\n'.encode(),
     'streets.csv:2: 列 name 中有多余的引号(")。'),
    (STREETS.encode() + '510104022,"春熙路街道,510104,51,5101\n'.encode(),
     "streets.csv:2: 引号格式错误:unexpected end of data。"),
    (b"code,name,areaCode,population\n510104022,x,510104,1\n",
     "streets.csv:1: 未知的列:population(应为:code, name, areaCode, provinceCode, cityCode, "
     "streetCode)。"),
    (STREETS.encode() + "510104022,Café,510104,51,5101\n".encode("latin-1"),
     "streets.csv:2: 不是已知编码的文本文件(字节 0xe9 既不是 UTF-8 也不是 GB18030/GBK)。"
     "请另存为“CSV UTF-8”后重试。"),
], ids=["too-few", "too-many", "nul", "stray-quote", "open-quote", "extra-column", "latin-1"])
def test_malformed_streets_file(tmp_path: Path, content: bytes, expected: str) -> None:
    src = small_source(tmp_path)
    (src / "streets.csv").write_bytes(content)
    assert _refused(src) == expected


def test_random_bytes(tmp_path: Path) -> None:
    src = small_source(tmp_path)
    (src / "streets.csv").write_bytes(bytes((i * 131 + 7) % 256 for i in range(2000)))
    line = _refused(src)
    assert line.startswith("streets.csv:") and "既不是 UTF-8 也不是 GB18030/GBK" in line
