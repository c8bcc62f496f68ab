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
# The site's own settings (persistent connections, server-side binding on PostgreSQL);
# BENCH_CONN_MAX_AGE=0 measures a new connection per request instead.
if "BENCH_CONN_MAX_AGE" in os.environ:
    settings.DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])
application = get_wsgi_application()

from django.db import connection, models, transaction  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from ninja import NinjaAPI, Schema  # noqa: E402

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


class BenchRow(models.Model):
    """The bench's own table (created by services_http.py, not by a migration)."""

    payload = models.TextField()
    at = models.DateTimeField()

    class Meta:
        app_label = "core"
        managed = False
        db_table = "bench_bare"

    def __str__(self) -> str:
        return str(self.pk)


class BareIn(Schema):
    payload: str


class BareOut(Schema):
    id: int


@bare.post("/bare-orm", response={201: BareOut})
def bare_orm_insert(request: HttpRequest, payload: BareIn) -> tuple[int, BenchRow]:
    """The same as a Django developer writes it: a schema in, the ORM, a schema out."""
    with transaction.atomic():
        row = BenchRow.objects.create(payload=payload.payload[:500], at=timezone.now())
    return 201, row


urlpatterns = [path("bench/", bare.urls), *shequ.urls.urlpatterns]
