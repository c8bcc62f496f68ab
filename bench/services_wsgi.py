"""The site as gunicorn serves it, plus a bare endpoint of the same stack (Django, Ninja,
token auth) that inserts one row in one transaction: the framework's own cost, for
bench/services_http.py. Not part of the product."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

settings.ROOT_URLCONF = "services_wsgi"
# shequ/settings.py means persistent connections (`setdefault("CONN_MAX_AGE", 60)`), but
# dj_database_url already sets CONN_MAX_AGE=0, so the default is a new connection per
# request. The benchmark applies the intended value (reported to the lead).
settings.DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", "60"))
application = get_wsgi_application()

from django.db import connection, transaction  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.urls import path  # noqa: E402
from ninja import NinjaAPI  # noqa: E402

import shequ.urls  # noqa: E402
from shequ.api.auth import TokenAuth  # noqa: E402

bare = NinjaAPI(urls_namespace="bench_bare", auth=[TokenAuth()], docs_url=None,
                openapi_url=None)


@bare.post("/bare")
def bare_insert(request: HttpRequest) -> dict[str, int]:
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("INSERT INTO bench_bare (payload, at) VALUES (%s, now()) RETURNING id",
                    [request.body[:500].decode()])
        (row_id,) = cur.fetchone()
    return {"id": row_id}


urlpatterns = [path("bench/", bare.urls), *shequ.urls.urlpatterns]
