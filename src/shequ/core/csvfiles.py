"""Reading the CSV files people give to commands and import pages (ADR 0018).

One reader for every import, so each checks the same things and says where:

* the encoding is detected (UTF-8 with or without BOM, UTF-16 with BOM, GB18030, which
  includes GBK and GB2312, as Excel saves "CSV" on a Chinese Windows) or named by the
  caller; anything else is refused by name at the line of its first undecodable byte;
* every record has exactly as many fields as the header (a row cut short or with extra
  values is an error, never a row with empty or lost columns);
* the header names every required column and no unknown one;
* a NUL byte, a quote inside an unquoted value, an unterminated quote are errors;
* every problem is a :class:`LineError` ``file:line: reason``; callers collect them and
  write nothing when there is any (``CsvFileError``).

The file is streamed (gzip too), so a million-row file is not held in memory::

    csv = CsvFile.open(path, required=("code", "name"), optional=("cityCode",))
    for item in csv.rows():
        if isinstance(item, LineError): errors.append(item); continue
        item.line, item.values["code"]
"""

from __future__ import annotations

import codecs
import csv
import gzip
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shequ.core.errors import BusinessError

SAMPLE_BYTES = 1 << 20  # what encoding detection reads
CHUNK_BYTES = 1 << 16
MAX_REPORTED = 200
ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "gb18030": "GB18030"}
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class LineError:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass(frozen=True)
class CsvRow:
    line: int  # the line the record starts on (the header is line 1)
    values: dict[str, str]


class CsvFileError(BusinessError):
    """Problems in one or more files; nothing was written."""

    default_code = "csv_file_invalid"

    def __init__(self, errors: Sequence[LineError], total: int | None = None) -> None:
        total = len(errors) if total is None else total
        shown = list(errors[:MAX_REPORTED])
        super().__init__(
            ngettext("%(n)d problem in the file; nothing was written.",
                     "%(n)d problems in the file(s); nothing was written.", total) % {"n": total},
            details={"errors": [{"file": e.file, "line": e.line, "reason": e.reason}
                                for e in shown], "total": total})
        self.errors = shown
        self.total = total


