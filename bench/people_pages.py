"""Benchmark (issue 18): the resident register's pages at 1,000,000 residents.

Builds a fresh PostgreSQL database with the demo (Jinjiang: 11 streets, 76 communities,
the demo users), imports 1,000,000 residents spread over the 76 real communities through
the real import (``people.services.import_residents``: parse, validate, encrypt, hash,
COPY + upsert, the writer thread, one transaction), then times, for the district
(``admin``), street (``jiedao``) and community (``shegong``) demo users, one client at a
time, through Django's test client in this process (the whole request: middleware,
session, view, template — but no network and no gunicorn):

* the people list (``GET /people/``) and its next page,
* a name search (``POST /people/`` with the start of a name),
* the API list (``GET /api/v1/people/residents``) and an API name search,

and prints each plan's first lines. Writes ``bench/results/people_pages.txt``.

    .venv/bin/python bench/people_pages.py [--rows 1000000] [--requests 60] [--keep]

With ``--http`` the same pages are also timed over HTTP against gunicorn (4 sync workers,
``shequ.wsgi``) from one client in this process (sessions of the demo users, CSRF token
for the search form): the production-like path the issue measured.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import re
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from _common import ROOT, fresh_database, setup_django, write_results

DBNAME = "shequ_bench_people_pages"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def generate_csv(path: Path, rows: int, communities: list[str]) -> None:
    """Valid identity numbers (GB 11643 check digit), ~3 people per household, names
    from common surnames and given names."""
    from shequ.core.ids import ric_check_char

    start = date(1930, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("姓名,公民身份号码,社区代码,户号,户主,联系电话\n")
        for i in range(rows):
            born = start + timedelta(days=(i // 500) % 30000)
            seq = (i % 500) * 2 + 1
            first17 = f"510104{born:%Y%m%d}{seq:03d}"
            number = first17 + ric_check_char(first17)
            community = communities[(i // 3) % len(communities)]
            name = (SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 20) % len(GIVEN)]
                    + GIVEN[(i // 500) % len(GIVEN)])
            head = "是" if i % 3 == 0 else "否"
            fh.write(f"{name},{number},{community},H{i // 3},{head},138{i % 100000000:08d}\n")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def http_table(database_url: str, clients: dict[str, object], requests: int, probe: str
               ) -> list[str]:
    """The same pages over HTTP against gunicorn (4 workers), one client at a time."""
    import http.client
    import socket
    import subprocess
    import urllib.parse

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "shequ.wsgi:application", "-w", "4", "-b",
         f"127.0.0.1:{port}", "--log-level", "warning"], env=env, cwd=str(ROOT))
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        out = ["", f"| over HTTP, gunicorn 4 workers (ms, {requests} requests, 1 client) "
                   "| district (admin) p50 / p95 | street (jiedao) p50 / p95 "
                   "| community (shegong) p50 / p95 |", "|---|---|---|---|"]
        cells: dict[str, list[str]] = {}
        for name, client in clients.items():
            session = client.cookies["sessionid"].value  # type: ignore[attr-defined]
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            cookie = f"sessionid={session}"

            def get(path: str, conn: http.client.HTTPConnection = conn,
                    cookie: str = cookie) -> tuple[int, bytes, list[str]]:
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                r = conn.getresponse()
                return r.status, r.read(), r.headers.get_all("Set-Cookie") or []

            status, body, set_cookies = get("/people/")
            assert status == 200, (name, status)
            token = next(c.split("=", 1)[1].split(";")[0] for c in set_cookies
                         if c.startswith("csrftoken="))
            cookie += f"; csrftoken={token}"
            nxt = html.unescape(re.search(r'href="([^"]+)" id="next-page"',
                                          body.decode()).group(1))  # type: ignore[union-attr]

            def post(path: str, data: dict[str, str], conn: http.client.HTTPConnection = conn,
                     cookie: str = cookie, token: str = token) -> tuple[int, bytes, list[str]]:
                conn.request("POST", path, body=urllib.parse.urlencode(data), headers={
                    "Cookie": cookie, "Host": "127.0.0.1", "X-CSRFToken": token,
                    "Content-Type": "application/x-www-form-urlencoded"})
                r = conn.getresponse()
                return r.status, r.read(), []

            q = urllib.parse.quote(probe)
            calls = {
                "people list": lambda g=get: g("/people/"),
                "people list, next page": lambda g=get, n=nxt: g("/people/" + n),
                f"name search ({probe}…)": lambda p=post: p("/people/", {"q": probe}),
                "GET /api/v1/people/residents": lambda g=get: g("/api/v1/people/residents"),
                f"GET /api/v1/people/residents?q={probe}": lambda g=get, q=q: g(
                    f"/api/v1/people/residents?q={q}"),
            }
            for label, call in calls.items():
                for _ in range(3):
                    status = call()[0]
                    assert status == 200, (label, name, status)
                times = []
                for _ in range(requests):
                    t = time.perf_counter()
                    call()
                    times.append((time.perf_counter() - t) * 1000)
                cells.setdefault(label, []).append(
                    f"{statistics.median(times):.1f} / {percentile(times, 95):.1f}")
            conn.close()
        out += [f"| {label} | " + " | ".join(row) + " |" for label, row in cells.items()]
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--keep", action="store_true", help="reuse the database if it is loaded")
    ap.add_argument("--csv", type=Path, default=Path("/tmp/shequ_bench_people_pages.csv"))
    ap.add_argument("--http", action="store_true", help="also time through gunicorn")
    args = ap.parse_args()

    base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    url = f"{base}/{DBNAME}" if args.keep else fresh_database(DBNAME)
    setup_django(url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    from shequ.areas.models import Area, Level
    from shequ.authz import SYSTEM
    from shequ.people import importer, selectors, services
    from shequ.people.models import Resident

    lines: list[str] = []
    if not (args.keep and Resident.objects.count() >= args.rows):
        t = time.perf_counter()
        call_command("demo", "--no-serve", stdout=io.StringIO())
        lines.append(f"demo loaded in {time.perf_counter() - t:.0f} s")
        communities = list(Area.objects.filter(level=Level.COMMUNITY, code__startswith="510104")
                           .order_by("code").values_list("code", flat=True))
        t = time.perf_counter()
        generate_csv(args.csv, args.rows, communities)
        lines.append(f"CSV of {args.rows:,} rows over {len(communities)} communities "
                     f"generated in {time.perf_counter() - t:.0f} s")
        t = time.perf_counter()
        report = services.import_residents(actor=SYSTEM, batch_size=10_000,
                                           rows=importer.read_file(args.csv))
        took = time.perf_counter() - t
        lines.append(f"import (the real service, writer thread, one transaction): "
                     f"{report.rows:,} rows, {report.created:,} created, "
                     f"{len(report.errors)} errors, {took:.0f} s ({report.rows / took:,.0f} rows/s)")
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE people_resident")
            cur.execute("VACUUM ANALYZE people_household")
    total = Resident.objects.count()
    in_community = Resident.objects.filter(community_code="510104022009").count()
    lines.append(f"people_resident: {total:,} rows; 督院街社区 510104022009: {in_community:,}")

    from django.contrib.auth import get_user_model

    users = {name: get_user_model().objects.get(username=name)
             for name in ("admin", "jiedao", "shegong")}
    probe = "张敏"
    table = ["", f"| page (ms, {args.requests} requests, 1 client) | district (admin) p50 / p95 "
                 "| street (jiedao) p50 / p95 | community (shegong) p50 / p95 |",
             "|---|---|---|---|"]
    pages = {
        "people list": lambda c: c.get("/people/"),
        "people list, next page": lambda c: c.get("/people/" + c.next_url),
        f"name search ({probe}…)": lambda c: c.post("/people/", {"q": probe}),
        "GET /api/v1/people/residents": lambda c: c.get("/api/v1/people/residents"),
        f"GET /api/v1/people/residents?q={probe}": lambda c: c.get(
            "/api/v1/people/residents", {"q": probe}),
    }
    clients = {}
    for name, user in users.items():
        c = Client()
        c.force_login(user)
        first = c.get("/people/")
        assert first.status_code == 200, (name, first.status_code)
        found = re.search(r'href="([^"]+)" id="next-page"', first.content.decode())
        assert found, name
        c.next_url = html.unescape(found.group(1))  # type: ignore[attr-defined]
        clients[name] = c
    load = os.getloadavg()
    for label, call in pages.items():
        cells = []
        for name in ("admin", "jiedao", "shegong"):
            c = clients[name]
            for _ in range(3):
                r = call(c)
                assert r.status_code == 200, (label, name, r.status_code)
            times = []
            for _ in range(args.requests):
                t = time.perf_counter()
                call(c)
                times.append((time.perf_counter() - t) * 1000)
            cells.append(f"{statistics.median(times):.1f} / {percentile(times, 95):.1f}")
        table.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.insert(0, "load average before timing (1/5/15 min, 2 cores shared with other "
                    "engineers' tests and benchmarks): " + " / ".join(f"{x:.1f}" for x in load))
    lines += table
    if args.http:
        lines += http_table(url, clients, args.requests, probe)
    lines.append("")
    lines.append("plans (EXPLAIN ANALYZE of the list query, first page):")
    for name, user in users.items():
        for q in ("", probe):
            qs = selectors.residents(user=user, q=q)[:51]
            sql, params = qs.query.sql_with_params()
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = [r[0].strip() for r in cur.fetchall()]
            lines.append(f"  {name} q={q!r}: " + " / ".join(plan[:5]) + " / " + plan[-1])
    lines.append("load average after timing: "
                 + " / ".join(f"{x:.1f}" for x in os.getloadavg()))
    write_results("people_pages", lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    main()
