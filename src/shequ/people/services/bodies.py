"""Governance bodies, their posts and memberships (Popolo organisation / post /
membership).

The writes themselves (:func:`write_body`, :func:`write_membership`, :func:`write_end`)
are one implementation for two doors: people's own pages and API, which check
``people.bodies.manage`` first (:func:`create_body`, :func:`add_membership`,
:func:`end_membership`), and ``people.facade`` (``record_committee``,
``end_membership``), through which an election's announcement or a recall vote writes
the consequence of a decision its own module already authorised (ADR 0011). Either way
the same rows and the same audit entries (``people.body.create``,
``people.membership.add``, ``people.membership.end``) are written, with the real actor.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shequ.areas.models import Area
from shequ.audit.services import record
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.people import access
from shequ.people.enums import AuditAction, Code, EndReason
from shequ.people.models import Body, BodyKind, Membership, Post, Resident

# The usual posts of each kind of body (role key, the title offices use, seats). Titles
# are names, as a body's name is: offices enter and read them in Chinese.
DEFAULT_POSTS: dict[str, list[tuple[str, str, int]]] = {
    BodyKind.PARTY: [("secretary", "书记", 1), ("deputy", "副书记", 2), ("member", "委员", 4)],
    BodyKind.RESIDENTS_COMMITTEE: [("chair", "主任", 1), ("vice_chair", "副主任", 2),
                                   ("member", "委员", 6)],
    BodyKind.CONFERENCE_COMMITTEE: [("chair", "主任", 1), ("member", "委员", 6)],
    BodyKind.COUNCIL: [("chair", "议事长", 1), ("member", "议事员", 14)],
    BodyKind.COMPOUND_GROUP: [("chair", "院落自治小组组长", 1), ("member", "成员", 6)],
    BodyKind.OWNERS_COMMITTEE: [("chair", "主任", 1), ("vice_chair", "副主任", 1),
                                ("member", "委员", 5)],
    BodyKind.REPRESENTATIVE_CONFERENCE: [("member", "居民代表", 50)],
    BodyKind.ELECTION_COMMITTEE: [("chair", "主任", 1), ("member", "委员", 6)],
}


# --------------------------------------------------------------------------- the writes


def write_body(*, actor: Any, kind: str, name: str, area_code: str, founded_on: date | None,
               posts: list[tuple[str, str, int]], source: str = "") -> Body:
    """Create a body and its posts, with its audit entry (inside the caller's
    transaction; the caller has checked the actor)."""
    body = Body.objects.create(kind=kind, name=name, area_code=area_code, founded_on=founded_on)
    Post.objects.bulk_create([Post(body=body, role=role, label=label, seats=seats)
                              for role, label, seats in posts])
    record(actor=actor, action=AuditAction.BODY_CREATE, obj=body, area_code=area_code,
           changes={"kind": kind, "name": name, "founded_on": founded_on,
                    "posts": [role for role, _label, _seats in posts], "source": source})
    return body


def write_membership(*, actor: Any, body: Body, post: Post, person_name: str, start_date: date,
                     end_date: date | None = None, resident_id: int | None = None,
                     source: str = "") -> Membership:
    """Someone holds ``post`` from ``start_date``, with the audit entry."""
    m = Membership.objects.create(body=body, post=post, resident_id=resident_id,
                                  person_name=person_name, start_date=start_date,
                                  end_date=end_date, source=source)
    record(actor=actor, action=AuditAction.MEMBERSHIP_ADD, obj=m, area_code=body.area_code,
           changes={"body": body.pk, "post": post.role, "name": person_name,
                    "resident": resident_id, "start_date": start_date, "end_date": end_date,
                    "source": source})
    return m


def end_reason(reason: str) -> EndReason | str:
    """An :class:`EndReason` key ("" for none given); anything else is refused."""
    if reason == "":
        return ""
    try:
        return EndReason(reason)
    except ValueError:
        raise BusinessError(_("Unknown reason for ending a membership: %(r)s.") % {"r": reason},
                            code=Code.UNKNOWN_END_REASON,
                            details={"field": "reason", "reasons": list(EndReason.values)},
                            ) from None


def write_end(*, actor: Any, membership: Membership, end_date: date, reason: str) -> Membership:
    """End a membership on ``end_date`` for ``reason`` (a key), with the audit entry."""
    key = end_reason(reason)
    # an end already recorded (a resignation dated ahead) is kept aside, not lost: if the
    # decision that replaces it is taken back, it is what the term ends with again
    membership.replaced_end_date, membership.replaced_end_reason = (
        membership.end_date, membership.end_reason)
    membership.end_date, membership.end_reason = end_date, str(key)
    membership.save(update_fields=["end_date", "end_reason", "replaced_end_date",
                                   "replaced_end_reason"])
    record(actor=actor, action=AuditAction.MEMBERSHIP_END, obj=membership,
           area_code=membership.body.area_code,
           changes={"body": membership.body_id, "end_date": end_date, "reason": str(key),
                    **({"replaced": [membership.replaced_end_date, membership.replaced_end_reason]}
                       if membership.replaced_end_date else {})})
    return membership


def write_reinstate(*, actor: Any, membership: Membership, source: str) -> Membership:
    """Take back the end of ``membership`` (a decision that ended it was overturned: the
    term runs on as if it had not ended, to the end it had before that decision, if any),
    with the audit entry naming the end taken back."""
    before = (membership.end_date, membership.end_reason)
    after = (membership.replaced_end_date, membership.replaced_end_reason or "")
    membership.end_date, membership.end_reason = after
    membership.replaced_end_date, membership.replaced_end_reason = None, ""
    membership.save(update_fields=["end_date", "end_reason", "replaced_end_date",
                                   "replaced_end_reason"])
    record(actor=actor, action=AuditAction.MEMBERSHIP_REINSTATE, obj=membership,
           area_code=membership.body.area_code,
           changes={"body": membership.body_id, "end_date": [before[0], after[0]],
                    "reason": [before[1], after[1]], "source": source})
    return membership


# --------------------------------------------------------------------------- use cases


def create_body(*, actor: Any, kind: str, name: str, area_code: str,
                founded_on: date | None = None,
                posts: list[tuple[str, str, int]] | None = None) -> Body:
    """A governance body with its posts (the usual ones for its kind unless given)."""
    access.can_manage_bodies.check(actor, area_code)
    if kind not in BodyKind.values:
        raise BusinessError(_("Unknown body kind: %(k)s.") % {"k": kind}, code=Code.UNKNOWN_KIND,
                            details={"field": "kind", "kinds": list(BodyKind.values)})
    if not Area.objects.filter(code=area_code).exists():
        raise NotFound(_("Unknown area code: %(c)s.") % {"c": area_code}, code=Code.UNKNOWN_AREA,
                       details={"field": "area_code"})
    name = name.strip()
    if not name:
        raise BusinessError(_("The body needs a name."), code=Code.NAME_REQUIRED,
                            details={"field": "name"})
    with transaction.atomic():
        if Body.objects.filter(kind=kind, area_code=area_code, name=name,
                               dissolved_on__isnull=True).exists():
            raise Conflict(_("This area already has a body of that name."),
                           code=Code.BODY_EXISTS)
        return write_body(actor=actor, kind=kind, name=name, area_code=area_code,
                          founded_on=founded_on,
                          posts=posts if posts is not None else DEFAULT_POSTS.get(kind, []))


def dissolve_body(*, actor: Any, body: Body, on: date) -> Body:
    """The body is dissolved on ``on``; every term still running then ends that day."""
    access.can_manage_bodies.check(actor, body.area_code)
    with transaction.atomic():
        body.dissolved_on = on
        body.save(update_fields=["dissolved_on"])
        ended = body.memberships.filter(Q(end_date__isnull=True) | Q(end_date__gt=on)).update(
            end_date=on, end_reason=EndReason.DISSOLVED)
        record(actor=actor, action=AuditAction.BODY_DISSOLVE, obj=body, area_code=body.area_code,
               changes={"dissolved_on": on, "memberships_ended": ended})
    return body


def add_membership(*, actor: Any, body: Body, post_role: str, person_name: str, start_date: date,
                   end_date: date | None = None, resident: Resident | None = None,
                   source: str = "") -> Membership:
    """Someone holds a post for a term. The post's seats may not be exceeded on the
    start date."""
    access.can_manage_bodies.check(actor, body.area_code)
    post = body.posts.filter(role=post_role).first()
    if post is None:
        raise NotFound(_("%(b)s has no post %(p)s.") % {"b": body.name, "p": post_role},
                       code=Code.UNKNOWN_POST,
                       details={"field": "post_role",
                                "posts": list(body.posts.values_list("role", flat=True))})
    if end_date is not None and end_date < start_date:
        raise BusinessError(_("The term cannot end before it starts."), code=Code.TERM_DATES,
                            details={"field": "end_date"})
    name = (resident.name if resident is not None and not person_name else person_name).strip()
    if not name:
        raise BusinessError(_("The member needs a name."), code=Code.NAME_REQUIRED,
                            details={"field": "person_name"})
    with transaction.atomic():
        Post.objects.select_for_update().filter(pk=post.pk).first()
        holding = post.memberships.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date),
                                          start_date__lte=start_date).count()
        if holding >= post.seats:
            raise Conflict(_("All %(n)d seat(s) of %(p)s are taken.") % {"n": post.seats,
                                                                       "p": post.label},
                           code=Code.POST_FULL, details={"seats": post.seats})
        return write_membership(actor=actor, body=body, post=post, person_name=name,
                                start_date=start_date, end_date=end_date,
                                resident_id=resident.pk if resident is not None else None,
                                source=source)


def end_membership(*, actor: Any, membership: Membership, end_date: date, reason: str = ""
                   ) -> Membership:
    """End a term by hand; ``reason`` is an :class:`EndReason` key (or empty)."""
    access.can_manage_bodies.check(actor, membership.body.area_code)
    if end_date < membership.start_date:
        raise BusinessError(_("The term cannot end before it starts."), code=Code.TERM_DATES,
                            details={"field": "end_date"})
    end_reason(reason)
    with transaction.atomic():
        return write_end(actor=actor, membership=membership, end_date=end_date, reason=reason)
