from django.urls import path

from shequ.api.api import api

urlpatterns = [path("api/v1/", api.urls)]
