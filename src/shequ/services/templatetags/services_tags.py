from __future__ import annotations

from django import template

from shequ.services import notices
from shequ.services.models import Notification

register = template.Library()


@register.filter
def notice(n: Notification) -> str:
    return notices.render(n.kind, n.params)


@register.filter
def action_label(action: str) -> str:
    from shequ.services.states import ACTION_LABELS

    return str(ACTION_LABELS.get(action, action))
