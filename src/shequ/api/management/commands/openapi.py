"""``shequ openapi``: print, write or check the committed OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shequ.api.api import api

COMMITTED = Path(settings.REPO_DIR) / "docs" / "openapi.json"


def generated() -> str:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "The OpenAPI document: --write updates docs/openapi.json, --check compares."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", action="store_true")
        group.add_argument("--check", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        text = generated()
        if opts["write"]:
            COMMITTED.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {COMMITTED}")
        elif opts["check"]:
            committed = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else ""
            if committed != text:
                raise CommandError("docs/openapi.json differs from the generated API document; "
                                   "run `shequ openapi --write` and commit it.")
            self.stdout.write("docs/openapi.json is up to date.")
        else:
            self.stdout.write(text)
