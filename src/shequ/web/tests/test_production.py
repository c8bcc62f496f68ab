"""The production server (issue 13 item 5, ADR 0015): real gunicorn started by
``shequ serve`` on a free port with production settings serves pages, their CSS and
scripts (WhiteNoise, hashed names), the API documentation, the health probes, sends the
Content-Security-Policy and logs JSON lines; and in a browser, nothing breaks under that
policy."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import Client
from django.urls import include, path

from shequ.api import health
from shequ.core.charts import Chart, Series

REPO = Path(__file__).resolve().parents[4]
KEYS = {
    "SHEQU_SECRET_KEY": "tEst-only-Q7vX2mK9pL4sN8rB3wY6zC1dF5gH0jA-secret-key-0123",
    "SHEQU_AUDIT_KEY": "audit-key-of-this-test-site-0123456789abcdef",
    "SHEQU_PII_KEYS": "k1:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=",
    "SHEQU_PII_HASH_KEY": "lookup-key-of-this-test-site-0123456789abcdef",
}
POLICY = {"default-src": "'self'",
          "script-src": "'self' 'unsafe-hashes' 'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY=' "
                        "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='",
          "style-src": "'self'",
          "style-src-attr": "'unsafe-inline'", "img-src": "'self' data:", "font-src": "'self'",
          "connect-src": "'self'", "object-src": "'none'", "base-uri": "'self'",
          "form-action": "'self'", "frame-ancestors": "'none'"}


def _policy(header: str) -> dict[str, str]:
    return dict(d.strip().split(" ", 1) for d in header.split(";"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310  (loopback only)
    try:
        with urllib.request.urlopen(request, timeout=20) as r:  # noqa: S310
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.mark.slow
def test_shequ_serve_in_production(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SHEQU_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(KEYS, SHEQU_ENV="production", SHEQU_ALLOWED_HOSTS="127.0.0.1",
               SHEQU_HTTPS="1", DATABASE_URL=f"sqlite:///{tmp_path}/site.sqlite3",
               SHEQU_STATIC_ROOT=str(tmp_path / "static"), SHEQU_DATA_DIR=str(tmp_path))
    cli = [sys.executable, "-m", "shequ.cli"]
    done = subprocess.run([*cli, "migrate", "-v0"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen([*cli, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                              cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _h, body = _get(f"{base}/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "the server did not start in 120 s"
            time.sleep(0.5)
        assert json.loads(body)["status"] == "ok"
        status, _h, body = _get(f"{base}/readyz")
        assert (status, json.loads(body)) == (200, {"status": "ready", "checks": {
            "database": "ok", "migrations": "ok"}})

        # plain HTTP is sent to HTTPS; the proxy's X-Forwarded-Proto says it was HTTPS
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            opener.open(f"{base}/", timeout=20)
            redirected = None
        except urllib.error.HTTPError as e:
            redirected = (e.code, e.headers["Location"])
        assert redirected == (301, f"https://127.0.0.1:{port}/")
        https = {"X-Forwarded-Proto": "https"}
        status, headers, body = _get(f"{base}/", **https)
        page = body.decode()
        assert status == 200 and "<html" in page
        assert _policy(headers["Content-Security-Policy"]) == POLICY
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        css = re.search(r'href="(/static/shequ/app\.[0-9a-f]{12}\.css)"', page)
        assert css, "the stylesheet is linked under its hashed name"
        status, headers, body = _get(base + css.group(1), **https)
        assert status == 200 and headers["Content-Type"].startswith("text/css")
        assert "max-age=315360000" in headers["Cache-Control"] and b"{" in body
        charts = re.search(r'src="(/static/shequ/charts\.[0-9a-f]{12}\.js)" '
                           r'data-echarts="(/static/vendor/echarts/echarts\.min\.[0-9a-f]{12}\.js)"',
                           page)
        assert charts
        for asset in charts.groups():
            status, headers, _b = _get(base + asset, **https)
            assert status == 200 and "javascript" in headers["Content-Type"]
        status, headers, body = _get(f"{base}/api/v1/docs", **https)
        docs = body.decode()
        assert status == 200 and _policy(headers["Content-Security-Policy"]) == POLICY
        assets = re.findall(r'(?:href|src)="(/static/ninja/[^"]+)"', docs)
        assert len(assets) >= 3
        for asset in assets:
            assert _get(base + asset, **https)[0] == 200, asset
        status, _h, body = _get(f"{base}/api/v1/openapi.json", **https)
        assert status == 200 and json.loads(body)["info"]["title"] == "shequ API"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    log.seek(0)
    lines = [json.loads(line) for line in log.read().splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("logger") == "gunicorn.access"]
    assert {"path": "/readyz", "status": 200} in [
        {"path": r["path"], "status": r["status"]} for r in requests]
    assert any(line.get("logger") == "gunicorn.error" for line in lines)


def test_readiness_reports_pending_migrations(client: Client, db: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [1, 2])
    r = client.get("/readyz")
    assert (r.status_code, r.json()) == (503, {"status": "not_ready", "checks": {
        "database": "ok", "migrations": "2 pending"}})
    assert r["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert client.get("/healthz").json()["status"] == "ok"


def test_readiness_when_the_database_does_not_answer(client: Client, db: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.utils import OperationalError

    class Down:
        def cursor(self) -> Any:
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connections", {health.DEFAULT_DB_ALIAS: Down()})
    r = client.get("/readyz")
    assert (r.status_code, r.json()) == (503, {"status": "not_ready", "checks": {
        "database": "unreachable"}})


# A page with a chart, only for the browser test below: no page has one yet.
def _chart_page(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string(
        '{% extends "base.html" %}{% load shequ %}{% block content %}'
        "{% chart c %}{% endblock %}")
    chart = Chart(id="population", title="人口", categories=["督院街社区", "春熙路社区"],
                  series=[Series(name="人口", values=[8100, 7600])])
    return HttpResponse(template.render({"c": chart}, request))


def _handler_page(request: HttpRequest) -> HttpResponse:
    """The round selector of elections' tally page, as it is written there."""
    return HttpResponse(
        '<!doctype html><form method="get"><select id="round" name="round" '
        'onchange="this.form.submit()"><option value="1">1</option><option value="2">2'
        "</option></select></form><p onclick=\"document.title='injected'\">x</p>")


