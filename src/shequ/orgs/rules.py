"""The rules of ``orgs`` from law (value, unit, citation), registered in ``apps.ready``.

Citations name the articles as the texts in ``shared/reference/laws/`` number them: the
2016 text of 社会团体登记管理条例 (社团条例), the 1998 民办非企业单位登记管理暂行条例
(民非条例), the 2004 基金会管理条例 (基金会条例), the 2023 慈善法 and 行政许可法; the
Civil Code's period rules were read in the LawRefBook collection. Sichuan's interim
measures for community organisations (revised 2023-05-24) could not be read in full:
the filing values below are this district's own, marked local and unverified (ADR 0700).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.core.calendar import CalendarYearUnknown, WorkdayCalendar
from shequ.rules import Profile, Rule, RuleSet, Unit, resolve

MODULE = "orgs"
PROFILE = "national"

SHETUAN = "《社会团体登记管理条例》"
MINFEI = "《民办非企业单位登记管理暂行条例》"
JIJINHUI = "《基金会管理条例》"
XUKE = "《行政许可法》"
CISHAN = "《慈善法》"
MINFADIAN = "《民法典》"
SICHUAN = "《四川省社区社会组织登记备案管理暂行办法（修订）》（2023年5月24日）"
PINGGU = "《社会组织评估管理办法》（民政部令第39号）"

RULES = [
    # -- clocks ---------------------------------------------------------------------
    Rule("registration_days", _("Time limit for a registration decision"), 60, Unit.DAYS,
         f"{SHETUAN}第十二条第一款；{MINFEI}第十一条第一款；{JIJINHUI}第十一条第一款",
         note=_("Counted from the day all valid documents are received; calendar days."),
         overridable=False),
    Rule("notice_days", _("Window for naming missing materials in one notice"), 5,
         Unit.WORKING_DAYS, f"{XUKE}第三十二条第一款第（四）项、第八十二条",
         note=_("Not told within the window, the application counts as accepted on "
                "receipt."), overridable=False),
    Rule("decision_days", _("Time limit for other decisions (change, merger, "
                            "deregistration)"), 20, Unit.WORKING_DAYS, f"{XUKE}第四十二条第一款",
         overridable=False),
    Rule("extension_days", _("Extension of the 20-day limit, once, with the head's approval"),
         10, Unit.WORKING_DAYS, f"{XUKE}第四十二条第一款", overridable=False),
    Rule("recognition_days", _("Time limit for recognising a charitable organisation"), 20,
         Unit.DAYS, f"{CISHAN}第十条第二款", overridable=False),
    Rule("recognition_extension_days", _("Longest extension of the recognition limit"), 60,
         Unit.DAYS, f"{CISHAN}第十条第三款", overridable=False),
    Rule("filing_days", _("Time limit for a filing decision by the street office"), 10,
         Unit.WORKING_DAYS, SICHUAN, verified=False, local=True,
         note=_("The provincial measures' own figure could not be read; the district's "
                "promise.")),
    Rule("period_start_excluded", _("The first day of a period is not counted"), True,
         Unit.FLAG, f"{MINFADIAN}第二百零一条第一款", overridable=False),
    Rule("rest_day_moves_end", _("A period ending on a rest day ends on the next working day"),
         True, Unit.FLAG, f"{MINFADIAN}第二百零三条第一款", overridable=False),
    Rule("change_apply_days", _("Apply for a change within this many days of the supervising "
                                "agency's consent"), 30, Unit.DAYS,
         f"{SHETUAN}第十八条；{MINFEI}第十五条", overridable=False),
    Rule("deregister_apply_days", _("Apply for deregistration within this many days of the "
                                    "end of liquidation"), 15, Unit.DAYS,
         f"{SHETUAN}第二十一条第一款；{MINFEI}第十七条第一款；{JIJINHUI}第十八条第二款",
         overridable=False),
    # -- conditions of each kind ------------------------------------------------------
    Rule("agency_approval", _("The supervising agency's approval is required"), True,
         Unit.FLAG, f"{SHETUAN}第九条；{MINFEI}第八条第一款第（一）项；{JIJINHUI}第九条第（五）项",
         overridable=False),
    Rule("premises", _("Fixed premises are required"), True, Unit.FLAG,
         f"{SHETUAN}第十条第一款第（三）项；{MINFEI}第八条第一款第（五）项；{JIJINHUI}第八条第（四）项",
         overridable=False),
    Rule("legal_rep", _("The legal representative is a registered item"), True, Unit.FLAG,
         f"{SHETUAN}第十二条第二款；{MINFEI}第十二条第一款；{JIJINHUI}第十一条第二款",
         overridable=False),
    Rule("filed_content", _("What a filing states"),
         "名称、负责人、活动场所、章程、成员、活动资金", Unit.TEXT,
         SICHUAN, verified=False, overridable=False),
    Rule("association_individual_members", _("Social association: individual members"), 50,
         Unit.COUNT, f"{SHETUAN}第十条第一款第（一）项", overridable=False),
    Rule("association_unit_members", _("Social association: unit members"), 30, Unit.COUNT,
         f"{SHETUAN}第十条第一款第（一）项", overridable=False),
    Rule("association_mixed_members", _("Social association: members when mixed"), 50,
         Unit.COUNT, f"{SHETUAN}第十条第一款第（一）项", overridable=False),
    Rule("association_funds_fen", _("Social association (local): activity funds"), 3_000_000,
         Unit.FEN, f"{SHETUAN}第十条第一款第（五）项", overridable=False),
    Rule("association_staff", _("Social association: full-time staff"), 1, Unit.PERSONS,
         f"{SHETUAN}第十条第一款第（四）项", local=True,
         note=_("The regulation asks for staff suited to the activities; at least this "
                "many.")),
    Rule("pne_funds_fen", _("Private non-enterprise unit: starting funds"), 3_000_000, Unit.FEN,
         f"{MINFEI}第八条第一款第（四）项", local=True,
         note=_("The regulation asks for assets suited to the activities and sets no "
                "figure.")),
    Rule("pne_staff", _("Private non-enterprise unit: staff"), 1, Unit.PERSONS,
         f"{MINFEI}第八条第一款第（三）项", local=True),
    Rule("foundation_local_public_fen", _("Local public-fundraising foundation: original fund"),
         400_000_000, Unit.FEN, f"{JIJINHUI}第八条第（二）项", overridable=False),
    Rule("foundation_non_public_fen", _("Non-public foundation: original fund"), 200_000_000,
         Unit.FEN, f"{JIJINHUI}第八条第（二）项", overridable=False),
    Rule("foundation_directors_min", _("Foundation: fewest directors"), 5, Unit.PERSONS,
         f"{JIJINHUI}第二十条第一款", overridable=False),
    Rule("foundation_directors_max", _("Foundation: most directors"), 25, Unit.PERSONS,
         f"{JIJINHUI}第二十条第一款", overridable=False),
    Rule("foundation_staff", _("Foundation: full-time staff"), 1, Unit.PERSONS,
         f"{JIJINHUI}第八条第（三）项", local=True),
    Rule("filed_members", _("Filed community organisation: members"), 10, Unit.PERSONS,
         SICHUAN, verified=False, local=True),
    Rule("local_name_prefix", _("Local organisations may not begin their name with "
                                "中国, 全国 or 中华"), True, Unit.FLAG,
         f"{SHETUAN}第十条第三款；{MINFEI}第八条第二款", overridable=False),
    Rule("one_legal_rep", _("A legal representative represents one association or "
                            "foundation only"), True, Unit.FLAG,
         f"{SHETUAN}第十二条第三款；{JIJINHUI}第二十三条第一款", overridable=False),
    Rule("unique_name", _("No two organisations of the same name under one authority"),
         True, Unit.FLAG, f"{SHETUAN}第十条第二款；{MINFEI}第八条第一款第（二）项", local=True,
         note=_("A standard name must tell the organisation apart; the district refuses a "
                "name already used under the same authority.")),
    # -- supervision ----------------------------------------------------------------
    Rule("report_agency_due", _("Work report to the supervising agency, by"), "03-31",
         Unit.TEXT, f"{SHETUAN}第二十八条第一款；{MINFEI}第二十三条第一款",
         overridable=False),
    Rule("report_authority_due", _("Work report to the registration authority, by"), "05-31",
         Unit.TEXT, f"{SHETUAN}第二十八条第一款；{MINFEI}第二十三条第一款",
         overridable=False),
    Rule("foundation_report_due", _("Foundation work report to the registration authority, "
                                    "by"), "03-31", Unit.TEXT, f"{JIJINHUI}第三十六条第一款",
         overridable=False),
    Rule("filed_report_due", _("Filed organisation's yearly report to the street office, "
                               "by"), "03-31", Unit.TEXT, SICHUAN, verified=False, local=True),
    Rule("complaint_days", _("Answer a complaint within"), 30, Unit.DAYS,
         f"{CISHAN}第一百零八条", local=True,
         note=_("The law says promptly; the district's figure.")),
    Rule("grade_valid_years", _("An evaluation grade is valid for"), 5, Unit.YEARS, PINGGU,
         verified=False),
    Rule("good_standing_years", _("Penalties count against good standing for"), 3, Unit.YEARS,
         _("district practice"), local=True),
    # -- support ------------------------------------------------------------------------
    Rule("grant_filed_max_fen", _("Largest grant to a filed organisation (no legal person)"),
         5_000_000, Unit.FEN, _("district foundation's grant rules"), local=True),
    Rule("incubation_months", _("Longest incubation"), 24, Unit.MONTHS,
         _("citizen service centre's rules"), local=True),
]

RULESET = RuleSet(MODULE, PROFILE, _("Social organisations (national law, Sichuan filing)"),
                  "2026.1", {r.key: r for r in RULES})


def profile(area_code: str = "") -> Profile:
    return resolve(MODULE, PROFILE, area_code)


# -- what each kind must hand in (the articles that list the documents) ---------------

MATERIALS: dict[str, dict[str, Any]] = {
    "association": {"citation": f"{SHETUAN}第十一条", "items": [
        ("application", _("Application for registration")),
        ("agency_approval", _("Approval of the supervising agency")),
        ("funds_and_premises", _("Capital verification report and proof of the right to use "
                                 "the premises")),
        ("persons", _("Founders' and proposed leaders' particulars and identity documents")),
        ("charter", _("Draft charter")),
    ]},
    "pne": {"citation": f"{MINFEI}第九条", "items": [
        ("application", _("Application for registration")),
        ("agency_approval", _("Approval of the supervising agency")),
        ("premises", _("Proof of the right to use the premises")),
        ("capital", _("Capital verification report")),
        ("persons", _("Proposed leader's particulars and identity document")),
        ("charter", _("Draft charter")),
    ]},
    "foundation": {"citation": f"{JIJINHUI}第九条", "items": [
        ("application", _("Application")),
        ("charter", _("Draft charter")),
        ("funds_and_premises", _("Proof of capital and of the premises")),
        ("directors", _("List of directors with identity documents and the CVs of the "
                        "proposed chair, vice-chairs and secretary-general")),
        ("agency_approval", _("Consent of the supervising agency")),
    ]},
    "filed": {"citation": SICHUAN, "items": [
        ("application", _("Filing form")),
        ("person", _("Identity document of the person in charge")),
        ("place", _("Proof of the place of activity")),
        ("charter", _("Charter")),
        ("members", _("List of members")),
        ("funds", _("Statement of activity funds")),
    ]},
    "change": {"citation": f"{SHETUAN}第十八条；{MINFEI}第十五条", "items": [
        ("application", _("Application for the change")),
        ("agency_approval", _("Consent of the supervising agency")),
        ("evidence", _("Documents proving the changed items")),
    ]},
    "change_filed": {"citation": SICHUAN, "items": [
        ("application", _("Application for the change")),
        ("evidence", _("Documents proving the changed items")),
    ]},
    "merge": {"citation": f"{SHETUAN}第十九条第（三）项", "items": [
        ("agreement", _("Merger agreement")),
        ("agency_approval", _("Consent of the supervising agency")),
        ("liquidation", _("Liquidation report of the organisation that ends")),
    ]},
    "deregister": {"citation": f"{SHETUAN}第二十一条第一款；{MINFEI}第十七条第一款", "items": [
        ("application", _("Application for deregistration signed by the legal "
                          "representative")),
        ("agency_review", _("Review document of the supervising agency")),
        ("liquidation", _("Liquidation report")),
    ]},
    "deregister_filed": {"citation": SICHUAN, "items": [
        ("application", _("Application to end the filing")),
        ("liquidation", _("Statement on the remaining assets")),
    ]},
    "recognise": {"citation": f"{CISHAN}第十条第二款", "items": [
        ("application", _("Application for recognition")),
        ("charter", _("Charter stating the charitable purpose")),
        ("accounts", _("Financial statements")),
    ]},
}


def materials_for(kind: str, org_kind: str, track: str) -> dict[str, Any]:
    """The list of materials an application of ``kind`` needs, with its citation."""
    if kind in ("establish", "convert"):
        return MATERIALS[org_kind]
    if kind == "file":
        return MATERIALS["filed"]
    if kind in ("change", "deregister") and track == "filed":
        return MATERIALS[f"{kind}_filed"]
    return MATERIALS[kind]


# -- violations and the article that punishes them, by kind --------------------------

_VIOLATION_ITEMS = {"certificate": "一", "beyond_scope": "二", "refused_supervision": "三",
                    "no_change": "四", "profit": "六", "misappropriation": "七", "fees": "八"}


def violation_basis(violation: str, kind: str) -> str:
    """The article for ``violation`` by an organisation of ``kind`` (empty if none)."""
    if violation in _VIOLATION_ITEMS:
        item = _VIOLATION_ITEMS[violation]
        if kind == "association":
            return f"{SHETUAN}第三十条第一款第（{item}）项"
        if kind == "pne":
            return f"{MINFEI}第二十五条第一款第（{item}）项"
        if kind == "foundation":
            mapping = {"beyond_scope": "一", "no_change": "三"}
            return f"{JIJINHUI}第四十二条第一款第（{mapping[violation]}）项" \
                if violation in mapping else ""
        return SICHUAN
    if violation in ("inactive", "false_registration"):
        return {"association": f"{SHETUAN}第二十九条", "pne": f"{MINFEI}第二十四条",
                "foundation": f"{JIJINHUI}第四十一条第（一）项"}.get(kind, SICHUAN)
    if violation == "annual_inspection":
        return {"association": f"{SHETUAN}第三十条第一款第（三）项",
                "pne": f"{MINFEI}第二十五条第一款第（三）项",
                "foundation": f"{JIJINHUI}第四十二条第一款第（五）项"}.get(kind, SICHUAN)
    return SICHUAN


# -- dates: periods in days, dates of the year --------------------------------------


def period_end(start: date, days: int, cal: WorkdayCalendar) -> tuple[date, bool]:
    """The last day of a period of ``days`` calendar days from ``start``: the first day is
    not counted (民法典 第二百零一条), and a last day that is a rest day moves to the next
    working day (第二百零三条). Returns ``(day, settled)``: ``settled`` is False when the
    calendar does not know the last day's year yet, so the unmoved (earlier, stricter)
    day is returned and shown as provisional (ADR 0700)."""
    end = start + timedelta(days=days)
    try:
        while not cal.is_workday(end):
            end += timedelta(days=1)
    except CalendarYearUnknown:
        return start + timedelta(days=days), False
    return end, True


def day_of(year: int, month_day: str) -> date:
    """``"05-31"`` in ``year``."""
    month, day = (int(p) for p in str(month_day).split("-"))
    return date(year, month, day)
