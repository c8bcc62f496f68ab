"""Excel exports of the lists community staff keep (issue 12): the community's proposals
and its standing representatives, through ``core.excel.workbook`` (write-only, values
typed). The caller has checked ``autonomy.manage`` for the community."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shequ.autonomy.models import Proposal, Representative
from shequ.core.excel import Sheet, workbook


def proposals(community_code: str) -> bytes:
    rows = (Proposal.objects.filter(community_code=community_code)
            .order_by("-created_at", "-pk").iterator())
    return workbook(Sheet(
        title=_("Proposals"),
        header=[_("Number"), _("Title"), _("Proposed by"), _("Proposer's name"), _("State"),
                _("Co-signers"), _("Co-signers needed"), _("Implemented by"), _("Deadline"),
                _("Submitted on")],
        rows=([p.number, p.title, p.get_via_display(), p.proposer_name,
               p.get_state_display(), p.cosigner_count, p.cosigners_needed, p.assignee,
               p.deadline, p.created_at.date()] for p in rows),
        widths=[22, 40, 14, 12, 22, 10, 10, 24, 12, 12]))


def representatives(community_code: str) -> bytes:
    rows = (Representative.objects.filter(community_code=community_code)
            .select_related("constituency").order_by("constituency__name", "name").iterator())
    return workbook(Sheet(
        title=_("Standing representatives"),
        header=[_("Name"), _("Constituency"), _("Households"), _("Term from"),
                _("Term until"), _("How elected"), _("Status"), _("Ended on"), _("End reason")],
        rows=([r.name, r.constituency.name, r.constituency.households, r.term_start,
               r.term_end, r.get_source_display(), r.get_status_display(), r.ended_on,
               r.end_reason] for r in rows),
        widths=[12, 24, 10, 12, 12, 12, 10, 12, 24]))
