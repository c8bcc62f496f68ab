"""Pages for residents (propose, co-sign, follow, rate, ask), representatives (their
constituency, meetings, votes) and staff (review, schedule, disclose). Every POST calls
one service; a refusal comes back as a message saying why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.autonomy import selectors, services, states
from shequ.autonomy.models import (
    Attendance,
    Choice,
    Constituency,
    Disclosure,
    EvaluationCampaign,
    Meeting,
    Motion,
    RecallPetition,
    Representative,
    Verdict,
    VoteCast,
)
from shequ.core.errors import BusinessError
from shequ.people import facade


def _can(request: HttpRequest, perm: str, code: str) -> bool:
    return authz.has_perm(request.user, perm, code)


def _act(request: HttpRequest, fn: Callable[[], Any], ok: str, back: str) -> HttpResponse:
    try:
        fn()
    except BusinessError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, ok)
    return redirect(back)


def _is_rep(request: HttpRequest, code: str) -> bool:
    resident = selectors.linked_resident(request.user)
    return bool(resident and services.active_representative(resident, code))


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _resident_id(code: str, number: str) -> int:
    """Staff name a resident by identity number on paper forms; never shown back."""
    resident = facade.resident_by_identity(number.strip()) if number.strip() else None
    if resident is None or resident.community_code != code:
        raise BusinessError(_("No resident of this community has that identity number."),
                            code="unknown_resident")
    return resident.pk


# ---------------------------------------------------------------- public and residents

def index(request: HttpRequest) -> HttpResponse:
    return render(request, "autonomy/index.html",
                  {"communities": selectors.communities(settings.SHEQU_DISTRICT_CODE)})


def community(request: HttpRequest, code: str) -> HttpResponse:
    area = selectors.community(code)
    profile = selectors.rules(code)
    proposals = list(selectors.public_proposals(code)[:200])
    for p in proposals:
        p.state_label = selectors.state_label(p.state)  # type: ignore[attr-defined]
    return render(request, "autonomy/community.html", {
        "area": area, "profile": profile, "rules": list(profile.rules.values()),
        "roster": selectors.public_roster(code), "proposals": proposals,
        "women": selectors.women_among_representatives(code, profile),
        "meetings": selectors.public_meetings(code)[:50],
        "disclosures": selectors.public_disclosures(code)[:50],
        "evaluations": selectors.public_evaluations(code)[:10],
        "recalls": selectors.public_recalls(code)[:10],
        "can_participate": _can(request, "autonomy.participate", code),
        "can_manage": _can(request, "autonomy.manage", code),
        "is_representative": _is_rep(request, code),
        "constituencies": Constituency.objects.filter(community_code=code),
        "serving": Representative.objects.filter(community_code=code,
                                                 status=Representative.Status.ACTIVE),
        "default_meeting_day": date.today() + timedelta(days=int(profile.value("notice_days"))),
    })


def propose(request: HttpRequest, code: str) -> HttpResponse:
    area = selectors.community(code)
    authz.check(request.user, "autonomy.participate", code)
    if request.method == "POST":
        try:
            proposal = services.submit_proposal(
                actor=request.user, community_code=code, title=request.POST.get("title", ""),
                body=request.POST.get("body", ""))
        except BusinessError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your proposal has been submitted."))
            return redirect("autonomy:proposal", pk=proposal.pk)
    profile = selectors.rules(code)
    return render(request, "autonomy/propose.html", {
        "area": area, "cosigners": profile.value("proposal_cosigners"),
        "title": request.POST.get("title", ""), "body": request.POST.get("body", "")})


def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    p = selectors.public_proposal(pk)
    code = p.community_code
    meetings = []
    if _can(request, "autonomy.manage", code) and p.state == states.ADMITTED:
        meetings = list(selectors.public_meetings(code).filter(
            status__in=[Meeting.Status.NOTIFIED, Meeting.Status.OPEN]))
    events = list(p.events.all())
    for e in events:
        e.state_label = selectors.state_label(e.state)  # type: ignore[attr-defined]
        e.text = states.describe(e)  # type: ignore[attr-defined]
    return render(request, "autonomy/proposal.html", {
        "p": p, "state_label": selectors.state_label(p.state), "events": events,
        "final": selectors.is_final(p.state), "area": selectors.community(code),
        "can_participate": _can(request, "autonomy.participate", code),
        "can_manage": _can(request, "autonomy.manage", code),
        "open_sign": p.state in states.OPEN_FOR["sign"],
        "open_comment": p.state in states.OPEN_FOR["comment"],
        "open_rate": p.state in states.OPEN_FOR["rate"],
        "open_progress": p.state in states.OPEN_FOR["progress"],
        "actions": states.allowed_actions(p.state), "meetings": meetings,
        "resolution": p.motion if p.motion_id and p.motion and p.motion.resolution_number else None,
        "default_deadline": date.today() + timedelta(days=30),
    })


@require_POST
def proposal_act(request: HttpRequest, pk: int) -> HttpResponse:
    action = request.POST.get("action", "")
    post = request.POST
    user = request.user
    back = f"/autonomy/proposals/{pk}/"
    table: dict[str, tuple[Callable[[], Any], str]] = {
        "cosign": (lambda: services.cosign_proposal(actor=user, proposal_id=pk),
                   _("Thank you: your co-signature is counted.")),
        "comment": (lambda: services.comment_on_proposal(actor=user, proposal_id=pk,
                                                         text=post.get("text", "")),
                    _("Your comment is published.")),
        "rate": (lambda: services.rate_proposal(actor=user, proposal_id=pk,
                                                score=_int(post.get("score")) or 0),
                 _("Thank you for your rating.")),
        "withdraw": (lambda: services.withdraw_proposal(actor=user, proposal_id=pk),
                     _("The proposal is withdrawn.")),
        "admit": (lambda: services.review_proposal(actor=user, proposal_id=pk, admit=True,
                                                   reason=post.get("reason", "")),
                  _("Admitted.")),
        "reject": (lambda: services.review_proposal(actor=user, proposal_id=pk, admit=False,
                                                    reason=post.get("reason", "")),
                   _("Not admitted; the reasons are published.")),
        "schedule": (lambda: services.schedule_proposal(
            actor=user, proposal_id=pk, meeting_id=_int(post.get("meeting")) or 0),
                     _("Put on the meeting's agenda.")),
        "assign": (lambda: services.assign_proposal(
            actor=user, proposal_id=pk, assignee=post.get("assignee", ""),
            deadline=_date(post.get("deadline")) or date.min), _("Assigned.")),
        "progress": (lambda: services.report_progress(actor=user, proposal_id=pk,
                                                      note=post.get("note", "")),
                     _("Progress published.")),
        "complete": (lambda: services.complete_proposal(actor=user, proposal_id=pk,
                                                        feedback=post.get("feedback", "")),
                     _("Marked as implemented; residents can now rate it.")),
        "close": (lambda: services.close_proposal(actor=user, proposal_id=pk), _("Closed.")),
    }
    if action not in table:
        messages.error(request, _("Unknown action."))
        return redirect(back)
    fn, ok = table[action]
    return _act(request, fn, ok, back)


def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    m = selectors.public_meeting(pk)
    code = m.community_code
    reps = list(selectors.public_roster(code))
    my_rep = None
    resident = selectors.linked_resident(request.user)
    if resident is not None:
        my_rep = services.active_representative(resident, code)
    motions = list(selectors.motions(m))
    voted = set(VoteCast.objects.filter(motion__meeting=m, representative=my_rep)
                .values_list("motion_id", flat=True)) if my_rep else set()
    present = bool(my_rep and Attendance.objects.filter(meeting=m, representative=my_rep,
                                                        present=True).exists())
    return render(request, "autonomy/meeting.html", {
        "m": m, "motions": motions, "roster": reps, "voted": voted, "my_rep": my_rep,
        "present": present, "choices": Choice.choices,
        "can_manage": _can(request, "autonomy.manage", code),
        "members": Representative.objects.filter(community_code=code,
                                                 status=Representative.Status.ACTIVE),
        "attendance": m.attendance.select_related("representative").order_by(
            "representative__name"),
        "area": selectors.community(code),
    })


@require_POST
def meeting_act(request: HttpRequest, pk: int) -> HttpResponse:
    post, user = request.POST, request.user
    back = f"/autonomy/meetings/{pk}/"
    action = post.get("action", "")
    motion_id = _int(post.get("motion")) or 0
    table: dict[str, tuple[Callable[[], Any], str]] = {
        "attendance": (lambda: services.record_attendance(
            actor=user, meeting_id=pk,
            present_ids=[int(x) for x in post.getlist("present") if x.isdigit()]),
                       _("Attendance recorded.")),
        "motion": (lambda: services.add_motion(actor=user, meeting_id=pk,
                                               title=post.get("title", ""),
                                               text=post.get("text", ""),
                                               personnel=bool(post.get("personnel"))),
                   _("Motion added.")),
        "vote": (lambda: services.cast_vote(actor=user, motion_id=motion_id,
                                            choice=post.get("choice", "")),
                 _("Your vote is recorded.")),
        "close_motion": (lambda: services.close_motion(actor=user, motion_id=motion_id),
                         _("Vote closed and counted.")),
        "close": (lambda: services.close_meeting(actor=user, meeting_id=pk,
                                                 minutes=post.get("minutes", "")),
                  _("Meeting closed; minutes published.")),
    }
    if action not in table:
        messages.error(request, _("Unknown action."))
        return redirect(back)
    fn, ok = table[action]
    return _act(request, fn, ok, back)


@require_POST
def community_act(request: HttpRequest, code: str) -> HttpResponse:
    post, user = request.POST, request.user
    back = f"/autonomy/c/{code}/"
    action = post.get("action", "")
    table: dict[str, tuple[Callable[[], Any], str]] = {
        "convene": (lambda: services.convene_meeting(
            actor=user, community_code=code, title=post.get("title", ""),
            agenda=post.get("agenda", ""), location=post.get("location", ""),
            held_on=_date(post.get("held_on")) or date.min), _("Notice sent.")),
        "plan": (lambda: services.plan_disclosures(
            actor=user, community_code=code, year=_int(post.get("year")) or date.today().year),
                 _("Disclosure calendar planned.")),
        "major": (lambda: services.disclose_major(actor=user, community_code=code,
                                                  title=post.get("title", ""),
                                                  body=post.get("body", "")),
                  _("Disclosed.")),
        "recall": (lambda: services.start_recall(actor=user, community_code=code,
                                                 member_name=post.get("member", ""),
                                                 reasons=post.get("reasons", ""),
                                                 via=post.get("via", "voters")),
                   _("Recall petition started; your signature is the first.")),
        "constituency": (lambda: services.create_constituency(
            actor=user, community_code=code, name=post.get("name", ""),
            kind=post.get("kind", "group"), households=_int(post.get("households")) or 0,
            area_code=post.get("area_code", "")), _("Constituency saved.")),
        "appoint": (lambda: services.appoint_representative(
            actor=user, constituency_id=_int(post.get("constituency")) or 0,
            resident_id=_resident_id(code, post.get("id_number", "")),
            term_start=_date(post.get("term_start")) or date.today(),
            duties=post.get("duties", "")), _("Representative recorded.")),
        "by_elect": (lambda: services.by_elect(
            actor=user, representative_id=_int(post.get("representative")) or 0,
            resident_id=_resident_id(code, post.get("id_number", "")),
            reason=post.get("reason", "")), _("By-election recorded.")),
        "evaluation": (lambda: services.open_evaluation(
            actor=user, community_code=code, year=date.today().year,
            title=post.get("title", ""),
            criteria=post.get("criteria", "").splitlines(), opens_on=date.today(),
            closes_on=_date(post.get("closes_on")) or date.min,
            departments=post.get("departments", "").splitlines()), _("Evaluation opened.")),
    }
    if action not in table:
        messages.error(request, _("Unknown action."))
        return redirect(back)
    fn, ok = table[action]
    return _act(request, fn, ok, back)


def disclosure(request: HttpRequest, pk: int) -> HttpResponse:
    d = selectors.disclosure(pk, request.user)
    return render(request, "autonomy/disclosure.html", {
        "d": d, "questions": d.questions.all(), "area": selectors.community(d.community_code),
        "can_participate": _can(request, "autonomy.participate", d.community_code),
        "can_manage": _can(request, "autonomy.manage", d.community_code),
        "overdue": d.published_at is None and date.today() > d.due_on,
    })


@require_POST
def disclosure_act(request: HttpRequest, pk: int) -> HttpResponse:
    post, user = request.POST, request.user
    back = f"/autonomy/disclosures/{pk}/"
    action = post.get("action", "")
    table: dict[str, tuple[Callable[[], Any], str]] = {
        "publish": (lambda: services.publish_disclosure(actor=user, disclosure_id=pk,
                                                        body=post.get("body", ""),
                                                        title=post.get("title", "")),
                    _("Published.")),
        "ask": (lambda: services.ask_question(actor=user, disclosure_id=pk,
                                              text=post.get("text", "")),
                _("Your question is published; the answer will appear here.")),
        "answer": (lambda: services.answer_question(actor=user,
                                                    question_id=_int(post.get("question")) or 0,
                                                    answer=post.get("answer", "")),
                   _("Answer published.")),
    }
    if action not in table:
        messages.error(request, _("Unknown action."))
        return redirect(back)
    fn, ok = table[action]
    return _act(request, fn, ok, back)


def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.evaluation(pk)
    return render(request, "autonomy/evaluation.html", {
        "c": c, "targets": c.targets.all(), "verdicts": Verdict.choices,
        "area": selectors.community(c.community_code),
        "is_open": c.status == EvaluationCampaign.Status.OPEN,
        "can_participate": _can(request, "autonomy.participate", c.community_code),
        "can_manage": _can(request, "autonomy.manage", c.community_code),
        "scale": [1, 2, 3, 4, 5],
    })


@require_POST
def evaluation_act(request: HttpRequest, pk: int) -> HttpResponse:
    post, user = request.POST, request.user
    back = f"/autonomy/evaluations/{pk}/"
    if post.get("action") == "close":
        return _act(request, lambda: services.close_evaluation(actor=user, campaign_id=pk),
                    _("Results published."), back)
    c = selectors.evaluation(pk)
    answers: dict[int, dict[str, Any]] = {}
    for t in c.targets.all():
        scores = {crit: int(post[f"s{t.pk}_{i}"]) for i, crit in enumerate(c.criteria)
                  if post.get(f"s{t.pk}_{i}", "").isdigit()}
        if post.get(f"v{t.pk}"):
            answers[t.pk] = {"verdict": post.get(f"v{t.pk}"), "scores": scores}
    return _act(request, lambda: services.submit_rating(actor=user, campaign_id=pk,
                                                        answers=answers),
                _("Thank you: your rating is counted anonymously."), back)


def recall(request: HttpRequest, pk: int) -> HttpResponse:
    r = selectors.recall(pk)
    return render(request, "autonomy/recall.html", {
        "r": r, "area": selectors.community(r.community_code),
        "can_participate": _can(request, "autonomy.participate", r.community_code),
        "can_manage": _can(request, "autonomy.manage", r.community_code),
        "can_supervise": _can(request, "autonomy.supervise", r.community_code),
        "collecting": r.state == RecallPetition.State.COLLECTING,
        "decided": r.state == RecallPetition.State.DECIDED,
    })


@require_POST
def recall_act(request: HttpRequest, pk: int) -> HttpResponse:
    post, user = request.POST, request.user
    back = f"/autonomy/recalls/{pk}/"
    action = post.get("action", "")
    table: dict[str, tuple[Callable[[], Any], str]] = {
        "sign": (lambda: services.sign_recall(actor=user, petition_id=pk),
                 _("Your signature is counted.")),
        "reply": (lambda: services.record_recall_reply(actor=user, petition_id=pk,
                                                       reply=post.get("reply", "")),
                  _("The member's reply is published.")),
        "result": (lambda: services.record_recall_result(
            actor=user, petition_id=pk, registered=_int(post.get("registered")) or 0,
            cast=_int(post.get("cast")) or 0, approve=_int(post.get("approve")) or 0),
                   _("Result recorded.")),
    }
    if action not in table:
        messages.error(request, _("Unknown action."))
        return redirect(back)
    fn, ok = table[action]
    return _act(request, fn, ok, back)


# ---------------------------------------------------------------- representatives, staff

def mine(request: HttpRequest) -> HttpResponse:
    """A resident's proposals and co-signatures; a representative's constituency,
    meetings and open votes."""
    if not (authz.has_perm(request.user, "autonomy.participate")
            or authz.has_perm(request.user, "autonomy.vote")):
        authz.check(request.user, "autonomy.participate")
    resident = selectors.linked_resident(request.user)
    terms = list(selectors.my_representative_terms(request.user))
    codes = {t.community_code for t in terms}
    meetings = Meeting.objects.filter(community_code__in=codes).exclude(
        status=Meeting.Status.CLOSED)
    open_motions = Motion.objects.filter(meeting__in=meetings, status=Motion.Status.OPEN,
                                         meeting__status=Meeting.Status.OPEN)
    followed = list(selectors.followed_proposals(resident)) if resident else []
    for p in followed:
        p.state_label = selectors.state_label(p.state)  # type: ignore[attr-defined]
    return render(request, "autonomy/mine.html", {
        "terms": terms, "meetings": meetings, "open_motions": open_motions,
        "linked": resident is not None, "followed": followed,
        "community": resident.community_code if resident else "",
    })


def desk(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, "autonomy.manage")
    queue = list(selectors.review_queue(request.user)[:200])
    for p in queue:
        p.state_label = selectors.state_label(p.state)  # type: ignore[attr-defined]
    return render(request, "autonomy/desk.html", {
        "queue": queue,
        "meetings": selectors.meetings_for(request.user).exclude(
            status=Meeting.Status.CLOSED)[:100],
        "due": selectors.disclosures_for(request.user, on=date.today() + timedelta(days=15)
                                         ).order_by("due_on")[:100],
        "overdue": selectors.overdue_for(request.user)[:100],
        "flagged": selectors.flagged_members(request.user)[:100],
        "evaluations_due": selectors.evaluations_due(request.user, date.today()),
        "recalls": selectors.recalls_for(request.user).exclude(
            state=RecallPetition.State.DECIDED)[:50],
        "categories": dict(Disclosure.Category.choices),
    })
