"""Values from law and policy that the 15-minute circle is measured against.

The walking speed and the snapping distance are this system's choices (``local``): no
statute sets them. The floor-area standard is the national community service plans'
figure; its citation is marked unverified because only reports of the plan, not the
plan's text, could be read here (ADR 0802).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shequ.rules import Rule, RuleSet, Unit

MODULE = "access"
PROFILE = "standard"

GB50180 = _("GB 50180—2018 Standard for urban residential area planning and design "
            "(five-, ten- and fifteen-minute life circles)")
SEED = _("Sichuan's 2015 targets as reported in “Lessons of Jinjiang's community "
         "governance” (社区服务设施综合覆盖率和面积达标率达90%以上)")

STANDARD = RuleSet(MODULE, PROFILE, _("15-minute public service circle"), "2016", {
    "walk_speed": Rule(
        "walk_speed", _("Walking distance per minute"), 67, Unit.METRES,
        _("This system's default: 1,000 metres in 15 minutes, the upper walking distance "
          "of a fifteen-minute life circle in GB 50180—2018"),
        verified=False, local=True, minimum=30, maximum=120,
        note=_("About 4 km/h, an unhurried adult pace; lower it for an older "
               "population.")),
    "band_1": Rule("band_1", _("First minute band"), 5, Unit.MINUTES, GB50180,
                   verified=False, minimum=1, maximum=60),
    "band_2": Rule("band_2", _("Second minute band"), 10, Unit.MINUTES, GB50180,
                   verified=False, minimum=1, maximum=60),
    "band_3": Rule("band_3", _("Third minute band (the circle)"), 15, Unit.MINUTES,
                   _("“15-minute public service circle” in “Lessons of Jinjiang's community "
                     "governance”"), minimum=1, maximum=90),
    "snap_distance": Rule(
        "snap_distance", _("Farthest a place may lie from the street network"), 250,
        Unit.METRES, _("This system's default"), local=True, minimum=10, maximum=2000,
        note=_("A compound or facility farther than this from every street is reported, "
               "not counted.")),
    "floor_area_per_100": Rule(
        "floor_area_per_100", _("Floor area of community service facilities per 100 "
                                "households"), 30, Unit.SQUARE_METRES,
        _("Plan for the community service system in cities and the countryside "
          "(2016–2020): community service facilities built at 30 square metres per 100 "
          "households"), verified=False, minimum=0, maximum=1000),
    "coverage_target": Rule("coverage_target", _("Target share of communities with a "
                                                 "service facility"), 90, Unit.PERCENT,
                            SEED, minimum=0, maximum=100),
    "area_target": Rule("area_target", _("Target share of communities meeting the floor-area "
                                         "standard"), 90, Unit.PERCENT, SEED,
                        minimum=0, maximum=100),
})

RULESETS = [STANDARD]
