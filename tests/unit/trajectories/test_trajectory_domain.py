"""Transitions and invariants of the trajectory aggregate (POPO: no stores, no keys)."""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.kernel.domain import DomainError, NotFoundError
from services.trajectories.domainmodel import MINUTES, Trajectory
from services.trajectories.funding import cap_minutes, usage
from services.trajectories.history import fold

TODAY = date(2026, 6, 15)
COACH = uuid4()


def s(text="tekst"):
    """A sealed-looking value: the domain checks the shape, the edge does the crypto."""
    return {"kid": str(uuid4()), "n": "bm9uY2U=", "c": text}


INTAKE = {
    "held_on": date(2026, 1, 10), "reason": s(), "question": s(), "motivation": s(),
    "life_world": s(), "network": s(), "phases_agreed": s(), "expectations": s(),
    "follow_up": s(), "agreed_in_writing": True, "code_of_conduct_discussed": True,
}
PROFILE = {
    "motivators": s(), "values": s(), "skills": s(), "interests": s(), "wishes": s(),
    "learning_style": s(), "needs": s(), "limitations": s(), "possibilities": s(),
    "durable_conditions": s(), "trajectory_goals": s(), "plan_of_approach": s(),
    "agreed_with": "cliënt en UWV", "agreed_on": date(2026, 1, 20),
}
WORKPLACE = {
    "employer": "Bakkerij Brood & Zo", "employer_known": False, "employer_profile": s(),
    "tasks": s(), "working_conditions": s(), "expected_ksa": s(), "guidance_options": s(),
    "business_use": s(), "support_needed": s(), "checked_with_client": True,
}
PLACEMENT = {
    "employer": "Bakkerij Brood & Zo", "contract": "Arbeidsovereenkomst 1 jaar",
    "hours_per_week": 24, "start_date": date(2026, 3, 1), "supervisor": s(),
    "agreements": s(),
}
FINAL = {
    "written_on": date(2026, 6, 1), "placement_process": s(), "coaching_report": s(),
    "results": s(), "support_handover": s(),
}


def new():
    return Trajectory(uuid4(), "UWV", COACH, "C-0001")


def placed():
    t = new()
    t.record_step("intake", INTAKE, TODAY)
    t.record_step("employee_profile", PROFILE, TODAY)
    t.record_step("workplace_profile", WORKPLACE, TODAY)
    t.record_matching(s(), "match", s(), [
        {"agreement": s(), "owner": "werkgever", "due": date(2026, 3, 15)}
    ], date(2026, 2, 20), TODAY)
    t.record_step("placement", PLACEMENT, TODAY)
    return t


def planned():
    t = placed()
    t.record_coaching_plan(
        [{"goal_id": "g1", "description": s(), "criterion": s(), "target_date": date(2026, 5, 1),
          "owner": "cliënt"}],
        s(), s(), [date(2026, 4, 1), date(2026, 5, 1)], date(2026, 3, 5), TODAY,
    )
    return t


def activity(**extra):
    base = {
        "kind": "contact_moment", "on": date(2026, 4, 2), "start": "09:00", "minutes": 60,
        "mode": "face_to_face", "participants": ["client"], "goal_ids": ["g1"],
        "jobcoach": COACH, "justification": s(),
    }
    return {**base, **extra}


def test_steps_in_order_and_phase_follows():
    t = new()
    assert t.phase == "intake"
    with pytest.raises(DomainError, match="Werknemersprofiel vraagt eerst: Intake"):
        t.record_step("employee_profile", PROFILE, TODAY)
    t = planned()
    assert t.phase == "coaching_plan"
    t.record_activity(activity(), TODAY)
    assert t.phase == "coaching"


def test_no_placement_without_a_match():
    t = new()
    t.record_step("intake", INTAKE, TODAY)
    t.record_step("employee_profile", PROFILE, TODAY)
    t.record_step("workplace_profile", WORKPLACE, TODAY)
    with pytest.raises(DomainError, match="Geen plaatsing zonder een match"):
        t.record_step("placement", PLACEMENT, TODAY)
    t.record_matching(s(), "no_match", s(), [], date(2026, 2, 20), TODAY)
    with pytest.raises(DomainError, match="Geen plaatsing zonder een match"):
        t.record_step("placement", PLACEMENT, TODAY)


