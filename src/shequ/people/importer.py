"""Reading resident files (CSV and .xlsx) as a stream of rows, and turning one raw row
into clean values or precise errors (line, column, reason). No database access here:
``services.import_residents`` does the checks that need the database and the writes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shequ.core import ids
from shequ.core.csvfiles import CsvFile, CsvFileError, LineError
from shequ.core.errors import BusinessError
from shequ.people.enums import Code

# canonical column -> accepted headers (Chinese first, as offices name them)
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name"),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "id_number"),
    "community_code": ("社区代码", "community_code"),
    "compound_code": ("小区代码", "院落代码", "compound_code"),
    "household": ("户号", "household"),
    "head": ("户主", "是否户主", "head"),
    "household_address": ("住址", "地址", "household_address", "address"),
    "phone": ("联系电话", "电话", "phone"),
    "registered_here": ("户籍在本社区", "registered_here"),
    "lives_here": ("实际居住", "lives_here"),
    "residence_since": ("居住起始日期", "入住日期", "residence_since"),
    "disability": ("残疾", "disability"),
    "low_income": ("低保", "low_income"),
    "registered_address": ("户籍地址", "registered_address"),
    "actual_address": ("现住址", "actual_address"),
}
# the header each column is reported under (the template's, whatever the file used)
COLUMN_LABELS: dict[str, str] = {key: names[0] for key, names in COLUMNS.items()}
REQUIRED = ("name", "id_number", "community_code")
TRUE = {"是", "1", "y", "yes", "true", "t", "√", "x"}
FALSE = {"否", "0", "n", "no", "false", "f", ""}
# the header row written by the export and the template
TEMPLATE_HEADERS = ["姓名", "公民身份号码", "社区代码", "小区代码", "户号", "户主", "住址", "联系电话",
                    "户籍在本社区", "实际居住", "居住起始日期", "残疾", "低保"]


class ImportFileError(BusinessError):
    """The file as a whole cannot be read (wrong sheet, missing columns, bad format)."""

    default_code = Code.IMPORT_FILE


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    code: str
    message: str | Promise

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "code": self.code,
                "message": str(self.message)}


@dataclass
class Row:
    """A parsed row: clean values, or ``errors``."""

    line: int
    name: str = ""
    number: str = ""
    birth_date: date | None = None
    sex: str = ""
    community_code: str = ""
    area_code: str = ""
    household: str = ""
    head: bool = False
    household_address: str = ""
    phone: str = ""
    registered_here: bool = True
    lives_here: bool = True
    residence_since: date | None = None
    disability: bool = False
    low_income: bool = False
    registered_address: str = ""
    actual_address: str = ""
    # whether the file gave a value for a sensitive column (ADR 0307: writing one needs
    # ``people.sensitive``); without one an existing record keeps its value
    sensitive_given: list[str] = field(default_factory=list)
    write_sensitive: bool = True
    errors: list[RowError] = field(default_factory=list)

    def fail(self, column: str, code: str, message: str | Promise) -> None:
        self.errors.append(RowError(self.line, column, code, message))


def header_map(headers: list[Any], *, where: str) -> dict[str, int]:
    """Canonical column -> index; raises when a required column is missing."""
    cleaned = [str(h).strip().lower() if h is not None else "" for h in headers]
    found: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for name in names:
            if name.lower() in cleaned:
                found[key] = cleaned.index(name.lower())
                break
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in found]
    if missing:
        raise ImportFileError(
            _("%(where)s lacks the column(s) %(cols)s. Expected headers such as: %(expected)s.")
            % {"where": where, "cols": "、".join(missing), "expected": "、".join(TEMPLATE_HEADERS)},
            code=Code.MISSING_COLUMNS, details={"missing": missing, "found": [str(h) for h in headers]})
    return found


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# columns the export writes that an import reads past (derived from the number, or shown
# only): a file exported here can be filled in and imported again
EXPORT_ONLY = ("性别", "出生日期", "敏感(未满14周岁)")
ACCEPTED = tuple(name for names in COLUMNS.values() for name in names) + EXPORT_ONLY
# a raw row: ``(line, {column: text})``, or the problem that made the line unreadable
RawRow = tuple[int, dict[str, str]] | RowError


def _file_error(exc: CsvFileError) -> ImportFileError:
    """The reader's ``file:line: reason`` problems as one refusal of the whole file."""
    return ImportFileError("；".join(str(e) for e in exc.errors), code=Code.IMPORT_FILE,
                           details={"errors": exc.details.get("errors", [])})


