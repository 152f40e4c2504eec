"""Brakes on the public survey link /s/<token>, per client IP.

The token is the only secret, so the page must not become a cheap oracle: every request
from an address counts (a respondent needs two or three), and unknown tokens count
apart, more strictly (guessing). Same engine and storage as the login throttle
(services/web/throttle.py): `limits` moving windows, in Redis when configured (shared by
all workers), else in this process. Behind a reverse proxy the real client IP comes
from JOBTRAIL_PROXY_HOPS (ProxyFix in app.py).
"""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from services.web.throttle import Verdict

REQUESTS, MISSES, WINDOW_SECONDS = 30, 10, 600
EXTENSION = "jobtrail_survey_throttle"


class SurveyThrottle:
    def __init__(self, redis_url: str | None, requests: int = REQUESTS, misses: int = MISSES,
                 window_seconds: int = WINDOW_SECONDS) -> None:
        self.limiter = MovingWindowRateLimiter(storage_from_string(redis_url or "memory://"))
        self.per_ip = RateLimitItemPerSecond(requests, window_seconds)
        self.misses = RateLimitItemPerSecond(misses, window_seconds)

    def request(self, ip: str) -> Verdict:
        """Count this request; refused when the address is over either limit."""
        if not self.limiter.test(self.misses, "survey-miss", ip):
            return self._blocked(self.misses, "survey-miss", ip)
        if not self.limiter.hit(self.per_ip, "survey", ip):
            return self._blocked(self.per_ip, "survey", ip)
        return Verdict(True)

    def missed(self, ip: str) -> None:
        """An unknown token from this address."""
        self.limiter.hit(self.misses, "survey-miss", ip)

    def _blocked(self, item: RateLimitItemPerSecond, *key: str) -> Verdict:
        reset = self.limiter.get_window_stats(item, *key).reset_time
        return Verdict(False, max(1, math.ceil(reset - time.time())))


def throttle() -> SurveyThrottle:
    """The app's survey throttle (made at first use, on the app's Redis if any)."""
    found = current_app.extensions.get(EXTENSION)
    if found is None:
        settings = current_app.extensions["jobtrail"].settings
        found = current_app.extensions.setdefault(EXTENSION, SurveyThrottle(settings.redis_url))
    return found