def test_intake_requires_written_agreements_and_all_parts():
    t = new()
    with pytest.raises(DomainError, match="schriftelijk vastgelegd is een voorwaarde"):
        t.record_step("intake", {**INTAKE, "agreed_in_writing": False}, TODAY)
    with pytest.raises(DomainError, match="Hulpvraag ontbreekt"):
        t.record_step("intake", {**INTAKE, "question": None}, TODAY)
    with pytest.raises(DomainError, match="versleuteld"):
        t.record_step("intake", {**INTAKE, "reason": "platte tekst met een naam"}, TODAY)
    with pytest.raises(DomainError, match="toekomst"):
        t.record_step("intake", {**INTAKE, "held_on": TODAY + timedelta(days=1)}, TODAY)


def test_revisions_are_new_events_never_overwrites():
    t = new()
    t.record_step("intake", INTAKE, TODAY)
    t.record_step("intake", {**INTAKE, "held_on": date(2026, 1, 11)}, TODAY)
    assert t.revisions["intake"] == 2
    assert [d["held_on"].day for d in fold(t.pending_events).steps["intake"]] == [10, 11]
    assert [type(e).__name__ for e in t.collect_events()] == [
        "Created", "IntakeRecorded", "IntakeRecorded",
    ]


def test_job_carving_needs_owner_and_date():
    t = placed()
    for bad in ({"agreement": s(), "owner": "", "due": TODAY}, {"agreement": s(), "owner": "x"}):
        with pytest.raises(DomainError, match="Jobcarving-afspraak 1"):
            t.record_matching(s(), "match", s(), [bad], TODAY, TODAY)


def test_smart_goal_needs_criterion_and_date():
    t = placed()
    goal = {"description": s(), "criterion": s(), "target_date": date(2026, 5, 1), "owner": "x"}
    with pytest.raises(DomainError, match="meetbaar criterium"):
        t.record_coaching_plan([{**goal, "criterion": None}], s(), s(), [TODAY], TODAY, TODAY)
    with pytest.raises(DomainError, match="streefdatum"):
        t.record_coaching_plan([{**goal, "target_date": None}], s(), s(), [TODAY], TODAY, TODAY)
    with pytest.raises(DomainError, match="coachingsplan vraagt een plaatsing"):
        new().record_coaching_plan([goal], s(), s(), [TODAY], TODAY, TODAY)


def test_evaluation_marks_goals_and_adjusts_with_reason():
    t = planned()
    with pytest.raises(DomainError, match="reden"):
        t.record_evaluation(date(2026, 4, 1), [{"goal_id": "g1", "status": "adjusted"}], None,
                            TODAY)
    with pytest.raises(DomainError, match="nieuwe streefdatum"):
        t.record_evaluation(date(2026, 4, 1), [
            {"goal_id": "g1", "status": "adjusted", "reason": s()}], None, TODAY)
    t.record_evaluation(date(2026, 4, 1), [
        {"goal_id": "g1", "status": "adjusted", "reason": s(),
         "new_target_date": date(2026, 6, 1)}], s(), TODAY)
    assert t.goals["g1"] == "open"
    assert fold(t.pending_events).goals["g1"]["target_date"] == date(2026, 6, 1)
    t.record_evaluation(date(2026, 6, 1), [{"goal_id": "g1", "status": "reached"}], None, TODAY)
    assert t.goals["g1"] == "reached"
    assert fold(t.pending_events).goals["g1"]["status"] == "reached"


def test_activity_refusals():
    t = planned()
    for bad, message in (
        ({"minutes": 0}, "Minuten"),
        ({"minutes": -30}, "Minuten"),
        ({"on": TODAY + timedelta(days=1)}, "toekomst"),
        ({"start": "9 uur"}, "Begintijd"),
        ({"goal_ids": []}, "welk doel"),
        ({"goal_ids": ["nope"]}, "Onbekend doel"),
        ({"mode": "telepathie"}, "Vorm"),
    ):
        with pytest.raises(DomainError, match=message):
            t.record_activity(activity(**bad), TODAY)
    t.record_activity(activity(), TODAY)
    with pytest.raises(DomainError, match="Overlapt"):
        t.record_activity(activity(start="09:30"), TODAY)
    t.record_activity(activity(start="10:00"), TODAY)  # adjacent is fine


