from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from shequ.accounts.models import User
from shequ.areas.models import Area, Level, ServiceStation
from shequ.audit.verify import verify_all
from shequ.authz import Role


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_demo_loads_jinjiang_and_is_safe_to_run_twice() -> None:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    for role in Role:
        assert str(role.label) in text or role.value in text
    counts = (Area.objects.filter(code__startswith="510104", level=Level.STREET,
                                  valid_to__isnull=True).count(),
              Area.objects.filter(code__startswith="510104", level=Level.COMMUNITY).count(),
              ServiceStation.objects.count(), User.objects.count(), Area.objects.count())
    assert counts[:3] == (11, 76, 28)
    assert User.objects.filter(grants__role=Role.DISTRICT_ADMIN).exists()
    from shequ.authz import SYSTEM
    from shequ.services import selectors as case_selectors
    from shequ.services.models import Case

    decided = Case.objects.filter(decided_on__isnull=False)
    # (late in December a decision's deadline may fall in a year not entered yet)
    assert decided.filter(issue_due_on__isnull=False).count() > 0.9 * decided.count()
    assert case_selectors.issue_overdue(user=SYSTEM).exists()  # the Art. 44 list has content
    call_command("demo", "--no-serve", stdout=StringIO())
    again = (Area.objects.filter(code__startswith="510104", level=Level.STREET,
                                 valid_to__isnull=True).count(),
             Area.objects.filter(code__startswith="510104", level=Level.COMMUNITY).count(),
             ServiceStation.objects.count(), User.objects.count(), Area.objects.count())
    assert again == counts
    assert verify_all()[1] == []
