from django.urls import path

from shequ.services import open311, views

app_name = "services"
urlpatterns = [
    path("", views.portal, name="portal"),
    path("apply/<str:code>/", views.apply, name="apply"),
    path("mine/", views.mine, name="mine"),
    path("progress/", views.progress, name="progress"),
    path("desk/", views.desk, name="desk"),
    path("work/", views.work, name="work"),
    path("work/export/", views.work_export, name="work_export"),
    path("work/export/<int:pk>.xlsx", views.work_download, name="work_download"),
    path("cases/<str:number>/", views.case_detail, name="case"),
    path("cases/<str:number>/act/", views.case_act, name="act"),
    path("cases/<str:number>/files/<int:pk>/", views.attachment, name="attachment"),
    path("cases/<str:number>/documents/<str:name>/<int:event_id>.pdf", views.document,
         name="document"),
    path("stats/", views.stats, name="stats"),
    path("stats/export/", views.stats_export, name="stats_export"),
    path("stats/export/<int:pk>.xlsx", views.stats_download, name="stats_download"),
    # Open311 GeoReport v2
    path("open311/v2/services.json", open311.service_list, name="open311_services"),
    path("open311/v2/services/<str:code>.json", open311.service_definition,
         name="open311_service"),
    path("open311/v2/requests.json", open311.requests, name="open311_requests"),
    path("open311/v2/requests/<str:number>.json", open311.request_detail,
         name="open311_request"),
]
