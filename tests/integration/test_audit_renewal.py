"""Renewal reporting on SQLite and PostgreSQL: KPI trends from the dated trajectory facts
against hand-computed figures, requirement status per month-end (recomputed from dated
facts, or taken as a snapshot, and then never changed), and the dashboard as a whole."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from uuid import uuid4

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from projections.renewal_facts import FollowUpFactsView, TrajectoryFactsView
from services.audit import kpis, renewal, snapshots
from services.audit.evidence import MET, NOT_MET
from services.kernel import context
from services.quality.complaints.application import Complaints, default_regulation
from services.trajectories.domainmodel import Trajectory

TODAY = date(2026, 11, 26)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def _events(coach):
    """Three trajectories: A placed after 30 days and closed as placed, B placed after 60
    days, C broken off before a placement; 90 + 30 minutes on A in October."""
    a, b, c = uuid4(), uuid4(), uuid4()
    T = Trajectory
    created = [
        T.Created(originator_id=t, originator_version=1, timestamp=_at(day),
                  originator_topic=get_topic(Trajectory), client_id=uuid4(),
                  commissioner="UWV", responsible_jobcoach=coach, client_number=number)
        for t, day, number in ((a, date(2026, 8, 1), "C-0001"), (b, date(2026, 8, 10), "C-0002"),
                               (c, date(2026, 9, 1), "C-0003"))
    ]
    return a, [
        *created,
        T.PlacementRecorded(originator_id=a, originator_version=2, timestamp=_at(TODAY),
                            data={"start_date": date(2026, 8, 31)}),
        T.PlacementRecorded(originator_id=b, originator_version=2, timestamp=_at(TODAY),
                            data={"start_date": date(2026, 10, 9)}),
        T.ActivityRecorded(originator_id=a, originator_version=3, timestamp=_at(TODAY),
                           data={"activity_id": "x1", "on": date(2026, 10, 2), "minutes": 90}),
        T.ActivityRecorded(originator_id=a, originator_version=4, timestamp=_at(TODAY),
                           data={"activity_id": "x2", "on": date(2026, 10, 3), "minutes": 30}),
        T.Closed(originator_id=a, originator_version=5, timestamp=_at(TODAY),
                 reason="placed_durably", aftercare_offered=False, aftercare=None,
                 on=date(2026, 11, 20)),
        T.Closed(originator_id=c, originator_version=2, timestamp=_at(TODAY),
                 reason="broken_off", aftercare_offered=False, aftercare=None,
                 on=date(2026, 9, 15)),
    ]


def test_kpi_trends_from_dated_facts(any_platform, any_orgs):
    org = any_orgs.create()
    coach = any_orgs.member(org, "jobcoach", "Anna")
    view = any_platform.view(TrajectoryFactsView, org.id)
    a, events = _events(coach.id)
    with context.acting(org.id, "user:test"):
        assert view.apply_batch(events, Tracking(view.app.name, 10_000))

    trend = {k.key: k for k in kpis.kpi_trends(any_platform, org.id, TODAY)}
    labels = [m.label for m in kpis.months(TODAY)]
    assert labels[-1] == "nov 26" and len(labels) == 12

    def at(key, label):
        return trend[key].values[labels.index(label)]

    assert at("plaatsingen", "aug 26") == 1 and at("plaatsingen", "okt 26") == 1
    assert at("plaatsingen", "sep 26") == 0 and sum(trend["plaatsingen"].values) == 2
    assert at("tijd_tot_plaatsing", "aug 26") == 30 and at("tijd_tot_plaatsing", "okt 26") == 60
    assert at("tijd_tot_plaatsing", "sep 26") is None
    assert at("uren_per_traject", "okt 26") == 2.0  # 120 minutes on one trajectory
    # no source in Jobtrail: said so, never a number
    # no follow-up recorded yet: said so, never a number
    assert not trend["duurzaam_6"].has_data and "Nog geen follow-up" in trend["duurzaam_6"].note
    assert not trend["tevredenheid"].has_data and trend["tevredenheid"].threshold == 6.5
    assert trend["scholingsdekking"].values[-1] == 0.0  # one jobcoach, no training
    # the auditor's pseudonyms come from the same facts
    assert view.pseudonyms([str(a)]) == {str(a): "C-0001"}


def _follow_up(t, version, months, on, working):
    return Trajectory.FollowUpRecorded(
        originator_id=t, originator_version=version, timestamp=_at(on), months=months, on=on,
        still_working=working, hours_per_week=24.0 if working else None, note=None)


def test_durability_after_6_and_12_months(any_platform, any_orgs):
    """Per month-end: of the follow-ups (the last one of a term per trajectory) dated in
    the 12 months up to it, the % still working."""
    org = any_orgs.create()
    view = any_platform.view(FollowUpFactsView, org.id)
    a, b, c, d = uuid4(), uuid4(), uuid4(), uuid4()
    events = [
        _follow_up(a, 2, 6, date(2026, 3, 1), True),
        _follow_up(b, 2, 6, date(2026, 5, 10), False),
        _follow_up(b, 3, 6, date(2026, 5, 20), True),  # a revision: this one counts
        _follow_up(c, 2, 6, date(2026, 10, 15), False),
        _follow_up(d, 2, 6, date(2025, 9, 1), True),
        _follow_up(a, 3, 12, date(2026, 9, 1), True),
        _follow_up(b, 4, 12, date(2026, 11, 20), False),
    ]
    with context.acting(org.id, "user:test"):
        assert view.apply_batch(events, Tracking(view.app.name, 10_000))
    trend = {k.key: k for k in kpis.kpi_trends(any_platform, org.id, TODAY)}
    labels = [m.label for m in kpis.months(TODAY)]
    six, twelve = (dict(zip(labels, trend[k].values, strict=True))
                   for k in ("duurzaam_6", "duurzaam_12"))
    assert six["dec 25"] == 100.0  # window 2025-01-01..2025-12-31: d working
    assert six["mei 26"] == 100.0  # d, a, b (revised to working): 3 of 3
    assert six["sep 26"] == 100.0  # d (2025-09-01) left the window: a, b
    assert six["okt 26"] == 66.7  # a, b working, c not: 2 of 3
    assert six["nov 26"] == 66.7 and trend["duurzaam_6"].latest_text == "66,7%"
    assert twelve["aug 26"] is None and twelve["okt 26"] == 100.0  # a
    assert twelve["nov 26"] == 50.0  # a working, b not
    assert trend["duurzaam_6"].note == "" and trend["duurzaam_12"].has_data


def _complaints(platform, org, keys):
    with context.acting(org.id, "user:test"):
        app = platform.app(Complaints, org.id)
        app.adopt_regulation(default_regulation(), date(2025, 1, 1))
        late = app.receive(keys, complainant_name="X", complainant_contact="",
                           summary="Afspraak niet nagekomen", complainant_kind="client",
                           received_on=date(2026, 6, 2))
        app.acknowledge(late.id, date(2026, 8, 20))  # far past the term
    from projections.runtime import sweep

    sweep(platform)


def test_status_per_month_end_is_recomputed_once_and_kept(any_platform, any_orgs):
    org = any_orgs.create()
    _complaints(any_platform, org, any_platform.subject_keys(org.id))
    joined = SimpleNamespace(id=org.id, created_on=datetime(2025, 1, 1, tzinfo=UTC))

    columns = snapshots.history(any_platform, joined, TODAY)
    by_label = {c["label"]: c for c in columns}
    assert [c["label"] for c in columns][-2:] == ["okt 26", "nu"] and len(columns) == 13
    # May: nothing received yet; July: the acknowledgement is overdue at that month-end
    assert by_label["mei 26"]["statuses"]["klachten"]["status"] == MET
    assert by_label["jul 26"]["statuses"]["klachten"]["status"] == NOT_MET
    assert by_label["jul 26"]["source"] == snapshots.RECOMPUTED
    # memberships are dated, so who was responsible is known at a past month-end too
    continuity = {f["key"]: f for f in by_label["jul 26"]["statuses"]["continuiteit"]["figures"]}
    assert continuity["trajecten_zonder_jobcoach"]["status"] == MET
    assert by_label["nu"]["source"] == snapshots.LIVE

    # stored once: a later, different evaluation never replaces it
    snapshots.store(any_platform, org.id, date(2026, 7, 31),
                    {"klachten": {"status": MET, "figures": []}}, snapshots.TAKEN)
    kept = snapshots.stored(any_platform, org.id)["2026-07-31"]
    assert kept["statuses"]["klachten"]["status"] == NOT_MET and kept["source"] == "herberekend"
    # the cron snapshot of the month just passed is a "momentopname"
    day = snapshots.take(any_platform, org.id, date(2026, 12, 1))
    assert day == date(2026, 11, 30)
    assert snapshots.stored(any_platform, org.id)["2026-11-30"]["source"] == snapshots.TAKEN
    # months before the organisation joined are neither computed nor stored
    fresh = any_orgs.create()
    early = snapshots.history(any_platform, fresh, date.today())
    assert all(c["source"] == snapshots.BEFORE for c in early[:-1])
    assert snapshots.stored(any_platform, fresh.id) == {}


def test_dashboard_actions_before_renewal(any_platform, any_orgs):
    from services.audit.application import AuditJournal

    org = any_orgs.create()
    _complaints(any_platform, org, any_platform.subject_keys(org.id))
    today = date.today()
    with context.acting(org.id, "user:test"):
        journal = any_platform.app(AuditJournal, org.id)
        journal.set_certificate("oval", today - timedelta(days=1000), today + timedelta(days=40))
        journal.set_certificate("uwv", today - timedelta(days=1000), today + timedelta(days=900))
    data = renewal.dashboard(any_platform, org, today)
    states = {c["mark"]: c["state"] for c in data["certificates"]}
    assert states == {"blik-op-werk": "niet vastgelegd", "oval": "verloopt binnenkort",
                      "uwv": "geldig", "registers": "niet vastgelegd"}
    assert [a["status"] for a in data["actions"]][0] == NOT_MET  # not met first
    expiring = next(a for a in data["actions"] if a["kind"] == "keurmerk")
    assert expiring["title"].startswith("OVAL-keurmerk verloopt op")
    complaints = next(a for a in data["actions"] if a["kind"] == "eis")
    assert complaints["title"] == "Klachtenregeling en klachtenprocedure"
    assert complaints["before"] == today + timedelta(days=40)  # the earliest affected expiry
    assert any("buiten de termijn" in f for f in complaints["findings"])
    chart = renewal.status_chart(data)
    assert chart.startswith("<svg")
    assert "Klachtenregeling en klachtenprocedure, nu: niet voldaan" in chart
