"""User administration in the console (district administrators): create users and grant
or revoke roles at areas in their scope. Writes go through ``accounts.services``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.accounts import selectors, services
from shequ.accounts.enums import Perm as AccountsPerm
from shequ.accounts.facade import User
from shequ.authz import Role
from shequ.core.errors import BusinessError, NotFound


class NewUserForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    display_name = forms.CharField(label=gettext_lazy("Display name"), max_length=100, required=False)
    password = forms.CharField(label=gettext_lazy("Initial password"), widget=forms.PasswordInput,
                               min_length=10)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    area_code = forms.CharField(label=gettext_lazy("Area code"), max_length=15)


class GrantForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    area_code = forms.CharField(label=gettext_lazy("Area code"), max_length=15)


def _target(username: str) -> User:
    user = selectors.user_named(username)
    if user is None:
        raise NotFound(_("No user named %(u)s.") % {"u": username}, code="unknown_user")
    return user


def users_page(request: HttpRequest) -> HttpResponse:
    grants = selectors.grants_in_scope(user=request.user)
    new_form, grant_form = NewUserForm(prefix="n"), GrantForm(prefix="g")
    if request.method == "POST":
        try:
            if "n-username" in request.POST:
                new_form = NewUserForm(request.POST, prefix="n")
                if new_form.is_valid():
                    d = new_form.cleaned_data
                    services.create_user(actor=request.user, username=d["username"],
                                         password=d["password"], display_name=d["display_name"],
                                         grants=[(d["role"], d["area_code"])])
                    messages.success(request, _("Created %(u)s.") % {"u": d["username"]})
                    return redirect("web:users")
            else:
                grant_form = GrantForm(request.POST, prefix="g")
                if grant_form.is_valid():
                    d = grant_form.cleaned_data
                    services.grant_role(actor=request.user, user=_target(d["username"]),
                                        role=d["role"], area_code=d["area_code"])
                    messages.success(request, _("Saved."))
                    return redirect("web:users")
        except BusinessError as exc:
            form = new_form if "n-username" in request.POST else grant_form
            form.add_error(None, str(exc.message))
    return render(request, "web/users.html", {"grants": grants, "new_form": new_form,
                                              "grant_form": grant_form})


@require_POST
def revoke(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, AccountsPerm.MANAGE)
    services.revoke_role(actor=request.user, user=_target(request.POST.get("username", "")),
                         role=request.POST.get("role", ""),
                         area_code=request.POST.get("area_code", ""))
    messages.success(request, _("Saved."))
    return redirect("web:users")
