"""bench/results/services.txt holds one section per services benchmark; each script
replaces its own section and keeps the others."""

from __future__ import annotations

import os
import platform
import re
from datetime import UTC, datetime
from typing import Any

from _common import RESULTS

PATH = RESULTS / "services.txt"


def case_database(name: str) -> Any:
    """A fresh PostgreSQL database ``name`` with the product's schema and one published
    20-day item; returns that item's version (for rows generated in SQL)."""
    from _common import fresh_database, setup_django

    setup_django(fresh_database(name))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from shequ.authz import SYSTEM
    from shequ.services import services

    return services.publish_item(
        actor=SYSTEM, code="JJ-GF-001", area_code="510104", name="居住证申领",
        legal_basis="《居住证暂行条例》第十条", handler_level="station",
        delegation_mode="front_desk", decided_by="district", department="公共服务办公室",
        department_category="public_service", statutory_days=20, promised_days=20)


def write_section(name: str, lines: list[str]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = PATH.read_text(encoding="utf-8") if PATH.exists() else ""
    sections = dict(re.findall(r"(?ms)^## (\S+)\n(.*?)(?=^## |\Z)", text))
    head = (f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} cores "
            f"(shared), Python {platform.python_version()}")
    sections[name] = "\n".join([head, *lines]) + "\n\n"
    out = "# services benchmarks (bench/services_*.py)\n\n" + "".join(
        f"## {k}\n{v}" for k, v in sorted(sections.items()))
    PATH.write_text(out, encoding="utf-8")
    print(f"## {name}\n" + sections[name])
