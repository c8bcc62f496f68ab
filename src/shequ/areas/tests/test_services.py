from __future__ import annotations

from typing import Any

import pytest

from shequ.areas import selectors, services
from shequ.areas.geo import InvalidGeometry
from shequ.areas.models import Area
from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Forbidden, NotFound

SQUARE = {"type": "Polygon", "coordinates": [[[104.08, 30.65], [104.09, 30.65], [104.09, 30.66],
                                              [104.08, 30.66], [104.08, 30.65]]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[104.08, 30.65], [104.09, 30.66], [104.09, 30.65],
                                              [104.08, 30.66], [104.08, 30.65]]]}


def test_boundary_validation(tree: Any) -> None:
    area = services.set_geometry(actor=SYSTEM, code=tree.community.code, boundary=SQUARE,
                                 point={"type": "Point", "coordinates": [104.085, 30.655]})
    assert area.boundary["type"] == "Polygon"
    with pytest.raises(InvalidGeometry, match=r"Self-intersection"):
        services.set_geometry(actor=SYSTEM, code=tree.community.code, boundary=BOWTIE)
    with pytest.raises(InvalidGeometry):  # latitude/longitude swapped
        services.set_geometry(actor=SYSTEM, code=tree.community.code,
                              point={"type": "Point", "coordinates": [30.655, 104.085]})
    with pytest.raises(InvalidGeometry):
        services.set_geometry(actor=SYSTEM, code=tree.community.code, boundary={"type": "Point",
                                                                                "coordinates": [1, 2]})
    area.refresh_from_db()
    assert area.boundary == SQUARE


def test_compound_codes_follow_the_community(tree: Any) -> None:
    c = services.create_compound(actor=SYSTEM, community_code=tree.community.code, name="芙蓉院",
                                 households=120)
    assert c.code == tree.community.code + "002"  # 001 is taken in the tree
    with pytest.raises(BusinessError):
        services.create_compound(actor=SYSTEM, community_code=tree.community.code, name="芙蓉院")
    with pytest.raises(BusinessError):
        services.create_compound(actor=SYSTEM, community_code=tree.street.code, name="x")
    with pytest.raises(NotFound):
        services.create_compound(actor=SYSTEM, community_code="510104022999", name="x")


def test_figures_sum_communities(tree: Any, make_user: Any) -> None:
    officer = make_user("street_officer", tree.street.code)
    f = selectors.figures(user=officer, code=tree.street.code)
    assert (f.communities, f.compounds, f.stations) == (2, 1, 1)
    assert f.population == 14000 and f.households == 5200


def test_scoped_reads(tree: Any, make_user: Any) -> None:
    officer = make_user("street_officer", tree.street.code)
    assert selectors.get_area(user=officer, code=tree.community.code).name == "督院街社区居委会"
    with pytest.raises(Forbidden):
        selectors.get_area(user=officer, code=tree.agricultural.code)
    with pytest.raises(NotFound):
        selectors.get_area(user=officer, code="510104022777")
    codes = list(selectors.areas_in_scope(user=officer).values_list("code", flat=True))
    assert codes == ["510104022", "510104022009", "510104022009001", "510104022011"]


def test_updates_are_audited_and_checked(tree: Any, make_user: Any) -> None:
    officer = make_user("street_officer", tree.street.code)
    with pytest.raises(Forbidden):
        services.update_figures(actor=officer, code=tree.community.code, population=1)
    admin = make_user("civil_affairs", "510104")
    services.update_figures(actor=admin, code=tree.community.code, population=8100)
    entry = AuditEntry.objects.get(action="areas.figures.set")
    assert entry.changes == {"population": [8000, 8100]}
    assert entry.actor_id == admin.pk
    with pytest.raises(BusinessError):
        services.update_figures(actor=admin, code=tree.community.code, households=-1)
    assert Area.objects.get(code=tree.community.code).households == 3000
