"""Time for the privacy context, injected: domain code never asks the system clock.

The Platform carries a `clock` (a callable returning an aware UTC datetime); tests
replace it with a `FrozenClock` to move deadlines and retention periods forward.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class FrozenClock:
    """A clock that stands still until told to move (tests, dry runs, demos)."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, when: datetime | date) -> None:
        self.now = when if isinstance(when, datetime) else datetime(
            when.year, when.month, when.day, 9, tzinfo=UTC
        )


def clock_of(platform: object) -> Clock:
    return getattr(platform, "clock", None) or system_clock
