from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "shequ.linkage"
    label = "linkage"
    verbose_name = _("Community, organisation and social-worker linkage")

    def ready(self) -> None:
        from shequ import authz
        from shequ import rules as shequ_rules
        from shequ.authz import STAFF_ROLES, Role
        from shequ.core.registry import NavItem, register_console, register_nav
        from shequ.linkage import console, rules
        from shequ.linkage.enums import Perm

        community = {Role.COMMUNITY_WORKER, Role.STATION_WORKER, Role.STREET_OFFICER,
                     Role.CIVIL_AFFAIRS, Role.DISTRICT_ADMIN}
        authz.declare(Perm, {
            Perm.VIEW: STAFF_ROLES,
            Perm.POST: community,
            Perm.RESPOND: {Role.ORG_USER, Role.COMMUNITY_WORKER},
            Perm.WORKERS: {Role.STREET_OFFICER, Role.CIVIL_AFFAIRS, Role.DISTRICT_ADMIN},
        })
        shequ_rules.register(rules.RULESET)
        register_nav(
            NavItem(_("Service invitations"), "linkage:inbox", Perm.RESPOND, "self", 51),
            NavItem(_("Community needs"), "linkage:needs", Perm.VIEW, "staff", 55),
            NavItem(_("Social workers"), "linkage:workers", Perm.WORKERS, "staff", 56),
        )
        register_console(console.items)
