"""The use cases of resident self-governance, one file per sub-domain. Every function:
keyword-only, ``actor`` first, one transaction, permission check, audit entry (lifecycle
steps through ``Lifecycle.move``); a refusal is a ``BusinessError`` whose message says
why. Pages, the API and the CLI call exactly these."""

from shequ.autonomy.services.common import today
from shequ.autonomy.services.disclosure import (
    answer_question,
    ask_question,
    disclose_major,
    flag_overdue_disclosures,
    plan_disclosures,
    publish_disclosure,
)
from shequ.autonomy.services.evaluation import close_evaluation, open_evaluation, submit_rating
from shequ.autonomy.services.meetings import (
    VoteCastResult,
    add_motion,
    cast_vote,
    close_meeting,
    close_motion,
    conference_members,
    convene_meeting,
    record_attendance,
    record_count,
)
from shequ.autonomy.services.proposals import (
    assign_proposal,
    close_proposal,
    comment_on_proposal,
    complete_proposal,
    cosign_proposal,
    edit_proposal,
    rate_proposal,
    report_progress,
    review_proposal,
    schedule_proposal,
    submit_proposal,
    withdraw_proposal,
)
from shequ.autonomy.services.recall import (
    recall_base,
    recallable_members,
    recallable_representatives,
    record_recall_reply,
    record_recall_result,
    schedule_recall_vote,
    sign_recall,
    start_recall,
)
from shequ.autonomy.services.representatives import (
    appoint_representative,
    by_elect,
    create_constituency,
    end_representative,
)
from shequ.autonomy.services.requests import (
    record_residents_meeting,
    sign_request,
    start_request,
)
from shequ.autonomy.services.rules import set_rule_override

__all__ = [
    "VoteCastResult",
    "add_motion",
    "answer_question",
    "appoint_representative",
    "ask_question",
    "assign_proposal",
    "by_elect",
    "cast_vote",
    "close_evaluation",
    "close_meeting",
    "close_motion",
    "close_proposal",
    "comment_on_proposal",
    "complete_proposal",
    "conference_members",
    "convene_meeting",
    "cosign_proposal",
    "create_constituency",
    "disclose_major",
    "edit_proposal",
    "end_representative",
    "flag_overdue_disclosures",
    "open_evaluation",
    "plan_disclosures",
    "publish_disclosure",
    "rate_proposal",
    "recall_base",
    "recallable_members",
    "recallable_representatives",
    "record_attendance",
    "record_count",
    "record_recall_reply",
    "record_recall_result",
    "record_residents_meeting",
    "report_progress",
    "review_proposal",
    "schedule_proposal",
    "schedule_recall_vote",
    "set_rule_override",
    "sign_recall",
    "sign_request",
    "start_recall",
    "start_request",
    "submit_proposal",
    "submit_rating",
    "today",
    "withdraw_proposal",
]
