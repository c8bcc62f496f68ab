"""Users, their role grants (a role at an area code) and login throttling."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from shequ.authz import Role


def new_grants_stamp() -> str:
    return secrets.token_hex(8)


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    # Changes whenever the user's grants change (a signal on Grant, see signals.py). It is
    # read with the user on every request, so a process may keep the grants it loaded
    # under (user, stamp) and skip the grants query until the stamp moves (ADR 0010).
    grants_stamp = models.CharField(max_length=16, default=new_grants_stamp, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Grant(models.Model):
    """A role held at an area: the scope is the area code and everything below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    area_code = models.CharField(_("area code"), max_length=20)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "role", "area_code"],
                                               name="grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.role}@{self.area_code}"


class LoginFailure(models.Model):
    """A failed sign-in, keyed by a hash of the name tried (existing or not), so the
    lock-out cannot tell an attacker which names exist."""

    name_key = models.CharField(max_length=64, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.name_key[:8]}… {self.at}"

    @staticmethod
    def key_for(username: str) -> str:
        return hashlib.sha256(f"{settings.SECRET_KEY}:{username.strip().lower()}".encode()
                              ).hexdigest()


class ApiToken(models.Model):
    """A bearer token for API clients; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user}: {self.name}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "shq_" + secrets.token_urlsafe(32)
