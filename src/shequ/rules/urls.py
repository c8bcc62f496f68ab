from django.urls import path

from shequ.rules import views

app_name = "rules"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:module>/<str:profile>/", views.profile, name="profile"),
]
