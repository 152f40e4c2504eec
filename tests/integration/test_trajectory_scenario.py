"""The whole trajectory through the application layer, on SQLite and on PostgreSQL:
clients sealed, every step, hours against a grant, caseload and day totals, closing."""

import json
from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.kernel import context
from services.kernel.domain import DomainError
from services.kernel.personal_data import ERASED
from services.kernel.store import PreconditionFailedError
from services.kernel.views import lag
from services.trajectories.caseload import CaseloadView
from services.trajectories.clients_view import ClientsView
from services.trajectories.workday import WorkdayView

TODAY = date.today()
D = lambda days: TODAY - timedelta(days=days)  # noqa: E731


def walk(app, coach, client_id, *, start=None):
    """Intake to coaching plan with realistic data; returns the trajectory."""
    t = start or app.start_trajectory(client_id, "UWV", coach.id)
    app.record_step(t.id, "intake", {
        "held_on": D(200), "reason": "Wil graag weer aan het werk na lange uitkering",
        "question": "Passend werk vinden en behouden", "motivation": "Structuur en collega's",
        "life_world": "Woont zelfstandig, sport graag", "network": "Zus en buurman steunen",
        "phases_agreed": "Profiel, jobfinding, plaatsing, coaching", "expectations": "Wekelijks",
        "follow_up": "Volgende week profiel", "agreed_in_writing": True,
        "code_of_conduct_discussed": True,
    })
    app.record_step(t.id, "employee_profile", {
        "motivators": "Samenwerken", "values": "Eerlijkheid", "skills": "Nauwkeurig werken",
        "interests": "Techniek", "wishes": "Vaste werktijden", "learning_style": "Voordoen",
        "needs": "Duidelijke instructies", "limitations": "Beperkt belastbaar bij drukte",
        "possibilities": "Routinematig werk goed", "durable_conditions": "Vaste werkplek",
        "trajectory_goals": "Duurzaam 24 uur werken", "plan_of_approach": "Stapsgewijs",
        "agreed_with": "cliënt en UWV", "agreed_on": D(190),
    })
    app.record_job_finding(t.id, "employer_contact", "Fietsfabriek Noord", D(180), "Gebeld")
    app.record_step(t.id, "workplace_profile", {
        "employer": "Fietsfabriek Noord", "employer_known": False,
        "employer_profile": "Middelgroot productiebedrijf", "tasks": "Wielen monteren",
        "working_conditions": "Rustige hal", "expected_ksa": "Nauwkeurig, op tijd",
        "guidance_options": "Vaste werkbegeleider", "business_use": "Ontlast monteurs",
        "support_needed": "Inwerken en coaching", "checked_with_client": True,
    })
    app.record_matching(
        t.id, "Taken passen bij profiel", "match", "Rustige werkplek sluit aan",
        [{"agreement": "Aparte werkplek", "owner": "werkgever", "due": D(150)}], D(160),
    )
    app.record_step(t.id, "placement", {
        "employer": "Fietsfabriek Noord", "contract": "Arbeidsovereenkomst 1 jaar",
        "hours_per_week": 24, "start_date": D(150), "supervisor": "Piet Werkbegeleider",
        "agreements": "Start met 16 uur, opbouw naar 24",
    })
    app.record_coaching_plan(
        t.id,
        [{"goal_id": "g1", "description": "Zelfstandig wielen monteren",
          "criterion": "10 wielen per dag zonder hulp", "target_date": D(30), "owner": "cliënt"},
         {"goal_id": "g2", "description": "Pauzes zelf plannen",
          "criterion": "3 weken zonder herinnering", "target_date": TODAY + timedelta(20),
          "owner": "werkbegeleider"}],
        "Wekelijks gesprek", "Zus helpt met planning", [D(60), D(5), TODAY + timedelta(30)],
        D(140),
    )
    return app.trajectory(t.id)


