from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.authz import SYSTEM

NEED_POINT = (30_650_000, 104_080_000)  # near 督院街, WGS 84 millionths
HEAD = ["name", "kind", "credit_code", "filing_number", "area_code", "person_in_charge",
        "founded_on", "categories", "lat", "lon"]


def _code(serial: int, kind: str = "2") -> str:
    from shequ.core import ids

    first17 = f"5{kind}510104MJ{serial:07d}"
    return first17 + ids.uscc_check_char(first17)


@pytest.fixture
def providers(tree: Any) -> dict[str, Any]:
    """The hand-worked example's providers (see test_ranking)."""
    from shequ.linkage import services
    from shequ.linkage.models import ProviderStats
    from shequ.orgs import services as orgs
    from shequ.orgs.models import Org
    from shequ.people.models import Posting, StaffMember

    rows = [
        ["锦江区颐养社工中心", "pne", _code(1), "", "510104022009", "甲", date(2015, 1, 1),
         "elderly", "30.660000", "104.080000"],
        ["督院街社区文艺队", "culture_sport", "", "春熙路社备〔2019〕1号", "510104022009", "乙",
         date(2019, 1, 1), "culture,elderly", "30.650000", "104.090000"],
        ["锦江区夕阳红服务中心", "pne", _code(2), "", "510104022011", "丙", date(2016, 1, 1),
         "elderly", "30.758000", "104.080000"],
        ["锦江区长者之家", "pne", _code(3), "", "510104022009", "丁", date(2017, 1, 1), "elderly",
         "30.650000", "104.080000"],
        ["锦江区少儿艺术中心", "pne", _code(4), "", "510104022009", "戊", date(2018, 1, 1),
         "children,culture", "30.650500", "104.080500"],
    ]
    orgs.import_records(actor=SYSTEM, records=[(i + 2, dict(zip(HEAD, r, strict=True)))
                                               for i, r in enumerate(rows)])
    a, b, c, d, e = (Org.objects.get(name=r[0]) for r in rows)
    for org, capacity in ((a, 2), (b, 3), (d, 1)):
        orgs.update_service_profile(actor=SYSTEM, org_id=org.pk, categories=org.categories,
                                    capacity=capacity)
    orgs.record_evaluation(actor=SYSTEM, org_id=a.pk, grade=4, assessed_on=date(2024, 11, 1))
    staff = StaffMember.objects.create(code="SW-1", name="陈静", kind="social_worker",
                                       qualification="social_worker", area_code="510104022009")
    Posting.objects.create(staff=staff, level="community", area_code="510104022009",
                           start_date=date(2020, 1, 1))
    w = services.save_worker(actor=SYSTEM, staff_id=staff.pk, categories=["elderly"], capacity=1,
                             lat_e6=30_640_000, lon_e6=104_080_000)
    ProviderStats.objects.create(kind="org", provider_id=a.pk, completed=4, rating_sum=18,
                                 rating_n=4)
    ProviderStats.objects.create(kind="org", provider_id=b.pk, active=2)
    ProviderStats.objects.create(kind="org", provider_id=d.pk, active=1)
    ProviderStats.objects.create(kind="worker", provider_id=w.pk, completed=10, rating_sum=40,
                                 rating_n=10)
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "W": w, "staff": staff}


@pytest.fixture
def community_worker(tree: Any, make_user: Any) -> Any:
    return make_user("community_worker", "510104022009", username="shegong")


@pytest.fixture
def need(providers: Any, community_worker: Any) -> Any:
    from shequ.linkage import services

    return services.post_need(
        actor=community_worker, area_code="510104022009", category="elderly",
        title="独居老人周末探访", description="每周上门探访独居老人", address="督院街社区党群服务中心",
        beneficiaries=40, wanted_from=date(2026, 3, 1), wanted_to=date(2026, 6, 30),
        volunteer_only=True, lat_e6=NEED_POINT[0], lon_e6=NEED_POINT[1], on=date(2026, 2, 20))