def read_csv_path(path: Path, *, encoding: str | None = None, name: str | None = None
                  ) -> Iterator[RawRow]:
    """Rows of a CSV file through ``core.csvfiles`` (ADR 0018): the encoding detected
    (UTF-8, UTF-16 with BOM, GB18030/GBK) or the one named, else refused by name; an
    unknown column refused; every record checked for its column count, quoting, NUL and
    undecodable bytes, each problem a :class:`RowError` at its line (``malformed_row``)."""
    try:
        f = CsvFile.open(path, required=(), optional=ACCEPTED, encoding=encoding, name=name)
    except CsvFileError as exc:
        raise _file_error(exc) from None
    cols = header_map(f.columns, where=str(_("The CSV file")))
    for item in f.rows():
        if isinstance(item, LineError):
            yield RowError(item.line, "", Code.MALFORMED_ROW, item.reason)
            continue
        raw = list(item.values.values())
        if not any(c.strip() for c in raw):
            continue
        yield item.line, {k: raw[i].strip() for k, i in cols.items()}


def read_csv(stream: IO[str] | IO[bytes], *, name: str = "residents.csv",
             encoding: str | None = None) -> Iterator[RawRow]:
    """:func:`read_csv_path` for an open stream (an upload, a test's text): copied to a
    temporary file first, so the same reader checks it."""
    with tempfile.NamedTemporaryFile(suffix=".csv") as tmp:
        while True:
            chunk = stream.read(1 << 16)
            if not chunk:
                break
            tmp.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
        tmp.flush()
        yield from read_csv_path(Path(tmp.name), encoding=encoding, name=name)


