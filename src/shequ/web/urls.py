from django.urls import path

from shequ.web import calendar_views, users_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("console/", views.console, name="console"),
    path("console/areas/<str:code>/", views.area_detail, name="area"),
    path("stations/", views.stations, name="stations"),
    path("console/users/", users_views.users_page, name="users"),
    path("console/users/revoke/", users_views.revoke, name="revoke"),
    path("console/users/<str:username>/", users_views.user_detail, name="user"),
    path("account/", users_views.own_account, name="account"),
    path("me/", views.me, name="me"),
    path("console/audit/", views.audit_log, name="audit"),
    path("console/calendar/", calendar_views.calendar_page, name="calendar"),
]
