"""The pages ask ``people.access`` the same questions the services enforce: for every
role, a button is on the page exactly when the service behind it accepts the step."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError
from shequ.people import access, services
from shequ.people.models import BodyKind, StaffKind, UnitLevel
from shequ.people.tests.factories import make_identity_number

pytestmark = pytest.mark.django_db
ROLES = ["district_admin", "civil_affairs", "street_officer", "station_worker",
         "community_worker", "representative", "resident", "org_user"]


def accepted(call: Any) -> bool:
    try:
        call()
    except BusinessError:
        return False
    return True


@pytest.mark.parametrize("role", ROLES)
def test_resident_page_buttons_match_what_the_services_accept(tree: Any, make_user: Any,
                                                              role: str) -> None:
    resident = services.register_resident(
        actor=SYSTEM, name="按钮甲", id_number=make_identity_number(date(1966, 6, 6), serial=371),
        community_code=tree.community.code)
    user = make_user(role, tree.community.code)
    c = Client()
    c.force_login(user)
    r = c.get(f"/people/residents/{resident.pk}/")
    if not access.can_view(user, resident.area_code):
        assert r.status_code == 403
        return
    page = r.content.decode()
    can_edit, can_reveal = access.can_edit(user, resident), access.can_reveal(user, resident)
    can_move = access.can_move_out(user, resident)
    assert (f'href="/people/residents/{resident.pk}/edit/"' in page) is can_edit
    assert ('id="reveal-form"' in page) is can_reveal
    assert (f'action="/people/residents/{resident.pk}/move-out/"' in page) is can_move
    assert accepted(lambda: services.update_resident(actor=user, resident=resident,
                                                     lives_here=False)) is can_edit
    assert accepted(lambda: services.reveal_identity_number(user, resident, "核验身份")) is can_reveal
    assert accepted(lambda: services.move_out(actor=user, resident=resident)) is can_move
    resident.refresh_from_db()
    if can_move:  # moved away: the button goes, and the service refuses a second time
        later = c.get(f"/people/residents/{resident.pk}/").content.decode()
        assert "/move-out/" not in later and not access.can_move_out(user, resident)


@pytest.mark.parametrize("role", ROLES)
def test_register_buttons_match(tree: Any, make_user: Any, role: str) -> None:
    user = make_user(role, tree.street.code)
    c = Client()
    c.force_login(user)
    r = c.get("/people/")
    if not access.can_view(user):
        assert r.status_code == 403
        return
    page = r.content.decode()
    for allowed, url in ((access.can_manage(user), "/people/residents/new/"),
                         (access.can_import(user), "/people/import/"),
                         (access.can_export(user), "/people/export/")):
        assert (f'href="{url}' in page) is allowed
        assert (c.get(url).status_code == 200) is allowed


@pytest.mark.parametrize(("role", "where"), [("street_officer", "street"),
                                             ("street_officer", "other_street"),
                                             ("station_worker", "community"),
                                             ("representative", "community")])
def test_staff_and_body_forms_match(tree: Any, make_user: Any, role: str, where: str) -> None:
    member = services.create_staff(actor=SYSTEM, code="GB-9", name="干部乙", kind=StaffKind.CADRE,
                                   level=UnitLevel.COMMUNITY, area_code=tree.community.code,
                                   start_date=date(2020, 1, 1))
    body = services.create_body(actor=SYSTEM, kind=BodyKind.PARTY, name="党委",
                                area_code=tree.community.code)
    user = make_user(role, getattr(tree, where).code)
    c = Client()
    c.force_login(user)
    staff_page = c.get(f"/people/staff/{member.pk}/")
    if access.can_view_staff(user, member.area_code):
        assert ('name="post"' in staff_page.content.decode()) is access.can_manage_member(user, member)
    else:
        assert staff_page.status_code == 403
    assert accepted(lambda: services.add_training(
        actor=user, staff=member, title="培训", start_date=date(2024, 1, 1), hours=2)) \
        is access.can_manage_member(user, member)
    body_page = c.get(f"/people/bodies/{body.pk}/")
    if access.can_view_bodies(user, body.area_code):
        assert ('id="add-member"' in body_page.content.decode()) is access.can_manage_body(user, body)
    else:
        assert body_page.status_code == 403
    assert accepted(lambda: services.add_membership(
        actor=user, body=body, post_role="member", person_name="委员甲",
        start_date=date(2024, 1, 1))) is access.can_manage_body(user, body)
    # a POST without the right is refused by the page as by the service
    r = c.post(f"/people/bodies/{body.pk}/", {"post_role": "member", "person_name": "委员乙",
                                              "start_date": "2024-01-01"})
    assert r.status_code == (302 if access.can_manage_body(user, body) else 403)
