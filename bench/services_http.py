"""Benchmark: submitting a case through the HTTP API on PostgreSQL, against bare
endpoints of the same stack inserting one row in one transaction, and pgbench's
single-row insert rate on the same server.

Two bare endpoints (bench/services_wsgi.py), both behind the same bearer-token check as
the submission: ``bare`` inserts with raw SQL (the strict reference, on which the 0.5
target is judged) and ``bare-orm`` is written the usual way (schema in, ORM insert,
schema out). gunicorn with 4 sync workers on 127.0.0.1; a Python load generator with 8
concurrent clients (threads), a bounded number of requests per endpoint, alternating
rounds so every endpoint sees the same machine load. Case submissions spread over
Jinjiang's 11 streets (each street numbers its own cases). Writes the "http" section of
bench/results/services.txt.

    .venv/bin/python bench/services_http.py [--requests 3000] [--rounds 10] [--clients 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from _common import ROOT, fresh_database, setup_django
from services_results import write_section


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


PORT = _free_port()
DBNAME = "shequ_bench_services_http"


def prepare() -> tuple[str, list[str]]:
    url = fresh_database(DBNAME)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from shequ.accounts.models import ApiToken
    from shequ.accounts.tests.factories import make_user
    from shequ.areas.models import Area, Level
    from shequ.areas.services import import_divisions
    from shequ.authz import SYSTEM
    from shequ.services import services

    import_divisions(actor=SYSTEM, within="510104")
    services.publish_item(actor=SYSTEM, code="JJ-GF-001", area_code="510104", name="居住证申领",
                          legal_basis="《居住证暂行条例》第十条", handler_level="station",
                          delegation_mode="front_desk", decided_by="district",
                          kind="confirmation", period_basis="《居住证暂行条例》第九条",
                          department="公共服务办公室",
                          department_category="public_service", statutory_days=15,
                          promised_days=7, materials=[{"code": "id", "name": "居民身份证"}])
    user = make_user("district_admin", "510104", username="bench")
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="bench", key_hash=ApiToken.hash_key(key))
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE bench_bare (id bigserial PRIMARY KEY, payload text, "
                    "at timestamptz)")
    communities = list(Area.objects.filter(code__startswith="510104", level=Level.COMMUNITY,
                                           valid_to__isnull=True)
                       .values_list("code", flat=True))
    connection.close()
    return key, communities


def run(path: str, body_of: object, key: str, total: int, clients: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        mine: list[float] = []
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            body = json.dumps(body_of()).encode()  # type: ignore[operator]
            t0 = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            conn.request("POST", path, body, {"Content-Type": "application/json",
                                              "Authorization": f"Bearer {key}"})
            resp = conn.getresponse()
            resp.read()
            conn.close()
            mine.append(time.perf_counter() - t0)
            if resp.status not in (200, 201):
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, latencies, errors[0]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def pgbench(url: str, clients: int, seconds: int) -> float:
    script = Path(tempfile.mkstemp(suffix=".sql")[1])
    script.write_text("INSERT INTO bench_bare (payload, at) VALUES ('pgbench', now());\n")
    out = subprocess.run(["pgbench", "-n", "-c", str(clients), "-j", "2", "-T", str(seconds),
                          "-f", str(script), url], capture_output=True, text=True, check=True)
    script.unlink()
    return float(re.search(r"tps = ([\d.]+)", out.stdout).group(1))  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000, help="per endpoint, measured")
    parser.add_argument("--clients", type=int, default=8)
    # short alternating rounds: this shared VM's speed drifts by 10-30 % within a minute,
    # and long rounds let one endpoint catch a fast minute and the other a slow one
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    key, communities = prepare()
    url = os.environ["DATABASE_URL"]
    env = {**os.environ, "DATABASE_URL": url, "SHEQU_DEBUG": "0"}
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{PORT}",
         "--pythonpath", str(ROOT / "bench"), "--log-level", "warning",
         "services_wsgi:application"], env=env)
    try:
        for _ in range(100):
            if server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            try:
                c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                c.request("GET", "/api/v1/health")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)

        def case_body() -> dict[str, str]:
            return {"item_code": "JJ-GF-001", "area_code": random.choice(communities),
                    # a different person each time: the desk warns of an open case of the
                    # same item for the same person, and that check is part of the path
                    "applicant_name": f"压测{uuid.uuid4().hex[:8]}", "phone": "13800001234",
                    "channel": "desk",
                    "idempotency_key": uuid.uuid4().hex}

        def bare_body() -> dict[str, str]:
            return {"payload": uuid.uuid4().hex}

        endpoints = {"bare": ("/bench/bare", bare_body),
                     "bare-orm": ("/bench/bare-orm", bare_body),
                     "submit": ("/api/v1/services/cases", case_body)}
        for _name, (path, body) in endpoints.items():  # warm-up: imports, connections
            run(path, body, key, 200, args.clients)
        results: dict[str, list[tuple[float, list[float], int]]] = {k: [] for k in endpoints}
        per_round = args.requests // args.rounds
        for _ in range(args.rounds):
            for name, (path, body) in endpoints.items():
                results[name].append(run(path, body, key, per_round, args.clients))
    finally:
        server.terminate()
        server.wait(timeout=20)
    failed = {k: sum(r[2] for r in v) for k, v in results.items()}
    if any(failed.values()):
        raise SystemExit(f"requests failed: {failed}")
    tps_pg = pgbench(url, args.clients, 10)
    lines = [f"gunicorn 4 sync workers, {args.clients} concurrent clients (Python threads, new "
             f"connection per request, same host), {args.requests} measured requests per "
             f"endpoint in {args.rounds} alternating rounds after 200 warm-up requests each; "
             f"the same token auth on every endpoint; the site's database settings "
             f"(CONN_MAX_AGE={os.environ.get('BENCH_CONN_MAX_AGE', '60')}, PostgreSQL "
             f"server-side binding {os.environ.get('SHEQU_PG_SERVER_BINDING', '1') != '0'})."]
    summary = {}
    for name, runs in results.items():
        wall = sum(r[0] for r in runs)
        lat = [x for r in runs for x in r[1]]
        errors = sum(r[2] for r in runs)
        summary[name] = len(lat) / wall
        lines.append(f"{name:>8}: {len(lat) / wall:7.1f} req/s  p50 {pct(lat, .5):6.1f} ms  "
                     f"p95 {pct(lat, .95):6.1f} ms  p99 {pct(lat, .99):6.1f} ms  "
                     f"mean {statistics.mean(lat) * 1000:6.1f} ms  errors {errors}")
    lines.append(f"ratio submit/bare: {summary['submit'] / summary['bare']:.2f} (target >= 0.5)")
    lines.append(f"ratio submit/bare-orm: {summary['submit'] / summary['bare-orm']:.2f}")
    lines.append(f"pgbench single-row INSERT, {args.clients} clients, 10 s: {tps_pg:.0f} tps "
                 "(the database's limit on this machine)")
    write_section("http", lines)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
