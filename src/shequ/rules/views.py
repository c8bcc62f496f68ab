"""The rules in force, public (they are law), and local values for those who set them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shequ import authz
from shequ.areas import selectors as areas
from shequ.core.errors import BusinessError
from shequ.rules import registry, services
from shequ.rules.enums import Perm
from shequ.rules.forms import AreaForm, OverrideForm


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "rules/index.html", {"sets": registry.rulesets()})


def profile(request: HttpRequest, module: str, profile: str) -> HttpResponse:
    rs = registry.ruleset(module, profile)
    form = AreaForm(request.GET or None)
    code = form.cleaned_data["area"].strip() if form.is_valid() else ""
    area = areas.require(code) if code else None
    resolved = registry.resolve(module, profile, code) if code else registry.base(module, profile)
    override = OverrideForm(initial={"area_code": code})
    if request.method == "POST":
        override = OverrideForm(request.POST)
        if override.is_valid():
            d = override.cleaned_data
            try:
                if request.POST.get("clear"):
                    services.clear_override(actor=request.user, module=module, profile=profile,
                                            key=d["key"], area_code=d["area_code"])
                else:
                    services.set_override(actor=request.user, module=module, profile=profile,
                                          key=d["key"], area_code=d["area_code"],
                                          value=d["value"], citation=d["citation"],
                                          reason=d["reason"])
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?area={d['area_code']}")
            except BusinessError as exc:
                override.add_error(None, str(exc.message))
    can_set = bool(code) and authz.has_perm(request.user, Perm.MANAGE, code)
    rows = [{"key": key, "rule": rule, "local": key in resolved.overridden}
            for key, rule in resolved.rules.items()]
    return render(request, "rules/profile.html", {
        "rs": rs, "profile": resolved, "rows": rows, "area": area, "form": form,
        "override": override, "can_set": can_set})
