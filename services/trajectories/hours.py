"""The hours rules of a trajectory, as pure functions over its compact activities and
grants: what an activity needs, overlap within the trajectory, the grant's cap, and what
a grant period's log holds. The aggregate (domainmodel.py) keeps the state and the events.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from services.kernel.domain import DomainError, Notice
from services.trajectories import funding
from services.trajectories import rules as r
from services.trajectories.rules import require

Data = dict[str, Any]
# A compact activity: [day (ordinal), start minute, minutes, jobcoach, grant id, override,
# aftercare (a contact after closing)]
ON, START, MINUTES, COACH, GRANT, OVERRIDE, AFTERCARE = range(7)


def compact(data: Data) -> list[Any]:
    """What the rules keep of an activity event's data."""
    return [
        data["on"].toordinal(), data["start"], data["minutes"], data["jobcoach"],
        data["grant_id"], data["override_reason"], data["kind"] == r.AFTERCARE,
    ]


def checked_activity(activity: Data, today: date) -> Data:
    """What every activity needs: a past day, a time range within the day, a form,
    participants, a justification (sealed). Overlap is checked against the trajectory."""
    on = r.not_future(activity["on"], today, "Datum activiteit")
    minutes = int(activity["minutes"])
    require(0 < minutes <= r.MAX_ACTIVITY_MINUTES, "Minuten: tussen 1 en 720")
    start = r.minute_of_day(activity["start"])
    require(start + minutes <= 24 * 60, "Een activiteit loopt niet over middernacht")
    r.one_of(activity["mode"], r.MODES, "Vorm")
    participants = list(activity.get("participants") or [])
    for participant in participants:
        r.one_of(participant, r.PARTICIPANTS, "Deelnemer")
    return {
        "activity_id": activity.get("activity_id") or uuid4().hex,
        "on": on,
        "start": start,
        "minutes": minutes,
        "mode": activity["mode"],
        "participants": participants,
        "jobcoach": str(activity["jobcoach"]),
        "justification": r.sealed(activity.get("justification"), "Verantwoording"),
        "notes": r.sealed(activity.get("notes"), "Notities", required=False),
        "next_step": r.sealed(activity.get("next_step"), "Vervolgstap", required=False),
    }


def check_overlap(
    activities: dict[str, list[Any]], skip: str | None, jobcoach: str, day: int, start: int,
    minutes: int,
) -> None:
    """No two live activities of one jobcoach overlap within this trajectory."""
    for activity_id, other in activities.items():
        if other[ON] != day or other[COACH] != jobcoach or other[MINUTES] <= 0:
            continue
        if activity_id == skip:
            continue
        end = other[START] + other[MINUTES]
        if start < end and other[START] < start + minutes:
            raise DomainError(
                "Overlapt met een andere activiteit van %(start)s tot %(end)s op %(on)s",
                start=r.clock(other[START]), end=r.clock(end),
                on=r.nl_date(date.fromordinal(day)),
            )


def live_minutes(activities: dict[str, list[Any]], grant_id: str, skip: str | None = None) -> int:
    return sum(
        a[MINUTES] for k, a in activities.items()
        if a[GRANT] == grant_id and k != skip and a[MINUTES] > 0
    )


def check_cap(
    grants: dict[str, Data], activities: dict[str, list[Any]], hours_per_week: float | None,
    skip: str | None, on: date, minutes: int, override_reason: str | None,
) -> tuple[str | None, list[Notice], bool]:
    """(grant charged, warnings, beyond the cap with an override): refused beyond the cap
    without an explicit reason, a warning from WARN_AT_SHARE of it."""
    grant = funding.grant_for(grants.values(), on)
    if grant is None:
        return None, [], False
    used = live_minutes(activities, grant["grant_id"], skip)
    cap = funding.cap_minutes(grant, hours_per_week)
    after = used + minutes
    label = funding.grant_label(grant)
    if after > cap:
        if not override_reason or len(override_reason.strip()) < 10:
            raise DomainError(
                "Hiermee gaat u over het plafond van %(grant)s: %(hours)s van %(cap)s uur."
                " Registreer alleen met een expliciete reden (override, min. 10 tekens).",
                grant=label, hours=f"{after / 60:.1f}", cap=f"{cap / 60:.1f}",
            )
        warning = Notice("Boven het plafond van %(grant)s met reden: %(reason)s",
                         grant=label, reason=override_reason)
        return grant["grant_id"], [warning], True
    if after >= r.WARN_AT_SHARE * cap:
        return grant["grant_id"], [Notice(
            "Let op: %(share)s van het plafond van %(grant)s is gebruikt"
            " (%(hours)s van %(cap)s uur)",
            share=f"{after / cap:.0%}", grant=label, hours=f"{after / 60:.1f}",
            cap=f"{cap / 60:.1f}",
        )], False
    return grant["grant_id"], [], False


def log_extent(activities: dict[str, list[Any]], grant_id: str) -> tuple[int, int]:
    """(activities, minutes) charged to the grant: what a signature of its log covers."""
    live = [a[MINUTES] for a in activities.values() if a[GRANT] == grant_id and a[MINUTES] > 0]
    return len(live), sum(live)
