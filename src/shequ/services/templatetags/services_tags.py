"""Stored keys shown in the reader's language (``notices``)."""

from __future__ import annotations

from django import template

from shequ.services import notices
from shequ.services.models import CaseEvent, Notification

register = template.Library()


@register.filter
def notice(n: Notification) -> str:
    return notices.notice(n)


@register.filter
def event_label(action: str) -> str:
    return notices.event_label(action)


@register.filter
def actor_label(event: CaseEvent) -> str:
    return notices.actor_label(event)
