"""Follow-up 6 and 12 months after placement: allowed after placement, also after
closing (aftercare), refused before; a second one for the same term is a revision."""

from datetime import date, timedelta

import pytest

from services.kernel.domain import DomainError
from services.trajectories.history import fold
from services.trajectories.presenter import timeline
from tests.unit.trajectories.test_trajectory_domain import FINAL, TODAY, new, placed, s

SIX_MONTHS = date(2026, 9, 1)  # placement started 2026-03-01
LATER = date(2027, 3, 5)


def test_refused_before_placement_with_a_dutch_message():
    with pytest.raises(DomainError, match="volgt op een plaatsing"):
        new().record_follow_up(6, TODAY, True, 24, s(), TODAY)


def test_only_6_or_12_months_not_in_the_future_not_before_the_placement():
    t = placed()
    with pytest.raises(DomainError, match="kies 6 of 12 maanden"):
        t.record_follow_up(9, SIX_MONTHS, True, None, None, LATER)
    with pytest.raises(DomainError, match="toekomst"):
        t.record_follow_up(6, SIX_MONTHS, True, None, None, SIX_MONTHS - timedelta(days=1))
    with pytest.raises(DomainError, match="vóór de start van de plaatsing"):
        t.record_follow_up(6, date(2026, 2, 1), True, None, None, LATER)


def test_hours_only_while_still_working_and_note_sealed():
    t = placed()
    with pytest.raises(DomainError, match="Laat de uren per week dan leeg"):
        t.record_follow_up(6, SIX_MONTHS, False, 20, None, LATER)
    with pytest.raises(DomainError, match="tussen 0 en 60"):
        t.record_follow_up(6, SIX_MONTHS, True, 80, None, LATER)
    with pytest.raises(DomainError, match="versleuteld"):
        t.record_follow_up(6, SIX_MONTHS, True, 20, "platte tekst", LATER)


def test_after_closing_and_a_second_one_for_the_same_term_is_a_revision():
    t = placed()
    t.record_step("final_report", FINAL, TODAY)
    t.close("other_help", False, None, TODAY, TODAY)
    t.record_follow_up(6, SIX_MONTHS, True, 24, s("werkt nog"), LATER)
    t.record_follow_up(6, SIX_MONTHS + timedelta(days=2), False, None, None, LATER)
    t.record_follow_up(12, LATER, False, None, None, LATER)
    kinds = [type(e).__name__ for e in t.pending_events]
    assert kinds[-3:] == ["FollowUpRecorded"] * 3
    h = fold(t.pending_events)
    assert [(f["months"], f["still_working"], f["hours_per_week"]) for f in h.follow_ups] == [
        (6, True, 24.0), (6, False, None), (12, False, None),
    ]
    summaries = [x["summary"] for x in timeline(h.entries) if x["event"] == "FollowUpRecorded"]
    assert summaries == [
        "na 12 maanden: werkt niet meer", "na 6 maanden: werkt niet meer",
        "na 6 maanden: werkt nog, 24 uur per week",
    ]


def test_the_event_keeps_the_name_and_fields_other_contexts_count_on():
    t = placed()
    t.record_follow_up(12, LATER, True, 20.5, None, LATER)
    e = t.pending_events[-1]
    assert type(e).__qualname__ == "Trajectory.FollowUpRecorded"
    assert type(e).__module__ == "services.trajectories.domainmodel"
    assert (e.months, e.on, e.still_working, e.hours_per_week, e.note) == (
        12, LATER, True, 20.5, None,
    )
