"""Elections: the only writers, one file per sub-domain. Every use case checks its
permission, runs in one transaction, writes an audit entry and refuses with a stable code
(a rule from law named in ``details = {"rule", "citation", …}``). Reads live in
``selectors``; the lifecycle in ``lifecycles``."""

from shequ.elections.services.counting import announce, count, count_many, recount
from shequ.elections.services.nominations import nominate, withdraw
from shequ.elections.services.objections import decide_objection, file_objection
from shequ.elections.services.roll import (
    add_resident,
    add_voter,
    assign_station,
    build_roll,
    register_proxy,
)
from shequ.elections.services.setup import add_station, create_election, create_recall
from shequ.elections.services.steps import transition
from shequ.elections.services.tallies import enter_tally, normalise_tally, resolve_tally

__all__ = [
    "add_resident",
    "add_station",
    "add_voter",
    "announce",
    "assign_station",
    "build_roll",
    "count",
    "count_many",
    "create_election",
    "create_recall",
    "decide_objection",
    "enter_tally",
    "file_objection",
    "nominate",
    "normalise_tally",
    "recount",
    "register_proxy",
    "resolve_tally",
    "transition",
    "withdraw",
]
