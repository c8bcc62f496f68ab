"""Democratic evaluation (民主评议): residents rate the committee's members, the stations
serving the community and named street departments, anonymously and once; results are
aggregated when the campaign closes, and a member rated unfit the profile's number of
times in a row is flagged and their term ends that day (村民委员会组织法 第三十三条：连续两次
被评议不称职的，其职务终止; ADR 0512)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.autonomy import rules as law
from shequ.autonomy.enums import AuditAction, Code, Perm
from shequ.autonomy.lifecycles import EVALUATION
from shequ.autonomy.models import (
    EvaluationAnswer,
    EvaluationBallot,
    EvaluationCampaign,
    EvaluationTarget,
    Verdict,
)
from shequ.autonomy.services.common import (
    community_area,
    get,
    in_range,
    locked,
    person_for,
    text,
    today,
)
from shequ.core.errors import BusinessError, Conflict
from shequ.people import facade
from shequ.people.enums import EndReason


def open_evaluation(*, actor: Any, community_code: str, year: int, title: str,
                    criteria: list[str], opens_on: date, closes_on: date,
                    departments: list[str] | None = None) -> EvaluationCampaign:
    """Targets: the serving members of the residents' committee (from ``people``), the
    stations serving the community and the street departments named."""
    community = community_area(community_code)
    authz.check(actor, Perm.MANAGE, community.code)
    criteria = [c.strip() for c in criteria if c.strip()]
    if not criteria:
        raise BusinessError(_("Publish at least one criterion."), code=Code.NO_CRITERIA)
    day = today()
    opens_on = in_range(opens_on, "opens_on", _("opens on"), earliest=day - timedelta(days=366),
                        latest=day + timedelta(days=366))
    closes_on = in_range(closes_on, "closes_on", _("closes on"), earliest=opens_on,
                         latest=opens_on + timedelta(days=366))
    if not 2000 <= year <= day.year + 1:
        raise BusinessError(_("The evaluation's year must be between 2000 and %(y)d.")
                            % {"y": day.year + 1}, code=Code.BAD_DATE,
                            details={"field": "year"})
    title = text(title, "title", _("title"), maxlen=200)
    profile = law.profile_for(community.code)
    with transaction.atomic():
        campaign = EvaluationCampaign.objects.create(
            community_code=community.code, area_code=community.code, year=year, title=title,
            criteria=criteria, opens_on=opens_on, closes_on=closes_on,
            profile_version=profile.version)
        targets = []
        for body in facade.bodies_of(community.code, "residents_committee"):
            for m in facade.current_members(body, opens_on):
                targets.append(EvaluationTarget(
                    campaign=campaign, kind=EvaluationTarget.Kind.MEMBER,
                    name=m.person_name, membership=m,
                    person_key=str(m.resident_id or f"m{m.pk}")))
        for station in community.served_by.all():
            targets.append(EvaluationTarget(campaign=campaign, kind=EvaluationTarget.Kind.STATION,
                                            name=station.name, person_key=f"s{station.pk}"))
        for dept in {d.strip(): None for d in departments or [] if d.strip()}:
            targets.append(EvaluationTarget(campaign=campaign,
                                            kind=EvaluationTarget.Kind.DEPARTMENT,
                                            name=dept[:150], person_key=f"d:{dept}"[:40]))
        if not targets:
            raise BusinessError(_("There is nobody to evaluate: no committee members, station "
                                  "or departments."), code=Code.NO_TARGETS)
        EvaluationTarget.objects.bulk_create(targets)
        record(actor=actor, action=AuditAction.EVALUATION_OPEN, obj=campaign,
               area_code=community.code, changes={"year": year, "targets": len(targets),
                                                  "profile_version": profile.version})
    return campaign


def _answers(campaign: EvaluationCampaign,
             answers: dict[int, dict[str, Any]]) -> list[EvaluationAnswer]:
    targets = set(campaign.targets.values_list("pk", flat=True))
    given = {int(k): v for k, v in answers.items()}
    missing = targets - set(given)
    if missing:
        raise BusinessError(_("Please rate every member, station and department."),
                            code=Code.INCOMPLETE, details={"missing": sorted(missing)})
    rows = []
    for tid, answer in given.items():
        if tid not in targets:
            raise BusinessError(_("Unknown item in the rating."), code=Code.UNKNOWN_TARGET)
        verdict = answer.get("verdict")
        if verdict not in Verdict.values:
            raise BusinessError(_("Choose fit, basically fit or unfit."), code=Code.BAD_VERDICT)
        scores = {}
        for crit, value in (answer.get("scores") or {}).items():
            if crit not in campaign.criteria or not 1 <= int(value) <= 5:
                raise BusinessError(_("Scores are 1 to 5 on the published criteria."),
                                    code=Code.BAD_SCORE)
            scores[crit] = int(value)
        rows.append(EvaluationAnswer(target_id=tid, verdict=verdict, scores=scores))
    return rows


def submit_rating(*, actor: Any, campaign_id: int, answers: dict[int, dict[str, Any]],
                  resident_id: int | None = None) -> None:
    """``answers[target_id] = {"verdict": "fit"|"basically_fit"|"unfit",
    "scores": {criterion: 1..5}}``; every target must be answered. Stored without the
    rater (anonymous); the rater is only marked as having rated (ADR 0503)."""
    campaign = get(EvaluationCampaign, campaign_id, _("Evaluation"))
    person = person_for(actor, campaign.community_code, resident_id)
    rows = _answers(campaign, answers)
    try:
        with transaction.atomic():
            campaign = locked(EvaluationCampaign, campaign_id, _("Evaluation"))
            EVALUATION.move(actor=actor, obj=campaign, action=EvaluationCampaign.Action.RATE,
                            inputs={"resident": person}, update_fields=(),
                            changes={"targets": len(rows)})
            EvaluationBallot.objects.create(campaign=campaign, resident=person)
            EvaluationAnswer.objects.bulk_create(rows)
    except IntegrityError:
        raise Conflict(_("You have already taken part in this evaluation."),
                       code=Code.ALREADY_RATED) from None


def close_evaluation(*, actor: Any, campaign_id: int) -> EvaluationCampaign:
    """Aggregate the answers; flag members rated unfit in this and the previous
    campaigns the profile's number of times in a row."""
    campaign = get(EvaluationCampaign, campaign_id, _("Evaluation"))
    authz.check(actor, Perm.MANAGE, campaign.area_code)
    profile = law.profile_for(campaign.community_code)
    with transaction.atomic():
        campaign = locked(EvaluationCampaign, campaign_id, _("Evaluation"))
        EVALUATION.check(actor, campaign, EvaluationCampaign.Action.CLOSE)
        campaign.raters = campaign.ballots.count()
        previous = list(EvaluationCampaign.objects.filter(
            community_code=campaign.community_code, status=EvaluationCampaign.Status.CLOSED,
            year__lt=campaign.year).order_by("-year", "-id"))
        flagged = []
        for target in campaign.targets.prefetch_related("answers"):
            _aggregate(target, profile)
            if target.kind == EvaluationTarget.Kind.MEMBER and target.rated_unfit:
                streak = 1
                for prev in previous:
                    row = prev.targets.filter(person_key=target.person_key).first()
                    if row is None or not row.rated_unfit:
                        break
                    streak += 1
                target.flagged = law.flag_unfit(profile, streak)
                if target.flagged:
                    flagged.append(target.name)
                    _end_term(actor, target)
            target.save()
        campaign.profile_version = profile.version
        EVALUATION.move(actor=actor, obj=campaign, action=EvaluationCampaign.Action.CLOSE,
                        update_fields=["raters", "profile_version"],
                        changes={"raters": campaign.raters, "flagged": flagged,
                                 "profile_version": profile.version})
    return campaign


def _end_term(actor: Any, target: EvaluationTarget) -> None:
    """VCL Art. 33: 连续两次被评议不称职的，其职务终止 — the membership ends the day the
    result is published, with people's own audit entry."""
    m = target.membership
    day = today()
    if m is not None and (m.end_date is None or m.end_date > day):
        facade.end_membership(actor=actor, membership_id=m.pk, end_date=day,
                              reason=EndReason.UNFIT)


def _aggregate(target: EvaluationTarget, profile: Any) -> None:
    answers = list(target.answers.all())
    target.ratings = len(answers)
    target.fit = sum(a.verdict == Verdict.FIT for a in answers)
    target.basically_fit = sum(a.verdict == Verdict.BASICALLY_FIT for a in answers)
    target.unfit = sum(a.verdict == Verdict.UNFIT for a in answers)
    sums: dict[str, list[int]] = {}
    for a in answers:
        for crit, v in a.scores.items():
            sums.setdefault(crit, []).append(int(v))
    target.scores = {c: round(sum(v) / len(v), 2) for c, v in sums.items()}
    target.rated_unfit = (law.rated_unfit(profile, target.unfit, target.ratings)
                          if target.ratings else None)
