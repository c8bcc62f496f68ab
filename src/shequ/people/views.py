"""Pages of the people module. Thin: a form in, a service or selector call, a template
out. Whether a button is there is asked of ``people.access`` (and of the rights-request
lifecycle), the same functions the services enforce. Business errors from a form's
service call are shown on the form; others become the error page (``web`` middleware).
Lists page by a keyset cursor (``core.paging``)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.core import paging, pii
from shequ.core.errors import BusinessError
from shequ.people import access, forms, importer, rules, selectors, services
from shequ.people.enums import Perm
from shequ.people.lifecycles import RIGHTS
from shequ.people.models import Qualification, RightsAction, RightsStatus, StaffKind

PAGE_SIZE = 50


def _try(request: HttpRequest, form: Any, call: Callable[[], Any]) -> Any:
    """Run a service; on a business refusal put its message on the form and return None."""
    try:
        return call()
    except BusinessError as exc:
        field = exc.details.get("field") if isinstance(exc.details, dict) else None
        form.add_error(field if field in getattr(form, "fields", {}) else None, str(exc.message))
        return None


def _page(request: HttpRequest, rows: QuerySet[Any] | list[Any], **params: str
          ) -> tuple[list[Any], dict[str, str]]:
    """One page of ``rows`` after the request's ``cursor`` (a keyset over a queryset's
    ordering; a short list in memory is sliced) and the pager's links, keeping ``params``:
    the next page ("" on the last) and the first ("" on the first)."""
    cursor = request.GET.get("cursor") or None
    page = (paging.keyset(rows, cursor=cursor, limit=PAGE_SIZE) if isinstance(rows, QuerySet)
            else paging.slice_page(rows, cursor=cursor, limit=PAGE_SIZE))
    kept = {k: v for k, v in params.items() if v}
    return page.items, {
        "next_url": f"?{urlencode({**kept, 'cursor': page.next})}" if page.next else "",
        "first_url": f"?{urlencode(kept)}" if cursor else "",
    }


# --------------------------------------------------------------------------- residents


def residents(request: HttpRequest) -> HttpResponse:
    access.can_view.check(request.user)
    # The search form is POSTed so an identity number never lands in a URL or access log;
    # the page echoes it masked.
    form = forms.SearchForm(request.POST if request.method == "POST" else request.GET)
    q, within = (form.cleaned_data["q"], form.cleaned_data["within"]) if form.is_valid() else ("", "")
    qs = selectors.residents(user=request.user, within=within, q=q)
    by_number = selectors.looks_like_number(q)
    items, pager = _page(request, qs, q="" if by_number else q, within=within)
    names = selectors.area_names({r.community_code for r in items})
    rows = [(r, access.present(request.user, r), names.get(r.community_code, r.community_code))
            for r in items]
    # No count of the whole scope on the page (issue 18): the list says whether there
    # is a next page; the console's population is the statistics' figure (see the help).
    return render(request, "people/residents.html", {
        "rows": rows, "pager": pager,
        "q": pii.mask_resident_id(q) if by_number else q, "within": within,
        "can_manage": access.can_manage(request.user),
        "can_import": access.can_import(request.user),
        "can_export": access.can_export(request.user),
    })


def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.get_resident(user=request.user, pk=pk)
    return _detail(request, resident)


def _detail(request: HttpRequest, resident: Any, *, revealed: str = "",
            reveal_form: Any = None) -> HttpResponse:
    user = request.user
    data = access.present(user, resident)
    # areas by name (and code), not bare codes
    names = selectors.area_names({data.get("area_code", ""), data.get("community_code", "")})
    for key in ("area_code", "community_code"):
        if data.get(key) in names:
            data = {**data, key: f"{names[data[key]]}（{data[key]}）"}
    members = []
    if resident.household_id:
        members = [(m, access.present(user, m))
                   for m in selectors.household_members(resident.household)]
    return render(request, "people/resident.html", {
        "resident": resident, "data": data, "fields": access.labelled(data), "revealed": revealed,
        "members": members,
        "can_reveal": access.can_reveal(user, resident),
        "can_edit": access.can_edit(user, resident),
        "can_correct_id": access.can_correct_id(user, resident),
        "can_move_out": access.can_move_out(user, resident),
        "reveal_form": reveal_form or forms.RevealForm(),
        "move_form": forms.MoveOutForm(initial={"on": timezone.localdate()}),
        "link_form": forms.LinkUserForm(),
        **_latest("reveals", selectors.reveals(user=user, resident=resident)
                  if access.can_see_reads(user, resident) else None),
        **_latest("requests", selectors.requests_of(resident)
                  if access.can_handle_rights(user, resident.area_code) else None),
    })


LATEST = 20


def _latest(name: str, qs: QuerySet[Any] | None) -> dict[str, Any]:
    """The most recent rows of a log shown on a detail page, and whether there are more
    (the page says so: nothing is cut silently)."""
    rows = list(qs[:LATEST + 1]) if qs is not None else []
    return {name: rows[:LATEST], f"more_{name}": len(rows) > LATEST}


@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.get_resident(user=request.user, pk=pk)
    form = forms.RevealForm(request.POST)
    number = ""
    if form.is_valid():
        number = _try(request, form, lambda: services.reveal_identity_number(
            request.user, resident, form.cleaned_data["reason"])) or ""
    response = _detail(request, resident, revealed=number, reveal_form=form)
    response["Cache-Control"] = "no-store"
    return response


def resident_new(request: HttpRequest) -> HttpResponse:
    access.can_manage.check(request.user)
    own = selectors.own_community(user=request.user)
    form = forms.ResidentForm(request.POST or None, initial={
        "community_code": request.GET.get("community", "") or own, "registered_here": True,
        "lives_here": True})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        resident = _try(request, form, lambda: services.register_resident(
            actor=request.user, name=d["name"], id_number=d["id_number"],
            community_code=d["community_code"], area_code=d["area_code"] or None,
            household_number=d["household_number"], head=d["head"], phone=d["phone"],
            registered_here=d["registered_here"], lives_here=d["lives_here"],
            residence_since=d["residence_since"], disability=d["disability"],
            low_income=d["low_income"], registered_address=d["registered_address"],
            actual_address=d["actual_address"]))
        if resident is not None:
            messages.success(request, _("Registered %(n)s.") % {"n": resident.name})
            return redirect("people:resident", pk=resident.pk)
    return render(request, "people/form.html", {"form": form, "title": _("Register a resident")})


def resident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.get_resident(user=request.user, pk=pk)
    access.check(access.edit_refusal(request.user, resident))
    form = forms.ResidentEditForm(request.POST or None, initial={
        f: getattr(resident, f) for f in ("name", "registered_here", "lives_here",
                                          "residence_since", "disability", "low_income")})
    # only the fields the user may write are offered (and so submitted): an unchecked box
    # of a field one may not read would otherwise write False (ADR 0307)
    writable = access.writable_fields(request.user, resident)
    for name in [f for f in form.fields if f not in writable]:
        del form.fields[name]
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        if not changes.get("phone"):
            changes.pop("phone", None)
        done = _try(request, form, lambda: services.update_resident(
            actor=request.user, resident=resident, **changes))
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("people:resident", pk=resident.pk)
    return render(request, "people/form.html", {"form": form, "title": resident.display_name})


def correct_id(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a recorded identity number: its own permission, a reason, logged."""
    resident = selectors.get_resident(user=request.user, pk=pk)
    access.check(access.correct_id_refusal(request.user, resident))
    form = forms.CorrectIdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = _try(request, form, lambda: services.correct_identity_number(
            actor=request.user, resident=resident, id_number=d["id_number"], reason=d["reason"]))
        if done is not None:
            messages.success(request, _("Identity number corrected (logged with the reason)."))
            return redirect("people:resident", pk=resident.pk)
    return render(request, "people/form.html", {
        "form": form, "title": _("Correct the identity number of %(n)s")
        % {"n": resident.display_name}, "submit": _("Correct the number")})