def test_full_trajectory_on_both_stores(any_platform, any_orgs):
    platform = any_platform
    org = any_orgs.create("De Brug")
    anna = any_orgs.member(org, "jobcoach", "Anna")
    bram = any_orgs.member(org, "jobcoach", "Bram")
    app = platform.trajectories(org.id)
    keys = platform.subject_keys(org.id)

    with context.acting(org.id, f"user:{anna.id}", "client-1"):
        client = app.register_client({
            "name": "Jan Canary-77", "email": "jan@example.nl", "phone": "0612345678",
            "address": "Dorpsstraat 1, Utrecht", "date_of_birth": "1990-02-03",
        })
    with context.acting(org.id, f"user:{anna.id}", "client-1"):  # a resent request
        assert app.register_client({"name": "Jan Canary-77"}).id == client.id
    other = app.register_client({"name": "Els Tweede"})
    assert (client.number, other.number) == ("C-0001", "C-0002")
    app.describe_support_need(client.id, "Snel overprikkeld in drukte", "Sterk in routine")
    client = app.add_network_contact(client.id, "Zus Canary", "family", True, D(200))
    contact_id = next(iter(client.network))
    client = app.change_consent(client.id, contact_id, False, D(10))
    assert not client.may_contact(contact_id)

    t = walk(app, anna, client.id)
    assert t.client_number == "C-0001" and t.phase == "coaching_plan"
    app.set_regime("UWV", "standaard", 10, date(2020, 1, 1))
    t, grant_id = app.add_grant(t.id, "UWV", D(150), D(150) + timedelta(days=181), 40,
                                "standaard", "UWV-2026-001")
    with pytest.raises(DomainError, match="Geen urenregime"):
        app.add_grant(t.id, "Gemeente Utrecht", TODAY, TODAY + timedelta(30), 10, "standaard")

    t, warnings = app.record_activity(t.id, {
        "kind": "contact_moment", "on": D(100), "start": "09:00", "minutes": 90,
        "mode": "face_to_face", "participants": ["client", "supervisor"], "goal_ids": ["g1"],
        "jobcoach": anna.id, "justification": "Werkplekbezoek", "notes": "Jan oogt rustig",
        "next_step": "Volgende week evalueren",
    })
    assert warnings == []
    app.record_activity(t.id, {
        "kind": "coach_the_coach", "on": D(100), "start": "11:00", "minutes": 30,
        "mode": "online", "participants": ["supervisor"], "goal_ids": ["g1", "g2"],
        "jobcoach": anna.id, "justification": "Uitleg over instructies geven",
    })
    app.record_evaluation(t.id, D(60), [
        {"goal_id": "g1", "status": "reached"},
        {"goal_id": "g2", "status": "adjusted", "reason": "Meer tijd nodig",
         "new_target_date": TODAY + timedelta(40)},
    ], "Goede voortgang")

    # Sealed in the store: no clear text of the client anywhere in the events.
    stored = app.recorder.select_notifications(start=1, limit=1000)
    raw = b"".join(n.state for n in stored)
    assert b"Canary" not in raw and b"Jan oogt" not in raw
    for event in app.events.get(t.id):
        assert "Jan oogt" not in json.dumps(event.__dict__, default=str)
    opener = app.opener()
    activity = next(a for a in app.history(t.id).activities.values() if a["notes"])
    assert opener.open(activity["notes"]) == "Jan oogt rustig"
    assert keys.open(app.client(client.id).contact["name"]) == "Jan Canary-77"

    # Read models, kicked inline after each command.
    caseload = platform.view(CaseloadView, org.id)
    assert lag(caseload) == 0
    [row] = caseload.caseload(anna.id, TODAY)
    assert row["client_number"] == "C-0001" and row["phase"] == "coaching"
    assert row["overdue_evaluations"] == 1  # the moment 5 days ago has no evaluation
    # g2 moved to +40 days by the evaluation; the next planned evaluation is at +30
    assert row["next_deadline"] == (TODAY + timedelta(30)).isoformat()
    assert row["next_deadline_kind"] == "evaluation"
    names = platform.view(ClientsView, org.id).clients(opener, "canary")
    assert [c["number"] for c in names] == ["C-0001"] and names[0]["trajectories"] == 1

    # Absence and bulk handover of the caseload.
    t2 = app.start_trajectory(other.id, "Gemeente Utrecht", anna.id)
    absences, absence_id = app.register_absence(anna.id, "leave", TODAY, TODAY + timedelta(14))
    ids = [r["trajectory_id"] for r in caseload.open_trajectories(anna.id)]
    with context.acting(org.id, "user:manager", "bulk-1"):
        moved = app.hand_over_caseload(
            ids, bram.id, "Anna met verlof; Bram kent beide werkgevers", anna.id, absence_id
        )
        again = app.hand_over_caseload(
            ids, bram.id, "Anna met verlof; Bram kent beide werkgevers", anna.id, absence_id
        )
    assert len(moved) == 2 and len(again) == 2
    assert caseload.open_trajectories(anna.id) == []
    assert {r["trajectory_id"] for r in caseload.open_trajectories(bram.id)} == {
        str(t.id), str(t2.id)
    }
    assert caseload.absent_on(TODAY) == {str(anna.id)}
    assert app.absences(anna.id).absences[0]["reassigned"]
    for event in app.events.get(t.id):  # the handover note is about the client: sealed
        assert "beide werkgevers" not in json.dumps(event.__dict__, default=str)
    [handover] = app.trajectory(t.id).handovers
    assert app.opener().open(handover["note"]) == "Anna met verlof; Bram kent beide werkgevers"

    # Optimistic concurrency: a stale version is refused, nothing lost.
    version = app.trajectory(t.id).version
    with pytest.raises(PreconditionFailedError):
        app.record_job_finding(t.id, "employer_informed", "X", TODAY, None,
                               expected_version=version - 1)

    # Closing.
    app.record_step(t.id, "final_report", {
        "written_on": D(1), "placement_process": "Via jobfinding geplaatst",
        "coaching_report": "Wekelijkse begeleiding", "results": "Doel 1 behaald",
        "support_handover": "Werkbegeleider neemt over",
    })
    for party in ("client", "employer", "commissioner"):
        app.record_closing_evaluation(t.id, party, D(1), f"Evaluatie met {party}")
    app.close_trajectory(t.id, "placed_durably", True, "Drie maanden nazorg", TODAY)
    with pytest.raises(DomainError, match="afgesloten"):
        app.record_activity(t.id, {
            "kind": "contact_moment", "on": TODAY, "start": "14:00", "minutes": 30,
            "mode": "online", "goal_ids": ["g1"], "jobcoach": bram.id, "justification": "x",
        })
    assert [r["trajectory_id"] for r in caseload.open_trajectories(bram.id)] == [str(t2.id)]

    # For the privacy context: the client's trajectories, open or closed and when.
    assert app.trajectories_of(client.id) == [{
        "trajectory_id": t.id, "started_on": t.created_on.date(), "open": False,
        "closed_on": TODAY, "end_reason": "placed_durably",
    }]
    assert [x["open"] for x in app.trajectories_of(other.id)] == [True]
    assert app.trajectories_of(uuid4()) == []

    # Erasure: the client's key goes, every sealed value of the client reads ERASED.
    keys.shred(client.id)
    reloaded = app.history(t.id)
    assert app.opener().open(reloaded.current("intake")["reason"]) == ERASED
    assert app.opener().open(reloaded.handovers[0]["note"]) == ERASED
    assert reloaded.closed and reloaded.version == 18  # every step an event, nothing lost
    assert app.rules(t.id).closed and app.trajectory(t.id).ending["aftercare"]


