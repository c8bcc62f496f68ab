"""The rules of ``procurement`` from law (value, unit, citation), registered in ``apps.ready``.

Citations name the articles as the texts in ``shared/reference/laws/`` number them: the
2014 text of 政府采购法 (采购法) and the 2015 implementing regulation (实施条例), both read
article by article. 财政部令第102号 (政府购买服务管理办法, 2020), 财政部令第74号 (非招标采购方式)
and 招标投标法 are not in that folder: the rules taken from them are marked unverified
(ADR 0900).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from shequ.rules import Profile, Rule, RuleSet, Unit, resolve

MODULE = "procurement"
PROFILE = "national"

CAIGOU = "《政府采购法》"
TIAOLI = "《政府采购法实施条例》"
GOUMAI = "《政府购买服务管理办法》（财政部令第102号）"
FEIZHAOBIAO = "《政府采购非招标采购方式管理办法》（财政部令第74号）"
ZHAOBIAO = "《招标投标法》"

RULES = [
    # -- publication periods -----------------------------------------------------------
    Rule("tender_days", _("Tender documents issued to bid deadline, at least"), 20, Unit.DAYS,
         f"{CAIGOU}第三十五条", overridable=False,
         note=_("From the day the tender documents are first issued to the bid deadline.")),
    Rule("single_source_notice_days", _("Single source: public notice before the purchase, at "
                                        "least"), 5, Unit.WORKING_DAYS, f"{TIAOLI}第三十八条",
         overridable=False),
    Rule("negotiation_days", _("Negotiation or quotation documents issued to the first "
                               "response, at least"), 3, Unit.WORKING_DAYS,
         f"{FEIZHAOBIAO}第二十九条、第四十五条", verified=False),
    Rule("min_bidders", _("Qualified suppliers needed (else the tender fails)"), 3, Unit.COUNT,
         f"{CAIGOU}第三十六条第一款第（一）项、第三十八条第（三）项、第四十条第（二）项",
         overridable=False),
    Rule("bid_within_budget", _("A price above the project's budget is not accepted"), True,
         Unit.FLAG, f"{CAIGOU}第三十六条第一款第（三）项", local=True,
         note=_("The law fails a tender when every price is above the budget; the district "
                "refuses each such price when it is submitted.")),
    Rule("violation_years", _("No major violation in the years before bidding"), 3,
         Unit.YEARS, f"{CAIGOU}第二十二条第一款第（五）项；{TIAOLI}第十九条", overridable=False),
    Rule("legal_person", _("Bidders bear civil liability independently"), True, Unit.FLAG,
         f"{CAIGOU}第二十二条第一款第（一）项",
         note=_("A project may admit filed community organisations (no legal-person status) "
                "when it says so.")),
    # -- enquiries and questions -------------------------------------------------------
    Rule("enquiry_days", _("Answer a supplier's enquiry within"), 3, Unit.WORKING_DAYS,
         f"{TIAOLI}第五十二条第一款", overridable=False),
    Rule("question_days", _("Question the award within (the standstill)"), 7,
         Unit.WORKING_DAYS, f"{CAIGOU}第五十二条；{TIAOLI}第五十三条第（三）项",
         overridable=False,
         note=_("The contract is not signed before this window closes (ADR 0903).")),
    Rule("question_answer_days", _("Answer a written question within"), 7, Unit.WORKING_DAYS,
         f"{CAIGOU}第五十三条", overridable=False),
    Rule("open_question_stops_signing", _("An open question stops the contract being signed"),
         True, Unit.FLAG, f"{TIAOLI}第五十四条", overridable=False),
    # -- evaluation ----------------------------------------------------------------------
    Rule("committee_min", _("Negotiation or quotation group: members, at least (odd "
                            "number)"), 3, Unit.PERSONS,
         f"{CAIGOU}第三十八条第（一）项、第四十条第（一）项", overridable=False),
    Rule("tender_committee_min", _("Tender evaluation committee: members, at least (odd "
                                   "number)"), 5, Unit.PERSONS, f"{ZHAOBIAO}第三十七条第二款",
         verified=False),
    Rule("experts_share", _("Experts among the members"), ">=2/3", Unit.SHARE,
         f"{CAIGOU}第三十八条第（一）项、第四十条第（一）项", overridable=False),
    Rule("declare_interest", _("An evaluator with an interest in a supplier stands aside"),
         True, Unit.FLAG, f"{TIAOLI}第九条", overridable=False),
    Rule("weights_total", _("The weights of the criteria add up to"), 100, Unit.PERCENT,
         _("district evaluation method"), local=True),
    Rule("award_days", _("Award decided within, after evaluation"), 7, Unit.WORKING_DAYS,
         f"{TIAOLI}第四十三条第一款", overridable=False,
         note=_("2 working days for the report to reach the buyer and 5 to decide, in the "
                "order the committee recommends.")),
    # -- contract ------------------------------------------------------------------------
    Rule("sign_days", _("Contract signed within, after the award notice"), 30, Unit.DAYS,
         f"{CAIGOU}第四十六条第一款", overridable=False),
    Rule("contract_publish_days", _("Contract published within, after signing"), 2,
         Unit.WORKING_DAYS, f"{TIAOLI}第五十条", overridable=False),
    Rule("term_months", _("Contract term, normally at most"), 12, Unit.MONTHS,
         f"{GOUMAI}第二十四条", verified=False),
    Rule("term_max_months", _("Contract term with a recorded reason, at most"), 36,
         Unit.MONTHS, f"{GOUMAI}第二十四条", verified=False,
         note=_("For stable, continuing services with a secured budget.")),
    Rule("supplement_percent", _("Supplementary contracts together, at most"), 10, Unit.PERCENT,
         f"{CAIGOU}第四十九条", overridable=False),
    Rule("no_subcontracting", _("The supplier may not subcontract the service"), True,
         Unit.FLAG, f"{GOUMAI}第二十二条", verified=False,
         note=_("The procurement law allows subcontracting with the buyer's consent "
                "(第四十八条); purchased services forbid it.")),
    Rule("pay_per_contract", _("Payments follow the contract, after acceptance"), True,
         Unit.FLAG, f"{TIAOLI}第四十五条、第五十一条", overridable=False),
    Rule("third_party_evaluation", _("A third party may evaluate the performance"), True,
         Unit.FLAG, f"{GOUMAI}第二十九条", verified=False),
]

RULESET = RuleSet(MODULE, PROFILE, _("Government purchase of services (national law)"),
                  "2026.1", {r.key: r for r in RULES})


def profile(area_code: str = "") -> Profile:
    return resolve(MODULE, PROFILE, area_code)


def months_between(start: date, end: date) -> int:
    """Whole months a term spans, counting a started month (1 Jan–31 Dec is 12)."""
    last = end + timedelta(days=1)
    months = (last.year - start.year) * 12 + (last.month - start.month)
    return months + (1 if last.day > start.day else 0)
