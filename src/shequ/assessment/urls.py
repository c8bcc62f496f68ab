from django.urls import path

from shequ.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
    path("<int:pk>/report.pdf", views.report, name="report"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("figures/", views.figures, name="figures"),
]