def test_day_total_across_clients_flags_implausible_days(any_platform, any_orgs):
    org = any_orgs.create()
    anna = any_orgs.member(org, "jobcoach", "Anna")
    app = any_platform.trajectories(org.id)
    one = app.start_trajectory(app.register_client({"name": "Een"}).id, "UWV", anna.id)
    two = app.start_trajectory(app.register_client({"name": "Twee"}).id, "UWV", anna.id)
    day = D(3)

    def record(t, start, minutes):
        app.record_activity(t.id, {
            "kind": "employer_meeting", "on": day, "start": start, "minutes": minutes,
            "mode": "face_to_face", "jobcoach": anna.id, "justification": "Overleg",
        })

    record(one, "07:00", 360)  # 07:00-13:00
    record(two, "12:00", 360)  # 12:00-18:00: overlaps one, and 12 hours in total
    with pytest.raises(DomainError, match="Overlapt"):  # within one trajectory: refused
        record(one, "12:30", 30)
    view = any_platform.view(WorkdayView, org.id)
    [flagged] = view.implausible_days(anna.id, day, day)
    assert flagged["minutes"] == 720 and flagged["trajectories"] == 2
    assert len(flagged["overlaps"]) == 1 and len(flagged["reasons"]) == 2
    assert view.implausible_days(anna.id, D(2), TODAY) == []


