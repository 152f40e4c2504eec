"""Brute-force brakes for the login: failure counters and one-time TOTP steps.

Built on `limits` (the engine under Flask-Limiter) rather than Flask-Limiter's
decorators, because what must be counted is *failed* attempts under two keys,
(IP, e-mail) and IP, checked before the password is even verified, and cleared
on success; a route decorator counts requests. Storage: Redis when configured
(shared by all workers), else memory:// (one process: the embedded default).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Any

from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from services.kernel.settings import Settings

PER_IP_FACTOR = 3  # an office behind one address gets more room than one account


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds


class LoginThrottle:
    def __init__(self, settings: Settings) -> None:
        uri = settings.redis_url or "memory://"
        self.limiter = MovingWindowRateLimiter(storage_from_string(uri))
        window = settings.login_window_seconds
        self.per_account = RateLimitItemPerSecond(settings.login_max_attempts, window)
        self.per_ip = RateLimitItemPerSecond(settings.login_max_attempts * PER_IP_FACTOR, window)
        self.steps = UsedSteps(settings.redis_url, window)

    # Password attempts: per (IP, e-mail) and per IP
    def check_login(self, ip: str, email: str) -> Verdict:
        return self._check((self.per_account, ("login", ip, email)), (self.per_ip, ("ip", ip)))

    def login_failed(self, ip: str, email: str) -> None:
        self.limiter.hit(self.per_account, "login", ip, email)
        self.limiter.hit(self.per_ip, "ip", ip)

    def login_succeeded(self, ip: str, email: str) -> None:
        self.limiter.clear(self.per_account, "login", ip, email)

    # Second-factor attempts: per user, wherever they come from
    def check_code(self, user_id: str) -> Verdict:
        return self._check((self.per_account, ("totp", user_id)))

    def code_failed(self, user_id: str) -> None:
        self.limiter.hit(self.per_account, "totp", user_id)

    def _check(self, *limits: tuple[Any, tuple[str, ...]]) -> Verdict:
        for item, key in limits:
            if not self.limiter.test(item, *key):
                reset = self.limiter.get_window_stats(item, *key).reset_time
                return Verdict(False, max(1, math.ceil(reset - time.time())))
        return Verdict(True)


class UsedSteps:
    """Remembers per user the last TOTP time step accepted, so a code works once.

    `claim(user, step)` succeeds only for a step later than the last one claimed
    (RFC 6238 section 5.2): atomically in Redis, else in this process.
    """

    _SCRIPT = (
        "local last = tonumber(redis.call('GET', KEYS[1]) or '-1') "
        "if tonumber(ARGV[1]) > last then "
        "redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) return 1 end return 0"
    )

    def __init__(self, redis_url: str | None, ttl_seconds: int) -> None:
        self.ttl = max(ttl_seconds, 120)  # longer than the accepted window of 3 steps
        self._lock = threading.Lock()
        self._memory: dict[str, int] = {}
        self._claim_script: Any = None
        if redis_url:
            import redis

            self._claim_script = redis.from_url(redis_url).register_script(self._SCRIPT)

    def claim(self, user_id: str, step: int) -> bool:
        if self._claim_script is not None:
            return bool(
                self._claim_script(keys=[f"jobtrail:totp-step:{user_id}"], args=[step, self.ttl])
            )
        with self._lock:
            if step <= self._memory.get(user_id, -1):
                return False
            self._memory[user_id] = step
            return True
