"""What self-governance puts on a signed-in person's own page (``/me/``, issue 12): a
representative's constituency, the proposals of their community waiting for co-signers,
its meetings and open evaluations; a resident's own proposals too. Only the person's own
community, read through the public selectors; a person with no linked resident record
gets nothing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from shequ import authz
from shequ.autonomy import selectors
from shequ.autonomy.enums import Perm
from shequ.autonomy.models import EvaluationCampaign, Meeting, Proposal
from shequ.autonomy.services import today
from shequ.core.registry import PanelItem, SelfPanel

LIMIT = 5


def panels(user: Any) -> list[SelfPanel]:
    if not (authz.has_perm(user, Perm.PARTICIPATE) or authz.has_perm(user, Perm.VOTE)):
        return []
    resident = selectors.linked_resident(user)
    if resident is None:
        return []
    code = resident.community_code
    out: list[SelfPanel] = []
    terms = list(selectors.my_representative_terms(user)[:LIMIT])
    if terms:
        out.append(SelfPanel(
            title=_("My constituency"), order=10,
            items=[PanelItem(
                label=f"{t.constituency.name}（{t.constituency.get_kind_display()}）",
                url=reverse("autonomy:community", args=[t.community_code]),
                note=_("%(h)s households; term %(a)s to %(b)s")
                % {"h": t.constituency.households, "a": t.term_start.isoformat(),
                   "b": t.term_end.isoformat()}) for t in terms]))
    collecting = (selectors.public_proposals(code, Proposal.State.COLLECTING)
                  .exclude(proposer=resident).exclude(cosignatures__resident=resident)[:LIMIT])
    out.append(SelfPanel(
        title=_("Proposals to co-sign"), order=11,
        items=[PanelItem(label=p.title, url=reverse("autonomy:proposal", args=[p.pk]),
                         note=_("%(n)s of %(m)s co-signers")
                         % {"n": p.cosigner_count, "m": p.cosigners_needed})
               for p in collecting],
        empty=_("No proposal of your community is collecting co-signers."),
        more_url=reverse("autonomy:community", args=[code])))
    mine = Proposal.objects.filter(proposer=resident).order_by("-created_at", "-pk")[:LIMIT]
    if mine:
        out.append(SelfPanel(
            title=_("My proposals"), order=12,
            items=[PanelItem(label=p.title, url=reverse("autonomy:proposal", args=[p.pk]),
                             note=p.get_state_display()) for p in mine],
            more_url=reverse("autonomy:mine")))
    meetings = selectors.public_meetings(code).exclude(status=Meeting.Status.CLOSED)[:LIMIT]
    out.append(SelfPanel(
        title=_("Meetings"), order=13,
        items=[PanelItem(label=m.title, url=reverse("autonomy:meeting", args=[m.pk]),
                         note=_("%(d)s · %(s)s") % {"d": m.held_on.isoformat(),
                                                   "s": m.get_status_display()})
               for m in meetings],
        empty=_("No meeting of your community is coming up.")))
    day = today()
    evaluations = selectors.public_evaluations(code).filter(
        status=EvaluationCampaign.Status.OPEN, opens_on__lte=day, closes_on__gte=day)[:LIMIT]
    out.append(SelfPanel(
        title=_("Evaluations"), order=14,
        items=[PanelItem(label=c.title, url=reverse("autonomy:evaluation", args=[c.pk]),
                         note=_("open until %(d)s") % {"d": c.closes_on.isoformat()})
               for c in evaluations],
        empty=_("No evaluation is open in your community.")))
    return out