def test_snapshots_hold_dates_and_sealed_values(any_platform, any_orgs):
    org = any_orgs.create()
    anna = any_orgs.member(org, "jobcoach")
    app = any_platform.trajectories(org.id)
    client = app.register_client({"name": "Snap"})
    t = walk(app, anna, client.id)
    for i in range(50):
        app.record_activity(t.id, {
            "kind": "contact_moment", "on": D(100 - i), "start": "10:00", "minutes": 30,
            "mode": "online", "goal_ids": ["g1"], "jobcoach": anna.id,
            "justification": f"Gesprek {i}",
        })
    assert [s.originator_version for s in app.snapshots.get(t.id)] == [20, 40]
    loaded = app.rules(t.id)
    assert loaded.version == 58 and len(loaded.activities) == 50
    assert loaded.goals == {"g1": "open", "g2": "open"} and loaded.hours_per_week == 24
    # The snapshot holds what the rules need, no text of the client (sealed or not).
    for snapshot in app.snapshots.get(t.id):
        assert "kid" not in json.dumps(snapshot.state, default=str)
    assert app.history(t.id).goals["g1"]["target_date"] == D(30)


def test_snapshots_of_the_first_shape_are_upcast(any_platform, any_orgs):
    """Snapshots taken before the aggregate was slimmed (v1: every step, goal and activity
    with its sealed texts) still load, as the slim aggregate, and commands go on."""
    from eventsourcing.utils import get_topic

    from services.trajectories.domainmodel import Trajectory

    org = any_orgs.create()
    anna = any_orgs.member(org, "jobcoach")
    app = any_platform.trajectories(org.id)
    t = walk(app, anna, app.register_client({"name": "Oud"}).id)
    app.set_regime("UWV", "standaard", 10, date(2020, 1, 1))
    t, grant = app.add_grant(t.id, "UWV", D(150), D(10), 200, "standaard")
    for n, start in enumerate(("09:00", "11:00")):
        app.record_activity(t.id, {
            "kind": "contact_moment", "on": D(50), "start": start, "minutes": 60,
            "mode": "online", "goal_ids": ["g1"], "jobcoach": anna.id,
            "justification": f"Gesprek {n}", "override_reason": None,
        })
    activity_id = next(iter(app.rules(t.id).activities))
    app.correct_activity(t.id, activity_id, 30, "Korter dan genoteerd")
    app.record_evaluation(t.id, D(40), [{"goal_id": "g1", "status": "reached"}], None)
    expected = {k: v for k, v in vars(app.rules(t.id)).items() if k != "_pending_events"}
    assert not list(app.snapshots.get(t.id))  # fewer than 20 events: replayed from events

    h = app.trajectory(t.id)  # the history has the attributes the v1 aggregate had
    v1_state = {
        "_created_on": h.created_on, "_modified_on": h.modified_on,
        "client_id": h.client_id, "client_number": h.client_number,
        "commissioner": h.commissioner, "responsible_jobcoach": h.responsible_jobcoach,
        "handovers": [], "closed": False, "steps": h.steps, "job_finding": h.job_finding,
        "goals": h.goals, "evaluations": h.evaluations,
        "evaluation_moments": h.evaluation_moments, "activities": h.activities,
        "grants": h.grants, "closing_evaluations": {}, "ending": None,
        "coaching_started": h.coaching_started,
    }
    app.snapshots.put([Trajectory.Snapshot(
        originator_id=t.id, originator_version=h.version, timestamp=h.modified_on,
        topic=get_topic(Trajectory), state=v1_state,
    )])
    loaded = app.rules(t.id)
    assert {k: v for k, v in vars(loaded).items() if k != "_pending_events"} == expected
    assert loaded.live_minutes(grant) == 90 and loaded.goals == {"g1": "reached", "g2": "open"}
    app.record_activity(t.id, {
        "kind": "contact_moment", "on": D(50), "start": "09:30", "minutes": 20,
        "mode": "online", "goal_ids": ["g1"], "jobcoach": anna.id, "justification": "Kort",
    })  # 09:30 is free again: the corrected activity ended at 09:30
    with pytest.raises(DomainError, match="Overlapt"):
        app.record_activity(t.id, {
            "kind": "contact_moment", "on": D(50), "start": "11:30", "minutes": 20,
            "mode": "online", "goal_ids": ["g1"], "jobcoach": anna.id, "justification": "Dubbel",
        })


