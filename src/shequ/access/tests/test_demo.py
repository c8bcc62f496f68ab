"""The demo: Jinjiang's 28 stations and its compounds on a generated grid, labelled so."""

from __future__ import annotations

import pytest

from shequ.access.models import Analysis, Facility, FacilityKind, Network, SitingRun

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_shows_jinjiang_on_a_generated_grid_and_runs_twice() -> None:
    from shequ.access import demo
    from shequ.areas import demo as areas_demo
    from shequ.areas.models import Area, Level

    areas_demo.load()
    demo.load()
    network = Network.objects.get()
    assert (network.source, network.version, network.state) == ("generated", 1, "ready")
    assert Facility.objects.filter(kind=FacilityKind.STATION).count() == 28
    analysis = Analysis.objects.get()
    compounds = Area.objects.filter(code__startswith="510104", level=Level.COMPOUND).count()
    assert analysis.state == "done" and analysis.summary["compounds"] == compounds
    district = analysis.areas.get(area_code="510104")
    assert district.communities == 76
    assert 0 < district.within_3 < district.population
    assert analysis.compounds.filter(snapped=False).count() == 0
    run = SitingRun.objects.get()
    assert run.outcome == "optimal" and len(run.chosen) == 3
    demo.load()  # again: nothing new
    assert (Network.objects.count(), Analysis.objects.count(), SitingRun.objects.count()) == (1, 1, 1)
