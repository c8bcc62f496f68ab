from django.urls import path

from shequ.orgs.views import applications, portal, public, staff

app_name = "orgs"
urlpatterns = [
    path("", public.directory, name="directory"),
    path("o/<int:org_id>/", public.profile, name="profile"),
    path("o/<int:org_id>/complain/", public.complain, name="complain"),
    path("o/<int:org_id>/staff/<str:what>/", staff.org_staff, name="org_staff"),
    path("indicators/", public.indicators, name="indicators"),
    path("portal/", portal.portal, name="portal"),
    path("portal/apply/", portal.apply, name="apply"),
    path("portal/o/<int:org_id>/", portal.manage, name="manage"),
    path("a/<str:number>/", applications.detail, name="application"),
    path("a/<str:number>/act/", applications.act, name="act"),
    path("a/<str:number>/<str:kind>.pdf", applications.document, name="document"),
    path("queue/", staff.queue, name="queue"),
    path("registry/", staff.registry, name="registry"),
    path("registry.xlsx", staff.registry_xlsx, name="registry_xlsx"),
    path("supervision/", staff.supervision, name="supervision"),
    path("supervision/<str:what>/<int:pk>/", staff.supervision_act, name="supervision_act"),
    path("penalties/<int:pk>.pdf", staff.penalty_pdf, name="penalty_pdf"),
    path("support/", staff.support, name="support"),
    path("support/<str:what>/<int:pk>/", staff.support_act, name="support_act"),
]