def test_history_is_read_from_the_events_and_cached_without_going_stale(any_platform, any_orgs):
    org = any_orgs.create()
    anna = any_orgs.member(org, "jobcoach")
    app = any_platform.trajectories(org.id)
    t = walk(app, anna, app.register_client({"name": "Vers"}).id)
    first = app.trajectory(t.id)
    assert app.trajectory(t.id) is first  # nothing new: the cached history itself
    app.record_activity(t.id, {
        "kind": "contact_moment", "on": D(3), "start": "10:00", "minutes": 45,
        "mode": "online", "goal_ids": ["g2"], "jobcoach": anna.id, "justification": "Nieuw",
    })
    # Another process (here: a second application instance) records meanwhile.
    other = type(app)(any_platform.settings, org.id)
    other.keys = app.keys
    try:
        other.record_job_finding(t.id, "employer_informed", "Fietsfabriek Noord", D(2), None)
    finally:
        other.close()
    later = app.trajectory(t.id)
    assert later.version == first.version + 2 and len(later.activities) == 1
    assert len(first.activities) == 0 and first.version == later.version - 2  # untouched
    assert [e["event"] for e in later.entries[-2:]] == ["ActivityRecorded", "JobFindingRecorded"]


def test_plain_handover_notes_of_earlier_events_are_hidden_after_erasure(any_platform, any_orgs):
    """Before 2026-11 the note was stored in plain text; it cannot be shredded, so once
    the client is erased the pages and the API no longer show it."""
    from services.trajectories.presenter import present

    org = any_orgs.create()
    anna, bram = any_orgs.member(org, "jobcoach"), any_orgs.member(org, "jobcoach")
    app = any_platform.trajectories(org.id)
    client = app.register_client({"name": "Vroeger"})
    t = app.start_trajectory(client.id, "UWV", anna.id)
    earlier = app.rules(t.id)
    earlier._reassigned(bram.id, "Oude notitie in platte tekst")  # the v1 shape
    app.save(earlier)
    assert present(app.trajectory(t.id), app.opener())["handovers"][0]["note"] == (
        "Oude notitie in platte tekst")
    app.keys.shred(client.id)
    assert present(app.trajectory(t.id), app.opener())["handovers"][0]["note"] == ERASED
