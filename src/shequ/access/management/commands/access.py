"""``shequ access``: walking networks, the facility list, coverage and siting. Runs as the
system actor (logged as "system"); heavy steps run here directly, with a progress bar.

    shequ access import-pbf sichuan-latest.osm.pbf --area 510104
    shequ access grid --area 510104 --bbox 104.05,30.56,104.17,30.68   # generated, labelled so
    shequ access sync-stations --area 510104 --floor-area 300
    shequ access analyse --area 510104
    shequ access site 12 --k 3            # maximal covering with 3 new stations
    shequ access site 12 --set-cover      # fewest new stations covering everyone
    shequ access export 12 --xlsx coverage.xlsx --png map.png --geojson map.geojson
    shequ access networks
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from shequ.access import outputs, selectors, services
from shequ.access.models import Analysis, Network, SitingKind
from shequ.access.texts import island_name
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError


class Command(BaseCommand):
    help = "The 15-minute public service circle: networks, coverage, siting."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-pbf", help="import a walking network from an OSM .pbf")
        imp.add_argument("file", type=Path)
        imp.add_argument("--area", required=True)
        imp.add_argument("--no-progress", action="store_true")
        grid = sub.add_parser("grid", help="a generated street grid (demonstrations only)")
        grid.add_argument("--area", required=True)
        grid.add_argument("--bbox", required=True, help="west,south,east,north")
        grid.add_argument("--spacing", type=float, default=120.0)
        sync = sub.add_parser("sync-stations", help="put the area's stations on the facility list")
        sync.add_argument("--area", required=True)
        sync.add_argument("--floor-area", type=int, default=0)
        ana = sub.add_parser("analyse", help="measure coverage of an area")
        ana.add_argument("--area", required=True)
        ana.add_argument("--speed", type=int, default=None, help="metres per minute")
        ana.add_argument("--no-progress", action="store_true")
        site = sub.add_parser("site", help="where new stations would help most")
        site.add_argument("analysis", type=int)
        site.add_argument("--k", type=int, default=None)
        site.add_argument("--set-cover", action="store_true")
        site.add_argument("--band", type=int, default=None)
        site.add_argument("--time-limit", type=int, default=60)
        exp = sub.add_parser("export", help="an analysis as Excel, PNG map or GeoJSON")
        exp.add_argument("analysis", type=int)
        exp.add_argument("--within", default="")
        exp.add_argument("--xlsx", type=Path)
        exp.add_argument("--png", type=Path)
        exp.add_argument("--geojson", type=Path)
        sub.add_parser("networks", help="list networks")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "_" + opts["action"].replace("-", "_"))(opts)
        except BusinessError as exc:
            raise CommandError(str(exc.message)) from None

    def _import_pbf(self, opts: dict[str, Any]) -> None:
        bar = tqdm(unit=" ways", disable=opts["no_progress"], desc=str(opts["file"].name))
        done = [0]

        def progress(n: int) -> None:
            bar.update(n - done[0])
            done[0] = n

        try:
            network = services.import_pbf(actor=SYSTEM, area_code=opts["area"], path=opts["file"],
                                          progress=progress)
        finally:
            bar.close()
        self._say_network(network)

    def _grid(self, opts: dict[str, Any]) -> None:
        try:
            bbox = tuple(float(x) for x in opts["bbox"].split(","))
        except ValueError:
            raise CommandError(_("--bbox takes four numbers: west,south,east,north")) from None
        if len(bbox) != 4:
            raise CommandError(_("--bbox takes four numbers: west,south,east,north"))
        network = services.import_generated(actor=SYSTEM, area_code=opts["area"],
                                            bbox=bbox, spacing=opts["spacing"])  # type: ignore[arg-type]
        self._say_network(network)

    def _say_network(self, network: Network) -> None:
        self.stdout.write(_("network %(area)s version %(v)s: %(n)s nodes, %(e)s edges, "
                            "%(i)s islands") % {"area": network.area_code, "v": network.version,
                                                "n": f"{network.nodes:,}", "e": f"{network.edges:,}",
                                                "i": network.islands})
        for island in network.report.get("islands", [])[:5]:
            self.stdout.write(_("  island near %(name)s: %(n)s nodes")
                              % {"name": island_name(island), "n": island["nodes"]})

    def _sync_stations(self, opts: dict[str, Any]) -> None:
        placed, missing = services.sync_stations(actor=SYSTEM, area_code=opts["area"],
                                                 floor_area=opts["floor_area"])
        self.stdout.write(_("%(n)s stations on the facility list") % {"n": placed})
        for name in missing:
            self.stderr.write(_("  %(name)s has no location and cannot be placed") % {"name": name})

    def _analyse(self, opts: dict[str, Any]) -> None:
        analysis = services.request_analysis(actor=SYSTEM, area_code=opts["area"],
                                             speed=opts["speed"], enqueue=False)
        bar = tqdm(total=1, disable=opts["no_progress"], desc=_("coverage"))

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            analysis = services.run_analysis(analysis_id=analysis.pk, progress=progress)
        finally:
            bar.close()
        s = analysis.summary
        pop = s["population"] or 1
        self.stdout.write(_("analysis %(id)s: %(p)s residents in %(c)s compounds; within "
                            "%(b1)s/%(b2)s/%(b3)s minutes: %(s1).1f%% / %(s2).1f%% / %(s3).1f%%; "
                            "%(o)s compounds outside") % {
            "id": analysis.pk, "p": f"{s['population']:,}", "c": s["compounds"],
            "b1": analysis.bands[0], "b2": analysis.bands[1], "b3": analysis.bands[2],
            "s1": s["within"][0] / pop * 100, "s2": s["within"][1] / pop * 100,
            "s3": s["within"][2] / pop * 100, "o": s["outside"]})
        for text in selectors.problems(analysis):
            self.stderr.write("  " + text)

    def _site(self, opts: dict[str, Any]) -> None:
        kind = SitingKind.SET_COVER if opts["set_cover"] else SitingKind.MAX_COVER
        run = services.request_siting(actor=SYSTEM, analysis_id=opts["analysis"], kind=kind,
                                      k=opts["k"], band=opts["band"],
                                      time_limit=opts["time_limit"], enqueue=False)
        run = services.run_siting(run_id=run.pk)
        self.stdout.write(_("siting %(id)s: %(outcome)s; objective %(obj)s, greedy %(g)s "
                            "(gap %(gap).1f%%)") % {
            "id": run.pk, "outcome": run.get_outcome_display(), "obj": f"{run.objective:,.0f}",
            "g": f"{run.greedy_objective:,.0f}", "gap": (run.gap or 0) * 100})
        for n, s in enumerate(run.chosen, start=1):
            self.stdout.write(f"  {n}. {s['lon']:.5f},{s['lat']:.5f} {s['near']} +{s['population']:,}")
        for u in run.uncoverable:
            self.stderr.write(_("  no candidate site reaches %(name)s") % {"name": u["name"]})

    def _export(self, opts: dict[str, Any]) -> None:
        analysis = Analysis.objects.filter(pk=opts["analysis"]).first()
        if analysis is None:
            raise CommandError(_("No analysis %(id)s.") % {"id": opts["analysis"]})
        if opts["xlsx"]:
            opts["xlsx"].write_bytes(outputs.workbook_bytes(analysis, opts["within"]))
        if opts["png"]:
            opts["png"].write_bytes(outputs.map_png(analysis, opts["within"]))
        if opts["geojson"]:
            opts["geojson"].write_text(json.dumps(outputs.geojson(analysis, opts["within"]),
                                                  ensure_ascii=False), encoding="utf-8")

    def _networks(self, opts: dict[str, Any]) -> None:
        for n in selectors.networks(user=SYSTEM):
            self.stdout.write(f"{n.pk:>5} {n.area_code:<12} v{n.version:<3} {n.get_source_display()} "
                              f"{n.get_state_display()} {n.nodes:,} {n.file_name}")
