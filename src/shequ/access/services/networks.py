"""Importing walking networks: versioned per area, never overwritten."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.access.engine.grid import generated_grid
from shequ.access.engine.network import WalkNetwork
from shequ.access.engine.osm import PbfError, ReadStats, read_pbf
from shequ.access.enums import AuditAction, Code, Perm
from shequ.access.lifecycles import NETWORK
from shequ.access.models import Network, NetworkAction, NetworkSource, NetworkState
from shequ.access.texts import TEXTS
from shequ.areas.models import Area
from shequ.audit.services import record
from shequ.core.errors import BusinessError, NotFound

ISLANDS_LISTED = 20


def _area(code: str) -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise NotFound(_("Unknown area code: %(c)s.") % {"c": code}, code=Code.NOT_AN_AREA,
                       details={"area_code": code})
    return area


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def start_import(*, actor: Any, area_code: str, source: str, file_name: str = "",
                 sha256: str = "") -> Network:
    """A new version of ``area_code``'s network, pending until it is loaded."""
    _area(area_code)
    authz.check(actor, Perm.MANAGE, area_code)
    with transaction.atomic():
        # lock the area's versions so two imports never take the same number
        list(Network.objects.select_for_update().filter(area_code=area_code)
             .values_list("pk", flat=True))
        last = Network.objects.filter(area_code=area_code).aggregate(v=Max("version"))["v"] or 0
        network = Network.objects.create(
            area_code=area_code, version=last + 1, source=source, file_name=file_name[:200],
            sha256=sha256, created_by=actor if getattr(actor, "pk", None) else None)
        record(actor=actor, action=AuditAction.NETWORK_IMPORT, obj=network, area_code=area_code,
               changes={"version": network.version, "source": source, "file": file_name,
                        "sha256": sha256})
    return network


def _fail(actor: Any, network: Network, problem: dict[str, Any]) -> None:
    with transaction.atomic():
        locked = Network.objects.select_for_update().get(pk=network.pk)
        locked.report = {**locked.report, "problem": problem}
        NETWORK.move(actor=actor, obj=locked, action=NetworkAction.FAIL,
                     update_fields=["report"], changes={"problem": problem["text"]})
    network.refresh_from_db()


def _complete(actor: Any, network: Network, walk: WalkNetwork,
              stats: dict[str, int] | None = None) -> Network:
    islands = walk.islands(limit=ISLANDS_LISTED)
    island_nodes = walk.n_nodes - int((walk.components[1] == walk.main_component).sum())
    report: dict[str, Any] = {
        "islands": [{"name": i.name, "node": i.node, "nodes": i.nodes,
                     "lon": round(i.lon, 6), "lat": round(i.lat, 6)} for i in islands],
        "stats": stats or {},
    }
    if islands:
        report["warning"] = TEXTS.stored(
            "network_islands", n=walk.island_count(), nodes=island_nodes, total=walk.n_nodes,
            names=[{"name": i.name, "node": i.node} for i in islands[:3]])
    with transaction.atomic():
        locked = Network.objects.select_for_update().get(pk=network.pk)
        locked.data = walk.to_bytes()
        locked.nodes, locked.edges = walk.n_nodes, walk.n_edges
        locked.islands, locked.island_nodes = walk.island_count(), island_nodes
        locked.bbox = [round(b, 6) for b in walk.bounds()]
        locked.report = report
        locked.completed_at = timezone.now()
        NETWORK.move(actor=actor, obj=locked, action=NetworkAction.COMPLETE,
                     changes={"nodes": locked.nodes, "edges": locked.edges,
                              "islands": locked.islands})
    return locked


def load_network(*, actor: Any, network_id: int, path: Path,
                 progress: Callable[[int], object] | None = None) -> Network:
    """Read the extract into a pending network (worker or CLI). A bad file leaves the
    network failed with its reason and raises :class:`BusinessError` naming the file."""
    network = Network.objects.get(pk=network_id)
    authz.check(actor, Perm.MANAGE, network.area_code)
    stats = ReadStats()
    name = network.file_name or Path(path).name
    try:
        walk = read_pbf(Path(path), progress=progress, stats=stats)
    except PbfError as exc:
        problem = TEXTS.stored(f"pbf_{exc.reason}", file=name, detail=exc.detail)
        _fail(actor, network, problem)
        raise BusinessError(TEXTS.render(problem), code=Code.BAD_PBF,
                            details={"file": name, "reason": exc.reason,
                                     "network": network.pk}) from None
    return _complete(actor, network, walk, stats={
        "ways": stats.ways, "walkable_ways": stats.walkable_ways,
        "segments_without_location": stats.segments_without_location})


def import_pbf(*, actor: Any, area_code: str, path: Path,
               progress: Callable[[int], object] | None = None) -> Network:
    """Start and load in one go (the CLI; pages hand the loading to the worker)."""
    path = Path(path)
    digest = _sha256(path) if path.is_file() else ""
    network = start_import(actor=actor, area_code=area_code, source=NetworkSource.OSM,
                           file_name=path.name, sha256=digest)
    return load_network(actor=actor, network_id=network.pk, path=path, progress=progress)


def import_generated(*, actor: Any, area_code: str, bbox: tuple[float, float, float, float],
                     spacing: float = 120.0, seed: int = 510104) -> Network:
    """A generated street grid (demonstrations without real data): labelled as such on
    every page, map and export."""
    walk = generated_grid(bbox, spacing=spacing, seed=seed)
    network = start_import(actor=actor, area_code=area_code, source=NetworkSource.GENERATED,
                           file_name=f"grid-{int(spacing)}m-{seed}")
    return _complete(actor, network, walk, stats={"spacing": int(spacing), "seed": seed})


def retire_network(*, actor: Any, network_id: int) -> Network:
    with transaction.atomic():
        network = Network.objects.select_for_update().filter(pk=network_id).first()
        if network is None or not authz.has_perm(actor, Perm.VIEW, network.area_code):
            raise NotFound(code=Code.NO_NETWORK)
        NETWORK.move(actor=actor, obj=network, action=NetworkAction.RETIRE)
    return network


def ready_network(area_code: str) -> Network:
    """The newest usable network whose area contains ``area_code``."""
    prefixes = [area_code[:n] for n in (2, 4, 6, 9, 12, 15) if n <= len(area_code)]
    network = (Network.objects.filter(area_code__in=prefixes, state=NetworkState.READY)
               .order_by("-area_code", "-version").first())
    if network is None:
        raise BusinessError(_("No walking network covers this area yet: import an "
                              "OpenStreetMap extract first."), code=Code.NO_NETWORK,
                            details={"area_code": area_code})
    return network
