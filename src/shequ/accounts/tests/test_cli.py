from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shequ.accounts.models import ApiToken, User


@pytest.mark.django_db
def test_create_grant_token_list() -> None:
    call_command("accounts", "create-user", "li", "--role", "street_officer", "--area",
                 "510104022", "--password", "a-long-enough-passphrase", stdout=StringIO())
    call_command("accounts", "grant", "li", "community_worker", "510104022009", stdout=StringIO())
    out = StringIO()
    call_command("accounts", "token", "li", stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("shq_")
    assert ApiToken.objects.filter(user__username="li").count() == 1
    out = StringIO()
    call_command("accounts", "list", "--area", "510104022", stdout=out)
    assert out.getvalue().count("li\t") == 2


@pytest.mark.django_db
def test_bad_area_code_is_refused_and_nothing_created() -> None:
    with pytest.raises(CommandError):
        call_command("accounts", "create-user", "wu", "--role", "resident", "--area", "5101x",
                     "--password", "a-long-enough-passphrase", stdout=StringIO())
    assert not User.objects.filter(username="wu").exists()
