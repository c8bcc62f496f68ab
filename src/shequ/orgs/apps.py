from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "shequ.orgs"
    label = "orgs"
    verbose_name = _("Social organisations")

    def ready(self) -> None:
        from shequ import authz
        from shequ import rules as shequ_rules
        from shequ.authz import STAFF_ROLES, Role
        from shequ.core.registry import NavItem, register_console, register_home, register_nav
        from shequ.orgs import console, rules
        from shequ.orgs.enums import Perm

        bureau = {Role.CIVIL_AFFAIRS, Role.DISTRICT_ADMIN}
        authz.declare(Perm, {
            Perm.VIEW: STAFF_ROLES,
            Perm.APPLY: {Role.ORG_USER},
            Perm.FILING_DECIDE: {Role.STREET_OFFICER, Role.DISTRICT_ADMIN},
            Perm.REGISTRATION_DECIDE: bureau,
            # checked where the file is kept: a street supervises its filed organisations
            Perm.SUPERVISE: bureau | {Role.STREET_OFFICER},
            Perm.PENALISE: bureau | {Role.STREET_OFFICER},
            Perm.EVALUATE: bureau,
            Perm.COMPLAIN: set(Role),
            Perm.SUPPORT: bureau,
            Perm.STATS: bureau | {Role.STREET_OFFICER},
            Perm.IMPORT: bureau,
        })
        shequ_rules.register(rules.RULESET)
        register_nav(
            NavItem(_("Social organisations"), "orgs:directory", None, "public", 50),
            NavItem(_("Organisation indicators"), "orgs:indicators", None, "public", 51),
            NavItem(_("My organisation"), "orgs:portal", Perm.APPLY, "self", 50),
            NavItem(_("Organisation review"), "orgs:queue", Perm.SUPERVISE, "staff", 50),
            NavItem(_("Organisation supervision"), "orgs:supervision", Perm.SUPERVISE, "staff", 51),
            NavItem(_("Organisation registry"), "orgs:registry", Perm.VIEW, "staff", 52),
            NavItem(_("Incubation and grants"), "orgs:support", Perm.SUPPORT, "staff", 53),
        )
        register_home(Role.ORG_USER, "orgs:portal")
        register_console(console.items)
        from shequ.orgs import tasks  # noqa: F401  (registers the periodic sweep)
        __import__("shequ.orgs.indicators", fromlist=["register"]).register()  # ADR 0019
