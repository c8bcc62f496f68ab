"""The shared throttle (issue 13 item 11, ADR 0016)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import timezone

from shequ.core.jobs import PERIODIC
from shequ.core.models_throttle import ThrottleCount
from shequ.core.throttle import Rate, Throttle, Throttled, client_of, sweep

pytestmark = pytest.mark.django_db
T0 = 1_800_000_000.0  # a window boundary for 60 s and 3600 s windows
PROGRESS = Throttle("test.progress", per_client=Rate(5, 60), per_target=Rate(3, 3600))


def _tries(n: int, *, client: str = "1.2.3.4", target: str = "", at: float = T0) -> int:
    allowed = 0
    for _ in range(n):
        try:
            PROGRESS.hit(client=client, target=target, now=at)
            allowed += 1
        except Throttled:
            pass
    return allowed


def test_per_client_limit_and_its_refusal() -> None:
    assert _tries(5) == 5
    with pytest.raises(Throttled) as exc:
        PROGRESS.hit(client="1.2.3.4", now=T0 + 10)
    err = exc.value
    assert (err.status, err.code, err.details) == (429, "throttled", {"retry_after": 50})
    assert str(err.message) == "尝试次数过多,请 1 分钟后再试。"
    assert _tries(5, client="5.6.7.8") == 5  # another client has its own allowance


def test_per_target_limit_holds_across_clients() -> None:
    """10,000 guesses at one case from many addresses still stop at the target's limit."""
    allowed = sum(_tries(1, client=f"10.0.{i // 250}.{i % 250}", target="510104-2026-000001")
                  for i in range(50))
    assert allowed == 3
    assert _tries(1, client="10.9.9.9", target="510104-2026-000002") == 1


def test_sliding_window_weights_the_previous_window() -> None:
    assert _tries(5, at=T0 + 50) == 5
    # 15 s into the next window: 5 * 0.75 + 1 = 4.75 <= 5, one more fits; a second does not
    assert _tries(1, at=T0 + 75) == 1
    with pytest.raises(Throttled) as exc:
        PROGRESS.hit(client="1.2.3.4", now=T0 + 75)
    # with this attempt, 5 * (1 - x) + 2 <= 5 once x = 0.4 of the window passed: T0 + 84
    assert exc.value.retry_after == 9
    assert _tries(1, at=T0 + 83) == 0
    assert _tries(1, at=T0 + 84) == 1
    assert _tries(3, at=T0 + 120) == 3  # a whole window later, the old one weighs nothing


def test_refused_attempts_are_not_counted() -> None:
    assert _tries(20) == 5
    assert ThrottleCount.objects.get().count == 5
    assert _tries(5, at=T0 + 120) == 5


def test_counts_store_no_address_or_target_and_expire() -> None:
    _tries(1, client="1.2.3.4", target="510104-2026-000001")
    keys = list(ThrottleCount.objects.values_list("key", flat=True))
    assert len(keys) == 2 and not any("1.2.3.4" in k or "510104" in k for k in keys)
    ThrottleCount.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert PERIODIC["core.throttle.sweep"].every == timedelta(hours=1)
    assert sweep.call() == 2 and not ThrottleCount.objects.exists()


def test_reset_forgets_a_client() -> None:
    assert _tries(5) == 5
    PROGRESS.reset(client="1.2.3.4")
    assert _tries(5) == 5


def test_client_of_the_request(settings: Any) -> None:
    rf = RequestFactory()
    r = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_of(r) == "127.0.0.1"  # no proxy trusted: a client cannot pick its address
    settings.SHEQU_TRUSTED_PROXIES = 1
    assert client_of(r) == "203.0.113.9"
    v6 = rf.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    settings.SHEQU_TRUSTED_PROXIES = 0
    assert client_of(v6) == "2001:db8:1:2::/64"


def test_rates_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Rate(0, 60)
