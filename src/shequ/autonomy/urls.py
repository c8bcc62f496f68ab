from django.urls import path

from shequ.autonomy import views

app_name = "autonomy"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("desk/", views.desk, name="desk"),
    path("c/<str:code>/", views.community, name="community"),
    path("c/<str:code>/propose/", views.propose, name="propose"),
    path("c/<str:code>/act/", views.community_act, name="community_act"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("proposals/<int:pk>/act/", views.proposal_act, name="proposal_act"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/act/", views.meeting_act, name="meeting_act"),
    path("c/<str:code>/proposals.xlsx", views.export_xlsx, {"what": "proposals"},
         name="export_proposals"),
    path("c/<str:code>/representatives.xlsx", views.export_xlsx, {"what": "representatives"},
         name="export_representatives"),
    path("meetings/<int:pk>/notice.pdf", views.meeting_notice, name="meeting_notice"),
    path("disclosures/<int:pk>/", views.disclosure, name="disclosure"),
    path("disclosures/<int:pk>/act/", views.disclosure_act, name="disclosure_act"),
    path("evaluations/<int:pk>/", views.evaluation, name="evaluation"),
    path("evaluations/<int:pk>/act/", views.evaluation_act, name="evaluation_act"),
    path("requests/<int:pk>/", views.convene_request, name="request"),
    path("requests/<int:pk>/act/", views.convene_request_act, name="request_act"),
    path("recalls/<int:pk>/", views.recall, name="recall"),
    path("recalls/<int:pk>/act/", views.recall_act, name="recall_act"),
]