def read_xlsx(source: Path | IO[bytes], sheet: str | None = None
              ) -> Iterator[RawRow]:
    """Stream rows from an .xlsx file (openpyxl read-only mode keeps memory bounded). A
    column the import does not know is refused; a value under no header is a row error."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("This is not a readable .xlsx file."), code=Code.BAD_XLSX,
                              details={"error": str(exc)}) from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise ImportFileError(
                _("The workbook has no sheet named %(s)s; it has: %(names)s.")
                % {"s": sheet, "names": "、".join(wb.sheetnames)}, code=Code.SHEET_MISSING,
                details={"sheet": sheet, "sheets": wb.sheetnames})
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        try:
            headers = list(next(rows))
        except StopIteration:
            raise ImportFileError(_("The sheet %(s)s is empty.") % {"s": ws.title},
                                  code=Code.EMPTY_FILE) from None
        where = str(_("The sheet %(s)s") % {"s": ws.title})
        named = [str(h).strip() if h is not None else "" for h in headers]
        accepted = {a.lower() for a in ACCEPTED}
        unknown = [h for h in named if h and h.lower() not in accepted]
        if unknown:
            raise ImportFileError(
                _("%(where)s has column(s) the import does not know: %(cols)s. Expected "
                  "headers such as: %(expected)s.")
                % {"where": where, "cols": "、".join(unknown),
                   "expected": "、".join(TEMPLATE_HEADERS)},
                code=Code.IMPORT_FILE, details={"unknown": unknown})
        cols = header_map(headers, where=where)
        for line, raw in enumerate(rows, start=2):
            extra = [i for i, v in enumerate(raw) if _cell(v) and (i >= len(named) or not named[i])]
            if extra:
                yield RowError(line, "", Code.MALFORMED_ROW,
                               _("%(n)d value(s) under no column header: a value is extra or "
                                 "in the wrong column.") % {"n": len(extra)})
                continue
            values = {k: _cell(raw[i]) if i < len(raw) else "" for k, i in cols.items()}
            if any(values.values()):
                yield line, values
    finally:
        wb.close()


def read_file(path: Path, *, sheet: str | None = None, encoding: str | None = None
              ) -> Iterator[RawRow]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        yield from read_xlsx(path, sheet)
    elif suffix in (".csv", ".txt"):
        yield from read_csv_path(path, encoding=encoding)
    else:
        raise ImportFileError(_("Only .csv and .xlsx files can be imported."),
                              code=Code.FILE_TYPE, details={"suffix": suffix})


def read_upload(name: str, stream: IO[bytes], *, sheet: str | None = None
                ) -> Iterator[RawRow]:
    """Rows of an uploaded file. CSV: the encoding is detected (UTF-8 with or without
    BOM, GB18030 as Excel in China often saves it) and every line checked, as for the
    command line."""
    if name.lower().endswith(".xlsx"):
        return read_xlsx(stream, sheet)
    if name.lower().endswith((".csv", ".txt")):
        return read_csv(stream, name=Path(name).name)
    raise ImportFileError(_("Only .csv and .xlsx files can be imported."), code=Code.FILE_TYPE,
                          details={"name": name})


def _flag(row: Row, column: str, text: str, default: bool) -> bool:
    value = text.strip().lower()
    if not value:
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    row.fail(column, Code.NOT_YES_NO, _("Write 是 or 否 (yes or no), not %(v)s.") % {"v": text})
    return default


def _date(row: Row, column: str, text: str) -> date | None:
    if not text:
        return None
    for candidate in (text[:10], text.replace("/", "-")[:10], text.replace(".", "-")[:10]):
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            continue
    if len(text) == 8 and text.isdigit():
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            pass
    row.fail(column, Code.BAD_DATE, _("%(v)s is not a date (write YYYY-MM-DD).") % {"v": text})
    return None


def parse_row(line: int, values: dict[str, str], *, today: date) -> Row:
    """Clean one raw row; every problem becomes a :class:`RowError` naming its column."""
    col = COLUMN_LABELS
    row = Row(line=line)
    row.name = values.get("name", "").strip()
    if not row.name:
        row.fail(col["name"], Code.NAME_REQUIRED, _("The name is empty."))
    elif len(row.name) > 100:
        row.fail(col["name"], Code.NAME_TOO_LONG, _("The name is longer than 100 characters."))
    try:
        parsed = ids.parse_resident_id(values.get("id_number", ""), today=today)
    except ids.InvalidId as exc:
        row.fail(col["id_number"], exc.code, exc.message)
    else:
        row.number, row.birth_date, row.sex = parsed.number, parsed.birth_date, parsed.sex
    community = values.get("community_code", "").strip()
    if not (community.isdigit() and len(community) == 12):
        row.fail(col["community_code"], Code.BAD_COMMUNITY_CODE,
                 _("A community code has 12 digits; got %(v)s.") % {"v": community or "—"})
    row.community_code = community
    compound = values.get("compound_code", "").strip()
    if compound and not (compound.isdigit() and len(compound) == 15 and compound.startswith(community)):
        row.fail(col["compound_code"], Code.BAD_COMPOUND_CODE,
                 _("A compound code has 15 digits and starts with its community code; got %(v)s.")
                 % {"v": compound})
    row.area_code = compound or community
    row.household = values.get("household", "").strip()
    row.head = _flag(row, col["head"], values.get("head", ""), False)
    if row.head and not row.household:
        row.fail(col["household"], Code.HEAD_WITHOUT_HOUSEHOLD,
                 _("A household head needs a household number."))
    row.household_address = values.get("household_address", "").strip()[:200]
    phone = values.get("phone", "").replace(" ", "").replace("-", "")
    if phone and not (phone.lstrip("+").isdigit() and 7 <= len(phone) <= 15):
        row.fail(col["phone"], Code.BAD_PHONE, _("%(v)s is not a phone number.") % {"v": phone})
    row.phone = phone
    row.registered_here = _flag(row, col["registered_here"], values.get("registered_here", ""), True)
    row.lives_here = _flag(row, col["lives_here"], values.get("lives_here", ""), True)
    row.residence_since = _date(row, col["residence_since"], values.get("residence_since", ""))
    if row.residence_since and row.residence_since > today:
        row.fail(col["residence_since"], Code.FUTURE_DATE, _("The date lies in the future."))
    if row.residence_since and row.birth_date and row.residence_since < row.birth_date:
        row.fail(col["residence_since"], Code.BEFORE_BIRTH,
                 _("The person cannot have lived here before being born."))
    row.disability = _flag(row, col["disability"], values.get("disability", ""), False)
    row.low_income = _flag(row, col["low_income"], values.get("low_income", ""), False)
    row.sensitive_given = [k for k in ("disability", "low_income") if values.get(k, "").strip()]
    row.registered_address = values.get("registered_address", "").strip()[:200]
    row.actual_address = values.get("actual_address", "").strip()[:200]
    return row
