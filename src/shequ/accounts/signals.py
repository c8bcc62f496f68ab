"""Any change of a user's grants moves the user's ``grants_stamp``, whoever makes it (the
services, the Django admin, a fixture), so no process goes on using grants it cached."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from shequ import authz
from shequ.accounts.models import Grant, User, new_grants_stamp


@receiver(post_save, sender=Grant, dispatch_uid="accounts.grant_saved")
@receiver(post_delete, sender=Grant, dispatch_uid="accounts.grant_deleted")
def grants_changed(sender: type[Grant], instance: Grant, **kwargs: Any) -> None:
    stamp = new_grants_stamp()
    User.objects.filter(pk=instance.user_id).update(grants_stamp=stamp)
    if Grant.user.is_cached(instance):  # the caller's user object sees the move too
        instance.user.grants_stamp = stamp
        authz.forget(instance.user)
