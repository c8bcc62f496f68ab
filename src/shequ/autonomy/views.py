"""Pages for residents (propose, co-sign, follow, rate, ask), representatives (their
constituency, meetings, votes) and staff (review, schedule, disclose).

Every POST is read by a Django form (input shape only) and calls one service; a refusal
comes back as a message saying why. Buttons come from the lifecycles (``allowed``), so a
page offers exactly the steps the services accept; irreversible steps ask first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.autonomy import forms, selectors, services
from shequ.autonomy.documents import NOTICE
from shequ.autonomy.enums import Code, Perm
from shequ.autonomy.lifecycles import (
    CONVENE_REQUEST,
    DISCLOSURE,
    EVALUATION,
    MEETING,
    MOTION,
    PROPOSAL,
    QUESTION,
    RECALL,
    describe,
)
from shequ.autonomy.models import (
    Choice,
    ConveneRequest,
    Disclosure,
    EvaluationCampaign,
    Meeting,
    Motion,
    Proposal,
    RecallPetition,
    Verdict,
)
from shequ.autonomy.services import today
from shequ.core.charts import Chart, Series
from shequ.core.errors import BusinessError
from shequ.core.paging import Page, keyset
from shequ.documents import services as documents
from shequ.elections import facade as elections_facade
from shequ.lifecycle import Lifecycle
from shequ.people import facade


def _page(request: HttpRequest, qs: QuerySet[Any], param: str, limit: int) -> Page[Any]:
    """One page of a list, after the cursor in ``?<param>=``."""
    return keyset(qs, cursor=request.GET.get(param) or None, limit=limit)


def _allowed(lifecycle: Lifecycle[Any], request: HttpRequest, obj: Any, **inputs: Any
             ) -> list[str]:
    """The steps the user may take on ``obj`` now (``Lifecycle.allowed``, with what the
    page already knows about the user, e.g. their resident record)."""
    return [a for a in lifecycle.actions_from(lifecycle.state_of(obj))
            if lifecycle.refusal(request.user, obj, a, **inputs) is None]


def _resident_id(code: str, number: str) -> int:
    """Staff name a resident by identity number on paper forms; never shown back."""
    resident = facade.resident_by_identity(number.strip()) if number.strip() else None
    if resident is None or resident.community_code != code:
        raise BusinessError(_("No resident of this community has that identity number."),
                            code=Code.UNKNOWN_RESIDENT)
    return resident.pk


@dataclass(frozen=True)
class Act:
    """One POST action: the form that reads it, the service call, the message on success,
    and for an irreversible step the question asked first."""

    form: type[django_forms.Form]
    run: Callable[[dict[str, Any]], Any]
    ok: str | Promise
    confirm: str | Promise | None = None


def _dispatch(request: HttpRequest, table: dict[str, Act], back: str,
              form: django_forms.Form | None = None) -> HttpResponse:
    act = table.get(request.POST.get("action", ""))
    if act is None:
        messages.error(request, _("Unknown action."))
        return redirect(back)
    form = form if form is not None else act.form(request.POST)
    if not form.is_valid():
        messages.error(request, forms.errors_text(form))
        return redirect(back)
    if act.confirm is not None and request.POST.get("confirmed") != "1":
        replay = [(k, v) for k in request.POST if k != "csrfmiddlewaretoken"
                  for v in request.POST.getlist(k)]
        return render(request, "autonomy/confirm.html",
                      {"question": act.confirm, "replay": replay, "back": back})
    try:
        act.run(form.cleaned_data)
    except BusinessError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, str(act.ok))
    return redirect(back)


# ---------------------------------------------------------------- public and residents


def index(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.communities(settings.SHEQU_DISTRICT_CODE), "cursor", 200)
    return render(request, "autonomy/index.html", {"communities": page})


def community(request: HttpRequest, code: str) -> HttpResponse:
    area = selectors.community(code)
    profile = selectors.rules(code)
    user = request.user
    manage = authz.has_perm(user, Perm.MANAGE, code)
    linked = selectors.linked_resident(user)
    return render(request, "autonomy/community.html", {
        "area": area, "profile": profile, "rules": list(profile.rules.values()),
        "notice_days": profile.rule("notice_days").display(),
        "households_per": profile.rule("households_per_representative").display(),
        "roster": selectors.public_roster(code),
        "women": selectors.women_among_representatives(code, profile),
        "proposals": _page(request, selectors.public_proposals(code), "proposals", 50),
        "meetings": _page(request, selectors.public_meetings(code), "meetings", 20),
        "disclosures": _page(request, selectors.public_disclosures(code), "disclosures", 20),
        "evaluations": _page(request, selectors.public_evaluations(code), "evaluations", 10),
        "recalls": _page(request, selectors.public_recalls(code), "recalls", 10),
        "requests": _page(request, selectors.public_requests(code), "requests", 10),
        "conference_requests": list(selectors.public_requests(code).filter(
            kind=ConveneRequest.Kind.CONFERENCE, state=ConveneRequest.State.SUBMITTED))
        if manage else [],
        # creating a proposal or a petition is not a step of a lifecycle: the services
        # ask exactly this first (``person_for``)
        "can_participate": authz.has_perm(user, Perm.PARTICIPATE, code),
        "can_manage": manage,
        "is_representative": bool(linked and selectors.active_representative(linked, code)),
        "constituencies": selectors.constituencies(code) if manage else [],
        "serving": selectors.serving(code).order_by("name") if manage else [],
        "recallable": services.recallable_members(code) if authz.has_perm(
            user, Perm.PARTICIPATE, code) else [],
        "recallable_reps": services.recallable_representatives(code) if authz.has_perm(
            user, Perm.PARTICIPATE, code) else [],
        "default_meeting_day": today() + timedelta(days=profile.number("notice_days")),
        "request_share": profile.rule("request_residents_meeting").display(),
        "request_share_reps": profile.rule("request_meeting_representatives").display(),
        "conference_share": profile.rule("request_conference").display(),
        "chart": proposals_chart(area.code),
    })


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_xlsx(request: HttpRequest, code: str, what: str) -> HttpResponse:
    """The community's proposals or representatives as an Excel workbook (staff)."""
    from shequ.autonomy import export

    area = selectors.community(code)
    authz.check(request.user, Perm.MANAGE, area.code)
    maker = {"proposals": export.proposals, "representatives": export.representatives}[what]
    response = HttpResponse(maker(area.code), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{what}-{area.code}.xlsx"'
    return response


def proposals_chart(code: str) -> Chart:
    """Proposals by state: one GROUP BY over the community's proposals."""
    counts = dict(Proposal.objects.filter(community_code=code).values_list("state")
                  .annotate(n=Count("pk")).values_list("state", "n"))
    states = [s for s in Proposal.State if counts.get(s.value)]
    return Chart(id="proposals-by-state", title=_("Proposals by state"), kind="hbar",
                 categories=[str(s.label) for s in states], category_label=_("State"),
                 series=[Series(_("Proposals"), [counts[s.value] for s in states])])


def propose(request: HttpRequest, code: str) -> HttpResponse:
    area = selectors.community(code)
    authz.check(request.user, Perm.PARTICIPATE, code)
    form = forms.ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.submit_proposal(actor=request.user, community_code=code,
                                                **form.cleaned_data)
        except BusinessError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your proposal has been submitted."))
            return redirect("autonomy:proposal", pk=proposal.pk)
    return render(request, "autonomy/propose.html", {
        "area": area, "form": form,
        "cosigners": selectors.rules(code).number("proposal_cosigners")})


def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    p = selectors.public_proposal(pk)
    code = p.community_code
    me = selectors.linked_resident(request.user)
    actions = _allowed(PROPOSAL, request, p, resident=me)
    if (Proposal.Action.COSIGN in actions and me is not None
            and p.cosignatures.filter(resident=me).exists()):
        actions.remove(Proposal.Action.COSIGN)  # signed once already (ADR 0503)
    events = list(p.events.all())
    for e in events:
        e.text = describe(e)  # type: ignore[attr-defined]
    motion = p.motion if p.motion_id else None
    return render(request, "autonomy/proposal.html", {
        "p": p, "events": events, "final": PROPOSAL.is_final(p.state),
        "area": selectors.community(code), "actions": actions,
        "meetings": (list(selectors.open_meetings(code)) if Proposal.Action.SCHEDULE in actions
                     else []),
        "resolution": motion if motion is not None and motion.resolution_number else None,
        "default_deadline": today() + timedelta(days=30),
    })


@require_POST
def proposal_act(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    review = services.review_proposal
    table = {
        "cosign": Act(forms.Empty, lambda d: services.cosign_proposal(actor=user, proposal_id=pk),
                      gettext_lazy("Thank you: your co-signature is counted.")),
        "comment": Act(forms.CommentForm, lambda d: services.comment_on_proposal(
            actor=user, proposal_id=pk, text=d["text"]), gettext_lazy("Your comment is published.")),
        "rate": Act(forms.RateForm, lambda d: services.rate_proposal(
            actor=user, proposal_id=pk, score=d["score"]), gettext_lazy("Thank you for your rating.")),
        "withdraw": Act(forms.Empty, lambda d: services.withdraw_proposal(actor=user, proposal_id=pk),
                        gettext_lazy("The proposal is withdrawn."),
                        gettext_lazy("Withdraw this proposal? It cannot be submitted again.")),
        "admit": Act(forms.ReviewForm, lambda d: review(actor=user, proposal_id=pk, admit=True,
                                                        reason=d["reason"]),
                     gettext_lazy("Admitted.")),
        "reject": Act(forms.ReviewForm, lambda d: review(actor=user, proposal_id=pk, admit=False,
                                                         reason=d["reason"]),
                      gettext_lazy("Not admitted; the reasons are published."),
                      gettext_lazy("Do not admit this proposal? This decision is final.")),
        "schedule": Act(forms.ScheduleForm, lambda d: services.schedule_proposal(
            actor=user, proposal_id=pk, meeting_id=d["meeting"]),
                        gettext_lazy("Put on the meeting's agenda.")),
        "assign": Act(forms.AssignForm, lambda d: services.assign_proposal(
            actor=user, proposal_id=pk, **d), gettext_lazy("Assigned.")),
        "progress": Act(forms.ProgressForm, lambda d: services.report_progress(
            actor=user, proposal_id=pk, note=d["note"]), gettext_lazy("Progress published.")),
        "complete": Act(forms.CompleteForm, lambda d: services.complete_proposal(
            actor=user, proposal_id=pk, feedback=d["feedback"]),
                        gettext_lazy("Marked as implemented; residents can now rate it.")),
        "close": Act(forms.Empty, lambda d: services.close_proposal(actor=user, proposal_id=pk),
                     gettext_lazy("Closed."),
                     gettext_lazy("Close this proposal with the residents' satisfaction so far? "
                                  "No more ratings can be given.")),
    }
    return _dispatch(request, table, f"/autonomy/proposals/{pk}/")


def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    m = selectors.public_meeting(pk)
    code = m.community_code
    resident = selectors.linked_resident(request.user)
    my_rep = selectors.active_representative(resident, code) if resident else None
    motions = list(selectors.motions(m))
    for mo in motions:
        mo.actions = _allowed(MOTION, request, mo, representative=my_rep)  # type: ignore[attr-defined]
        mo.closable = bool({Motion.Action.ADOPT, Motion.Action.REJECT}  # type: ignore[attr-defined]
                           & set(mo.actions))  # type: ignore[attr-defined]
    actions = _allowed(MEETING, request, m)
    attendance = list(selectors.attendance(m))
    taking = bool({Meeting.Action.OPEN, Meeting.Action.CORRECT} & set(actions))
    reps, committee = (services.conference_members(code, m.held_on) if taking else ([], []))
    was = {(a.representative_id, a.membership_id) for a in attendance if a.present}
    return render(request, "autonomy/meeting.html", {
        "m": m, "motions": motions, "voted": selectors.voted_on(m, my_rep),
        "choices": Choice.choices, "actions": actions,
        "attendance_open": taking, "correcting": Meeting.Action.CORRECT in actions,
        "members": [(r, (r.pk, None) in was) for r in sorted(reps, key=lambda r: r.name)],
        "committee": [(c, (None, c.pk) in was) for c in committee],
        "attendance": attendance, "area": selectors.community(code),
        "has_notice": documents.issued_for(NOTICE, m) is not None,
    })


def meeting_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's notice as a PDF (public, like the meeting page)."""
    from shequ.autonomy.documents import meeting_notice as notice_pdf

    m = selectors.public_meeting(pk)
    response = HttpResponse(notice_pdf(m), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="meeting-notice-{m.pk}.pdf"'
    return response


@require_POST
def meeting_act(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    table = {
        "attendance": Act(forms.AttendanceForm, lambda d: services.record_attendance(
            actor=user, meeting_id=pk, present_ids=d["present"],
            committee_present_ids=d["committee"]),
                          gettext_lazy("Attendance recorded."),
                          gettext_lazy("Record this attendance? The quorum is decided from it; "
                                       "it can be corrected until the meeting is closed.")),
        "count": Act(forms.CountForm, lambda d: services.record_count(
            actor=user, motion_id=d["motion"], votes_for=d["votes_for"],
            votes_against=d["votes_against"], abstentions=d["abstentions"]),
                     gettext_lazy("Count recorded.")),
        "motion": Act(forms.MotionForm, lambda d: services.add_motion(
            actor=user, meeting_id=pk, **d), gettext_lazy("Motion added.")),
        "vote": Act(forms.VoteForm, lambda d: services.cast_vote(
            actor=user, motion_id=d["motion"], choice=d["choice"]),
                    gettext_lazy("Your vote is recorded.")),
        "close_motion": Act(forms.MotionRefForm, lambda d: services.close_motion(
            actor=user, motion_id=d["motion"]), gettext_lazy("Vote closed and counted."),
                            gettext_lazy("Close the vote and count it? Nobody can vote on this "
                                         "motion afterwards.")),
        "close": Act(forms.MinutesForm, lambda d: services.close_meeting(
            actor=user, meeting_id=pk, minutes=d["minutes"]),
                     gettext_lazy("Meeting closed; minutes published."),
                     gettext_lazy("Close the meeting and publish the minutes? Proposals not "
                                  "decided return to the queue.")),
    }
    return _dispatch(request, table, f"/autonomy/meetings/{pk}/")


@require_POST
def community_act(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user

    def convene(d: dict[str, Any]) -> Any:
        return services.convene_meeting(actor=user, community_code=code, **d)

    def lines(text: str) -> list[str]:
        return [x.strip() for x in text.splitlines() if x.strip()]

    def evaluation(d: dict[str, Any]) -> Any:
        return services.open_evaluation(
            actor=user, community_code=code, year=today().year, title=d["title"],
            criteria=lines(d["criteria"]), opens_on=today(), closes_on=d["closes_on"],
            departments=lines(d["departments"]))

    table = {
        "convene": Act(forms.ConveneForm, convene, gettext_lazy("Notice sent.")),
        "plan": Act(forms.PlanForm, lambda d: services.plan_disclosures(
            actor=user, community_code=code, year=d["year"]),
                    gettext_lazy("Disclosure calendar planned.")),
        "major": Act(forms.MajorForm, lambda d: services.disclose_major(
            actor=user, community_code=code, **d), gettext_lazy("Disclosed.")),
        "request": Act(forms.RequestForm, lambda d: services.start_request(
            actor=user, community_code=code, kind=d["kind"],
            via=d["via"] or ConveneRequest.Via.RESIDENTS, subject=d["subject"]),
                       gettext_lazy("Request started; your signature is the first.")),
        "recall": Act(forms.RecallForm, lambda d: services.start_recall(
            actor=user, community_code=code, membership_id=d["membership"],
            representative_id=d["representative"], reasons=d["reasons"],
            via=d["via"] or RecallPetition.Via.VOTERS),
                      gettext_lazy("Recall petition started; your signature is the first.")),
        "constituency": Act(forms.ConstituencyForm, lambda d: services.create_constituency(
            actor=user, community_code=code, **d), gettext_lazy("Constituency saved.")),
        "appoint": Act(forms.AppointForm, lambda d: services.appoint_representative(
            actor=user, constituency_id=d["constituency"],
            resident_id=_resident_id(code, d["id_number"]), term_start=d["term_start"],
            duties=d["duties"]), gettext_lazy("Representative recorded.")),
        "by_elect": Act(forms.ByElectForm, lambda d: services.by_elect(
            actor=user, representative_id=d["representative"],
            resident_id=_resident_id(code, d["id_number"]), reason=d["reason"]),
                        gettext_lazy("By-election recorded.")),
        "evaluation": Act(forms.EvaluationForm, evaluation, gettext_lazy("Evaluation opened.")),
    }
    return _dispatch(request, table, f"/autonomy/c/{code}/")


def disclosure(request: HttpRequest, pk: int) -> HttpResponse:
    d = selectors.disclosure(pk, request.user)
    questions = list(d.questions.all())
    for q in questions:
        q.can_answer = QUESTION.can(request.user, q, "answer")  # type: ignore[attr-defined]
    return render(request, "autonomy/disclosure.html", {
        "d": d, "questions": questions, "area": selectors.community(d.community_code),
        "actions": _allowed(DISCLOSURE, request, d),
        "can_ask": (d.status == Disclosure.Status.PUBLISHED
                    and authz.has_perm(request.user, Perm.PARTICIPATE, d.community_code)),
        "overdue": d.status != Disclosure.Status.PUBLISHED and today() > d.due_on,
    })


@require_POST
def disclosure_act(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    table = {
        "publish": Act(forms.PublishForm, lambda d: services.publish_disclosure(
            actor=user, disclosure_id=pk, **d), gettext_lazy("Published."),
                       gettext_lazy("Publish this disclosure? Published content cannot be "
                                    "changed.")),
        "ask": Act(forms.AskForm, lambda d: services.ask_question(
            actor=user, disclosure_id=pk, text=d["text"]),
                   gettext_lazy("Your question is published; the answer will appear here.")),
        "answer": Act(forms.AnswerForm, lambda d: services.answer_question(
            actor=user, question_id=d["question"], answer=d["answer"]),
                      gettext_lazy("Answer published.")),
    }
    return _dispatch(request, table, f"/autonomy/disclosures/{pk}/")


def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.evaluation(pk)
    actions = _allowed(EVALUATION, request, c, resident=selectors.linked_resident(request.user))
    return render(request, "autonomy/evaluation.html", {
        "c": c, "targets": c.targets.all(), "verdicts": Verdict.choices,
        "area": selectors.community(c.community_code), "actions": actions,
        "is_open": c.status == EvaluationCampaign.Status.OPEN, "scale": [1, 2, 3, 4, 5],
    })


@require_POST
def evaluation_act(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    back = f"/autonomy/evaluations/{pk}/"
    if request.POST.get("action") == "close":
        return _dispatch(request, {"close": Act(
            forms.Empty, lambda d: services.close_evaluation(actor=user, campaign_id=pk),
            gettext_lazy("Results published."),
            gettext_lazy("Close the evaluation and publish the results? No more ratings "
                         "can be given."))}, back)
    form = forms.RatingForm(request.POST, campaign=selectors.evaluation(pk))
    rate = Act(forms.RatingForm, lambda d: services.submit_rating(
        actor=user, campaign_id=pk, answers=form.answers()),
               gettext_lazy("Thank you: your rating is counted anonymously."))
    return _dispatch(request, {"rate": rate}, back, form)


def convene_request(request: HttpRequest, pk: int) -> HttpResponse:
    q = selectors.convene_request(pk)
    me = selectors.linked_resident(request.user)
    actions = _allowed(CONVENE_REQUEST, request, q, resident=me)
    if "sign" in actions and me is not None and q.signatures.filter(resident=me).exists():
        actions.remove("sign")  # signed once already
    return render(request, "autonomy/request.html", {
        "q": q, "area": selectors.community(q.community_code), "actions": actions,
        "overdue": q.state == ConveneRequest.State.SUBMITTED and q.due_on is not None
        and today() > q.due_on, "today": today(),
    })


@require_POST
def convene_request_act(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    table = {
        "sign": Act(forms.Empty, lambda d: services.sign_request(actor=user, request_id=pk),
                    gettext_lazy("Your signature is counted.")),
        "convened": Act(forms.ConvenedForm, lambda d: services.record_residents_meeting(
            actor=user, request_id=pk, **d), gettext_lazy("The meeting is recorded."),
                        gettext_lazy("Record that the residents' meeting was convened? The "
                                     "request is then settled.")),
    }
    return _dispatch(request, table, f"/autonomy/requests/{pk}/")


def recall(request: HttpRequest, pk: int) -> HttpResponse:
    r = selectors.recall(pk)
    me = selectors.linked_resident(request.user)
    actions = _allowed(RECALL, request, r, resident=me)
    if "sign" in actions and me is not None and r.signatures.filter(resident=me).exists():
        actions.remove("sign")  # signed once already
    ballot = elections_facade.recall_ballot(r.vote_id)
    return render(request, "autonomy/recall.html", {
        "r": r, "area": selectors.community(r.community_code), "actions": actions,
        "decided": r.state == RecallPetition.State.DECIDED,
        "today": today(), "roll": (services.recall_base(r, today())
                                   if "result" in actions else None),
        "ballot": ballot,
        "roll_area": (selectors.area_name(ballot.roll_area_code) if ballot is not None else ""),
        "election_page": ballot is not None and authz.has_perm(
            request.user, "elections.view", r.community_code),
    })


@require_POST
def recall_act(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    table = {
        "sign": Act(forms.Empty, lambda d: services.sign_recall(actor=user, petition_id=pk),
                    gettext_lazy("Your signature is counted.")),
        "reply": Act(forms.ReplyForm, lambda d: services.record_recall_reply(
            actor=user, petition_id=pk, reply=d["reply"]),
                     gettext_lazy("The member's reply is published.")),
        "schedule": Act(forms.RecallVoteForm, lambda d: services.schedule_recall_vote(
            actor=user, petition_id=pk, voting_day=d["voting_day"], on=d["on"],
            stations=[{"name": d["station"], "place": d["place"]}]),
                        gettext_lazy("The recall vote is set up; its roll is built from the "
                                     "register. Publish the roll and run the vote on the "
                                     "election's pages.")),
        "result": Act(forms.RecallResultForm, lambda d: services.record_recall_result(
            actor=user, petition_id=pk, **d), gettext_lazy("Result recorded."),
                      gettext_lazy("Record this result? A passed recall ends the member's term "
                                   "today, and the result cannot be changed.")),
    }
    return _dispatch(request, table, f"/autonomy/recalls/{pk}/")


# ---------------------------------------------------------------- representatives, staff


def mine(request: HttpRequest) -> HttpResponse:
    """A resident's proposals and co-signatures; a representative's constituency,
    meetings and open votes."""
    if not (authz.has_perm(request.user, Perm.PARTICIPATE)
            or authz.has_perm(request.user, Perm.VOTE)):
        authz.check(request.user, Perm.PARTICIPATE)
    resident = selectors.linked_resident(request.user)
    terms = list(selectors.my_representative_terms(request.user))
    codes = {t.community_code for t in terms}
    meetings = Meeting.objects.filter(community_code__in=codes).exclude(
        status=Meeting.Status.CLOSED).order_by("-held_on", "-pk")
    open_motions = Motion.objects.filter(meeting__in=meetings, status=Motion.Status.OPEN,
                                         meeting__status=Meeting.Status.OPEN).order_by("pk")
    followed = (_page(request, selectors.followed_proposals(resident), "followed", 50)
                if resident else Page(items=[], next=None))
    return render(request, "autonomy/mine.html", {
        "terms": terms, "meetings": _page(request, meetings, "meetings", 50),
        "open_motions": _page(request, open_motions, "motions", 50),
        "linked": resident is not None, "followed": followed,
        "community": resident.community_code if resident else "",
    })


def desk(request: HttpRequest) -> HttpResponse:
    user = request.user
    authz.check(user, Perm.MANAGE)
    due = _page(request, selectors.disclosures_for(user, on=today() + timedelta(days=15)),
                "due", 50)
    overdue = _page(request, selectors.overdue_for(user), "overdue", 50)
    names = selectors.community_names({d.community_code for d in (*due.items, *overdue.items)})
    for d in (*due.items, *overdue.items):
        d.community_name = names.get(d.community_code, "")  # type: ignore[attr-defined]
    return render(request, "autonomy/desk.html", {
        "queue": _page(request, selectors.review_queue(user), "queue", 50),
        "meetings": _page(request, selectors.meetings_for(user).exclude(
            status=Meeting.Status.CLOSED), "meetings", 50),
        "due": due, "overdue": overdue,
        "flagged": _page(request, selectors.flagged_members(user), "flagged", 50),
        "evaluations_due": selectors.evaluations_due(user, today(),
                                                     cursor=request.GET.get("communities")),
        "recalls": _page(request, selectors.recalls_for(user).exclude(
            state=RecallPetition.State.DECIDED), "recalls", 50),
        "requests_overdue": _page(request, selectors.requests_overdue(user, today()),
                                  "requests", 50),
    })
