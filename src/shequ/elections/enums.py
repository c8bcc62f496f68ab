"""The vocabulary of ``elections``: permissions, error codes and audit actions.

Pure (no Django models): the counting engine and the ``tally`` command import it without
a database.
"""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW = "elections.view"
    MANAGE = "elections.manage"
    TALLY = "elections.tally"
    RECOUNT = "elections.recount"


class Code(StrEnum):
    """Stable error codes (``BusinessError.code``) of the elections module.

    A refusal under a rule from law carries the rule's key as its code (``women_seat``,
    ``roll_days_before``…); those keys are listed here too, so a typo fails loudly.
    """

    # lookups
    ELECTION_NOT_FOUND = "election_not_found"
    UNKNOWN_COMMUNITY = "unknown_community"
    RESIDENT_NOT_FOUND = "resident_not_found"
    VOTER_NOT_FOUND = "voter_not_found"
    OBJECTION_NOT_FOUND = "objection_not_found"
    CANDIDATE_NOT_FOUND = "candidate_not_found"
    POST_NOT_FOUND = "post_not_found"
    STATION_NOT_FOUND = "station_not_found"
    # set-up
    UNKNOWN_MODE = "unknown_mode"
    UNKNOWN_KIND = "unknown_kind"
    UNKNOWN_PROFILE = "unknown_profile"
    CHAIR_REQUIRED = "chair_required"
    POST_INVALID = "post_invalid"
    BY_ELECTION_NEEDS_ELECTION = "by_election_needs_election"
    NO_SUCH_VACANCY = "no_such_vacancy"
    ELECTION_IN_PROGRESS = "election_in_progress"
    STATION_INVALID = "station_invalid"
    STATION_EXISTS = "station_exists"
    RECALL_BALLOT = "recall_ballot"
    RECALL_SUBJECT_REQUIRED = "recall_subject_required"
    # steps
    INVALID_TRANSITION = "invalid_transition"
    UNKNOWN_ACTION = "unknown_action"
    STEP_NEEDS_INPUT = "step_needs_input"
    ROLL_EMPTY = "roll_empty"
    NO_STATION = "no_station"
    # roll, objections, proxies
    UNKNOWN_BASIS = "unknown_basis"
    REASON_REQUIRED = "reason_required"
    TEXT_TOO_LONG = "text_too_long"
    GROUP_REQUIRED = "group_required"
    ALREADY_ON_ROLL = "already_on_roll"
    OBJECTION_INVALID = "objection_invalid"
    OBJECTION_DECIDED = "objection_decided"
    DECISION_INVALID = "decision_invalid"
    DECISION_DATE = "decision_date"
    PROXY_EXISTS = "proxy_exists"
    UNKNOWN_RELATION = "unknown_relation"
    # nominations
    ONE_POST_ONLY = "one_post_only"
    WITHDRAWN = "withdrawn"
    CANDIDATE_NAME_TAKEN = "candidate_name_taken"
    # tallies, counting, results
    TALLY_MALFORMED = "tally_malformed"
    TALLY_DOES_NOT_ADD_UP = "tally_does_not_add_up"
    TALLY_CONFIRMED = "tally_confirmed"
    TALLY_DIFFERS = "tally_differs"
    NOTHING_TO_RESOLVE = "nothing_to_resolve"
    TALLIES_MISSING = "tallies_missing"
    SUPPLEMENTARY_CANDIDATES = "supplementary_candidates"
    RESULT_IMMUTABLE = "result_immutable"
    RULE = "rule"
    DATE_IN_FUTURE = "date_in_future"
    CONFIRMATION_REQUIRED = "confirmation_required"
    # refusals under a rule: the rule's key is the code (``elections.rules``)
    MEMBERS_MIN = "members_min"
    WOMEN_SEAT = "women_seat"
    ROLL_DAYS_BEFORE = "roll_days_before"
    VOTING_AGE = "voting_age"
    ONE_ROLL_ONLY = "one_roll_only"
    RESIDENCE_YEARS = "residence_years"
    RESIDENCE_MONTHS = "residence_months"
    WORKERS_MAY_REGISTER = "workers_may_register"
    WORKER_MONTHS = "worker_months"
    RELATIVES_LEAVE_COMMITTEE = "relatives_leave_committee"
    REPRESENTATIVES_CONFERENCE = "representatives_conference"
    POLLING_ON_VOTING_DAY = "polling_on_voting_day"
    SETUP_DAYS_BEFORE_MAX = "setup_days_before_max"
    RECALL_TURNOUT = "recall_turnout"
    RECALL_APPROVAL = "recall_approval"
    GROUP_REPRESENTATIVES_MAX = "group_representatives_max"
    OBJECTION_DAYS = "objection_days"
    DECISION_DAYS = "decision_days"
    PROXY_RELATIVES = "proxy_relatives"
    PROXIES_PER_VOTER_MAX = "proxies_per_voter_max"
    NOMINATORS_MIN = "nominators_min"
    COMPETITIVE_LIST = "competitive_list"
    CANDIDATES_DAYS_BEFORE = "candidates_days_before"
    SUPPLEMENTARY_FLOOR = "supplementary_floor"
    DOUBLE_ENTRY = "double_entry"


class AuditAction(StrEnum):
    """Audit actions written by the services (``elections.<noun>.<verb>``). Lifecycle
    steps write ``elections.election.<action>``, ``elections.candidate.<action>`` and
    ``elections.objection.<action>`` themselves (``lifecycles.py``)."""

    ELECTION_CREATE = "elections.election.create"
    RECALL_CREATE = "elections.election.create_recall"
    ELECTION_COUNT_BATCH = "elections.election.count_batch"
    STATION_ADD = "elections.station.add"
    ROLL_BUILD = "elections.roll.build"
    VOTER_ADD = "elections.voter.add"
    VOTER_ASSIGN = "elections.voter.assign"
    OBJECTION_FILE = "elections.objection.file"
    PROXY_REGISTER = "elections.proxy.register"
    CANDIDATE_NOMINATE = "elections.candidate.nominate"
    TALLY_ENTER = "elections.tally.enter"
    TALLY_RESOLVE = "elections.tally.resolve"
