"""System checks that keep a production site from running on public keys (ADR 0013).

Django runs system checks before every management command (``shequ migrate``,
``shequ worker``, ``shequ serve``…), and ``shequ.wsgi`` runs them before it hands the
application to the server, so an error here stops start-up everywhere. In development
the public keys in ``settings.py`` are fine, and only malformed values are errors.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

MIN_KEY_BYTES = 32
ENVIRONMENTS = ("development", "production")


def _pii_keys(spec: str) -> tuple[list[tuple[str, bytes]], str | None]:
    keys: list[tuple[str, bytes]] = []
    for part in spec.split(","):
        kid, sep, b64 = part.strip().partition(":")
        if not sep or not kid:
            return keys, "each key must be written id:base64key"
        try:
            raw = base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            return keys, f"key {kid!r} is not valid base64"
        keys.append((kid, raw))
    ids = [k for k, _raw in keys]
    if len(set(ids)) != len(ids):
        return keys, "a key id appears twice"
    return keys, None


@register(Tags.security, deploy=False)
def keys_and_environment(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    env = getattr(settings, "SHEQU_ENV", "development")
    if env not in ENVIRONMENTS:
        errors.append(Error(f"SHEQU_ENV is {env!r}; it must be 'development' or 'production'.",
                            id="shequ.E001"))
        return errors
    pii, pii_problem = _pii_keys(settings.SHEQU_PII_KEYS)
    if pii_problem:
        errors.append(Error(f"SHEQU_PII_KEYS is malformed: {pii_problem}.", id="shequ.E002",
                            hint='Write "id:base64key,id:base64key"; the first key encrypts.'))
    if env != "production":
        return errors

    def refuse(name: str, why: str, check_id: str) -> None:
        errors.append(Error(
            f"{name} {why}: a production site must set its own.", id=check_id,
            hint=f"Generate one with `shequ keys new` and set {name} in the environment "
                 "(docs/deploy.md, 'Keys')."))

    if settings.DEBUG:
        errors.append(Error("SHEQU_DEBUG=1 in production shows code and settings to anyone.",
                            id="shequ.E003"))
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        refuse("SHEQU_SECRET_KEY", "is missing or the public development key", "shequ.E010")
    elif len(settings.SECRET_KEY) < 50:
        refuse("SHEQU_SECRET_KEY", "is shorter than 50 characters", "shequ.E010")
    if settings.SHEQU_AUDIT_KEY == settings.DEV_AUDIT_KEY:
        refuse("SHEQU_AUDIT_KEY", "is missing or the public development key", "shequ.E011")
    elif len(settings.SHEQU_AUDIT_KEY.encode()) < MIN_KEY_BYTES:
        refuse("SHEQU_AUDIT_KEY", f"is shorter than {MIN_KEY_BYTES} bytes", "shequ.E011")
    dev_pii = {raw for _kid, raw in _pii_keys(settings.DEV_PII_KEYS)[0]}
    if settings.SHEQU_PII_KEYS == settings.DEV_PII_KEYS or any(raw in dev_pii for _k, raw in pii):
        refuse("SHEQU_PII_KEYS", "is missing or lists the public development key", "shequ.E012")
    elif not pii_problem and any(len(raw) < MIN_KEY_BYTES for _k, raw in pii):
        refuse("SHEQU_PII_KEYS", f"has a key shorter than {MIN_KEY_BYTES} bytes", "shequ.E012")
    if settings.SHEQU_PII_HASH_KEY == settings.DEV_PII_HASH_KEY:
        refuse("SHEQU_PII_HASH_KEY", "is missing or the public development key", "shequ.E013")
    elif len(settings.SHEQU_PII_HASH_KEY.encode()) < MIN_KEY_BYTES:
        refuse("SHEQU_PII_HASH_KEY", f"is shorter than {MIN_KEY_BYTES} bytes", "shequ.E013")
    if len({settings.SECRET_KEY, settings.SHEQU_AUDIT_KEY, settings.SHEQU_PII_HASH_KEY}) < 3:
        errors.append(Error("SHEQU_SECRET_KEY, SHEQU_AUDIT_KEY and SHEQU_PII_HASH_KEY must be "
                            "three different keys.", id="shequ.E014"))
    return errors
