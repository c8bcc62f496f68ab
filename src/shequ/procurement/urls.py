from django.urls import path

from shequ.procurement.views import portal, public, staff

app_name = "procurement"
urlpatterns = [
    path("", public.projects, name="public"),
    path("catalogue/", public.catalogue, name="catalogue"),
    path("p/<str:number>/", public.project, name="public_project"),
    path("p/<str:number>.json", public.record_json, name="record_json"),
    path("ocds/releases.json", public.releases_json, name="releases_json"),
    path("ocds/extension.json", public.extension_json, name="extension"),
    path("ocds/release-schema.json", public.extension_schema, name="extension_schema"),
    path("portal/", portal.portal, name="portal"),
    path("portal/p/<str:number>/", portal.tender, name="tender"),
    path("portal/p/<str:number>/act/", portal.tender_act, name="tender_act"),
    path("staff/", staff.projects, name="projects"),
    path("staff/new/", staff.new_project, name="new_project"),
    path("staff/p/<str:number>/", staff.project, name="project"),
    path("staff/p/<str:number>/act/", staff.act, name="act"),
    path("budgets/", staff.budgets, name="budgets"),
    path("dashboard/", staff.dashboard, name="dashboard"),
    path("dashboard.xlsx", staff.dashboard_xlsx, name="dashboard_xlsx"),
]
