"""Every command that reads a file, given a malformed one (issue 13 item 10, ADR 0018):
a one-line error (``CommandError``), never a traceback, and nothing written. The people
import and ``areas import`` have their own, finer tests; this one covers every other reader
with the same kinds of damage."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shequ.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

DAMAGE: dict[str, bytes] = {
    "empty": b"",
    "random": bytes((i * 131 + 7) % 256 for i in range(4000)),
    "nul": b'{"a": "\x00\x00"}\x00',
    "gbk": '{"名称": "春熙路街道", "registered": "一千"}'.encode("gbk"),
    "latin-1": '{"name": "Café"}'.encode("latin-1"),
    "cut": '{"posts": [{"name": "主任", "seats": 1, "candidates": ["a", "b"'.encode(),
    "nested": b"[" * 100_000 + b"]" * 100_000,
    "not-an-object": b"[1, 2, 3]",
    "huge-numbers": json.dumps({"registered": 10**30, "cast": 10**30, "valid": 10**30,
                                "year": 10**30, "days": [10**30]}).encode(),
    "csv": "code,name\n510104022,春熙路街道\n".encode("gbk"),
}

# command -> the arguments around the file ({} stands for the file)
READERS: dict[str, list[str]] = {
    "elections tally": ["elections", "tally", "{}"],
    "elections recount": ["elections", "recount", "1", "1", "{}", "--reason", "复核"],
    "workdays enter-year": ["workdays", "enter-year", "{}"],
    "audit verify --against": ["audit", "verify", "--against", "{}"],
    "orgs import": ["orgs", "import", "{}"],
    "orgs import --dry-run": ["orgs", "import", "{}", "--dry-run"],
    "access import-pbf": ["access", "import-pbf", "{}", "--area", "510104", "--no-progress"],
}


RECORDED_FAILURES = {"access import-pbf": "access.network."}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_damaged_file_is_a_one_line_error(reader: str, damage: str, tmp_path: Path,
                                            tree: object) -> None:
    suffix = {"orgs import": ".xlsx", "orgs import --dry-run": ".xlsx",
              "access import-pbf": ".pbf"}.get(reader, ".json")
    path = tmp_path / f"input{suffix}"
    path.write_bytes(DAMAGE[damage])
    args = [str(path) if a == "{}" else a for a in READERS[reader]]
    before = AuditEntry.objects.count()
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        message = str(exc)
        assert message and "\n" not in message.strip() and "Traceback" not in message, message
    else:
        # a reader may accept a file (audit verify against an empty list): then it must
        # have said what it did, and still written nothing
        assert out.getvalue() or err.getvalue()
    written = list(AuditEntry.objects.order_by("pk")[before:].values_list("action", flat=True))
    # a failed network import is kept, failed, with its reason (ADR 0801): its two records
    assert [a for a in written if not a.startswith(RECORDED_FAILURES.get(reader, "-"))] == []


@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_missing_file_is_a_one_line_error(reader: str, tmp_path: Path, tree: object) -> None:
    args = [str(tmp_path / "nowhere.json") if a == "{}" else a for a in READERS[reader]]
    with pytest.raises(CommandError) as exc:
        call_command(*args, stdout=StringIO(), stderr=StringIO())
    assert "\n" not in str(exc.value).strip()


def test_a_tally_with_an_impossible_count_is_refused(tmp_path: Path) -> None:
    """``registered`` = 10^30 was counted (issue 13 item 10)."""
    source = Path(__file__).resolve().parents[2] / "elections" / "tests" / "cases"
    doc = json.loads((source / "first_round.json").read_text(encoding="utf-8"))
    doc["registered"] = 10**30
    path = tmp_path / "tally.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("elections", "tally", str(path), stdout=StringIO())
    assert str(exc.value) == (f"{path}:1: registered 为 1,000,000,000,000,000,000,000,000,000,000："
                              "超过 9,999,999，任何社区都不可能有这么多。")
