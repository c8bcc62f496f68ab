"""``shequ keys new``: print a fresh set of production keys as environment lines.

    shequ keys new > /etc/shequ/keys.env      # then chmod 600, and keep a copy offline
    shequ keys new --pii-id k2026             # the id of the new personal-data key

Nothing is stored: the keys exist only in what this prints. Rotating the personal-data
key means putting a new ``id:key`` *first* in ``SHEQU_PII_KEYS`` and keeping the old ones
after it (docs/deploy.md, "Keys").
"""

from __future__ import annotations

import base64
import secrets
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Print new random keys for a production site (environment lines)."
    requires_system_checks: list[str] = []  # usable before the keys it prints are set

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["new"])
        parser.add_argument("--pii-id", default=f"k{date.today():%Y%m%d}",
                            help="id of the new personal-data key (default: today's date)")

    def handle(self, *args: Any, **opts: Any) -> None:
        pii = base64.b64encode(secrets.token_bytes(32)).decode()
        self.stdout.write(f"SHEQU_SECRET_KEY={secrets.token_urlsafe(50)}")
        self.stdout.write(f"SHEQU_AUDIT_KEY={secrets.token_urlsafe(48)}")
        self.stdout.write(f"SHEQU_PII_KEYS={opts['pii_id']}:{pii}")
        self.stdout.write(f"SHEQU_PII_HASH_KEY={secrets.token_urlsafe(48)}")
