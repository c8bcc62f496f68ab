"""The Django admin is a read-only window: every registered list opens for a superuser,
and nothing can be added, changed or deleted there except users and their grants."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse

from shequ.accounts.models import Grant, User

pytestmark = pytest.mark.django_db

EDITABLE = {User, Grant}


def test_every_admin_list_opens_and_only_accounts_are_editable(client: Any, tree: Any) -> None:
    from shequ.authz import SYSTEM
    from shequ.services import services

    services.publish_item(actor=SYSTEM, code="JJ-001", area_code="510104", name="居住证明",
                          legal_basis="x", handler_level="street", delegation_mode="entrusted",
                          delegation_rank="rules", delegation_basis="《委托事项目录》",
                          department="社区发展科", department_category="public_service")
    case = services.submit_case(actor=SYSTEM, item_code="JJ-001", area_code="510104022009",
                         applicant_name="孙丽", phone="13800001234", channel="desk")
    root = User.objects.create_superuser("root", password="x-secret-pass-2026")
    client.force_login(root)
    request = type("R", (), {"user": root})()
    registered = admin.site._registry
    assert len(registered) > 20
    for model, model_admin in registered.items():
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        page = client.get(url)
        assert page.status_code == 200, url
        assert "13800001234" not in page.content.decode()
        if model not in EDITABLE and meta.app_label.startswith(("services", "autonomy",
                                                               "areas", "people", "elections",
                                                               "audit")):
            assert not model_admin.has_add_permission(request), model
            assert not model_admin.has_change_permission(request), model
            assert not model_admin.has_delete_permission(request), model
    detail = client.get(reverse("admin:services_case_change", args=[case.pk])).content.decode()
    assert case.number in detail and case.phone_cipher not in detail
