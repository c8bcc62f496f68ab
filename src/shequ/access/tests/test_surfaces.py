"""Pages, API and CLI: both sides of each permission, Chinese texts, downloads."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from shequ.access import services
from shequ.access.models import Analysis, Facility, Network, NetworkState, SitingRun
from shequ.access.tests.factories import make_world
from shequ.access.tests.test_engine import extract
from shequ.authz import SYSTEM

pytestmark = pytest.mark.django_db
DUYUAN = "510104022009"


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    w = make_world()
    services.request_analysis(actor=SYSTEM, area_code="510104")
    return w


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _token(user: Any) -> dict[str, str]:
    from shequ.accounts.services import issue_token

    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=SYSTEM, user=user, name='t')}"}


def test_view_both_sides(world: Any, client: Client, make_user: Any) -> None:
    _login(client, make_user("resident", DUYUAN))
    assert client.get(f"/access/a/{DUYUAN}/").status_code == 403
    client.force_login(make_user("community_worker", DUYUAN))
    index = client.get("/access/").content.decode()
    assert f'href="/access/a/{DUYUAN}/"' in index and 'href="/access/a/510104022/"' not in index
    page = client.get(f"/access/a/{DUYUAN}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "15 分钟服务圈:督院街社区居委会" in html
    assert "本结果基于生成的示意路网(第 1 版),并非真实道路" in html
    assert "测算覆盖情况" not in html  # no button without access.analyse
    # their community's part of the district's analysis, not the street's
    analysis = Analysis.objects.get()
    assert client.get(f"/access/analyses/{analysis.pk}/map.png?within={DUYUAN}").status_code == 200
    assert client.get(f"/access/analyses/{analysis.pk}/map.png?within=510104022").status_code == 404
    assert client.get("/access/a/510104022/").status_code == 403


def test_analyse_both_sides(world: Any, client: Client, make_user: Any) -> None:
    _login(client, make_user("community_worker", DUYUAN))
    assert client.post(f"/access/a/{DUYUAN}/analyse/").status_code == 403
    client.force_login(make_user("street_officer", "510104037"))
    assert client.post("/access/a/510104022/analyse/").status_code == 403
    assert Analysis.objects.count() == 1
    client.force_login(make_user("street_officer", "510104022"))
    r = client.post("/access/a/510104022/analyse/", {"speed": "60"}, follow=True)
    assert r.status_code == 200 and "覆盖分析已完成。" in r.content.decode()
    newest = Analysis.objects.order_by("-id").first()
    assert (newest.area_code, newest.speed, newest.state) == ("510104022", 60, "done")
    r = client.post("/access/a/510104022/analyse/", {"speed": "500"}, follow=True)
    assert "确保该值小于或等于120。" in r.content.decode()
    assert Analysis.objects.count() == 2


def test_siting_from_the_page(world: Any, client: Client, make_user: Any) -> None:
    analysis = Analysis.objects.get()
    _login(client, make_user("community_worker", DUYUAN))
    r = client.post(f"/access/analyses/{analysis.pk}/site/",
                    {"within": DUYUAN, "kind": "max_cover", "k": "1", "band": "15",
                     "time_limit": "30"})
    assert r.status_code == 403 and not SitingRun.objects.exists()
    client.force_login(make_user("street_officer", "510104022"))
    r = client.post(f"/access/analyses/{analysis.pk}/site/",
                    {"within": "510104022", "kind": "max_cover", "k": "1", "band": "15",
                     "time_limit": "30"}, follow=True)
    html = r.content.decode()
    assert "已证明最优" in html and "和美小区" in html
    run = SitingRun.objects.get()
    assert run.area_code == "510104022" and run.objective == 3000
    assert client.get(f"/access/siting/{run.pk}/map.png").content[:8] == b"\x89PNG\r\n\x1a\n"
    r = client.post(f"/access/analyses/{analysis.pk}/site/",
                    {"within": "510104022", "kind": "max_cover", "k": "", "band": "15",
                     "time_limit": "30"}, follow=True)
    assert "请输入新增服务站数量,1 至 50 个。" in r.content.decode()


def test_facilities_both_sides(world: Any, client: Client, make_user: Any,
                               django_assert_max_num_queries: Any) -> None:
    form = {"kind": "elderly", "name": "督院街日间照料中心", "area_code": DUYUAN,
            "lon": "104.0760", "lat": "30.6050", "floor_area": "320"}
    _login(client, make_user("street_officer", "510104022"))
    assert client.post("/access/facilities/", form).status_code == 403
    client.force_login(make_user("civil_affairs", "510104"))
    r = client.post("/access/facilities/", form, follow=True)
    assert "督院街日间照料中心 已列入设施清单。" in r.content.decode()
    assert Facility.objects.filter(name="督院街日间照料中心", floor_area=320).exists()
    r = client.post("/access/facilities/", form | {"name": "别处", "lon": "24.9"})
    assert "确保该值大于或等于73。" in r.content.decode()
    r = client.post("/access/facilities/", form | {"area_code": "510104022"})
    assert "请输入社区的 12 位代码。" in r.content.decode()
    with django_assert_max_num_queries(6):
        assert client.get("/access/facilities/").status_code == 200


def test_network_upload_both_sides(world: Any, client: Client, make_user: Any,
                                   settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    _login(client, make_user("street_officer", "510104022"))
    with extract("test_pbf").open("rb") as fh:
        assert client.post("/access/networks/", {"area_code": "510104", "extract": fh}).status_code == 403
    client.force_login(make_user("civil_affairs", "510104"))
    with extract("test_pbf").open("rb") as fh:
        r = client.post("/access/networks/", {"area_code": "510104", "extract": fh}, follow=True)
    assert "第 2 版正在导入。" in r.content.decode()
    network = Network.objects.get(version=2)
    assert (network.state, network.nodes, network.file_name) == (NetworkState.READY, 980,
                                                                 "test.osm.pbf")
    assert not list((tmp_path / "access" / "uploads").iterdir())  # the upload is removed
    html = client.get("/access/networks/").content.decode()
    assert "孤立部分位于 Suntionkatu、Pulttikatu、OSM 节点 " in html
    bad = io.BytesIO(b"not an extract")
    bad.name = "luwang.osm.pbf"
    client.post("/access/networks/", {"area_code": "510104", "extract": bad})
    assert "luwang.osm.pbf 不是 OpenStreetMap .pbf 数据文件(缺少文件头)。" in client.get(
        "/access/networks/").content.decode()
    # retiring: a street officer sees no button and may not
    client.force_login(make_user("street_officer", "510104"))
    assert client.post(f"/access/networks/{network.pk}/retire/").status_code == 403
    client.force_login(make_user("street_officer", "510104022"))  # cannot even see it
    assert client.post(f"/access/networks/{network.pk}/retire/").status_code == 404
    client.force_login(make_user("civil_affairs", "510104"))
    client.post(f"/access/networks/{network.pk}/retire/")
    network.refresh_from_db()
    assert network.state == NetworkState.RETIRED


def test_downloads(world: Any, client: Client, make_user: Any) -> None:
    from openpyxl import load_workbook

    analysis = Analysis.objects.get()
    _login(client, make_user("civil_affairs", "510104"))
    book = load_workbook(io.BytesIO(client.get(f"/access/analyses/{analysis.pk}/excel").content))
    assert book.sheetnames == ["说明", "分区域覆盖情况", "小区院落", "问题"]
    about = [[c.value for c in row] for row in book["说明"].iter_rows()]
    assert about[2] == ["步行路网", "第 1 版,生成的示意路网(非真实道路)"]
    head = [c.value for c in next(book["分区域覆盖情况"].iter_rows())]
    assert head[:6] == ["区划代码", "区域名称", "居民数", "5 分钟以内", "10 分钟以内", "15 分钟以内"]
    geo = json.loads(client.get(f"/access/analyses/{analysis.pk}/geojson").content)
    assert geo["network"] == {"version": 1, "source": "generated", "generated": True}
    kinds = [f["properties"]["kind"] for f in geo["features"]]
    assert kinds.count("compound") == 7 and kinds.count("station") == 1


def test_api(world: Any, client: Client, make_user: Any) -> None:
    officer = make_user("street_officer", "510104022")
    r = client.post("/api/v1/access/analyses", {"area_code": "510104022"},
                    content_type="application/json", **_token(officer))
    assert r.status_code == 202, r.content
    body = r.json()
    assert body["state"] == "done" and body["generated_network"] is True
    assert body["bands"] == [5, 10, 15] and body["network_version"] == 1
    areas = client.get(f"/api/v1/access/analyses/{body['id']}/areas", **_token(officer)).json()
    assert [a["area_code"] for a in areas["items"]] == ["510104022", "510104022009", "510104022011"]
    outside = client.get(f"/api/v1/access/analyses/{body['id']}/compounds?outside=true",
                         **_token(officer)).json()
    assert [c["name"] for c in outside["items"]] == ["远郊院落", "和美小区"]
    r = client.post(f"/api/v1/access/analyses/{body['id']}/siting",
                    {"kind": "set_cover"}, content_type="application/json", **_token(officer))
    assert r.status_code == 202 and r.json()["proven_optimal"] is True
    resident = make_user("resident", DUYUAN)
    r = client.post("/api/v1/access/analyses", {"area_code": DUYUAN},
                    content_type="application/json", **_token(resident))
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = client.post("/api/v1/access/analyses", {"area_code": "510104037"},
                    content_type="application/json", **_token(officer))
    assert r.status_code == 403
    r = client.post("/api/v1/access/facilities", {"kind": "school", "name": "x",
                                                  "area_code": DUYUAN, "lon": 104.08,
                                                  "lat": 30.61}, content_type="application/json",
                    **_token(officer))
    assert r.status_code == 403


def test_cli(tmp_path: Path) -> None:
    make_world()
    out = io.StringIO()
    call_command("access", "analyse", "--area", "510104", "--no-progress", stdout=out,
                 stderr=io.StringIO())
    analysis = Analysis.objects.get()
    assert out.getvalue().startswith(f"分析 {analysis.pk}:")
    assert "步行 5/10/15 分钟以内" in out.getvalue()
    out = io.StringIO()
    call_command("access", "site", str(analysis.pk), "--k", "2", stdout=out, stderr=io.StringIO())
    run = SitingRun.objects.get()
    assert out.getvalue().startswith(f"选址 {run.pk}:已证明最优;最优值 3,800")
    call_command("access", "export", str(analysis.pk), "--xlsx", str(tmp_path / "c.xlsx"),
                 "--png", str(tmp_path / "m.png"), "--geojson", str(tmp_path / "m.geojson"))
    assert (tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((tmp_path / "m.geojson").read_text())["type"] == "FeatureCollection"
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(b"")
    with pytest.raises(CommandError) as caught:
        call_command("access", "import-pbf", str(bad), "--area", "510104", "--no-progress")
    assert str(caught.value) == "文件 bad.osm.pbf 是空文件。"
    with pytest.raises(CommandError) as grid:
        call_command("access", "grid", "--area", "510104", "--bbox", "1,2,3")
    assert str(grid.value) == "--bbox 需要四个数:西,南,东,北"
