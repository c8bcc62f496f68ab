from __future__ import annotations

from typing import Any

import pytest

from shequ.autonomy.tests.factories import representatives, residents

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
