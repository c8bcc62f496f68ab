from django.urls import path

from shequ.people import views

app_name = "people"
urlpatterns = [
    path("", views.residents, name="residents"),
    path("residents/new/", views.resident_new, name="resident_new"),
    path("residents/<int:pk>/", views.resident_detail, name="resident"),
    path("residents/<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("residents/<int:pk>/correct-id/", views.correct_id, name="correct_id"),
    path("elsewhere/", views.elsewhere_attempts, name="elsewhere"),
    path("residents/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("residents/<int:pk>/move-out/", views.move_out, name="move_out"),
    path("residents/<int:pk>/link-user/", views.link_user, name="link_user"),
    path("households/<int:pk>/", views.household, name="household"),
    path("import/", views.import_page, name="import"),
    path("export/", views.export, name="export"),
    path("me/", views.me, name="me"),
    path("me/copy/", views.me_copy, name="me_copy"),
    path("rights/", views.rights, name="rights"),
    path("rights/<int:pk>/decide/", views.rights_decide, name="rights_decide"),
    path("staff/", views.staff, name="staff"),
    path("staff/new/", views.staff_new, name="staff_new"),
    path("staff/rotation/", views.rotation, name="rotation"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("departments/<int:pk>/", views.department, name="department"),
    path("bodies/", views.bodies, name="bodies"),
    path("bodies/new/", views.body_new, name="body_new"),
    path("bodies/<int:pk>/", views.body_detail, name="body"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
]
