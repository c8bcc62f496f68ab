"""The official OCDS 1.1.5 schemas and codelists, read offline from the shared reference
folder, and a validator that resolves their ``$ref``s locally."""

from __future__ import annotations

import copy
import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, FormatChecker, ValidationError
from jsonschema.validators import extend
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from shequ.procurement.ocds import EXTENSION_DIR

REFERENCE = Path("/work/shared/reference/ocds-1.1.5")


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REFERENCE / name).read_text(encoding="utf-8"))
    return data


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch (how OCDS extensions patch the release schema)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


@cache
def registry() -> Registry[Any]:
    resources = []
    for name in ("release-schema.json", "release-package-schema.json",
                 "record-package-schema.json"):
        schema = _load(name)
        resources.append((schema["id"], Resource(contents=schema, specification=DRAFT4)))
    return Registry().with_resources(resources)  # type: ignore[no-any-return]


def _canonical(value: Any) -> Any:
    """A hashable form of a JSON value under JSON Schema's equality: objects regardless of
    key order, ``1 == 1.0``, and ``true`` unequal to ``1``."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", value)  # Python's own 1 == 1.0, and equal hashes
    if isinstance(value, dict):
        return ("object", frozenset((k, _canonical(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("array", tuple(_canonical(v) for v in value))
    return (type(value).__name__, value)


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Any:
    """``uniqueItems`` by hashing, not by comparing every pair.

    jsonschema compares unhashable items pairwise: the release package's ``releases``
    (``uniqueItems: true``) held 6,000 releases in the demo test, 18 million deep
    comparisons and three of its four minutes. Same verdict, linear time."""
    if not unique or not validator.is_type(instance, "array"):
        return
    seen: set[Any] = set()
    for index, item in enumerate(instance):
        key = _canonical(item)
        if key in seen:
            yield ValidationError(f"item {index} repeats an earlier item (uniqueItems)")
            return
        seen.add(key)


Validator = extend(Draft4Validator, {"uniqueItems": _unique_items})


def validator(name: str) -> Any:
    return Validator(_load(name), registry=registry(), format_checker=FormatChecker())


@cache
def extended_release_validator() -> Any:
    patch = json.loads((EXTENSION_DIR / "release-schema.json").read_text(encoding="utf-8"))
    schema = merge_patch(_load("release-schema.json"), patch)
    return Validator(schema, format_checker=FormatChecker())


def errors(v: Any, obj: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in v.iter_errors(obj)]


@cache
def codelist(name: str) -> frozenset[str]:
    with (REFERENCE / "codelists" / f"{name}.csv").open(encoding="utf-8") as fh:
        return frozenset(row["Code"] for row in csv.DictReader(fh))


def codelist_problems(release: dict[str, Any]) -> list[str]:
    """Values outside the official codelists (closed and open alike: we use only
    official codes)."""
    out: list[str] = []

    def need(value: Any, name: str, where: str) -> None:
        if value is not None and value not in codelist(name):
            out.append(f"{where}: {value!r} not in {name}")

    for tag in release.get("tag", []):
        need(tag, "releaseTag", "tag")
    need(release.get("initiationType"), "initiationType", "initiationType")
    for party in release.get("parties", []):
        for role in party.get("roles", []):
            need(role, "partyRole", "parties.roles")
    tender = release.get("tender") or {}
    need(tender.get("status"), "tenderStatus", "tender.status")
    need(tender.get("procurementMethod"), "method", "tender.procurementMethod")
    need(tender.get("awardCriteria"), "awardCriteria", "tender.awardCriteria")
    need(tender.get("mainProcurementCategory"), "procurementCategory",
         "tender.mainProcurementCategory")
    for method in tender.get("submissionMethod", []):
        need(method, "submissionMethod", "tender.submissionMethod")
    values = [tender.get("value")]
    for award in release.get("awards", []):
        need(award.get("status"), "awardStatus", "awards.status")
        values.append(award.get("value"))
    for contract in release.get("contracts", []):
        need(contract.get("status"), "contractStatus", "contracts.status")
        values.append(contract.get("value"))
        impl = contract.get("implementation") or {}
        for m in [*contract.get("milestones", []), *impl.get("milestones", [])]:
            need(m.get("status"), "milestoneStatus", "milestones.status")
            need(m.get("type"), "milestoneType", "milestones.type")
        values.extend(t.get("value") for t in impl.get("transactions", []))
    budget = (release.get("planning") or {}).get("budget") or {}
    values.append(budget.get("amount"))
    for value in values:
        if value:
            need(value.get("currency"), "currency", "currency")
    return out
