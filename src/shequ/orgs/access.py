"""Who acts for an organisation: its operators (the ``org_user`` accounts linked to it)."""

from __future__ import annotations

from typing import Any

from shequ.authz import SystemActor
from shequ.orgs.models import Operator


def operates(actor: Any, org_id: int | None) -> bool:
    """Whether ``actor`` may act for organisation ``org_id`` (the system always may)."""
    if isinstance(actor, SystemActor):
        return True
    if org_id is None or not getattr(actor, "pk", None) or not actor.is_active:
        return False
    cached: dict[int, bool] = actor.__dict__.setdefault("_orgs_operates", {})
    if org_id not in cached:
        cached[org_id] = Operator.objects.filter(org_id=org_id, user_id=actor.pk).exists()
    return cached[org_id]


def org_ids_of(actor: Any) -> list[int]:
    """The organisations ``actor`` acts for."""
    if not getattr(actor, "pk", None):
        return []
    return list(Operator.objects.filter(user_id=actor.pk).order_by("org_id")
                .values_list("org_id", flat=True))


def forget(actor: Any) -> None:
    actor.__dict__.pop("_orgs_operates", None)
