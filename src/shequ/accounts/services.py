"""Account use cases. Each is one transaction with its audit entry."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.accounts.enums import AuditAction, Code, Perm
from shequ.accounts.models import ApiToken, Grant, User
from shequ.audit.services import record
from shequ.authz import Role
from shequ.core.errors import BusinessError, Conflict
from shequ.core.ids import InvalidId, check_division_code


def _check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise BusinessError(_("Unknown role: %(role)s.") % {"role": role}, code=Code.UNKNOWN_ROLE,
                            details={"role": role, "roles": [r.value for r in Role]}) from None


def _check_code(area_code: str) -> None:
    try:
        check_division_code(area_code)
    except InvalidId as exc:
        raise BusinessError(exc.message, code=Code.INVALID_AREA_CODE,
                            details={"area_code": area_code}) from None


def create_user(*, actor: Any, username: str, password: str, display_name: str = "",
                grants: list[tuple[str, str]] | None = None, validate: bool = True) -> User:
    """Create a user with role grants ``[(role, area_code), ...]`` in one step."""
    grants = grants or []
    if not grants:
        authz.check(actor, Perm.MANAGE)
    for role, code in grants:
        _check_role(role)
        _check_code(code)
        authz.check(actor, Perm.MANAGE, code)
    if User.objects.filter(username=username).exists():
        raise Conflict(_("The user name %(u)s is taken.") % {"u": username}, code=Code.USERNAME_TAKEN)
    if validate:
        try:
            validate_password(password, User(username=username, display_name=display_name))
        except ValidationError as exc:
            raise BusinessError(" ".join(exc.messages), code=Code.WEAK_PASSWORD) from None
    with transaction.atomic():
        user = User(username=username, display_name=display_name)
        user.set_password(password)
        user.save()
        Grant.objects.bulk_create(Grant(user=user, role=r, area_code=c) for r, c in grants)
        record(actor=actor, action=AuditAction.USER_CREATE, obj=user,
               area_code=grants[0][1] if grants else "",
               changes={"username": username, "grants": [list(g) for g in grants]})
    return user


def grant_role(*, actor: Any, user: User, role: str, area_code: str) -> Grant:
    _check_role(role)
    _check_code(area_code)
    authz.check(actor, Perm.MANAGE, area_code)
    with transaction.atomic():
        grant, created = Grant.objects.get_or_create(user=user, role=role, area_code=area_code)
        if created:
            record(actor=actor, action=AuditAction.ROLE_GRANT, obj=user, area_code=area_code,
                   changes={"role": role, "area_code": area_code})
    authz.forget(user)
    return grant


def revoke_role(*, actor: Any, user: User, role: str, area_code: str) -> None:
    authz.check(actor, Perm.MANAGE, area_code)
    with transaction.atomic():
        deleted, _n = Grant.objects.filter(user=user, role=role, area_code=area_code).delete()
        if deleted:
            record(actor=actor, action=AuditAction.ROLE_REVOKE, obj=user, area_code=area_code,
                   changes={"role": role, "area_code": area_code})
    authz.forget(user)


def issue_token(*, actor: Any, user: User, name: str) -> str:
    """Create an API token and return its key: shown once, stored only as a hash."""
    if actor.pk != user.pk:
        authz.check(actor, Perm.MANAGE)
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key))
        record(actor=actor, action=AuditAction.TOKEN_ISSUE, obj=token,
               changes={"user": user.username, "name": name})
    return key


def _validated(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise BusinessError(" ".join(exc.messages), code=Code.WEAK_PASSWORD) from None


def _check_manages(actor: Any, user: User) -> None:
    """An administrator manages a user only where every one of the user's roles lies in
    the administrator's scope, so a street administrator cannot reset the password of
    someone who also works for the district."""
    codes = list(user.grants.values_list("area_code", flat=True))
    if not codes:
        authz.check(actor, Perm.MANAGE)
    for code in codes:
        authz.check(actor, Perm.MANAGE, code)


def _area_of(user: User) -> str:
    """Where an entry about an account belongs: the area of its first role, so the
    administrators of that area see it in their audit log."""
    return user.grants.order_by("area_code").values_list("area_code", flat=True).first() or ""


def change_own_password(*, actor: Any, old_password: str, new_password: str) -> User:
    """Anyone signed in changes their own password, proving the old one."""
    user = User.objects.get(pk=actor.pk)
    if not user.check_password(old_password):
        raise BusinessError(_("The current password is not right."), code=Code.WRONG_PASSWORD)
    if old_password == new_password:
        raise BusinessError(_("Choose a password different from the current one."),
                            code=Code.SAME_PASSWORD)
    _validated(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        record(actor=actor, action=AuditAction.PASSWORD_CHANGE, obj=user, area_code=_area_of(user),
               changes={})
    return user


def reset_password(*, actor: Any, user: User, new_password: str) -> User:
    """An administrator sets a new password for a user who lost theirs (told to them in
    person; the user should change it after signing in)."""
    _check_manages(actor, user)
    _validated(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        record(actor=actor, action=AuditAction.PASSWORD_RESET, obj=user, area_code=_area_of(user),
               changes={})
    return user


def update_user(*, actor: Any, user: User, display_name: str) -> User:
    _check_manages(actor, user)
    display_name = display_name.strip()
    if len(display_name) > 100:
        raise BusinessError(_("A display name has at most 100 characters."),
                            code=Code.NAME_TOO_LONG, details={"length": len(display_name)})
    with transaction.atomic():
        before = user.display_name
        user.display_name = display_name
        user.save(update_fields=["display_name"])
        record(actor=actor, action=AuditAction.USER_UPDATE, obj=user, area_code=_area_of(user),
               changes={"display_name": [before, display_name]})
    return user


def set_active(*, actor: Any, user: User, active: bool) -> User:
    """Disable an account (it can no longer sign in or use its API tokens) or enable it
    again. Nobody disables their own account."""
    _check_manages(actor, user)
    if getattr(actor, "pk", None) == user.pk and not active:
        raise BusinessError(_("You cannot disable your own account."), code=Code.SELF_DISABLE)
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(actor=actor, action=AuditAction.USER_ENABLE if active else AuditAction.USER_DISABLE,
               obj=user, area_code=_area_of(user), changes={"is_active": active})
    return user
