from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("shequ.api.urls")),
    path("people/", include("shequ.people.urls")),
    path("services/", include("shequ.services.urls")),
    path("elections/", include("shequ.elections.urls")),
    path("autonomy/", include("shequ.autonomy.urls")),
    path("rules/", include("shequ.rules.urls")),
    path("access/", include("shequ.access.urls")),
    path("orgs/", include("shequ.orgs.urls")),
    path("linkage/", include("shequ.linkage.urls")),
    path("procurement/", include("shequ.procurement.urls")),
    path("assessment/", include("shequ.assessment.urls")),
    path("", include("shequ.web.urls")),
]
