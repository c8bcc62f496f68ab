"""The writers of ``procurement`` (one transaction per use case, audited)."""

from shequ.procurement.services.catalogue import publish_catalogue, save_budget_line, save_buyer
from shequ.procurement.services.contracts import (
    accept,
    change,
    complete,
    deliver,
    evaluate_performance,
    pay,
    sign_contract,
    terminate,
)
from shequ.procurement.services.projects import (
    add_evaluator,
    aggregate,
    answer,
    answer_complaint,
    ask,
    award,
    cancel,
    close,
    create_project,
    declare_interest,
    enter_scores,
    file_complaint,
    publish,
    set_criteria,
    submit_bid,
    withdraw_bid,
)

__all__ = [
    "accept", "add_evaluator", "aggregate", "answer", "answer_complaint", "ask", "award",
    "cancel", "change", "close", "complete", "create_project", "declare_interest", "deliver",
    "enter_scores", "evaluate_performance", "file_complaint", "pay", "publish",
    "publish_catalogue", "save_budget_line", "save_buyer", "set_criteria", "sign_contract",
    "submit_bid", "terminate", "withdraw_bid",
]
