"""Protection of personal data at rest (PIPL Art. 51; DESIGN "Personal data").

* ``seal``/``open_sealed``: AES-256-GCM with a key id, so keys can rotate: the first key in
  ``SHEQU_PII_KEYS`` encrypts, every listed key decrypts; ``reseal`` moves a value to the
  current key.
* ``lookup_hash``: HMAC-SHA256 under a separate key, for look-up and de-duplication
  without decrypting anything. Normalise before hashing so "x" and "X" match.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from shequ.core.errors import BusinessError


class PiiKeyError(BusinessError):
    default_code = "pii_key"


@lru_cache(maxsize=8)
def _keys(spec: str) -> tuple[tuple[str, bytes], ...]:
    keys: list[tuple[str, bytes]] = []
    for part in spec.split(","):
        kid, _sep, b64 = part.strip().partition(":")
        raw = base64.b64decode(b64)
        # Derive a 32-byte AES key from whatever secret was configured.
        keys.append((kid, hashlib.sha256(b"shequ-pii:" + raw).digest()))
    if not keys:
        raise PiiKeyError("SHEQU_PII_KEYS is empty")
    return tuple(keys)


def _current() -> tuple[str, bytes]:
    return _keys(settings.SHEQU_PII_KEYS)[0]


def _by_id(kid: str) -> bytes:
    for k, key in _keys(settings.SHEQU_PII_KEYS):
        if k == kid:
            return key
    raise PiiKeyError(f"no key {kid!r} configured to decrypt this value")


def seal(plaintext: str, *, context: str = "") -> str:
    """Encrypt; ``context`` (e.g. the field name) is authenticated, not stored."""
    kid, key = _current()
    nonce = os.urandom(12)
    ct = AESGCM(key).encrypt(nonce, plaintext.encode(), context.encode() or None)
    return f"{kid}:{base64.urlsafe_b64encode(nonce + ct).decode()}"


def open_sealed(token: str, *, context: str = "") -> str:
    kid, _sep, body = token.partition(":")
    raw = base64.urlsafe_b64decode(body)
    return AESGCM(_by_id(kid)).decrypt(raw[:12], raw[12:], context.encode() or None).decode()


def key_id(token: str) -> str:
    return token.partition(":")[0]


def needs_reseal(token: str) -> bool:
    return key_id(token) != _current()[0]


def reseal(token: str, *, context: str = "") -> str:
    return seal(open_sealed(token, context=context), context=context)


def lookup_hash(value: str, *, purpose: str = "id") -> str:
    key = settings.SHEQU_PII_HASH_KEY.encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
