from django.urls import path

from shequ.elections import views

app_name = "elections"
urlpatterns = [
    path("", views.index, name="index"),
    path("check/", views.check, name="check"),
    path("public/", views.public, name="public"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
    path("coverage/<str:code>/", views.coverage, name="coverage"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/steps/<str:action>/", views.step, name="step"),
    path("<int:pk>/stations/", views.add_station, name="add_station"),
    path("<int:pk>/roll/", views.roll, name="roll"),
    path("<int:pk>/nominations/", views.nominations, name="nominations"),
    path("<int:pk>/tally/", views.tally_entry, name="tally"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/announcement.pdf", views.announcement_pdf, name="pdf"),
    path("<int:pk>/roll.pdf", views.roll_pdf, name="roll_pdf"),
    path("<int:pk>/roll.xlsx", views.roll_xlsx, name="roll_xlsx"),
    path("<int:pk>/voters/<int:voter_id>/card.pdf", views.voter_card_pdf, name="voter_card"),
]