class _Refused(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


def _binary(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# What Chinese text saved as GBK/GB18030 holds beyond ASCII: CJK ideographs and
# punctuation, full-width forms, the middle dot of transliterated names, pinyin with tones,
# circled numbers, symbols. GB18030 also decodes other encodings' bytes, into letters of
# every script: those fall outside.
_CHINESE_RANGES = ((0x00A0, 0x00FF), (0x0100, 0x01DC), (0x2000, 0x27BF), (0x2E80, 0x9FFF),
                   (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


def _plausible_chinese(text: str) -> bool:
    """GB18030 decodes many byte soups; real Chinese text stays in the ranges above."""
    wide = [ord(c) for c in text if ord(c) > 0x7F]
    inside = sum(1 for o in wide if any(lo <= o <= hi for lo, hi in _CHINESE_RANGES))
    return inside >= 0.95 * len(wide)


def detect(sample: bytes) -> str:
    """The codec of a file from its first bytes, or :class:`_Refused` naming why."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    body = sample.replace(b"\x00", b"")  # NUL bytes are reported per line, not here
    try:
        codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
        return "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = codecs.getincrementaldecoder("gb18030")().decode(body, final=False)
        if not _CONTROL.search(text) and _plausible_chinese(text):
            return "gb18030"
    except UnicodeDecodeError:
        pass
    bad = body[utf8_error.start:utf8_error.start + 1].hex()
    raise _Refused(_line_of(body, utf8_error.start),
                   _("Not a text file in a known encoding (byte 0x%(b)s is neither UTF-8 nor "
                     "GB18030/GBK). Save it as “CSV UTF-8” and try again.") % {"b": bad})


@dataclass
class CsvFile:
    path: Path
    name: str
    encoding: str  # a codec name: utf-8, utf-8-sig, utf-16, gb18030 or the caller's
    columns: list[str]
    _lines: Iterator[str] = field(repr=False)
    _nul_lines: set[int] = field(default_factory=set, repr=False)
    _stopped: list[LineError] = field(default_factory=list, repr=False)
    _reader: Iterator[list[str]] | None = field(default=None, repr=False)
    _quotes_ok: frozenset[str] = frozenset()

    @property
    def encoding_label(self) -> str:
        return ENCODINGS.get(self.encoding, self.encoding.upper())

    @classmethod
    def open(cls, path: Path | str, *, required: Sequence[str], optional: Collection[str] = (),
             encoding: str | None = None, name: str | None = None,
             quotes_ok: Collection[str] = ()) -> CsvFile:
        """Open ``path`` (``.gz`` too), settle its encoding and check its header.

        Raises :class:`CsvFileError` (one ``LineError``) when the file cannot be read, its
        encoding is refused, or its header lacks a required or has an unknown column.
        ``quotes_ok``: columns where a ``"`` inside a value is legitimate."""
        path = Path(path)
        label = name or path.name
        try:
            with _binary(path) as fh:
                sample = fh.read(SAMPLE_BYTES)
            if encoding:
                try:
                    encoding = codecs.lookup(encoding).name
                except LookupError:
                    raise _Refused(0, _("Unknown encoding %(e)r.") % {"e": encoding}) from None
            else:
                encoding = detect(sample)
        except _Refused as exc:
            raise CsvFileError([LineError(label, exc.line, exc.reason)]) from None
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise CsvFileError([LineError(label, 0, _("Cannot read the file: %(e)s")
                                          % {"e": getattr(exc, "strerror", None) or exc})]) from None
        nul_lines: set[int] = set()
        stopped: list[LineError] = []
        lines = _decoded_lines(path, label, encoding, nul_lines, stopped)
        self = cls(path=path, name=label, encoding=encoding, columns=[], _lines=lines,
                   _nul_lines=nul_lines, _stopped=stopped, _quotes_ok=frozenset(quotes_ok))
        self._reader = csv.reader(lines, strict=True)
        header = self._header()
        names = [c.strip() for c in header]
        missing = [c for c in required if c not in names]
        unknown = [c for c in names if c not in required and c not in optional]
        twice = sorted({c for c in names if names.count(c) > 1})
        reasons = []
        if missing:
            reasons.append(_("Missing column(s): %(c)s.") % {"c": ", ".join(missing)})
        if unknown:
            reasons.append(_("Unknown column(s): %(c)s (expected: %(k)s).") % {
                "c": ", ".join(unknown), "k": ", ".join(dict.fromkeys([*required, *optional]))})
        if twice:
            reasons.append(_("Column(s) named twice: %(c)s.") % {"c": ", ".join(twice)})
        if reasons:
            raise CsvFileError([LineError(label, 1, " ".join(reasons))])
        self.columns = names
        return self

    def _header(self) -> list[str]:
        assert self._reader is not None
        try:
            for record in self._reader:
                if record:
                    return record
        except csv.Error as exc:
            raise CsvFileError([LineError(self.name, 1, _("Malformed header: %(e)s") % {"e": exc})]
                               ) from None
        if self._stopped:
            raise CsvFileError(self._stopped)
        raise CsvFileError([LineError(self.name, 1, str(_("The file is empty.")))])

    def rows(self) -> Iterator[CsvRow | LineError]:
        """Every record after the header, or the problem with it. Blank lines are skipped.
        After an undecodable byte nothing more is read (the rest cannot be trusted)."""
        assert self._reader is not None
        reader = self._reader
        width = len(self.columns)
        end = 1
        while True:
            start = end + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                end = reader.line_num  # type: ignore[attr-defined]
                yield LineError(self.name, start, _("Malformed quoting: %(e)s.") % {"e": exc})
                continue
            end = reader.line_num  # type: ignore[attr-defined]
            if not record:
                continue
            if any(n in self._nul_lines for n in range(start, end + 1)):
                yield LineError(self.name, start, str(_("Contains a NUL byte: the file is "
                                                        "damaged or not a text file.")))
                continue
            if len(record) != width:
                yield LineError(self.name, start, _(
                    "%(n)d field(s), but the header has %(w)d: a value is missing, extra or "
                    "contains an unquoted comma.") % {"n": len(record), "w": width})
                continue
            values = dict(zip(self.columns, record, strict=True))
            quoted = [c for c, v in values.items() if '"' in v and c not in self._quotes_ok]
            if quoted:
                yield LineError(self.name, start, _('A stray quote (") in column %(c)s.')
                                % {"c": ", ".join(quoted)})
                continue
            yield CsvRow(line=start, values=values)
        yield from self._stopped


def _decoded_lines(path: Path, name: str, encoding: str, nul_lines: set[int],
                   stopped: list[LineError]) -> Iterator[str]:
    """Lines (ending in ``\\n``) decoded strictly; NUL bytes removed and their lines noted;
    an undecodable byte ends the stream with a ``LineError`` in ``stopped``."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    pending = ""
    try:
        with _binary(path) as fh:
            while True:
                chunk = fh.read(CHUNK_BYTES)
                final = not chunk
                try:
                    text = decoder.decode(chunk, final=final)
                except UnicodeDecodeError as exc:
                    data = bytes(exc.object)  # the decoder's buffer: leftover + chunk
                    *complete, _rest = (pending + data[:exc.start].decode(
                        encoding, errors="replace")).split("\n")
                    for piece in complete:  # the lines before the bad byte are whole
                        if "\x00" in piece:
                            nul_lines.add(line)
                        yield piece.replace("\x00", "") + "\n"
                        line += 1
                    bad = data[exc.start:exc.start + 1].hex()
                    stopped.append(LineError(name, line, _(
                        "Byte 0x%(b)s is not %(e)s: the file mixes encodings or is damaged; "
                        "nothing after it was read.") % {"b": bad, "e": ENCODINGS.get(
                            encoding, encoding.upper())}))
                    return
                pending += text
                *complete, pending = pending.split("\n")
                for piece in complete:
                    if "\x00" in piece:
                        nul_lines.add(line)
                        piece = piece.replace("\x00", "")
                    yield piece + "\n"
                    line += 1
                if final:
                    break
    except (OSError, EOFError) as exc:
        stopped.append(LineError(name, line, _("The file ends unexpectedly: %(e)s") % {"e": exc}))
        return
    if pending:
        if "\x00" in pending:
            nul_lines.add(line)
            pending = pending.replace("\x00", "")
        yield pending


def read_all(path: Path | str, *, required: Sequence[str], optional: Collection[str] = (),
             encoding: str | None = None, name: str | None = None,
             quotes_ok: Collection[str] = ()) -> list[CsvRow]:
    """Every row of a small file, or :class:`CsvFileError` with every problem."""
    f = CsvFile.open(path, required=required, optional=optional, encoding=encoding, name=name,
                     quotes_ok=quotes_ok)
    rows: list[CsvRow] = []
    errors: list[LineError] = []
    for item in f.rows():
        (errors if isinstance(item, LineError) else rows).append(item)  # type: ignore[arg-type]
    if errors:
        raise CsvFileError(errors)
    return rows


__all__ = ["CsvFile", "CsvFileError", "CsvRow", "LineError", "detect", "read_all"]
