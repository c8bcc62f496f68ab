"""Stored words are keys, translated when shown (ADR 0011).

A module that keeps generated text in the database (a history line, a notice, a reason
picked from a list) stores ``{"text": key, "params": {...}}`` and declares the messages
once in a :class:`Texts` table. Whoever reads it later sees it in their own language; a
clicking user's language never gets frozen into a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise

Stored = dict[str, Any]


class Texts:
    """A module's table of generated texts: ``key -> translatable message`` with
    ``%(name)s`` parameters."""

    def __init__(self, messages: Mapping[str, str | Promise]) -> None:
        self.messages = dict(messages)

    def __contains__(self, key: str) -> bool:
        return key in self.messages

    def stored(self, key: str, **params: Any) -> Stored:
        """What to store: the key and its parameters (JSON-clean values)."""
        if key not in self.messages:
            raise KeyError(f"unknown text key {key!r}")
        return {"text": key, "params": params}

    def render(self, stored: Mapping[str, Any] | None, default: str = "") -> str:
        """The stored text in the active language; an unknown key shows ``default``,
        never the key itself."""
        if not stored:
            return default
        message = self.messages.get(str(stored.get("text", "")))
        if message is None:
            return default
        params = stored.get("params") or {}
        try:
            return str(message) % params if params else str(message)
        except (KeyError, TypeError, ValueError):
            return str(message)
