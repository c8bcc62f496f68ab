"""Coverage analyses on the database: walking times against brute force (networkx) on a
real OpenStreetMap network and on a generated one, residents-weighted shares, floor
area against the standard, problems reported by name, results tied to their inputs."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest

from shequ.access import selectors, services
from shequ.access.engine.network import WalkNetwork
from shequ.access.engine.paths import snap
from shequ.access.models import (
    Analysis,
    AreaCoverage,
    Facility,
    FacilityKind,
    Network,
    NetworkState,
    RunState,
)
from shequ.access.tests.factories import make_world, point
from shequ.access.tests.test_engine import as_networkx, extract, random_points
from shequ.areas.tests.factories import area, make_tree
from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError

pytestmark = pytest.mark.django_db


def brute_minutes(walk: WalkNetwork, lon: float, lat: float,
                  facilities: list[tuple[float, float]], speed: float) -> float:
    g = as_networkx(walk)
    c = snap(walk, np.array([lon]), np.array([lat]), 1e9)
    f = snap(walk, np.array([p[0] for p in facilities]), np.array([p[1] for p in facilities]), 1e9)
    lengths = nx.single_source_dijkstra_path_length(g, int(c.node[0]), weight="weight")
    best = min(lengths.get(int(n), math.inf) + off for n, off in zip(f.node, f.offset, strict=True))
    return (best + c.offset[0]) / speed


def test_times_on_a_real_osm_network_equal_brute_force() -> None:
    tree = make_tree()
    network = services.import_pbf(actor=SYSTEM, area_code="510104", path=extract("test_pbf"))
    assert (network.state, network.version, network.nodes, network.islands) == (
        NetworkState.READY, 1, 980, 13)
    walk = WalkNetwork.from_bytes(bytes(network.data))
    clon, clat = random_points(walk, 12, seed=11)
    flon, flat = random_points(walk, 3, seed=12)
    for i in range(12):  # compounds in Kotka: the test data lie outside China
        area(f"510104022009{i + 2:03d}", f"院落{i}", tree.community, population=100 * (i + 1),
             point=point(float(clon[i]), float(clat[i])))
    island = walk.islands(limit=1)[0]
    area("510104022009099", "孤岛院落", tree.community, population=40,
         point=point(island.lon, island.lat))
    for j in range(3):
        Facility.objects.create(kind=FacilityKind.STATION, name=f"服务站{j}",
                                area_code=tree.community.code, lon=float(flon[j]),
                                lat=float(flat[j]), floor_area=300)
    analysis = services.request_analysis(actor=SYSTEM, area_code="510104022009")
    assert analysis.state == RunState.DONE
    stations = [(float(flon[j]), float(flat[j])) for j in range(3)]
    for row in analysis.compounds.exclude(name__in=["孤岛院落", "锦绣苑"]):
        want = brute_minutes(walk, row.lon, row.lat, stations, analysis.speed)
        assert row.station_minutes == pytest.approx(want, abs=0.006)  # stored to 0.01 min
    lonely = analysis.compounds.get(name="孤岛院落")
    assert lonely.snapped and lonely.station_minutes is None
    problems = selectors.problems(analysis)
    assert ("小区院落 孤岛院落(510104022009099)没有通往任何服务站的步行路径"
            "(它接入的路网部分上没有服务站)。") in problems
    assert problems[0].startswith("路网有 13 个部分与主体不连通(980 个节点中的 ")
    assert "最大的在 Suntionkatu、Pulttikatu、OSM 节点 " in problems[0]


def test_coverage_is_weighted_by_residents_and_tied_to_its_inputs() -> None:
    world = make_world()
    analysis = services.request_analysis(actor=SYSTEM, area_code="510104")
    assert analysis.state == RunState.DONE
    assert analysis.network_id == world.network.pk and analysis.bands == [5, 10, 15]
    assert analysis.speed == 67 and analysis.facilities == 1
    assert analysis.facilities_on == world.station.updated_at.astimezone().date()
    walk = WalkNetwork.from_bytes(bytes(world.network.data))
    station = [(world.station.lon, world.station.lat)]
    rows = {r.name: r for r in analysis.compounds.all()}
    for name in ("锦绣苑", "芙蓉院", "和美小区", "望江苑", "东篱院落", "清风里"):
        r = rows[name]
        assert r.station_minutes == pytest.approx(brute_minutes(walk, r.lon, r.lat, station, 67),
                                                  abs=0.006)
    assert rows["和美小区"].station_minutes > 15 and rows["望江苑"].station_minutes <= 10
    yanshikou = analysis.areas.get(area_code="510104022011")
    # by residents, not compounds: 200 of 3,250 (远郊院落 cannot be measured and counts as outside)
    assert (yanshikou.population, yanshikou.within_3, yanshikou.compounds, yanshikou.outside) == (
        3250, 200, 3, 2)
    district = analysis.areas.get(area_code="510104")
    expected = sum(r.population for r in rows.values()
                   if r.station_minutes is not None and r.station_minutes <= 15)
    assert district.within_3 == expected
    assert district.population == sum(r.population for r in rows.values())
    assert analysis.summary["within"][2] == expected
    texts = selectors.problems(analysis)
    far = next(t for t in texts if t.startswith("小区院落 远郊院落(510104022011009)距最近道路 "))
    assert far.endswith(" 米,超过允许的 250 米,未计算步行时间。")
    assert "小区院落 无坐标院落(510104037001010)没有位置,未计算步行时间。" in texts
    assert "小区院落 清风里(510104037001006)没有登记居民人数,按 0 人计。" in texts
    assert "设施清单中没有养老服务点,不显示到它的时间。" in texts
    assert AuditEntry.objects.filter(action="access.analysis.finish",
                                     object_id=str(analysis.pk)).exists()


def test_floor_area_against_the_standard_per_community() -> None:
    """The station (1,040 m²) serves 督院街 (3,000 households) and 盐市口 (2,200): shared
    600 and 440 m². The standard of 30 m² per 100 households asks 900 and 660."""
    world = make_world(with_far=False)
    first = services.request_analysis(actor=SYSTEM, area_code="510104")
    rows = {a.area_code: a for a in first.areas.all()}
    duyuan, yanshi, xingfu = rows["510104022009"], rows["510104022011"], rows["510104037001"]
    assert (duyuan.floor_area, duyuan.with_facility, duyuan.area_ok) == (600, 1, 0)
    assert (yanshi.floor_area, yanshi.with_facility, yanshi.area_ok) == (440, 1, 0)
    assert (xingfu.floor_area, xingfu.with_facility, xingfu.area_ok) == (0, 0, 0)
    street = rows["510104022"]
    assert (street.communities, street.with_facility, street.area_ok) == (2, 2, 0)
    assert street.facility_rate == 1.0 and street.area_rate == 0.0
    # an activity room of 300 m² brings 督院街 to 900 m²: exactly the standard
    services.save_facility(actor=SYSTEM, kind=FacilityKind.ACTIVITY, name="督院街社区活动室",
                           area_code=world.tree.community.code, lon=104.0752, lat=30.6047,
                           floor_area=300)
    second = services.request_analysis(actor=SYSTEM, area_code="510104")
    again = {a.area_code: a for a in second.areas.all()}
    assert (again["510104022009"].floor_area, again["510104022009"].area_ok) == (900, 1)
    district = again["510104"]
    assert (district.communities, district.with_facility, district.area_ok) == (3, 2, 1)
    assert first.facilities_on is not None and second.facilities == 2


def test_a_new_network_is_a_new_version_and_analyses_keep_theirs() -> None:
    world = make_world(with_far=False)
    first = services.request_analysis(actor=SYSTEM, area_code="510104022")
    newer = services.import_generated(actor=SYSTEM, area_code="510104",
                                      bbox=(104.07, 30.60, 104.09, 30.62), spacing=80, seed=4)
    assert newer.version == 2
    second = services.request_analysis(actor=SYSTEM, area_code="510104022")
    assert (first.network.version, second.network.version) == (1, 2)
    services.retire_network(actor=SYSTEM, network_id=newer.pk)
    third = services.request_analysis(actor=SYSTEM, area_code="510104022")
    assert third.network_id == world.network.pk


@pytest.mark.parametrize(("content", "message"), [
    (b"", "文件 bad.osm.pbf 是空文件。"),
    (b"<osm>not binary</osm>" * 10, "bad.osm.pbf 不是 OpenStreetMap .pbf 数据文件(缺少文件头)。"),
    (None, "bad.osm.pbf 无法读取:文件已损坏或不完整。"),
])
def test_a_broken_extract_is_refused_by_name(tmp_path: Path, content: bytes | None,
                                            message: str) -> None:
    make_tree()
    path = tmp_path / "bad.osm.pbf"
    if content is None:
        data = extract("test_pbf").read_bytes()
        content = data[: len(data) * 2 // 3]
    path.write_bytes(content)
    with pytest.raises(BusinessError) as caught:
        services.import_pbf(actor=SYSTEM, area_code="510104", path=path)
    assert str(caught.value.message) == message and caught.value.code == "bad_pbf"
    failed = Network.objects.get()
    assert failed.state == NetworkState.FAILED and failed.data is None
    with pytest.raises(BusinessError) as none:
        services.request_analysis(actor=SYSTEM, area_code="510104")
    assert str(none.value.message) == "尚无覆盖该区域的步行路网:请先导入 OpenStreetMap 数据。"


def test_without_stations_the_analysis_fails_and_says_why() -> None:
    make_world(with_far=False)
    Facility.objects.all().delete()
    with pytest.raises(BusinessError):
        services.run_analysis(analysis_id=services.request_analysis(
            actor=SYSTEM, area_code="510104", enqueue=False).pk)
    failed = Analysis.objects.get()
    assert failed.state == RunState.FAILED
    assert selectors.problems(failed) == [
        "设施清单中没有社区公共服务站:请先录入服务站及其位置。"]
    assert not AreaCoverage.objects.exists()


def test_facility_input_is_checked() -> None:
    make_world(with_far=False)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"lon": 24.94, "lat": 60.17}, "位置无法使用:坐标位于中国境外;经度和纬度是否写反了?"),
        ({"floor_area": -5}, "请以整数平方米填写建筑面积,0 至 100,000。"),
        ({"name": "  "}, "设施须有名称。"),
        ({"area_code": "510104022"}, "设施须隶属于社区;春熙路街道 不是社区。"),
        ({"name": "督院街社区公共服务站", "kind": FacilityKind.STATION},
         "该社区已有名为 督院街社区公共服务站 的社区公共服务站。"),
    ]
    for change, message in cases:
        data = {"kind": FacilityKind.SCHOOL, "name": "第一小学", "area_code": "510104022009",
                "lon": 104.08, "lat": 30.61, "floor_area": 0} | change
        with pytest.raises(BusinessError) as caught:
            services.save_facility(actor=SYSTEM, **data)
        assert str(caught.value.message) == message
    assert Facility.objects.count() == 1
