"""Statutory deadlines (pure functions, no clock).

Art. 12(3) AVG: answer a data-subject request "without undue delay and in any event
within one month of receipt", extendable "by two further months where necessary"
(the data subject is told within the first month, with the reasons).
Art. 33(1): notify the supervisory authority "not later than 72 hours after having
become aware" of a breach.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

REQUEST_MONTHS = 1
EXTENSION_MONTHS = 2
BREACH_REPORT_HOURS = 72


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when shorter (31 jan -> 28 feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def request_due(received_on: date, extended: bool = False) -> date:
    return add_months(received_on, REQUEST_MONTHS + (EXTENSION_MONTHS if extended else 0))


def breach_report_due(detected_at: datetime) -> datetime:
    return detected_at + timedelta(hours=BREACH_REPORT_HOURS)
