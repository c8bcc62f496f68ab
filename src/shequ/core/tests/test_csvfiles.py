"""The shared CSV reader (issue 13 item 10, ADR 0018)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from shequ.core import csvfiles
from shequ.core.csvfiles import CsvFile, CsvFileError, CsvRow, LineError, read_all

HEADER = "code,name,note\n"


def _write(tmp_path: Path, data: bytes, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _items(path: Path, **kw: object) -> list[object]:
    f = CsvFile.open(path, required=("code", "name"), optional=("note",), **kw)  # type: ignore[arg-type]
    return list(f.rows())


def test_utf8_rows_with_quoted_commas_and_newlines(tmp_path: Path) -> None:
    path = _write(tmp_path, (HEADER + '1,"锦江区",\n\n2,"春熙路,街道","两\n行"\n3,三圣,x').encode())
    rows = read_all(path, required=("code", "name"), optional=("note",))
    assert rows == [CsvRow(2, {"code": "1", "name": "锦江区", "note": ""}),
                    CsvRow(4, {"code": "2", "name": "春熙路,街道", "note": "两\n行"}),
                    CsvRow(6, {"code": "3", "name": "三圣", "note": "x"})]


@pytest.mark.parametrize(("encoding", "label"), [
    ("utf-8-sig", "UTF-8"), ("utf-16", "UTF-16"), ("gbk", "GB18030"), ("gb2312", "GB18030")])
def test_encodings_are_detected(tmp_path: Path, encoding: str, label: str) -> None:
    path = _write(tmp_path, (HEADER + "510104,锦江区,“备注”\n").encode(encoding))
    f = CsvFile.open(path, required=("code", "name"), optional=("note",))
    assert f.encoding_label == label
    assert [r.values["name"] for r in f.rows()] == ["锦江区"]  # type: ignore[union-attr]


def test_gzip_is_read(tmp_path: Path) -> None:
    path = tmp_path / "f.csv.gz"
    with gzip.open(path, "wb") as fh:
        fh.write((HEADER + "1,锦江区,\n").encode("gbk"))
    assert read_all(path, required=("code", "name"), optional=("note",))[0].values["name"] == "锦江区"


def test_random_bytes_and_latin1_are_refused_by_name(tmp_path: Path) -> None:
    noise = bytes((i * 97 + 13) % 256 for i in range(4096))
    with pytest.raises(CsvFileError) as exc:
        _items(_write(tmp_path, noise))
    (err,) = exc.value.errors
    assert err.file == "f.csv" and err.line >= 1
    assert "既不是 UTF-8 也不是 GB18030/GBK" in err.reason
    with pytest.raises(CsvFileError) as exc:
        _items(_write(tmp_path, (HEADER + "1,café,\n").encode("latin-1")))
    assert str(exc.value.errors[0]) == (
        "f.csv:2: 不是已知编码的文本文件(字节 0xe9 既不是 UTF-8 也不是 GB18030/GBK)。"
        "请另存为“CSV UTF-8”后重试。")


def test_unknown_encoding_named_by_the_caller(tmp_path: Path) -> None:
    with pytest.raises(CsvFileError) as exc:
        _items(_write(tmp_path, HEADER.encode()), encoding="klingon")
    assert str(exc.value.errors[0]) == "f.csv:0: 未知的编码 'klingon'。"


def test_a_gbk_tail_after_the_sample_stops_at_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    monkeypatch.setattr(csvfiles, "SAMPLE_BYTES", 64)
    monkeypatch.setattr(csvfiles, "CHUNK_BYTES", 16)
    data = (HEADER + "1,a,\n" * 20).encode() + "99,锦江区,\n".encode("gbk") + b"100,b,\n"
    items = _items(_write(tmp_path, data))
    assert sum(isinstance(i, CsvRow) for i in items) == 20
    assert str(items[-1]) == ("f.csv:22: 字节 0xbd 不是 UTF-8:文件混用了编码或已损坏;"
                              "其后的内容没有读取。")


def test_every_row_is_checked(tmp_path: Path) -> None:
    data = (HEADER + "1,短\n2,多,x,y\n3,有\x00空,\n4,锦\"江,\n5,好,\n").encode()
    items = _items(_write(tmp_path, data))
    assert [str(i) for i in items if isinstance(i, LineError)] == [
        "f.csv:2: 有 2 个字段,但表头有 3 个:某个值缺失、多余或含有未加引号的逗号。",
        "f.csv:3: 有 4 个字段,但表头有 3 个:某个值缺失、多余或含有未加引号的逗号。",
        "f.csv:4: 含有 NUL 字节:文件已损坏或不是文本文件。",
        "f.csv:5: 列 name 中有多余的引号(\")。",
    ]
    assert [i.values["code"] for i in items if isinstance(i, CsvRow)] == ["5"]


def test_quotes_where_allowed_and_an_unterminated_quote(tmp_path: Path) -> None:
    rows = read_all(_write(tmp_path, (HEADER + '1,a,"说""好"""\n').encode()),
                    required=("code", "name"), optional=("note",), quotes_ok=("note",))
    assert rows[0].values["note"] == '说"好"'
    items = _items(_write(tmp_path, (HEADER + '1,"未闭合,\n2,b,\n').encode()))
    assert [str(i) for i in items] == ["f.csv:2: 引号格式错误:unexpected end of data。"]


def test_header_problems(tmp_path: Path) -> None:
    with pytest.raises(CsvFileError) as exc:
        _items(_write(tmp_path, b"code,title,code\n1,a,1\n"))
    assert str(exc.value.errors[0]) == (
        "f.csv:1: 缺少列:name。 未知的列:title(应为:code, name, note)。 重复的列名:code。")
    with pytest.raises(CsvFileError) as exc:
        _items(_write(tmp_path, b"\n\n"))
    assert str(exc.value.errors[0]) == "f.csv:1: 文件为空。"
    with pytest.raises(CsvFileError) as exc:
        _items(tmp_path / "missing.csv")
    assert str(exc.value.errors[0]) == "missing.csv:0: 无法读取文件:No such file or directory"


def test_read_all_raises_with_every_problem(tmp_path: Path) -> None:
    with pytest.raises(CsvFileError) as exc:
        read_all(_write(tmp_path, (HEADER + "1\n2\n3,c,\n").encode()),
                 required=("code", "name"), optional=("note",))
    assert [e.line for e in exc.value.errors] == [2, 3]
    assert str(exc.value.message) == "文件中有 2 个问题;未写入任何内容。"
    assert exc.value.details["total"] == 2
