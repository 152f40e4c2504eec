"""Public holidays in working-day terms: switchable per regulation version, Dutch calendar
of the `holidays` package; dates from a controllable clock."""

from datetime import date
from uuid import uuid4

import pytest

from services.kernel.domain import DomainError
from services.quality.clock import FixedClock, today
from services.quality.complaints.domainmodel import Complaint
from services.quality.complaints.regulation import PublicHolidays, Regulation

SEALED = {"kid": "x", "n": "y", "c": "z"}
DUTCH = {"country": "NL", "optional": True, "ignore": ["Goede vrijdag"]}
TERMS = {
    "title": "Klachtenregeling 2026",
    "acknowledgement": {"amount": 5, "unit": "werkdagen"},
    "decision": {"amount": 10, "unit": "werkdagen"},
    "extension": {"amount": 4, "unit": "weken", "max_count": 1},
    "external_body": {"name": "Klachtencommissie OVAL", "term": {"amount": 6, "unit": "weken"}},
    "public_holidays": DUTCH,
}


def _received(clock, terms=TERMS):
    on = today(clock)
    return Complaint.receive(Regulation.parse(terms, 1), on, on, "client", uuid4(), SEALED,
                             SEALED)


def test_koningsdag_is_not_a_working_day():
    clock = FixedClock(date(2026, 4, 22))  # Wednesday; Koningsdag is Monday 27 April
    with_holidays = _received(clock)
    without = _received(clock, {**TERMS, "public_holidays": False})
    assert without.acknowledgement_due == date(2026, 4, 29)
    assert with_holidays.acknowledgement_due == date(2026, 4, 30)  # one day later


def test_easter_monday_counts_good_friday_as_the_regulation_says():
    clock = FixedClock(date(2026, 4, 1))  # Wednesday before Easter (Good Friday 3 April)
    # Thu 2, (Fri 3 counts: ignored), (Mon 6 Easter Monday), Tue 7, Wed 8, Thu 9
    assert _received(clock).acknowledgement_due == date(2026, 4, 9)
    strict = {**TERMS, "public_holidays": {"country": "NL", "optional": False}}
    assert _received(clock, strict).acknowledgement_due == date(2026, 4, 10)  # Good Friday off


def test_christmas_and_new_year_move_the_decision_term():
    clock = FixedClock(date(2026, 12, 18))  # Friday
    c = _received(clock)
    # 21-24 Dec (4), 25 Christmas and 26 (Saturday) skipped, 28-31 Dec (8),
    # 1 January skipped, 4 and 5 January (10).
    assert c.decision_due == date(2027, 1, 5)
    assert _received(clock, {**TERMS, "public_holidays": None}).decision_due == date(2027, 1, 1)
    clock.set(date(2027, 1, 5))
    c.acknowledge(date(2026, 12, 21), today(clock))
    assert c.overdue(today(clock)) == []
    clock.set(date(2027, 1, 6))
    assert c.overdue(today(clock)) == ["beslissing (uiterlijk 05-01-2027)"]


def test_bevrijdingsdag_only_when_optional_days_are_chosen():
    holidays = PublicHolidays.parse(DUTCH)
    assert holidays.name(date(2026, 5, 5)) == "Bevrijdingsdag"
    assert PublicHolidays.parse({"country": "NL"}).name(date(2026, 5, 5)) is None
    assert holidays.name(date(2026, 4, 3)) is None  # Goede vrijdag ignored
    assert holidays.name(date(2026, 4, 6)) == "Tweede paasdag"


def test_the_setting_travels_with_the_version_and_old_versions_keep_weekends_only():
    regulation = Regulation.parse(TERMS, 2)
    assert Regulation.from_dict(regulation.as_dict()).public_holidays == regulation.public_holidays
    stored_before = {k: v for k, v in regulation.as_dict().items() if k != "public_holidays"}
    old = Regulation.from_dict(stored_before)  # a version adopted before this setting existed
    assert old.public_holidays is None
    assert old.acknowledgement.after(date(2026, 4, 22)) == date(2026, 4, 29)


@pytest.mark.parametrize("setting", [{"country": "DE"}, "NL", {"country": "NL", "ignore": "x"}])
def test_bad_holiday_settings_are_refused(setting):
    with pytest.raises(DomainError, match="Feestdagen"):
        Regulation.parse({**TERMS, "public_holidays": setting}, 1)
