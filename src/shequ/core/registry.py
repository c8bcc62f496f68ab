"""Where modules announce their pages, so the layout's menus need no edits when a
module is added (each module registers in its ``AppConfig.ready``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    perm: str | None = None  # None: everyone (public pages)
    section: str = "staff"  # staff | public | self
    order: int = 100


NAV: list[NavItem] = []


def register_nav(*items: NavItem) -> None:
    for item in items:
        if item not in NAV:
            NAV.append(item)
    NAV.sort(key=lambda i: (i.order, str(i.url_name)))


@dataclass(frozen=True)
class ConsoleItem:
    """One figure on the console's "to do" panel: a count with a link to act on it."""

    label: str | Promise
    value: int
    url_name: str
    query: str = ""
    tone: str = ""  # "" | "warn" | "bad"


ConsoleProvider = Callable[[Any], list[ConsoleItem]]
CONSOLE: list[ConsoleProvider] = []


def register_console(provider: ConsoleProvider) -> ConsoleProvider:
    """Register a function ``(user) -> [ConsoleItem]``; it must return only what the user
    may see (use the module's scoped selectors) and an empty list otherwise."""
    if provider not in CONSOLE:
        CONSOLE.append(provider)
    return provider
