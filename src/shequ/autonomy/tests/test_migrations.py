"""The data migrations of the conversion, run on rows as the old code wrote them (the test
database is built from the models, so each migration's function is called here)."""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

import pytest
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from shequ.areas.models import Area
from shequ.authz import SYSTEM
from shequ.autonomy import rules as law
from shequ.autonomy import services
from shequ.autonomy.models import Disclosure, Question, RecallPetition
from shequ.autonomy.tests.conftest import AGRI, URBAN
from shequ.people.models import Body, Membership
from shequ.rules.models import RuleOverride


def _migration(name: str) -> Any:
    return importlib.import_module(f"shequ.autonomy.migrations.{name}")


@pytest.mark.django_db(transaction=True)
def test_rule_overrides_move_to_shequ_rules_and_keep_their_effect(settings: Any) -> None:
    from shequ.areas.tests.factories import make_tree

    make_tree()
    settings.MIGRATION_MODULES = {}  # the real migrations, not the test run's none
    state = MigrationLoader(connection).project_state(
        [("autonomy", "0004_recallpetition_via_alter_recallpetition_voters"),
         ("rules", "0001_initial")])
    old_apps = state.apps
    Old = old_apps.get_model("autonomy", "RuleOverride")
    with connection.schema_editor() as editor:
        editor.create_model(Old)
    try:
        Old.objects.create(profile="urban", key="quorum", area_code="510104", value=">=2/3",
                           citation="锦江区居民代表会议规则")
        Old.objects.create(profile="agricultural", key="notice_days", area_code="51",
                           value="12", citation="四川省实施办法")
        before = (law.profile_for(URBAN).version, law.profile_for(AGRI).version)
        _migration("0005_rule_overrides_to_shequ_rules").copy_to_rules(old_apps, None)
        _migration("0005_rule_overrides_to_shequ_rules").copy_to_rules(old_apps, None)  # again
        assert RuleOverride.objects.filter(module="autonomy").count() == 2
        urban, agri = law.profile_for(URBAN), law.profile_for(AGRI)
        assert urban.value("quorum") == ">=2/3" and urban.overridden == ("quorum",)
        assert urban.rule("quorum").source() == "锦江区居民代表会议规则 (510104)"
        assert agri.number("notice_days") == 12
        assert (urban.version, agri.version) != before
        Old.objects.all().delete()
        _migration("0005_rule_overrides_to_shequ_rules").copy_back(old_apps, None)
        assert set(Old.objects.values_list("profile", "key", "area_code", "value")) == {
            ("urban", "quorum", "510104", ">=2/3"), ("agricultural", "notice_days", "51", "12")}
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Old)


def test_statuses_come_from_the_timestamps_that_stood_for_them(people: Any) -> None:
    services.plan_disclosures(actor=SYSTEM, community_code=URBAN, year=2026)
    published, flagged, planned = Disclosure.objects.order_by("due_on")[:3]
    Disclosure.objects.filter(pk=published.pk).update(published_at="2026-02-01T02:00:00Z")
    Disclosure.objects.filter(pk=flagged.pk).update(overdue_flagged_at="2026-03-01T02:00:00Z")
    major = services.disclose_major(actor=SYSTEM, community_code=URBAN, title="t", body="b")
    q = services.ask_question(actor=SYSTEM, disclosure_id=major.pk, text="?",
                              resident_id=people(URBAN, 1)[0].pk)
    Question.objects.filter(pk=q.pk).update(answered_at="2026-03-01T02:00:00Z")
    Disclosure.objects.update(status="planned")
    Question.objects.update(status="asked")
    _migration("0006_lifecycle_states").statuses_from_timestamps(current_apps, None)
    status = dict(Disclosure.objects.values_list("pk", "status"))
    assert (status[published.pk], status[flagged.pk], status[planned.pk],
            status[major.pk]) == ("published", "overdue", "planned", "published")
    assert Question.objects.get(pk=q.pk).status == "answered"


def test_stored_words_become_keys(people: Any) -> None:
    services.plan_disclosures(actor=SYSTEM, community_code=URBAN, year=2026)
    finance = Disclosure.objects.filter(category="finance").order_by("period_start").first()
    affairs = Disclosure.objects.filter(category="affairs").order_by("period_start").first()
    resolution = Disclosure.objects.create(
        community_code=URBAN, area_code=URBAN, category="resolution",
        period_start=date(2026, 3, 1), period_end=date(2026, 3, 1), due_on=date(2026, 3, 6),
        title="510104022009-2026-R001 加装电梯", street_code=URBAN[:9], profile_version="x")
    assert finance is not None and affairs is not None
    # as the old code wrote them: in the language of whoever planned the calendar
    name = Area.objects.get(code=URBAN).name
    Disclosure.objects.filter(pk=finance.pk).update(title=f"{name} 财务收支 2026-01–2026-01")
    Disclosure.objects.filter(pk=affairs.pk).update(title=f"{name} Community affairs 2026-01–2026-03")
    body = Body.objects.create(kind="residents_committee", name="居委会", area_code=URBAN)
    recalled, resigned = (Membership.objects.create(body=body, person_name=n,
                                                    start_date=date(2024, 1, 1),
                                                    end_date=date(2026, 5, 1), end_reason=r)
                          for n, r in (("王主任", "罢免通过"), ("李委员", "Recalled")))
    starter = people(URBAN, 1)[0]
    RecallPetition.objects.create(community_code=URBAN, area_code=URBAN, membership=recalled,
                                  member_name="王主任", reasons="r", initiator=starter,
                                  voters=10, signatures_needed=2, outcome="recalled",
                                  state="decided", profile_version="x")
    migration = _migration("0007_stored_words_are_keys")
    migration.forward(current_apps, None)
    titles = dict(Disclosure.objects.values_list("pk", "title"))
    assert (titles[finance.pk], titles[affairs.pk]) == ("", "")
    assert titles[resolution.pk] == "510104022009-2026-R001 加装电梯"  # not a generated title
    assert Disclosure.objects.get(pk=affairs.pk).heading == "居务事项 2026-01–2026-03"
    recalled.refresh_from_db()
    resigned.refresh_from_db()
    assert recalled.end_reason == "recalled"
    assert resigned.end_reason == "Recalled"  # no passed recall says what it stood for
    migration.backward(current_apps, None)
    assert Disclosure.objects.get(pk=finance.pk).title == f"{name} 财务收支 2026-01–2026-01"
    recalled.refresh_from_db()
    assert recalled.end_reason == "罢免通过"
