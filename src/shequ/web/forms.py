from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """The same message whether the name or the password was wrong (ADR 0004)."""

    error_messages = {
        "invalid_login": _("The user name or password is incorrect."),
        "inactive": _("The user name or password is incorrect."),
        "locked": _("Too many failed attempts. Sign-in is paused for this name; "
                    "try again later."),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "shequ_login_locked", False):
                raise forms.ValidationError(self.error_messages["locked"], code="locked") from None
            raise
