"""OCDS 1.1: every release and record validates against the official 1.1.5 schema (and the
schema with our extension), uses only official codes, and the export streams a valid
package."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from shequ.procurement import ocds, services
from shequ.procurement.models import Project
from shequ.procurement.tests import ocdsschema as schema
from shequ.procurement.tests.conftest import World, contracted, new_project, open_project

pytestmark = pytest.mark.django_db


def finished(w: World) -> Any:
    contract = contracted(w)
    for m in contract.milestones.all():
        services.deliver(actor=w.org_user, contract_id=contract.pk, milestone_id=m.pk,
                         note="按期交付。", on=m.due_on)
        services.accept(actor=w.officer, contract_id=contract.pk, milestone_id=m.pk, on=m.due_on)
        services.pay(actor=w.officer, contract_id=contract.pk, milestone_id=m.pk,
                     amount_fen=m.amount_fen, on=m.due_on)
    services.complete(actor=w.officer, contract_id=contract.pk, on=date(2026, 7, 31))
    services.evaluate_performance(actor=w.officer, contract_id=contract.pk, score=86,
                                  evaluated_by="buyer", evaluator_name="春熙路街道办事处",
                                  on=date(2026, 8, 10))
    return contract.project


def check(release: dict[str, Any]) -> None:
    assert schema.errors(schema.validator("release-schema.json"), release) == []
    assert schema.errors(schema.extended_release_validator(), release) == []
    assert schema.codelist_problems(release) == []


def test_every_stage_is_a_valid_release_and_the_record_compiles(world: World) -> None:
    project = finished(world)
    cancelled = open_project(world, budget_fen=1_000_000)
    services.cancel(actor=world.officer, number=cancelled.number, reason="withdrawn",
                    on=date(2025, 6, 10))
    draft = new_project(world, budget_fen=1_000_000)
    rels = ocds.project_releases(project)
    assert [r["tag"] for r in rels] == [["planning"], ["tender"], ["award"], ["contract"],
                                        ["implementation"]]
    for p in (project, cancelled, draft):
        for release in ocds.project_releases(p):
            check(release)
        record = ocds.project_record(p)
        check(record["compiledRelease"])
        package = {**ocds._meta("https://example.org", timezone.now(), "records"),
                   "records": [record]}
        assert schema.errors(schema.validator("record-package-schema.json"), package) == []
    compiled = ocds.project_record(project)["compiledRelease"]
    assert compiled["tender"]["catalogueItem"]["itemCode"] == "0101"
    assert compiled["tender"]["numberOfTenderers"] == 3
    assert compiled["awards"][0]["value"] == {"amount": 280000, "currency": "CNY"}
    impl = compiled["contracts"][0]["implementation"]
    assert sum(t["value"]["amount"] for t in impl["transactions"]) == 280000
    assert impl["performanceEvaluation"]["grade"] == "good"
    assert compiled["contracts"][0]["status"] == "terminated"  # OCDS: ended, all paid
    buyer = next(p for p in compiled["parties"] if p["id"] == compiled["buyer"]["id"])
    assert buyer["divisionCode"] == "510104022"
    assert [r["tag"] for r in ocds.project_releases(cancelled)][-1] == ["tenderCancellation"]


def test_no_personal_data_is_published(world: World) -> None:
    project = finished(world)
    text = json.dumps(ocds.project_record(project), ensure_ascii=False)
    for name in ("王建国", "张明", "陈静", "周洋"):  # persons in charge, evaluators, users
        assert name not in text


def test_the_export_streams_one_valid_release_package(world: World) -> None:
    finished(world)
    open_project(world, budget_fen=1_000_000)
    out = io.StringIO()
    call_command("ocds", "export", "--year", "2025", "--chunk", "1", stdout=out)
    package = json.loads(out.getvalue())
    assert schema.errors(schema.validator("release-package-schema.json"), package) == []
    assert len(package["releases"]) == 5 + 2
    assert len({r["id"] for r in package["releases"]}) == 7
    for release in package["releases"]:
        check(release)
    out = io.StringIO()
    call_command("ocds", "export", "--records", stdout=out)
    records = json.loads(out.getvalue())
    assert schema.errors(schema.validator("record-package-schema.json"), records) == []
    assert Project.objects.count() == len(records["records"])


def test_an_empty_year_is_an_error_not_an_invalid_package(world: World) -> None:
    with pytest.raises(CommandError, match="no purchase projects in 2011"):
        call_command("ocds", "export", "--year", "2011", stdout=io.StringIO())


def test_the_extension_documents_every_field_it_adds() -> None:
    patch = json.loads((ocds.EXTENSION_DIR / "release-schema.json").read_text())
    readme = (ocds.EXTENSION_DIR / "README.md").read_text()
    meta = json.loads((ocds.EXTENSION_DIR / "extension.json").read_text())
    assert meta["compatibility"] == ["1.1"]
    for definition in patch["definitions"].values():
        for field in definition["properties"]:
            assert f"`{field}`" in readme


def test_the_validator_itself_refuses_a_broken_release(world: World) -> None:
    release = ocds.project_releases(new_project(world, budget_fen=1_000_000))[0]
    broken = {**release, "tag": ["bogus"]}
    del broken["ocid"]
    assert schema.errors(schema.validator("release-schema.json"), broken)
    package = {**ocds._meta("https://example.org", timezone.now(), "releases"),
               "releases": [broken]}
    found = schema.errors(schema.validator("release-package-schema.json"), package)
    assert any("'ocid' is a required property" in e for e in found)  # the $ref was followed
    assert schema.codelist_problems({**release, "tender": {"status": "open"}}) == [
        "tender.status: 'open' not in tenderStatus"]
    bad_ext = {**release, "parties": [{**release["parties"][0], "divisionCode": "5101X"}]}
    assert schema.errors(schema.extended_release_validator(), bad_ext)


@pytest.mark.parametrize("items", [
    [{"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}],   # the same object, keys reordered
    [1, 1.0],                                          # JSON numbers: equal
    [1, True], [0, False], [[1], [True]],              # a boolean is not a number
    [{"a": None}, {"a": False}], ["1", 1], [[1, 2], [2, 1]],
    [{"x": {"y": [{"z": 1}]}}, {"x": {"y": [{"z": 1.0}]}}],
])
def test_the_fast_unique_items_agrees_with_jsonschema(items: list[Any]) -> None:
    from jsonschema import Draft4Validator

    rule = {"type": "array", "uniqueItems": True}
    fast = schema.Validator(rule).is_valid(items)
    assert fast == Draft4Validator(rule).is_valid(items)
    package = {**ocds._meta("https://example.org", timezone.now(), "releases"),
               "releases": [{"ocid": "x"}, {"ocid": "x"}]}
    assert any("repeats an earlier item" in e for e in schema.errors(
        schema.validator("release-package-schema.json"), package))
