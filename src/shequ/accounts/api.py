"""``/api/v1/me``: who the caller is, their roles and scopes."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from shequ.accounts.selectors import grants_of
from shequ.authz import Role

router = Router()


class GrantOut(Schema):
    role: str
    role_label: str
    area_code: str


class MeOut(Schema):
    username: str
    display_name: str
    is_superuser: bool
    grants: list[GrantOut]


@router.get("", response=MeOut, summary="The current user")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        username=user.get_username(),
        display_name=getattr(user, "display_name", ""),
        is_superuser=user.is_superuser,
        grants=[GrantOut(role=g.role, role_label=str(Role(g.role).label), area_code=g.area_code)
                for g in grants_of(user)],
    )
