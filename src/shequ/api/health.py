"""Health probes for the proxy, the orchestrator and the operator (ADR 0015).

* ``/healthz`` — liveness: the process answers. Touches nothing else, so a database outage
  does not get every application server restarted.
* ``/readyz`` — readiness: the database answers and every migration is applied; 503 with
  what is missing otherwise, so the proxy sends no traffic to a server that would fail.

Both are public, never cached, exempt from the HTTPS redirect (probes come over plain
HTTP from inside), and say nothing about the database beyond "ok" or what is wrong.
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import Error as DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from shequ import __version__

log = logging.getLogger("shequ.health")
_migrated = False  # once every migration is applied, this process need not look again


def pending_migrations() -> int:
    global _migrated
    if _migrated:
        return 0
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrated = pending == 0
    return pending


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "version": __version__})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        checks["database"] = "ok"
    except DatabaseError:
        log.exception("readiness: the database does not answer")
        checks["database"] = "unreachable"
    if checks["database"] == "ok":
        try:
            pending = pending_migrations()
            checks["migrations"] = "ok" if not pending else f"{pending} pending"
        except DatabaseError:
            log.exception("readiness: cannot read the migration state")
            checks["migrations"] = "unknown"
    ready = all(v == "ok" for v in checks.values()) and "migrations" in checks
    return JsonResponse({"status": "ready" if ready else "not_ready", "checks": checks},
                        status=200 if ready else 503)