def elsewhere_attempts(request: HttpRequest) -> HttpResponse:
    """For the district: who tried to record a number held in another community (the
    answer they got did not say where; ADR 0308)."""
    qs = selectors.elsewhere_attempts(user=request.user)
    items, pager = _page(request, qs)
    kinds = {"register": _("Registration"), "correct_id": _("Number correction"),
             "import": _("Import")}
    codes = {c for e in items for c in [e.changes.get("community_code", ""),
                                         *e.changes.get("elsewhere", [])]}
    names = selectors.area_names(codes)

    def place(code: str) -> str:
        return f"{names[code]}（{code}）" if code in names else code

    rows = [{"at": e.at, "actor": e.actor_name,
             "kind": kinds.get(str(e.changes.get("kind")), _("Other")),
             "community": place(e.changes.get("community_code", "")),
             "elsewhere": "、".join(place(c) for c in e.changes.get("elsewhere", [])),
             "numbers": "、".join(e.changes.get("id_masked", [])),
             "lines": "、".join(str(n) for n in e.changes.get("lines", []))} for e in items]
    return render(request, "people/elsewhere.html", {"rows": rows, "pager": pager})


@require_POST
def move_out(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.get_resident(user=request.user, pk=pk)
    form = forms.MoveOutForm(request.POST)
    if form.is_valid():
        try:
            services.move_out(actor=request.user, resident=resident, on=form.cleaned_data["on"])
            messages.success(request, _("Recorded as moved away."))
        except BusinessError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("Enter the day the resident moved away."))
    return redirect("people:resident", pk=resident.pk)