def test_corrections_are_events_and_zero_withdraws():
    t = planned()
    t.record_activity(activity(activity_id="a1"), TODAY)
    t.correct_activity("a1", 45, "Verkeerd genoteerd")
    t.correct_activity("a1", 0, "Dubbel geregistreerd")
    assert t.activities["a1"][MINUTES] == 0
    read = fold(t.pending_events).activities["a1"]
    assert read["minutes"] == 0 and [c["to"] for c in read["corrections"]] == [45, 0]
    t.record_activity(activity(activity_id="a2"), TODAY)  # the slot is free again
    with pytest.raises(NotFoundError):
        t.correct_activity("zzz", 10, "bestaat niet")


def test_grant_cap_warns_then_refuses_unless_overridden():
    t = planned()  # 24 hours a week
    grant = t.add_grant("UWV", date(2026, 4, 1), date(2026, 4, 28), 100, "standaard", 10)
    g = t.grants[grant]
    assert cap_minutes(g, 24) == round(0.10 * 24 * 4 * 60)  # 4 weeks: 576 minutes
    assert cap_minutes(g, None) == 100 * 60
    warnings = t.record_activity(activity(minutes=480), TODAY)
    assert warnings and "83%" in warnings[0]
    with pytest.raises(DomainError, match="plafond"):
        t.record_activity(activity(on=date(2026, 4, 3), minutes=120), TODAY)
    warnings = t.record_activity(
        activity(on=date(2026, 4, 3), minutes=120, override_reason="Crisis op de werkvloer"),
        TODAY,
    )
    assert "Boven het plafond" in warnings[0]
    assert t.live_minutes(grant) == 600 and usage(fold(t.pending_events))[0]["used_minutes"] == 600
    with pytest.raises(DomainError, match="overlapt"):
        t.add_grant("UWV", date(2026, 4, 20), date(2026, 5, 20), 10, "standaard", 10)


def test_closing_needs_final_report_and_then_refuses_everything():
    t = planned()
    with pytest.raises(DomainError, match="eindverslag"):
        t.close("broken_off", False, None, TODAY, TODAY)
    t.record_step("final_report", FINAL, TODAY)
    with pytest.raises(DomainError, match="Evalueer eerst met"):
        t.close("placed_durably", True, s(), TODAY, TODAY)
    for party in ("client", "employer", "commissioner"):
        t.record_closing_evaluation(party, TODAY, s(), TODAY)
    with pytest.raises(DomainError, match="nazorg"):
        t.close("placed_durably", True, None, TODAY, TODAY)
    t.close("placed_durably", True, s(), TODAY, TODAY)
    assert t.phase == "closed"
    with pytest.raises(DomainError, match="afgesloten"):
        t.record_activity(activity(on=date(2026, 6, 2)), TODAY)
    with pytest.raises(DomainError):
        t.reassign(uuid4(), "Overdracht na afsluiting")


def test_handover_note_is_stored_sealed_only():
    t = new()
    with pytest.raises(DomainError, match="overdrachtsnotitie"):
        t.reassign(uuid4(), "Platte tekst over de cliënt mag niet in een event")
    other = uuid4()
    t.reassign(other, s("Warme overdracht"))
    assert t.responsible_jobcoach == other
    _, reassigned = t.pending_events
    assert reassigned.handover_note["c"] == "Warme overdracht"  # the sealed value as given
    [handover] = fold(t.pending_events).handovers
    assert handover["to"] == str(other) and handover["note"]["c"] == "Warme overdracht"


def test_the_aggregate_keeps_no_text_and_the_history_keeps_it_all():
    t = planned()
    t.record_activity(activity(activity_id="a1", notes=s("notitie")), TODAY)
    state = {k: v for k, v in vars(t).items() if k != "_pending_events"}
    assert "'kid'" not in repr(state)  # no sealed value anywhere in the aggregate's state
    assert t.activities["a1"][MINUTES] == 60
    h = fold(t.pending_events)
    assert h.activities["a1"]["notes"]["c"] == "notitie" and h.phase == "coaching"
    assert h.current("placement")["employer"] == "Bakkerij Brood & Zo"


def test_extending_a_history_leaves_the_earlier_one_as_it_was():
    from services.trajectories.history import extend

    t = planned()
    t.record_activity(activity(activity_id="a1"), TODAY)
    events = list(t.pending_events)
    t.correct_activity("a1", 30, "Korter dan genoteerd")
    t.record_evaluation(date(2026, 4, 1), [{"goal_id": "g1", "status": "reached"}], None, TODAY)
    earlier = fold(events)
    later = extend(earlier, list(t.pending_events)[len(events):])
    assert (earlier.activities["a1"]["minutes"], later.activities["a1"]["minutes"]) == (60, 30)
    assert (earlier.goals["g1"]["status"], later.goals["g1"]["status"]) == ("open", "reached")
    assert (len(earlier.entries), len(later.entries)) == (len(events), len(events) + 2)
    with pytest.raises(ValueError):
        extend(later, events[-1:])  # not the next version


