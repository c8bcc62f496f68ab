from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n% test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def at(day: str, hour: int = 10) -> datetime:
    y, m, d = (int(p) for p in day.split("-"))
    return datetime(y, m, d, hour, tzinfo=SH)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def item(db: Any) -> Any:
    from shequ.authz import SYSTEM
    from shequ.services import services

    version = services.publish_item(
        actor=SYSTEM, code="JJ-001", area_code="510104", name="居住证明",
        legal_basis="《居住证暂行条例》第十条", handler_level="street",
        delegation_mode="entrusted", department="社区发展科",
        department_category="public_service", statutory_days=20, promised_days=20,
        materials=[{"code": "id", "name": "身份证复印件"}, {"code": "lease", "name": "租赁合同"},
                   {"code": "photo", "name": "近期照片"}])
    return version.item


@pytest.fixture
def officer(tree: Any, make_user: Any) -> Any:
    return make_user("street_officer", "510104022", username="jiedao")


@pytest.fixture
def desk(tree: Any, make_user: Any) -> Any:
    return make_user("station_worker", "510104022009", username="zhanwu")


@pytest.fixture
def resident_user(tree: Any, make_user: Any) -> Any:
    return make_user("resident", "510104022009", username="jumin")


@pytest.fixture
def admin(tree: Any, make_user: Any) -> Any:
    return make_user("district_admin", "510104", username="admin")
