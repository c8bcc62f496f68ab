"""The demo: about 80 projects worth a little over 60 million yuan in 2011, every year to
the present, live projects in every state; every demo project exports as valid OCDS;
loading twice changes nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from django.utils import timezone

from shequ.audit.verify import verify_all


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_demo_years_live_projects_and_ocds() -> None:
    from shequ.accounts import demo as accounts_demo
    from shequ.areas import demo as areas_demo
    from shequ.orgs import demo as orgs_demo
    from shequ.procurement import demo
    from shequ.procurement.models import BudgetLine, Contract, Project
    from shequ.procurement.tests import ocdsschema as schema

    areas_demo.load()
    accounts_demo.load()
    orgs_demo.load()
    demo.load()
    y2011 = Project.objects.filter(year=2011)
    assert y2011.count() == 80
    spent = Contract.objects.filter(project__year=2011).aggregate(s=Sum("value_fen"))["s"]
    assert 6_000_000_000 <= spent <= 6_200_000_000  # 6千万余元
    today = timezone.localdate()
    for year in range(2011, today.year + 1):
        assert Project.objects.filter(year=year).exists(), year
    assert Project.objects.filter(year=today.year - 1).count() > 120
    live = dict(Project.objects.filter(title__startswith="【示范】").values_list("title", "state"))
    assert set(live.values()) == {"draft", "tendering", "evaluating", "awarded", "contracted",
                                  "completed", "cancelled"}
    assert not BudgetLine.objects.filter(committed_fen__gt=F("amount_fen")).exists()
    counts = (Project.objects.count(), Contract.objects.count())
    demo.load()
    assert (Project.objects.count(), Contract.objects.count()) == counts
    out = io.StringIO()
    call_command("ocds", "export", stdout=out)
    package = json.loads(out.getvalue())
    assert schema.errors(schema.validator("release-package-schema.json"), package) == []
    release_validator = schema.validator("release-schema.json")
    extended = schema.extended_release_validator()
    ocids = set()
    for release in package["releases"]:
        assert schema.errors(release_validator, release) == [], release["id"]
        assert schema.errors(extended, release) == [], release["id"]
        assert schema.codelist_problems(release) == [], release["id"]
        ocids.add(release["ocid"])
    assert len(ocids) == Project.objects.count()
    assert verify_all()[1] == []