@require_POST
def link_user(request: HttpRequest, pk: int) -> HttpResponse:
    """Let a user account see this resident's own record (the resident's sign-in)."""
    resident = selectors.get_resident(user=request.user, pk=pk)
    access.check(access.edit_refusal(request.user, resident))
    form = forms.LinkUserForm(request.POST)
    username = form.cleaned_data["username"].strip() if form.is_valid() else ""
    account = get_user_model().objects.filter(username=username).first() if username else None
    if account is None:
        messages.error(request, _("No user named %(u)s.") % {"u": username or "—"})
    else:
        try:
            services.link_user(actor=request.user, resident=resident, user=account)
            messages.success(request, _("%(u)s now sees this record as their own.")
                             % {"u": account.get_username()})
        except BusinessError as exc:
            messages.error(request, str(exc.message))
    return redirect("people:resident", pk=resident.pk)


def household(request: HttpRequest, pk: int) -> HttpResponse:
    hh = selectors.get_household(user=request.user, pk=pk)
    members = [(m, access.present(request.user, m)) for m in selectors.household_members(hh)]
    return render(request, "people/household.html", {"household": hh, "members": members})


def import_page(request: HttpRequest) -> HttpResponse:
    access.can_import.check(request.user)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = importer.read_upload(upload.name, upload.file,
                                        sheet=form.cleaned_data["sheet"] or None)
            report = services.import_residents(actor=request.user, rows=rows,
                                               dry_run=form.cleaned_data["dry_run"])
        except BusinessError as exc:
            form.add_error("file", str(exc.message))
    return render(request, "people/import.html", {
        "form": form, "report": report, "headers": importer.TEMPLATE_HEADERS})


CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "csv": "text/csv; charset=utf-8"}


def export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The residents of an area in the user's export scope, as .xlsx or CSV (audited)."""
    access.can_export.check(request.user)
    areas = selectors.export_areas(user=request.user)
    form = forms.ExportForm(request.POST or None, initial={
        "within": request.GET.get("within") or (areas[0][0] if areas else "")})
    form.fields["within"].choices = areas  # type: ignore[attr-defined]
    if not access.can_reveal_numbers(request.user):
        del form.fields["full_numbers"]
        form.fields["reason"].label = _("Reason")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        d["fmt"] = d.get("fmt") or "xlsx"
        buffer = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 (FileResponse closes it)
        n = _try(request, form, lambda: services.export_residents(
            actor=request.user, area_code=d["within"], out=buffer,  # type: ignore[arg-type]
            full_numbers=d.get("full_numbers", False), reason=d["reason"], fmt=d["fmt"]))
        if n is not None:
            buffer.seek(0)
            response = FileResponse(
                buffer, as_attachment=True, filename=f"residents-{d['within']}.{d['fmt']}",
                content_type=CONTENT_TYPES[d["fmt"]])
            response["Cache-Control"] = "no-store"
            return response
        buffer.close()
    return render(request, "people/form.html", {"form": form, "title": _("Export residents"),
                                                "submit": _("Download")})


# --------------------------------------------------------------------------- own record, rights


def me(request: HttpRequest) -> HttpResponse:
    resident = selectors.own_record(user=request.user)
    form = forms.RightsRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _try(request, form, lambda: services.file_rights_request(
            actor=request.user, resident=resident, kind=form.cleaned_data["kind"],
            detail=form.cleaned_data["detail"]))
        if done is not None:
            messages.success(request, _("Your request was received. The answer is due by %(d)s.")
                             % {"d": done.due_on})
            return redirect("people:me")
    data = access.present(request.user, resident)
    answer = rules.profile_at(resident.area_code).rule(rules.RIGHTS_ANSWER_DAYS)
    return render(request, "people/me.html", {
        "resident": resident, "data": data, "fields": access.labelled(data), "form": form,
        "requests": list(selectors.requests_of(resident)),
        "can_copy": selectors.copy_ready(resident), "answer_rule": answer,
    })