def test_handover_notes_of_earlier_events_are_plain_text_and_still_read():
    from services.trajectories.sealing import Opener

    t = new()
    created = t.pending_events[0]
    to = uuid4()
    earlier = Trajectory.Reassigned(  # as stored before the note was sealed
        originator_id=t.id, originator_version=2, timestamp=created.timestamp,
        jobcoach=to, handover_note="Oude notitie in platte tekst",
    )
    replayed = earlier.mutate(created.mutate(None))
    assert replayed.responsible_jobcoach == to and replayed.version == 2
    [handover] = fold([created, earlier]).handovers
    assert Opener(None).open(handover["note"]) == "Oude notitie in platte tekst"


def closed(aftercare=True):
    t = planned()
    t.add_grant("UWV", date(2026, 3, 1), date(2026, 8, 31), 100, "standaard", 10)
    t.record_activity(activity(activity_id="a1"), TODAY)
    t.record_step("final_report", FINAL, TODAY)
    t.close("broken_off", aftercare, s("Drie maanden nazorg") if aftercare else None,
            date(2026, 6, 1), TODAY)
    return t


def aftercare(**extra):
    base = {"on": date(2026, 6, 10), "start": "10:00", "minutes": 30, "mode": "online",
            "participants": ["client"], "jobcoach": COACH, "justification": s("Nazorg")}
    return {**base, **extra}


def test_aftercare_contacts_follow_a_closing_with_aftercare_offered():
    t = planned()
    with pytest.raises(DomainError, match="sluit het traject eerst af"):
        t.record_aftercare(aftercare(), TODAY)
    with pytest.raises(DomainError, match="geen nazorg aangeboden"):
        closed(aftercare=False).record_aftercare(aftercare(), TODAY)
    t = closed()
    for bad, message in (
        ({"on": date(2026, 5, 31)}, "latere datum"),
        ({"on": TODAY + timedelta(days=1)}, "toekomst"),
        ({"minutes": 0}, "Minuten"),
        ({"justification": "platte tekst"}, "versleuteld"),
    ):
        with pytest.raises(DomainError, match=message):
            t.record_aftercare(aftercare(**bad), TODAY)
    t.record_aftercare(aftercare(activity_id="n1"), TODAY)
    with pytest.raises(DomainError, match="Overlapt"):
        t.record_aftercare(aftercare(start="10:15"), TODAY)
    with pytest.raises(DomainError, match="afgesloten"):  # other hours stay refused
        t.record_activity(activity(on=date(2026, 6, 11)), TODAY)
    [grant] = t.grants
    assert t.live_minutes(grant) == 60  # aftercare is charged to no grant
    t.correct_activity("n1", 45, "Langer dan genoteerd")  # an aftercare contact: correctable
    with pytest.raises(DomainError, match="afgesloten"):
        t.correct_activity("a1", 30, "Te laat gezien")
    read = fold(t.pending_events).activities["n1"]
    assert (read["kind"], read["minutes"], read["grant_id"]) == ("aftercare", 45, None)
    assert t.phase == "closed"


def test_the_history_cache_reads_only_newer_events_and_stays_bounded():
    from services.trajectories.history import Histories

    class Store:  # the part of the library's event store that Histories uses
        def __init__(self, events):
            self.events, self.reads = events, []

        def get(self, originator_id, gt=None):
            self.reads.append(gt)
            return [e for e in self.events[originator_id]
                    if gt is None or e.originator_version > gt]

    one, two = planned(), planned()
    store = Store({one.id: list(one.pending_events), two.id: list(two.pending_events)})
    cache = Histories(max_events=one.version + 1)
    first = cache.get("org", store, one.id)
    one.record_activity(activity(), TODAY)
    store.events[one.id] = list(one.pending_events)
    later = cache.get("org", store, one.id)
    assert store.reads == [None, first.version] and later.version == first.version + 1
    cache.get("org", store, two.id)  # over the bound: the least recently used goes
    assert cache.get("org", store, two.id) is cache.get("org", store, two.id)
    cache.get("org", store, one.id)
    assert store.reads[-1] is None  # folded again: it had been evicted
    cache.forget("org")
    cache.get("org", store, one.id)
    assert store.reads[-1] is None
