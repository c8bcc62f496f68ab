"""bench/results/services.txt holds one section per services benchmark; each script
replaces its own section and keeps the others."""

from __future__ import annotations

import os
import platform
import re
from datetime import UTC, datetime

from _common import RESULTS

PATH = RESULTS / "services.txt"


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