urlpatterns = [path("chart/", _chart_page), path("handler/", _handler_page),
               path("", include("shequ.urls"))]


@pytest.mark.browser
@pytest.mark.urls("shequ.web.tests.test_production")
@pytest.mark.django_db(transaction=True)
def test_nothing_breaks_under_the_content_security_policy(page: Any, live_server: Any) -> None:
    """The API documentation (ninja's Swagger UI) and a chart (ECharts, loaded by
    charts.js) work with scripts and styles from this site only."""
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "shequ API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-tag-section")
    page.goto(f"{live_server.url}/chart/")
    page.wait_for_selector(".chart-canvas[data-drawn='1'] svg")
    page.goto(f"{live_server.url}/")
    assert violations == []
    # the two allowed inline handlers run; any other is refused
    page.goto(f"{live_server.url}/handler/")
    page.select_option("#round", "2")
    page.wait_for_url("**/handler/?round=2")
    page.click("p")
    assert page.title() != "injected"
    assert violations and all("inline event handler" in v for v in violations)


def test_inline_event_handlers_are_exactly_the_ones_the_policy_allows(settings: Any) -> None:
    """A new ``onclick="…"`` would silently not run under the policy: it must be a static
    script instead. The allowed ones leave the list when their pages lose them."""
    src = Path(__file__).resolve().parents[2]
    found = {m.group(1) for t in src.glob("*/templates/**/*.html")
             for m in re.finditer(r'\son[a-z]+="([^"]*)"', t.read_text(encoding="utf-8"))}
    assert found == set(settings.CSP_INLINE_HANDLERS)
