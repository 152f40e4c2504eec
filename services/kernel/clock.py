"""A controllable clock. Domain code never asks the time: applications pass dates in,
taken from an injected clock that tests and demo data can stand still and move."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Amsterdam")  # terms run in Dutch calendar days


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """For tests and demo data: stands still until moved. A date means noon, Dutch time;
    a naive datetime is taken as UTC."""

    def __init__(self, at: datetime | date) -> None:
        self.set(at)

    def set(self, at: datetime | date) -> None:
        if not isinstance(at, datetime):
            at = datetime(at.year, at.month, at.day, 12, tzinfo=LOCAL)
        self._now = at if at.tzinfo else at.replace(tzinfo=UTC)

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now

    def now(self) -> datetime:
        return self._now


def today(clock: Clock) -> date:
    return clock.now().astimezone(LOCAL).date()
