"""The vocabulary of ``autonomy``: permissions, error codes and audit actions.

Audit actions of lifecycle steps are written by ``Lifecycle.move`` as
``<lifecycle name>.<action>``; they are listed here too, so the whole vocabulary of the
audit log is in one place (``test_lifecycles`` keeps the two equal).
"""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW = "autonomy.view"
    PARTICIPATE = "autonomy.participate"  # propose, co-sign, comment, rate, ask, sign a recall
    VOTE = "autonomy.vote"  # a representative's vote in a meeting
    MANAGE = "autonomy.manage"  # review, meetings, disclosure, evaluation, paper forms
    SUPERVISE = "autonomy.supervise"  # overdue flags, recall results
    RULES = "autonomy.rules"  # local values of the autonomy rule profiles


class Code(StrEnum):
    # who acts (ADR 0502)
    NOT_LINKED = "not_linked"
    NOT_YOURSELF = "not_yourself"
    NOT_ELIGIBLE = "not_eligible"
    NOT_RESIDENT = "not_resident"
    NOT_REPRESENTATIVE = "not_representative"
    NOT_PROPOSER = "not_proposer"
    UNKNOWN_RESIDENT = "unknown_resident"
    # input
    UNKNOWN_COMMUNITY = "unknown_community"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    NEGATIVE = "negative"
    BAD_KIND = "bad_kind"
    BAD_AREA = "bad_area"
    OTHER_COMMUNITY = "other_community"
    BAD_CHOICE = "bad_choice"
    BAD_SCORE = "bad_score"
    BAD_VERDICT = "bad_verdict"
    BAD_DEADLINE = "bad_deadline"
    BAD_DATES = "bad_dates"
    BAD_VIA = "bad_via"
    BAD_FIGURES = "bad_figures"
    NO_CRITERIA = "no_criteria"
    NO_TARGETS = "no_targets"
    INCOMPLETE = "incomplete"
    UNKNOWN_TARGET = "unknown_target"
    NOT_MEMBER = "not_member"
    # state and the law's conditions
    CLOSED = "closed"
    SEATS_FULL = "seats_full"
    ALREADY_REPRESENTATIVE = "already_representative"
    ALREADY_REPLACED = "already_replaced"
    TERM_DATES = "term_dates"
    NOTICE_TOO_SHORT = "notice_too_short"
    NO_QUORUM = "no_quorum"
    NOT_IN_SESSION = "not_in_session"
    NOT_PRESENT = "not_present"
    ALREADY_VOTED = "already_voted"
    OPEN_MOTIONS = "open_motions"
    QUORATE = "quorate"
    NOT_QUORATE = "not_quorate"
    NOT_DECIDED = "not_decided"
    OWN_PROPOSAL = "own_proposal"
    SIGNING_CLOSED = "signing_closed"
    ALREADY_SIGNED = "already_signed"
    BELOW_THRESHOLD = "below_threshold"
    ALREADY_RATED = "already_rated"
    NOT_OPEN = "not_open"
    NOT_PUBLISHED = "not_published"
    NOT_DUE = "not_due"
    NO_MAJORITY = "no_majority"
    MAJORITY = "majority"
    NOT_RECALLABLE = "not_recallable"
    NOT_SERVING = "not_serving"
    BASE_MISMATCH = "base_mismatch"
    VOTE_SET_UP = "vote_set_up"
    NO_VOTE = "no_vote"
    RESULT_FROM_VOTE = "result_from_vote"
    NO_CONSTITUENCY_AREA = "no_constituency_area"
    TOO_EARLY = "too_early"
    BAD_DATE = "bad_date"
    COUNT_EXCEEDS = "count_exceeds"
    COUNTED = "counted"
    VOTED_ABSENT = "voted_absent"
    DECIDED = "decided"


