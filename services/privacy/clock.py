"""Time for the privacy context, injected: domain code never asks the system clock.

Same protocol as services/quality/clock.py (an object with `now()`); the Privacy
application carries one (`app.clock`), tests replace it with a FrozenClock.
Candidate for services/kernel (shared by quality and privacy).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Amsterdam")  # statutory terms run in Dutch calendar days


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """Stands still until moved (tests, demo data)."""

    def __init__(self, at: datetime | date) -> None:
        self.set(at)

    def set(self, at: datetime | date) -> None:
        if not isinstance(at, datetime):
            at = datetime(at.year, at.month, at.day, 12, tzinfo=LOCAL)
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._now = at

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now

    def now(self) -> datetime:
        return self._now


def today(clock: Clock) -> date:
    return clock.now().astimezone(LOCAL).date()
