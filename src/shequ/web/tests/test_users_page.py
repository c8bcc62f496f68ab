from __future__ import annotations

from typing import Any

from django.test import Client

from shequ.accounts.models import Grant, User


def test_admin_creates_user_and_grants(tree: Any, make_user: Any, client: Client) -> None:
    client.force_login(make_user("district_admin", "510104"))
    r = client.post("/console/users/", {"n-username": "xiaoli", "n-display_name": "小李",
                                        "n-password": "a-long-enough-passphrase",
                                        "n-role": "station_worker", "n-area_code": tree.community.code})
    assert r.status_code == 302
    assert Grant.objects.filter(user__username="xiaoli", role="station_worker").exists()
    r = client.post("/console/users/", {"g-username": "xiaoli", "g-role": "community_worker",
                                        "g-area_code": tree.community2.code})
    assert r.status_code == 302
    r = client.post("/console/users/revoke/", {"username": "xiaoli", "role": "community_worker",
                                               "area_code": tree.community2.code})
    assert not Grant.objects.filter(user__username="xiaoli", role="community_worker").exists()


def test_admin_of_one_street_cannot_grant_outside_it(tree: Any, make_user: Any, client: Client
                                                     ) -> None:
    client.force_login(make_user("district_admin", tree.street.code))
    r = client.post("/console/users/", {"n-username": "wang", "n-password": "a-long-enough-passphrase",
                                        "n-role": "resident", "n-area_code": tree.agricultural.code})
    assert r.status_code == 200 and "您无权" in r.content.decode()
    assert not User.objects.filter(username="wang").exists()


def test_street_officer_has_no_user_page(tree: Any, make_user: Any, client: Client) -> None:
    client.force_login(make_user("street_officer", tree.street.code))
    assert client.get("/console/users/").status_code == 403
