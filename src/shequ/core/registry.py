"""Where modules announce their pages, so the layout's menus need no edits when a
module is added (each module registers in its ``AppConfig.ready``)."""

from __future__ import annotations

from dataclasses import dataclass

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