def me_copy(request: HttpRequest) -> HttpResponse:
    """A copy of one's own data (PIPL Art. 45) once a copy/access request was accepted."""
    resident = selectors.own_record(user=request.user)
    if not selectors.copy_ready(resident):
        messages.warning(request, _("Ask for a copy first; it is available once answered."))
        return redirect("people:me")
    data = services.copy_of_own_data(actor=request.user, resident=resident)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


def rights(request: HttpRequest) -> HttpResponse:
    access.can_handle_rights.check(request.user)
    status = request.GET.get("status", RightsStatus.OPEN)
    if status not in RightsStatus.values:
        status = RightsStatus.OPEN
    items, pager = _page(request, selectors.rights_requests(user=request.user, status=status),
                         status=status)
    today = timezone.localdate()
    rows = [(req, [(a, RIGHTS.action_label(a)) for a in RIGHTS.allowed(request.user, req,
                                                                      on=today)])
            for req in items]
    return render(request, "people/rights.html", {
        "rows": rows, "pager": pager, "status": status, "statuses": RightsStatus.choices,
        "form": forms.DecideForm(), "today": today})


@require_POST
def rights_decide(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.get_rights_request(user=request.user, pk=pk)
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        try:
            services.decide_rights_request(
                actor=request.user, request=req,
                accept=form.cleaned_data["action"] == RightsAction.ACCEPT,
                outcome=form.cleaned_data["outcome"])
            messages.success(request, _("Answered."))
        except BusinessError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values()
                                         for e in errors))
    return redirect("people:rights")


# --------------------------------------------------------------------------- staff


def staff(request: HttpRequest) -> HttpResponse:
    access.can_view_staff.check(request.user)
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "")
    within = request.GET.get("within", "")
    qs = selectors.staff(user=request.user, kind=kind, q=q, within=within)
    items, pager = _page(request, qs, kind=kind, q=q, within=within)
    return render(request, "people/staff.html", {
        "members": items, "pager": pager, "kind": kind, "q": q, "kinds": StaffKind.choices,
        "can_manage": access.can_manage_staff(request.user)})


def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_staff(user=request.user, pk=pk)
    can_manage = access.can_manage_member(request.user, member)
    departments = selectors.department_choices(user=request.user) if can_manage else []
    posting_form = forms.PostingForm(request.POST if "post" in request.POST else None,
                                     initial={"start_date": timezone.localdate()},
                                     departments=departments)
    training_form = forms.TrainingForm(request.POST if "training" in request.POST else None)
    if request.method == "POST":
        access.can_manage_staff.check(request.user, member.area_code)
        if "post" in request.POST and posting_form.is_valid():
            d = posting_form.cleaned_data
            if _try(request, posting_form, lambda: services.post_staff(
                    actor=request.user, staff=member, level=d["level"], area_code=d["area_code"],
                    station_code=d["station_code"] or None, position=d["position"],
                    start_date=d["start_date"], rotation=d["rotation"],
                    department_id=d["department_id"])) is not None:
                messages.success(request, _("Posting recorded."))
                return redirect("people:staff_detail", pk=member.pk)
        if "training" in request.POST and training_form.is_valid():
            d = training_form.cleaned_data
            if _try(request, training_form, lambda: services.add_training(
                    actor=request.user, staff=member, title=d["title"], provider=d["provider"],
                    start_date=d["start_date"], hours=d["hours"])) is not None:
                messages.success(request, _("Training recorded."))
                return redirect("people:staff_detail", pk=member.pk)
    return render(request, "people/staff_detail.html", {
        "member": member, "postings": selectors.postings_of(member),
        "trainings": selectors.trainings_of(member), "can_manage": can_manage,
        "posting_form": posting_form, "training_form": training_form,
        "qualifications": dict(Qualification.choices)})


