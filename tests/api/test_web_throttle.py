"""The login throttle and single-use TOTP steps, in memory and on the real Redis."""

from __future__ import annotations

import pytest

from services.web.throttle import LoginThrottle
from tests.conftest import REDIS_URL


def _throttle(settings, redis_url=None):
    return LoginThrottle(
        settings.with_(redis_url=redis_url, login_max_attempts=3, login_window_seconds=60)
    )


def _exercise(throttle):
    for _ in range(3):
        assert throttle.check_login("203.0.113.1", "a@example.nl").allowed
        throttle.login_failed("203.0.113.1", "a@example.nl")
    blocked = throttle.check_login("203.0.113.1", "a@example.nl")
    assert not blocked.allowed and 0 < blocked.retry_after <= 60
    assert throttle.check_login("203.0.113.2", "a@example.nl").allowed  # other address
    assert throttle.check_login("203.0.113.1", "b@example.nl").allowed  # other account

    for n in range(6):  # 3 + 6 = 9 = 3 x 3 failures from one address
        throttle.login_failed("203.0.113.1", f"guess{n}@example.nl")
    assert not throttle.check_login("203.0.113.1", "c@example.nl").allowed

    assert throttle.steps.claim("user-1", 100)
    assert not throttle.steps.claim("user-1", 100)  # the same code again
    assert not throttle.steps.claim("user-1", 99)  # an older one
    assert throttle.steps.claim("user-1", 101)
    assert throttle.steps.claim("user-2", 100)  # per user


def test_throttle_in_memory(sqlite_settings):
    _exercise(_throttle(sqlite_settings))


@pytest.mark.redis
def test_throttle_on_redis_is_shared_between_processes(sqlite_settings, redis_connection):
    one, two = _throttle(sqlite_settings, REDIS_URL), _throttle(sqlite_settings, REDIS_URL)
    _exercise(one)
    assert not two.check_login("203.0.113.1", "a@example.nl").allowed  # same counters
    assert not two.steps.claim("user-1", 101)
    assert redis_connection.ttl("jobtrail:totp-step:user-1") > 0  # never kept forever
