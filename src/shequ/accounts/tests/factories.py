from __future__ import annotations

import factory

from shequ.accounts.models import Grant, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_CN")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            self.save()


def make_user(role: str | None = None, area_code: str = "510104", *,
              grants: list[tuple[str, str]] | None = None, **kwargs: object) -> User:
    """A user holding ``role`` at ``area_code`` (and any further ``grants``)."""
    user = UserFactory(**kwargs)
    pairs = list(grants or [])
    if role:
        pairs.insert(0, (role, area_code))
    for r, code in pairs:
        Grant.objects.create(user=user, role=r, area_code=code)
    return user
