"""One throttle for guessable public look-ups (ADR 0016).

A public query that answers "yes" to the right secret (a case number and four phone
digits, a name and an identity number on the voter roll) must not be guessed by
repetition. A :class:`Throttle` limits attempts per *client* (the address the request came
from) and per *target* (what is being guessed at, e.g. the case number), each with its
own :class:`Rate`, over a sliding window::

    PROGRESS = Throttle("services.progress", per_client=Rate(30, 3600),
                        per_target=Rate(10, 86400))

    def progress(request, number, phone4):          # in the view or API route,
        PROGRESS.hit(client=client_of(request),      # before the service and outside
                     target=number)                  # its transaction
        return services.progress(number=number, phone4=phone4)

``hit`` raises :class:`Throttled` (HTTP 429, code ``throttled``, ``details.retry_after``
in seconds) when either limit is reached; a refused attempt is not counted, so a client
that waits gets its full allowance back.

Counts live in the database (``ThrottleCount``), so every application server and process
shares them and the embedded SQLite default needs no cache server. The window is a
sliding-window counter: two fixed windows, the previous one weighted by how much of it
still overlaps the last ``seconds`` (one upsert and one read per rate). Keys are keyed
hashes: no address or case number is stored.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shequ.core.errors import BusinessError
from shequ.core.jobs import periodic, task
from shequ.core.models_throttle import ThrottleCount

__all__ = ["Rate", "Throttle", "Throttled", "client_of", "sweep"]


@dataclass(frozen=True)
class Rate:
    """At most ``count`` attempts in any ``seconds``."""

    count: int
    seconds: int

    def __post_init__(self) -> None:
        if self.count < 1 or self.seconds < 1:
            raise ValueError("a rate needs a positive count and window")


class Throttled(BusinessError):
    status = 429
    default_code = "throttled"
    default_message = _("Too many attempts. Please try again later.")

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            ngettext("Too many attempts. Please try again in %(m)d minute.",
                     "Too many attempts. Please try again in %(m)d minutes.", minutes)
            % {"m": minutes},
            details={"retry_after": retry_after})
        self.retry_after = retry_after


@functools.cache
def _sql() -> tuple[str, str, str]:
    qn = connection.ops.quote_name
    table = qn(ThrottleCount._meta.db_table)
    key, count, expires = qn("key"), qn("count"), qn("expires_at")
    # names come from the model; values are parameters
    bump = (f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT ({key}) DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}")
    read = f"SELECT {count} FROM {table} WHERE {key} = %s"  # noqa: S608
    undo = f"UPDATE {table} SET {count} = {count} - 1 WHERE {key} = %s"  # noqa: S608
    return bump, read, undo


def _digest(scope: str, kind: str, value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"throttle|{scope}|{kind}|{value}".encode(),
                    hashlib.sha256).hexdigest()[:40]


@dataclass(frozen=True)
class Throttle:
    """A named limit on attempts per client and per target (either may be ``None``)."""

    scope: str
    per_client: Rate | None = None
    per_target: Rate | None = None

    def hit(self, *, client: str, target: str = "", now: float | None = None) -> None:
        """Count one attempt, or raise :class:`Throttled` and count nothing."""
        at = time.time() if now is None else now
        checks = []
        if self.per_client is not None:
            checks.append((self.per_client, _digest(self.scope, "client", client)))
        if self.per_target is not None and target:
            checks.append((self.per_target, _digest(self.scope, "target", target)))
        bump, read, undo = _sql()
        counted: list[str] = []
        waits: list[int] = []
        own_transaction = not connection.in_atomic_block
        with transaction.atomic(), connection.cursor() as cur:
            if own_transaction and connection.vendor == "postgresql":
                # A count lost in a crash costs nothing; waiting for the WAL flush on
                # every public look-up would (ADR 0016). Only this transaction.
                cur.execute("SET LOCAL synchronous_commit TO OFF")
            for rate, digest in checks:
                window = int(at // rate.seconds)
                key = f"{digest}:{window}"
                expires = datetime.fromtimestamp((window + 2) * rate.seconds, UTC)
                cur.execute(bump, [key, expires])
                current = cur.fetchone()[0]
                counted.append(key)
                cur.execute(read, [f"{digest}:{window - 1}"])
                row = cur.fetchone()
                previous = row[0] if row else 0
                wait = _wait(rate, at, previous, current)
                if wait:
                    waits.append(wait)
            if waits:
                for key in counted:
                    cur.execute(undo, [key])
        if waits:
            raise Throttled(max(waits))

    def reset(self, *, client: str = "", target: str = "") -> None:
        """Forget the attempts of a client or target (after a successful sign-in, say)."""
        digests = []
        if client and self.per_client:
            digests.append(_digest(self.scope, "client", client))
        if target and self.per_target:
            digests.append(_digest(self.scope, "target", target))
        for digest in digests:
            ThrottleCount.objects.filter(key__startswith=f"{digest}:").delete()


def _wait(rate: Rate, at: float, previous: int, current: int) -> int:
    """Seconds until one more attempt fits (0: it fits now, ``current`` included)."""
    window_start = (at // rate.seconds) * rate.seconds
    elapsed = (at - window_start) / rate.seconds
    if previous * (1 - elapsed) + current <= rate.count:
        return 0
    if current > rate.count:  # full even without the previous window: wait for the next
        return max(1, math.ceil(window_start + rate.seconds - at))
    # the previous window's weight falls linearly; find when the sum fits again
    fits_at = 1 - (rate.count - current) / previous
    return max(1, math.ceil(window_start + fits_at * rate.seconds - at))


def client_of(request: HttpRequest) -> str:
    """The client a throttle counts: the peer's address, or with
    ``SHEQU_TRUSTED_PROXIES = n`` the address the n-th proxy from us saw. IPv6 clients
    count per /64, the smallest network one subscriber usually gets."""
    meta: dict[str, Any] = request.META
    address = str(meta.get("REMOTE_ADDR") or "")
    hops = settings.SHEQU_TRUSTED_PROXIES
    if hops:
        forwarded = [a.strip() for a in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")
                     if a.strip()]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@periodic("core.throttle.sweep", timedelta(hours=1))
@task()
def sweep() -> int:
    """Delete counts whose windows are over (idempotent)."""
    deleted, _per_model = ThrottleCount.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