def staff_new(request: HttpRequest) -> HttpResponse:
    access.can_manage_staff.check(request.user)
    form = forms.StaffForm(request.POST or None, initial={"start_date": timezone.localdate()},
                           departments=selectors.department_choices(user=request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        member = _try(request, form, lambda: services.create_staff(
            actor=request.user, code=d["code"], name=d["name"], kind=d["kind"],
            qualification=d["qualification"] or "", level=d["level"], area_code=d["area_code"],
            station_code=d["station_code"] or None, position=d["position"],
            start_date=d["start_date"], department_id=d["department_id"]))
        if member is not None:
            return redirect("people:staff_detail", pk=member.pk)
    return render(request, "people/form.html", {"form": form, "title": _("New staff member")})


def rotation(request: HttpRequest) -> HttpResponse:
    access.can_view_staff.check(request.user)
    on_text = request.GET.get("on", "")
    try:
        on = date.fromisoformat(on_text) if on_text else timezone.localdate()
    except ValueError:
        on = timezone.localdate()
    due, pager = _page(request, selectors.rotation_due(user=request.user, on=on),
                       on=on.isoformat())
    return render(request, "people/rotation.html", {
        "due": due, "pager": pager, "on": on,
        "rule": rules.NATIONAL.rules[rules.ROTATION_YEARS]})


def department(request: HttpRequest, pk: int) -> HttpResponse:
    """A street office's department (科室): its category and duties, and the staff posted
    to it now, those past the rotation period marked."""
    found = selectors.department_staff(user=request.user, pk=pk)
    return render(request, "people/department.html", {
        "department": found.department, "duties": list(found.department.duties.all()),
        "postings": found.postings, "due": found.rotation_due})


# --------------------------------------------------------------------------- bodies


def bodies(request: HttpRequest) -> HttpResponse:
    access.can_view_bodies.check(request.user)
    within = request.GET.get("within", "")
    kind = request.GET.get("kind", "")
    codes = authz.scope_codes(request.user, Perm.BODIES_VIEW)
    area = within or (codes[0] if codes else "510104")
    try:
        coverage = selectors.coverage(user=request.user, code=area)
    except BusinessError:  # an area code that is not one, or outside the scope: no table
        coverage = []
    qs = selectors.bodies(user=request.user, within=within, kind=kind)
    items, pager = _page(request, qs, within=within, kind=kind)
    return render(request, "people/bodies.html", {
        "bodies": items, "pager": pager, "coverage": coverage,
        "rule": rules.profile_at(area).rule(rules.BODY_COVERAGE_TARGET), "within": within,
        "can_manage": access.can_manage_bodies(request.user)})


def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.get_body(user=request.user, pk=pk)
    can_manage = access.can_manage_body(request.user, body)
    posts = selectors.posts_of(body)
    form = forms.MembershipForm(request.POST or None, initial={"start_date": timezone.localdate()})
    form.fields["post_role"].choices = [(p.role, p.label) for p in posts]  # type: ignore[attr-defined]
    if request.method == "POST":
        access.can_manage_bodies.check(request.user, body.area_code)
        if form.is_valid():
            d = form.cleaned_data
            if _try(request, form, lambda: services.add_membership(
                    actor=request.user, body=body, post_role=d["post_role"],
                    person_name=d["person_name"], start_date=d["start_date"],
                    end_date=d["end_date"])) is not None:
                messages.success(request, _("Member added."))
                return redirect("people:body", pk=body.pk)
    return render(request, "people/body.html", {
        "body": body, "posts": posts, "members": selectors.members_of(body),
        "today": timezone.localdate(), "form": form, "can_manage": can_manage,
        "end_form": forms.EndMembershipForm(initial={"end_date": timezone.localdate()})})


@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.get_membership(user=request.user, pk=pk)
    form = forms.EndMembershipForm(request.POST)
    if form.is_valid():
        try:
            services.end_membership(actor=request.user, membership=membership,
                                    end_date=form.cleaned_data["end_date"],
                                    reason=form.cleaned_data["reason"])
            messages.success(request, _("Term ended."))
        except BusinessError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values()
                                         for e in errors))
    return redirect("people:body", pk=membership.body_id)


def body_new(request: HttpRequest) -> HttpResponse:
    access.can_manage_bodies.check(request.user)
    form = forms.BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        body = _try(request, form, lambda: services.create_body(
            actor=request.user, kind=d["kind"], name=d["name"], area_code=d["area_code"],
            founded_on=d["founded_on"]))
        if body is not None:
            return redirect("people:body", pk=body.pk)
    return render(request, "people/form.html", {"form": form, "title": _("New governance body")})
