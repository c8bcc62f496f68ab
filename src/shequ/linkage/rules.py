"""The rules of ``linkage``. No statute weighs one provider against another: the weights
and thresholds are the district's own (``local``), each overridable per area. The
volunteer regulation's duties they serve are cited: a volunteer organisation verifies a
need (志愿服务条例 第十三条) and arranges work suited to the volunteer's abilities
(第十五条), which is what category and capacity measure."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shequ.rules import Profile, Rule, RuleSet, Unit, resolve

MODULE = "linkage"
PROFILE = "district"
PRACTICE = _("district practice")
ZYFW = "《志愿服务条例》"

RULES = [
    Rule("weight_category", _("Weight of the service category"), 20, Unit.PERCENT,
         f"{ZYFW}第十五条", local=True, maximum=100),
    Rule("weight_distance", _("Weight of the distance"), 25, Unit.PERCENT, PRACTICE, local=True,
         maximum=100),
    Rule("weight_capacity", _("Weight of free capacity"), 15, Unit.PERCENT, f"{ZYFW}第十五条",
         local=True, maximum=100),
    Rule("weight_record", _("Weight of the track record"), 20, Unit.PERCENT, PRACTICE,
         local=True, maximum=100),
    Rule("weight_rating", _("Weight of the rating"), 20, Unit.PERCENT, PRACTICE, local=True,
         maximum=100),
    Rule("max_distance_m", _("Farthest provider proposed"), 10_000, Unit.METRES, PRACTICE,
         local=True, minimum=100),
    Rule("other_category_percent", _("Score of a category served besides the main one"), 50,
         Unit.PERCENT, PRACTICE, local=True, maximum=100),
    Rule("record_half", _("Completed engagements that give half the track-record score"), 5,
         Unit.COUNT, PRACTICE, local=True, minimum=1),
    Rule("rating_prior_weight", _("Weight of the prior rating, in ratings"), 3, Unit.COUNT,
         PRACTICE, local=True, minimum=1),
    Rule("rating_prior", _("Prior rating (1–5) of a provider without an evaluation grade"), 3,
         Unit.COUNT, PRACTICE, local=True, minimum=1, maximum=5),
    Rule("candidates_shown", _("Candidates shown per need"), 20, Unit.COUNT, PRACTICE,
         local=True, minimum=1, maximum=200),
]

RULESET = RuleSet(MODULE, PROFILE, _("Community–organisation–social-worker linkage"), "2026.1",
                  {r.key: r for r in RULES})


def profile(area_code: str = "") -> Profile:
    return resolve(MODULE, PROFILE, area_code)
