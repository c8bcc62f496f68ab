from django.urls import path

from shequ.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.needs, name="needs"),
    path("needs/<int:need_id>/", views.need, name="need"),
    path("needs/<int:need_id>/invite/", views.invite, name="invite"),
    path("needs/<int:need_id>/act/", views.need_act, name="need_act"),
    path("engagements/<int:engagement_id>/act/", views.engagement_act, name="engagement_act"),
    path("inbox/", views.inbox, name="inbox"),
    path("workers/", views.workers, name="workers"),
]
