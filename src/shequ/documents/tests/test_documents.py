"""Documents: numbered once per object in a series per issuer and year; text readable."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.documents import services
from shequ.documents.render import Document, TableBlock, render


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_document_prints_its_chinese_text() -> None:
    pdf = render(Document(
        title="受理通知书", number="锦江受〔2026〕3号", addressee="张三",
        paragraphs=["你于2026年3月2日提出的申请，本机关已于2026年3月3日受理。",
                    TableBlock(["事项", "办结期限"], [["居住证", "2026年3月31日"]])],
        issuer="督院街街道办事处", issued_on=date(2026, 3, 3)))
    text = text_of(pdf)
    assert pdf.startswith(b"%PDF")
    for expected in ("受理通知书", "锦江受〔2026〕3号", "张三：", "本机关已于2026年3月3日受理",
                     "居住证", "2026年3月31日", "督院街街道办事处", "2026年3月3日"):
        assert expected in text, expected


@pytest.mark.django_db
def test_numbers_run_per_issuer_and_year_and_an_object_keeps_its_number(tree: Any) -> None:
    from shequ.areas.models import Area

    a, b = Area.objects.filter(level="community").order_by("code")[:2]
    first = services.issue(actor=SYSTEM, kind="test.receipt", prefix="锦江受", issuer_code="510104",
                           obj=a, area_code=a.code, on=date(2026, 3, 3))
    again = services.issue(actor=SYSTEM, kind="test.receipt", prefix="锦江受", issuer_code="510104",
                           obj=a, area_code=a.code, on=date(2026, 4, 1))
    second = services.issue(actor=SYSTEM, kind="test.receipt", prefix="锦江受",
                            issuer_code="510104", obj=b, area_code=b.code, on=date(2026, 3, 4))
    next_year = services.issue(actor=SYSTEM, kind="test.other", prefix="锦江补",
                               issuer_code="510104", obj=b, area_code=b.code, on=date(2027, 1, 4))
    assert (first.number, again.pk, second.number) == ("锦江受〔2026〕1号", first.pk, "锦江受〔2026〕2号")
    assert next_year.number == "锦江补〔2027〕1号"
    assert services.issued_for("test.receipt", a) == first
    assert AuditEntry.objects.filter(action="documents.document.issue").count() == 3
