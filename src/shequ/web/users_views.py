"""User administration in the console (district administrators): create users, grant or
revoke roles at areas in their scope, correct a display name, reset a lost password,
disable or enable an account; and every signed-in person's own password. Writes go
through ``accounts.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.accounts import selectors, services
from shequ.accounts.enums import Perm as AccountsPerm
from shequ.authz import Role
from shequ.core import paging
from shequ.core.errors import BusinessError


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


class NameForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("Display name (real name)"),
                                   max_length=100, required=False)


class ResetForm(forms.Form):
    new_password = forms.CharField(label=gettext_lazy("New password"),
                                   widget=forms.PasswordInput, min_length=10, max_length=128)


class OwnPasswordForm(forms.Form):
    old_password = forms.CharField(label=gettext_lazy("Current password"),
                                   widget=forms.PasswordInput, max_length=128)
    new_password = forms.CharField(label=gettext_lazy("New password"),
                                   widget=forms.PasswordInput, min_length=10, max_length=128)
    repeat = forms.CharField(label=gettext_lazy("New password again"),
                             widget=forms.PasswordInput, max_length=128)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("repeat") != data.get("new_password"):
            self.add_error("repeat", _("The two new passwords differ."))
        return data


def users_page(request: HttpRequest) -> HttpResponse:
    users = selectors.users_in_scope(user=request.user)
    page = paging.keyset(users, cursor=request.GET.get("cursor") or None, limit=50)
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
                    target = selectors.managed_user(user=request.user, username=d["username"])
                    services.grant_role(actor=request.user, user=target,
                                        role=d["role"], area_code=d["area_code"])
                    messages.success(request, _("Saved."))
                    return redirect("web:users")
        except BusinessError as exc:
            form = new_form if "n-username" in request.POST else grant_form
            form.add_error(None, str(exc.message))
    grants: dict[int, list[Any]] = {}
    for g in selectors.grants_of_users([u.pk for u in page.items]):
        grants.setdefault(g.user_id, []).append(g)
    rows = [{"user": u, "grants": grants.get(u.pk, [])} for u in page.items]
    return render(request, "web/users.html", {"rows": rows, "page": page, "new_form": new_form,
                                              "grant_form": grant_form})


def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    target = selectors.managed_user(user=request.user, username=username)
    name_form = NameForm(prefix="d", initial={"display_name": target.display_name})
    reset_form = ResetForm(prefix="p")
    if request.method == "POST":
        which = request.POST.get("form", "")
        try:
            if which == "name":
                name_form = NameForm(request.POST, prefix="d")
                if name_form.is_valid():
                    services.update_user(actor=request.user, user=target,
                                         display_name=name_form.cleaned_data["display_name"])
                    messages.success(request, _("Saved."))
                    return redirect("web:user", username=username)
            elif which == "reset":
                reset_form = ResetForm(request.POST, prefix="p")
                if reset_form.is_valid():
                    services.reset_password(actor=request.user, user=target,
                                            new_password=reset_form.cleaned_data["new_password"])
                    messages.success(request, _("The password of %(u)s was reset. Tell them in "
                                                "person and ask them to change it.")
                                     % {"u": target.username})
                    return redirect("web:user", username=username)
            elif which in ("disable", "enable"):
                services.set_active(actor=request.user, user=target, active=which == "enable")
                messages.success(request, _("Account disabled.") if which == "disable"
                                 else _("Account enabled."))
                return redirect("web:user", username=username)
        except BusinessError as exc:
            if which == "reset":
                reset_form.add_error(None, str(exc.message))
            elif which == "name":
                name_form.add_error(None, str(exc.message))
            else:
                messages.error(request, str(exc.message))
    return render(request, "web/user.html", {
        "target": target, "grants": selectors.grants_of_users([target.pk]),
        "name_form": name_form, "reset_form": reset_form,
        "is_self": target.pk == request.user.pk})


@require_POST
def revoke(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, AccountsPerm.MANAGE)
    target = selectors.managed_user(user=request.user, username=request.POST.get("username", ""))
    services.revoke_role(actor=request.user, user=target, role=request.POST.get("role", ""),
                         area_code=request.POST.get("area_code", ""))
    messages.success(request, _("Saved."))
    return redirect(request.POST.get("next") or "web:users")


@login_required
def own_account(request: HttpRequest) -> HttpResponse:
    form = OwnPasswordForm()
    if request.method == "POST":
        form = OwnPasswordForm(request.POST)
        if form.is_valid():
            try:
                user = services.change_own_password(
                    actor=request.user, old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password"])
                update_session_auth_hash(request, user)  # stay signed in here, out elsewhere
                messages.success(request, _("Your new password is in force."))
                return redirect("web:account")
            except BusinessError as exc:
                form.add_error(None, str(exc.message))
    return render(request, "web/account.html", {"form": form,
                                                "grants": selectors.grants_of(request.user)})
