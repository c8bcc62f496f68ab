"""Stored words are keys shown in the reader's language; masking in one place."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from shequ.core import pii
from shequ.core.texts import Texts

TEXTS = Texts({"tally": _("Quorum: %(n)d present.")})


def test_a_stored_text_is_shown_in_the_readers_language() -> None:
    stored = TEXTS.stored("tally", n=6)
    assert stored == {"text": "tally", "params": {"n": 6}}
    with translation.override("en"):
        assert TEXTS.render(stored) == "Quorum: 6 present."
    assert TEXTS.render({"text": "gone"}, default="—") == "—"
    assert TEXTS.render(None) == ""
    with pytest.raises(KeyError):
        TEXTS.stored("nope")


def test_masking() -> None:
    assert pii.mask_name("张三") == "张*"
    assert pii.mask_name("欧阳修文") == "欧***"
    assert pii.mask_phone("13980001234") == "139****1234"
    assert pii.mask_resident_id("11010519491231002X") == "110105********002X"
    assert pii.mask_text("电话13980001234，身份证11010519491231002X。") == (
        "电话139****1234，身份证110105********002X。")
