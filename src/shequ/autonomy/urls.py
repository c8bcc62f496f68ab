from django.urls import path

from shequ.autonomy import views

app_name = "autonomy"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("desk/", views.desk, name="desk"),
]
