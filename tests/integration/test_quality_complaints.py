"""Complaints through their procedure on SQLite and PostgreSQL, with the register view."""

from datetime import date
from uuid import uuid4

import pytest

from services.kernel import context
from services.kernel.domain import DomainError, NotFoundError
from services.kernel.personal_data import ERASED
from services.kernel.views import lag
from services.quality.clock import FixedClock
from services.quality.complaints.application import Complaints, default_regulation, opened
from services.quality.complaints.register import ComplaintRegisterView


@pytest.fixture
def setting(any_platform, any_orgs):
    org = any_orgs.create()
    officer = any_orgs.member(org, "quality_officer", "Daan")
    app = any_platform.app(Complaints, org.id)
    app.clock = FixedClock(date(2026, 3, 2))  # a Monday
    keys = any_platform.subject_keys(org.id)
    with context.acting(org.id, f"user:{officer.id}"):
        yield any_platform, org, officer, app, keys


def test_receiving_needs_an_adopted_regulation(setting):
    _, _, _, app, keys = setting
    with pytest.raises(NotFoundError, match="nog geen klachtreglement"):
        app.receive(keys, complainant_name="P. de Klager", complainant_contact="",
                    summary="Jobcoach kwam drie keer niet opdagen", complainant_kind="client")


def test_complaint_runs_through_the_procedure_and_the_register(setting):
    platform, org, officer, app, keys = setting
    regulation = app.adopt_regulation(default_regulation(), date(2026, 1, 1))
    assert regulation.version == 1
    client_id, coach_id, trajectory_id = uuid4(), uuid4(), uuid4()
    complaint = app.receive(
        keys, complainant_name="Piet de Klager", complainant_contact="06-12345678",
        summary="Mijn jobcoach kwam drie afspraken niet opdagen", complainant_kind="client",
        subject_id=client_id, trajectory_id=trajectory_id, jobcoach_id=coach_id,
    )
    stored = b"".join(r.state for r in app.recorder.select_events(complaint.id))
    assert b"Piet" not in stored and b"opdagen" not in stored  # sealed (and encrypted)

    register = platform.view(ComplaintRegisterView, org.id)
    row = register.complaints()[0]
    assert (row["acknowledgement_due"], row["decision_due"]) == ("2026-03-09", "2026-04-13")
    assert row["jobcoach_id"] == str(coach_id) and row["trajectory_id"] == str(trajectory_id)
    assert register.overdue(date(2026, 3, 9)) == []
    assert register.overdue(date(2026, 3, 10))[0]["late"] == ["ontvangstbevestiging"]

    with pytest.raises(DomainError, match="na de ontvangstbevestiging"):
        app.decide(keys, complaint.id, "upheld", "Klacht is terecht, excuses aangeboden")
    app.clock.set(date(2026, 3, 4))
    app.acknowledge(complaint.id)
    app.clock.set(date(2026, 3, 11))
    app.record_hearing(keys, complaint.id, "hoorgesprek", "Gesprek met klager en jobcoach gevoerd")
    app.extend(keys, complaint.id, "Werkgever pas na de vakantie bereikbaar")
    with pytest.raises(DomainError, match="reden van de verlenging"):
        app.extend(keys, complaint.id, "kort")
    assert register.complaints()[0]["decision_due"] == "2026-05-11"
    app.clock.set(date(2026, 5, 12))
    assert register.overdue(date(2026, 5, 12))[0]["late"] == ["beslissing"]
    app.decide(keys, complaint.id, "partly_upheld", "Twee van de drie afspraken zijn gemist")
    _, action_id = app.add_action(complaint.id, "Agenda-afspraken bevestigen per sms", officer.id,
                                  date(2026, 6, 1))
    app.close_complaint(complaint.id)
    app.clock.set(date(2026, 6, 2))
    assert [a["action_id"] for a in register.overdue_actions(date(2026, 6, 2))] == [action_id]
    app.complete_action(complaint.id, action_id, "Sms-bevestiging ingevoerd per 1 juni")
    assert register.overdue_actions(date(2026, 6, 2)) == []

    assert lag(register) == 0
    row = register.complaints(2026)[0]
    assert (row["status"], row["outcome"]) == ("closed", "partly_upheld")
    assert row["closed_on"] == "2026-05-12"
    assert register.overdue(date(2026, 6, 2)) == []

    reread = app.complaint(complaint.id)  # replayed from the store
    assert reread.status == "closed" and reread.decision["late"] is True
    view = opened(reread, keys)
    assert view["complainant_name"] == "Piet de Klager"
    assert view["decision"]["reasons"] == "Twee van de drie afspraken zijn gemist"
    assert view["extensions"][0]["reason"] == "Werkgever pas na de vakantie bereikbaar"
    stored = b"".join(r.state for r in app.recorder.select_events(complaint.id))
    assert b"vakantie" not in stored  # the extension's reason is sealed too
    assert [type(e).__name__ for e in app.events.get(complaint.id)] == [
        "Created", "Acknowledged", "Heard", "Extended", "Decided",
        "ImprovementActionAdded", "Closed", "ImprovementActionCompleted",
    ]

    keys.shred(client_id)  # the client's erasure erases what the complaint says about them
    erased = opened(app.complaint(complaint.id), keys)
    assert erased["complainant_name"] == ERASED and erased["summary"] == ERASED
    assert erased["extensions"][0]["reason"] == ERASED
    assert erased["status"] == "closed"  # the procedure's evidence stays


def test_escalation_to_the_external_body_when_the_term_passes(setting):
    platform, org, _, app, keys = setting
    app.adopt_regulation(default_regulation(), date(2026, 1, 1))
    complaint = app.receive(keys, complainant_name="Werkgever B.V.", complainant_contact="",
                            summary="Geen terugkoppeling na plaatsing ontvangen",
                            complainant_kind="werkgever")
    app.clock.set(date(2026, 4, 14))
    app.escalate(keys, complaint.id, "Geen beslissing binnen de termijn")
    row = platform.view(ComplaintRegisterView, org.id).complaints()[0]
    assert row["external_body"] == "Onafhankelijke klachtencommissie"
    assert row["escalated_on"] == "2026-04-14"


def test_a_new_regulation_version_applies_to_new_complaints_only(setting):
    _, _, _, app, keys = setting
    app.adopt_regulation(default_regulation(), date(2026, 1, 1))
    old = app.receive(keys, complainant_name="A", complainant_contact="",
                      summary="Eerste klacht onder versie 1", complainant_kind="client")
    faster = {**default_regulation(), "decision": {"amount": 4, "unit": "weken"}}
    app.adopt_regulation(faster, date(2026, 3, 2))
    new = app.receive(keys, complainant_name="B", complainant_contact="",
                      summary="Tweede klacht onder versie 2", complainant_kind="client")
    assert app.complaint(old.id).decision_due == date(2026, 4, 13)
    assert app.complaint(new.id).decision_due == date(2026, 3, 30)
    assert [v["version"] for v in app.regulation().versions] == [1, 2]
