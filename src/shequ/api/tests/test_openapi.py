"""The committed OpenAPI document against the API's real answers (issue 13 item 7): every
operation documents the error shape, real responses of a sample of operations validate
against ``docs/openapi.json``, and no two modules' schemas share a name."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, get_args

from django.conf import settings
from django.test import Client
from jsonschema import Draft202012Validator
from pydantic import BaseModel
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from shequ.api.api import ERRORS, api
from shequ.api.tests.test_api import bearer

DOC = json.loads((Path(settings.REPO_DIR) / "docs" / "openapi.json").read_text(encoding="utf-8"))
REGISTRY = Registry().with_resource("urn:shequ:openapi",
                                    Resource(contents=DOC, specification=DRAFT202012))


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _template(method: str, path: str) -> str:
    for template, operations in DOC["paths"].items():
        pattern = "^" + re.sub(r"\\{[^/]+\\}", "[^/]+", re.escape(template)) + "$"
        if method in operations and re.match(pattern, path):
            return template
    raise AssertionError(f"{method.upper()} {path} is not in docs/openapi.json")


def check(response: Any, method: str, path: str) -> None:
    """The response's status is documented for the operation and its body validates."""
    template = _template(method, path.split("?")[0])
    responses = DOC["paths"][template][method]["responses"]
    status = str(response.status_code)
    assert status in responses, f"{method.upper()} {template}: {status} is not documented"
    content = responses[status].get("content")
    if content is None:
        return
    ref = "urn:shequ:openapi#/" + _pointer("paths", template, method, "responses", status,
                                           "content", "application/json", "schema")
    validator = Draft202012Validator({"$ref": ref}, registry=REGISTRY,
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.path))
    assert not errors, f"{method.upper()} {path}: " + "; ".join(
        f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_every_operation_documents_the_error_shape() -> None:
    assert DOC["components"]["schemas"]["ErrorOut"]["required"] == ["code", "message", "details"]
    missing = []
    for template, operations in DOC["paths"].items():
        for method, op in operations.items():
            wanted = {str(s) for s in ERRORS if s != 401 or op.get("security")}
            if not wanted <= set(op["responses"]):
                missing.append(f"{method.upper()} {template}")
            for status in wanted:
                schema = op["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (template, status)
    assert missing == []


def test_list_operations_answer_as_documented(tree: Any, make_user: Any, client: Client) -> None:
    """Every GET without path parameters, as a district civil-affairs officer and
    anonymously; and the area operations with a real code."""
    h = bearer(make_user("civil_affairs", "510104"))
    sampled = 0
    for template, operations in DOC["paths"].items():
        if "get" not in operations:
            continue
        path = template.replace("{code}", tree.community.code)
        if "{" in path:
            continue
        check(client.get(path, **h), "get", path)
        check(client.get(path), "get", path)
        sampled += 1
    assert sampled >= 20


def test_error_answers_validate(tree: Any, make_user: Any, client: Client) -> None:
    officer = bearer(make_user("street_officer", tree.street.code))
    cases = [
        client.get("/api/v1/areas/510104022999", **officer),                 # 404
        client.get(f"/api/v1/areas/{tree.agricultural.code}", **officer),    # 403
        client.get("/api/v1/areas?cursor=zzz", **officer),                   # 400
        client.get("/api/v1/areas?limit=0", **officer),                      # 422
        client.get("/api/v1/me"),                                            # 401
    ]
    assert [r.status_code for r in cases] == [404, 403, 400, 422, 401]
    for r in cases:
        check(r, "get", r.request["PATH_INFO"])
    r = client.post(f"/api/v1/areas/{tree.community.code}/compounds", data={},
                    content_type="application/json", **bearer(make_user("civil_affairs", "510104")))
    assert r.status_code == 422
    check(r, "post", f"/api/v1/areas/{tree.community.code}/compounds")


def _models(annotation: Any, seen: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, seen)
        return
    for arg in get_args(annotation):
        _models(arg, seen)


def test_no_two_schemas_share_a_name() -> None:
    """Two modules' ``ResidentIn`` would silently become one component, and the document
    would describe one module's body with the other's fields."""
    seen: set[type[BaseModel]] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                for model in op.models:
                    _models(model, seen)
                for model in op.response_models.values():
                    _models(model, seen)
    by_name: dict[str, set[str]] = {}
    for model in seen:
        if model.__module__.startswith("shequ.") or model.__module__.startswith("ninja."):
            by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    collisions = {n for n, m in by_name.items() if len(m) > 1}
    assert collisions == set(), {n: sorted(by_name[n]) for n in collisions}
    renamed = [n for n in DOC["components"]["schemas"] if re.search(r"(_\d+|__)", n)]
    assert renamed == []
    generated = api.get_openapi_schema(path_prefix="/api/v1")["components"]["schemas"]
    assert [n for n in generated if re.search(r"(_\d+|__)", n)] == []
