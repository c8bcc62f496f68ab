"""The JSON API: public projects and records, budget lines, a project through its steps,
a bid refused for eligibility, a payment beyond the contract refused, spending."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from shequ.procurement.models import Contract
from shequ.procurement.tests.conftest import World, contracted, reported

pytestmark = pytest.mark.django_db


def test_public_list_and_record(world: World, client: Any) -> None:
    contracted(world)
    data = client.get("/api/v1/procurement").json()
    assert [p["number"] for p in data["items"]] == ["JJ2025-0001"]
    assert data["items"][0]["buyer"] == "春熙路街道办事处"
    record = client.get("/api/v1/procurement/JJ2025-0001/ocds").json()
    assert record["compiledRelease"]["awards"][0]["value"]["amount"] == 280000


def test_a_project_through_the_api(world: World, client: Any) -> None:
    reported(world)
    client.force_login(world.officer)
    r = client.post("/api/v1/procurement/projects", {
        "budget_line_id": world.line.pk, "item_id": world.item.pk, "title": "老年助餐",
        "budget_fen": 5_000_000}, content_type="application/json")
    assert r.status_code == 201, r.content
    number = r.json()["number"]
    r = client.put(f"/api/v1/procurement/projects/{number}/criteria",
                   [{"name": "方案", "weight": 60}, {"name": "报价", "weight": 30}],
                   content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "weights_not_100"
    client.put(f"/api/v1/procurement/projects/{number}/criteria",
               [{"name": "方案", "weight": 70}, {"name": "报价", "weight": 30}],
               content_type="application/json")
    deadline = timezone.localdate() + timedelta(days=20)
    r = client.post(f"/api/v1/procurement/projects/{number}/steps/publish",
                    {"bid_deadline": deadline.isoformat()}, content_type="application/json")
    assert r.json()["state"] == "tendering"
    client.force_login(world.org_user)
    r = client.post(f"/api/v1/procurement/{number}/bids",
                    {"org_id": world.orgs[0].pk, "price_fen": 4_900_000},
                    content_type="application/json")
    assert r.status_code == 201


def test_payment_beyond_the_contract_value_is_refused(world: World, client: Any) -> None:
    contract = contracted(world)
    Contract.objects.filter(pk=contract.pk).update(paid_fen=27_000_000)
    client.force_login(world.officer)
    first = contract.milestones.first()
    r = client.post(f"/api/v1/procurement/contracts/{contract.pk}/payments",
                    {"milestone_id": first.pk, "amount_fen": 1_000_001},
                    content_type="application/json")
    assert r.status_code == 400
    assert r.json()["code"] == "payment_over_contract_value"
    r = client.get("/api/v1/procurement/spending?by=category")
    assert r.json() == [{"key": "01", "label": "社区养老服务", "contracts": 1,
                         "value_fen": 28_000_000, "paid_fen": 27_000_000}]
