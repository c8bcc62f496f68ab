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


# Where each role lands after signing in: a module registers the page where that role's
# own work is (the organisation portal for an organisation user, "my applications" for a
# resident). The lowest ``order`` wins when a module registers the same role twice; a
# user with several roles lands on the page of the broadest one (web decides).
HOMES: dict[str, tuple[int, str]] = {}


def register_home(role: str, url_name: str, order: int = 100) -> None:
    current = HOMES.get(role)
    if current is None or order < current[0]:
        HOMES[role] = (order, url_name)


@dataclass(frozen=True)
class PanelItem:
    label: str | Promise
    url: str
    note: str | Promise = ""  # a status or date shown beside the link


@dataclass(frozen=True)
class SelfPanel:
    """One block of a signed-in person's own page (``/me/``): "my applications", "my
    community's disclosures", "proposals to co-sign"…; ``items`` may be empty (the page
    then shows ``empty``), a panel the person has nothing to do with is not returned."""

    title: str | Promise
    items: list[PanelItem]
    empty: str | Promise = ""
    more_url: str = ""
    order: int = 100


SelfPanelProvider = Callable[[Any], list[SelfPanel]]
SELF_PANELS: list[SelfPanelProvider] = []


def register_self_panel(provider: SelfPanelProvider) -> SelfPanelProvider:
    """Register ``(user) -> [SelfPanel]``: only what the user may see, from scoped reads."""
    if provider not in SELF_PANELS:
        SELF_PANELS.append(provider)
    return provider


BadgeProvider = Callable[[Any], int]
BADGES: list[tuple[str, BadgeProvider]] = []


def register_badge(url_name: str, provider: BadgeProvider) -> None:
    """A number shown on a menu entry (unread notices): ``(user) -> count``, cheap (one
    indexed query), 0 when there is nothing."""
    if (url_name, provider) not in BADGES:
        BADGES.append((url_name, provider))
