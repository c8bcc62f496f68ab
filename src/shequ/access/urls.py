from django.urls import path

from shequ.access import views

app_name = "access"
urlpatterns = [
    path("", views.index, name="index"),
    path("a/<str:code>/", views.coverage, name="coverage"),
    path("a/<str:code>/analyse/", views.analyse, name="analyse"),
    path("analyses/<int:pk>/map.png", views.map_png, name="map"),
    path("analyses/<int:pk>/geojson", views.geojson, name="geojson"),
    path("analyses/<int:pk>/excel", views.excel, name="excel"),
    path("analyses/<int:pk>/site/", views.site, name="site"),
    path("siting/<int:pk>/", views.siting, name="siting"),
    path("siting/<int:pk>/map.png", views.siting_png, name="siting_map"),
    path("networks/", views.networks, name="networks"),
    path("networks/<int:pk>/retire/", views.retire, name="retire"),
    path("facilities/", views.facilities, name="facilities"),
]
