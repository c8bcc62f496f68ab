"""The province's targets for 2015, as the seed article states them: stored once, with
their source, and compared wherever the figure is shown (people, elections, access,
assessment read them through ``rules.resolve("targets", "sichuan-2015", code)``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shequ.rules.types import Rule, RuleSet, Unit

SOURCE = ("四川省民政厅：锦江经验启示（“我省将力争到2015年社区党组织和群众自治组织覆盖率达100%，"
          "社区服务设施综合覆盖率和面积达标率达90%以上，社区居民委员会直接选举面达到80%以上”）")

SICHUAN_2015 = RuleSet(
    module="targets", profile="sichuan-2015", label=_("Sichuan's community targets for 2015"),
    version="2015", rules={r.key: r for r in [
        Rule("party_org_coverage", _("Communities with a party organisation"), ">=1/1",
             Unit.SHARE, SOURCE),
        Rule("autonomous_org_coverage", _("Communities with a residents' or villagers' committee"),
             ">=1/1", Unit.SHARE, SOURCE),
        Rule("facility_coverage", _("Community service facilities: comprehensive coverage"),
             ">=9/10", Unit.SHARE, SOURCE),
        Rule("facility_area_compliance", _("Community service facilities: floor area up to standard"),
             ">=9/10", Unit.SHARE, SOURCE),
        Rule("direct_election_coverage", _("Residents' committees directly elected"),
             ">=4/5", Unit.SHARE, SOURCE),
    ]})
