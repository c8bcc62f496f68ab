"""The permission check refuses undeclared names loudly and declarations keep prefixes."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest

from shequ import authz
from shequ.core.errors import AuthRequired, Forbidden


def test_an_undeclared_permission_is_a_programming_error_not_a_refusal(make_user: Any) -> None:
    officer = make_user("street_officer", "510104022")
    with pytest.raises(authz.UnknownPermission):
        authz.check(officer, "services.hnadle", "510104022")
    with pytest.raises(authz.UnknownPermission):
        authz.has_perm(authz.SYSTEM, "no.such.permission")
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(authz.UnknownPermission):  # even before asking who is asking
        authz.check(AnonymousUser(), "typo.view")


def test_declared_permissions_check_by_area(make_user: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    officer = make_user("street_officer", "510104022")
    assert authz.has_perm(officer, "services.handle", "510104022009")
    assert not authz.has_perm(officer, "services.handle", "510104037001")
    with pytest.raises(Forbidden):
        authz.check(officer, "services.handle", "510104037")
    with pytest.raises(AuthRequired):
        authz.check(AnonymousUser(), "services.handle", "510104022")


def test_a_permission_must_carry_its_module_prefix() -> None:
    class Bad(StrEnum):
        VIEW = "view"

    with pytest.raises(ValueError, match="prefix"):
        authz.declare(Bad, {})


def test_the_same_name_cannot_be_declared_by_two_enums() -> None:
    class Clash(StrEnum):
        VIEW = "services.view"

    with pytest.raises(ValueError, match="declared twice"):
        authz.declare(Clash, {})


def test_every_module_prefixes_its_permissions() -> None:
    modules = {"accounts", "areas", "audit", "autonomy", "elections", "linkage", "orgs",
               "people", "rules", "services", "web", "workdays"}
    for name in authz.declared():
        assert name.split(".")[0] in modules, name


def test_roles_with_names_who_holds_a_permission() -> None:
    assert authz.roles_with("services.supervise") == ["district_admin"]
