"""The demo reproduces Jinjiang's 789 organisations, 60% filed, consistent with its streets
and communities; queues, reports, grants and the demo user's portal have content; loading
twice changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import F
from django.db.models.functions import Substr

from shequ.areas.models import Area, Level
from shequ.audit.verify import verify_all


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_demo_registry_queues_and_portal() -> None:
    from shequ.accounts import demo as accounts_demo
    from shequ.accounts.facade import user_by_username
    from shequ.areas import demo as areas_demo
    from shequ.linkage import demo as linkage_demo
    from shequ.linkage import selectors as linkage_selectors
    from shequ.orgs import demo, selectors
    from shequ.orgs.models import Application, GrantApplication, Incubation, Org, Status

    areas_demo.load()
    accounts_demo.load()
    demo.load()
    linkage_demo.load()
    alive = Org.objects.filter(status__in=(Status.ACTIVE, Status.SUSPENDED))
    assert alive.count() == 789 and alive.filter(track="filed").count() == 473
    assert not alive.filter(track="filed").exclude(authority_code=Substr("area_code", 1, 9)).exists()
    assert not alive.filter(track="registered", kind__in=("association", "pne")).exclude(
        authority_code="510104").exists()
    assert not alive.filter(track="registered").exclude(credit_code__startswith="5").exists()
    communities = set(Area.objects.filter(code__startswith="510104", level=Level.COMMUNITY,
                                          valid_to__isnull=True).values_list("code", flat=True))
    assert set(alive.filter(track="filed").values_list("area_code", flat=True)) == communities
    assert not alive.exclude(street_code=Substr(F("area_code"), 1, 9)).exists()
    total = selectors.indicators("510104", 2026)
    # residents are the communities' figures in the areas demo (689,962 of about 690,000)
    assert (total.orgs, total.filed, total.population) == (789, 473, 689_962)
    assert str(total.per_10k) == "11.44" and str(total.filed_share) == "0.5995"
    jiedao, minzheng = user_by_username("jiedao"), user_by_username("minzheng")
    street = selectors.applications(user=jiedao, queue=True)
    assert street.exists() and not street.exclude(track="filed").exists()
    assert selectors.applications(user=minzheng, queue=True).filter(track="registered").exists()
    assert selectors.overdue_applications(user=minzheng).exists()
    assert selectors.overdue_reports(user=minzheng, year=2025).exists()
    assert selectors.report_queue(user=minzheng).exists()
    zuzhi = user_by_username("zuzhi")
    mine = list(selectors.my_orgs(user=zuzhi))
    assert [o.name for o in mine] == ["锦江社工服务中心"]
    assert GrantApplication.objects.filter(org=mine[0], paid_fen__gt=0).exists()
    assert Incubation.objects.filter(org=mine[0], state="graduated").exists()
    assert selectors.my_applications(user=zuzhi).filter(state="in_review").exists()
    assert linkage_selectors.invitations(user=zuzhi).filter(state="invited").exists()
    counts = (Org.objects.count(), Application.objects.count(), GrantApplication.objects.count())
    demo.load()
    linkage_demo.load()
    assert (Org.objects.count(), Application.objects.count(),
            GrantApplication.objects.count()) == counts
    assert verify_all()[1] == []


def test_demo_point_is_stable(tree: Any) -> None:
    from shequ.orgs.facade import demo_point

    assert demo_point("510104022009") == demo_point("510104022009")
    lat, lon = demo_point("510104022009")
    assert abs(lat - 30_657_000) <= 45_000 and abs(lon - 104_083_000) <= 50_000
