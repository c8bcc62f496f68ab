"""Public disclosure (居务公开): the calendar per category and period at the profile's
frequency, publishing (masked), major matters at once, overdue items flagged to the
street by a periodic job, and residents' questions answered publicly."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.autonomy import rules as law
from shequ.autonomy.enums import AuditAction, Code, Perm
from shequ.autonomy.lifecycles import DISCLOSURE, QUESTION
from shequ.autonomy.models import Disclosure, Question
from shequ.autonomy.services.common import (
    community_area,
    get,
    locked,
    person_for,
    today,
)
from shequ.autonomy.services.common import text as clean
from shequ.core.errors import BusinessError, Conflict, Forbidden
from shequ.core.pii import mask_name, mask_text
from shequ.people import facade


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def plan_disclosures(*, actor: Any, community_code: str, year: int) -> int:
    """The disclosure calendar for a year: finances and ordinary affairs per period at
    the profile's frequency, each due some days after its period. Idempotent. The rows
    store no title: it is made from category and period when shown."""
    community = community_area(community_code)
    authz.check(actor, Perm.MANAGE, community.code)
    if not 2000 <= year <= today().year + 1:
        raise BusinessError(_("The calendar's year must be between 2000 and %(y)d.")
                            % {"y": today().year + 1}, code=Code.BAD_DATE,
                            details={"field": "year"})
    profile = law.profile_for(community.code)
    grace = profile.number("disclosure_grace_days")
    created = 0
    with transaction.atomic():
        for category, key in ((Disclosure.Category.FINANCE, "disclosure_finance_months"),
                              (Disclosure.Category.AFFAIRS, "disclosure_affairs_months")):
            step = profile.number(key)
            start = date(year, 1, 1)
            while start.year == year:
                end = _add_months(start, step) - timedelta(days=1)
                _obj, new = Disclosure.objects.get_or_create(
                    community_code=community.code, category=category, period_start=start,
                    defaults={"area_code": community.code, "period_end": end,
                              "due_on": end + timedelta(days=grace),
                              "street_code": community.code[:9],
                              "profile_version": profile.version})
                created += int(new)
                start = _add_months(start, step)
        if created:
            record(actor=actor, action=AuditAction.DISCLOSURE_PLAN,
                   object_type="autonomy.disclosure", object_id=f"{community.code}/{year}",
                   area_code=community.code,
                   changes={"created": created, "profile_version": profile.version})
    return created


def publish_disclosure(*, actor: Any, disclosure_id: int, body: str,
                       title: str = "") -> Disclosure:
    """Publish the content (identity and mobile numbers masked); late is recorded."""
    disclosure = get(Disclosure, disclosure_id, _("Disclosure"))
    authz.check(actor, Perm.MANAGE, disclosure.area_code)
    body = mask_text(clean(body, "body", _("content")))
    with transaction.atomic():
        disclosure = locked(Disclosure, disclosure_id, _("Disclosure"))
        disclosure.body = body
        if title.strip():
            disclosure.title = mask_text(clean(title, "title", _("title"), maxlen=200))
        disclosure.published_at = timezone.now()
        late = timezone.localdate(disclosure.published_at) > disclosure.due_on
        DISCLOSURE.move(actor=actor, obj=disclosure, action=Disclosure.Action.PUBLISH,
                        update_fields=["body", "title", "published_at"], changes={"late": late})
    return disclosure


def disclose_major(*, actor: Any, community_code: str, title: str, body: str) -> Disclosure:
    """A major matter, published at once (村民委员会组织法 Art. 30)."""
    community = community_area(community_code)
    authz.check(actor, Perm.MANAGE, community.code)
    profile = law.profile_for(community.code)
    title = mask_text(clean(title, "title", _("title"), maxlen=200))
    body = mask_text(clean(body, "body", _("content")))
    now = today()
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            community_code=community.code, area_code=community.code,
            category=Disclosure.Category.MAJOR, period_start=now, period_end=now,
            due_on=now + timedelta(days=profile.number("disclosure_major_days")),
            title=title, body=body, status=Disclosure.Status.PUBLISHED,
            published_at=timezone.now(), street_code=community.code[:9],
            profile_version=profile.version)
        record(actor=actor, action=AuditAction.DISCLOSURE_MAJOR, obj=disclosure,
               area_code=community.code, changes={"title": disclosure.title})
    return disclosure


def flag_overdue_disclosures(*, actor: Any, on: date | None = None) -> int:
    """Flag every unpublished disclosure past its due day to its street, once (the
    periodic job ``autonomy.flag_overdue_disclosures``; ADR 0504)."""
    authz.check(actor, Perm.SUPERVISE)
    on = on or today()
    flagged = 0
    due = Disclosure.objects.filter(status=Disclosure.Status.PLANNED, due_on__lt=on)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            row = Disclosure.objects.select_for_update().filter(
                pk=pk, status=Disclosure.Status.PLANNED).first()
            if row is None or not DISCLOSURE.can(actor, row, Disclosure.Action.FLAG_OVERDUE,
                                                 on=on):
                continue  # published meanwhile, or outside the actor's streets
            row.overdue_flagged_at = timezone.now()
            DISCLOSURE.move(actor=actor, obj=row, action=Disclosure.Action.FLAG_OVERDUE, on=on,
                            update_fields=["overdue_flagged_at"], changes={"on": on})
            flagged += 1
    return flagged


def ask_question(*, actor: Any, disclosure_id: int, text: str,
                 resident_id: int | None = None) -> Question:
    """A resident's question on a published disclosure, shown with their masked name."""
    disclosure = get(Disclosure, disclosure_id, _("Disclosure"))
    person = person_for(actor, disclosure.community_code, resident_id)
    if not facade.residents_of(disclosure.community_code).filter(pk=person.pk).exists():
        raise Forbidden(_("Only residents of this community can ask here."),
                        code=Code.NOT_RESIDENT)
    if disclosure.status != Disclosure.Status.PUBLISHED:
        raise Conflict(_("Questions can be asked once the disclosure is published."),
                       code=Code.NOT_PUBLISHED)
    question = mask_text(clean(text, "question", _("question"), maxlen=2000))
    with transaction.atomic():
        q = Question.objects.create(disclosure=disclosure, asker=person,
                                    asker_masked=mask_name(person.name), text=question,
                                    area_code=disclosure.area_code)
        record(actor=actor, action=AuditAction.QUESTION_ASK, obj=q, area_code=q.area_code,
               changes={"disclosure": disclosure.pk})
    return q


def answer_question(*, actor: Any, question_id: int, answer: str) -> Question:
    """The answer is published under the question, once."""
    q = get(Question, question_id, _("Question"))
    authz.check(actor, Perm.MANAGE, q.area_code)
    answer = mask_text(clean(answer, "answer", _("answer"), maxlen=5000))
    with transaction.atomic():
        q = locked(Question, question_id, _("Question"))
        q.answer, q.answered_at = answer, timezone.now()
        QUESTION.move(actor=actor, obj=q, action=Question.Action.ANSWER,
                      update_fields=["answer", "answered_at"])
    return q