class AuditAction(StrEnum):
    # writes outside a lifecycle (creations)
    CONSTITUENCY_SAVE = "autonomy.constituency.save"
    REPRESENTATIVE_APPOINT = "autonomy.representative.appoint"
    MEETING_CONVENE = "autonomy.meeting.convene"
    PROPOSAL_SUBMIT = "autonomy.proposal.submit"
    EVALUATION_OPEN = "autonomy.evaluation.open"
    DISCLOSURE_PLAN = "autonomy.disclosure.plan"
    DISCLOSURE_MAJOR = "autonomy.disclosure.major"
    QUESTION_ASK = "autonomy.question.ask"
    RECALL_START = "autonomy.recall.start"
    RECALL_CORRECTED = "autonomy.recall.corrected"
    CONVENE_REQUEST_START = "autonomy.convene_request.start"
    # lifecycle steps (Lifecycle.move writes them)
    REPRESENTATIVE_END = "autonomy.representative.end"
    REPRESENTATIVE_REPLACE = "autonomy.representative.replace"
    REPRESENTATIVE_REINSTATE = "autonomy.representative.reinstate"  # a re-count (ADR 0513)
    MEETING_OPEN = "autonomy.meeting.open"
    MEETING_NO_QUORUM = "autonomy.meeting.no_quorum"
    MEETING_ADD_MOTION = "autonomy.meeting.add_motion"
    MEETING_CORRECT_ATTENDANCE = "autonomy.meeting.correct_attendance"
    MEETING_CLOSE = "autonomy.meeting.close"
    MOTION_VOTE = "autonomy.motion.vote"
    MOTION_COUNT = "autonomy.motion.count"
    MOTION_ADOPT = "autonomy.motion.adopt"
    MOTION_REJECT = "autonomy.motion.reject"
    PROPOSAL_EDIT = "autonomy.proposal.edit"
    PROPOSAL_COSIGN = "autonomy.proposal.cosign"
    PROPOSAL_COSIGNED = "autonomy.proposal.cosigned"
    PROPOSAL_COMMENT = "autonomy.proposal.comment"
    PROPOSAL_WITHDRAW = "autonomy.proposal.withdraw"
    PROPOSAL_ADMIT = "autonomy.proposal.admit"
    PROPOSAL_REJECT = "autonomy.proposal.reject"
    PROPOSAL_SCHEDULE = "autonomy.proposal.schedule"
    PROPOSAL_ADOPT = "autonomy.proposal.adopt"
    PROPOSAL_NOT_ADOPT = "autonomy.proposal.not_adopt"
    PROPOSAL_UNSCHEDULE = "autonomy.proposal.unschedule"
    PROPOSAL_ASSIGN = "autonomy.proposal.assign"
    PROPOSAL_PROGRESS = "autonomy.proposal.progress"
    PROPOSAL_COMPLETE = "autonomy.proposal.complete"
    PROPOSAL_RATE = "autonomy.proposal.rate"
    PROPOSAL_CLOSE = "autonomy.proposal.close"
    EVALUATION_RATE = "autonomy.evaluation.rate"
    EVALUATION_CLOSE = "autonomy.evaluation.close"
    DISCLOSURE_PUBLISH = "autonomy.disclosure.publish"
    DISCLOSURE_FLAG_OVERDUE = "autonomy.disclosure.flag_overdue"
    QUESTION_ANSWER = "autonomy.question.answer"
    RECALL_SIGN = "autonomy.recall.sign"
    RECALL_THRESHOLD = "autonomy.recall.threshold"
    RECALL_REPLY = "autonomy.recall.reply"
    RECALL_SCHEDULE = "autonomy.recall.schedule"
    RECALL_RESULT = "autonomy.recall.result"
    CONVENE_REQUEST_SIGN = "autonomy.convene_request.sign"
    CONVENE_REQUEST_THRESHOLD = "autonomy.convene_request.threshold"
    CONVENE_REQUEST_CONVENE = "autonomy.convene_request.convene"
