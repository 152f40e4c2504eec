"""Training records with certificates, readiness from registered trajectory hours, peer review
coverage and the training matrix, on SQLite and PostgreSQL."""

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest

from services.kernel import context
from services.kernel.domain import DomainError
from services.quality import sources
from services.quality.clock import FixedClock
from services.quality.training import overview
from services.quality.training.application import Development

PDF = b"%PDF-1.4\n% certificaat Capabel\n"
TODAY = date.today()  # trajectories run on the real clock


@pytest.fixture
def dev(any_platform, any_orgs):
    org = any_orgs.create()
    anna = any_orgs.member(org, "jobcoach", "Anna")
    bram = any_orgs.member(org, "jobcoach", "Bram")
    app = any_platform.app(Development, org.id)
    app.clock = FixedClock(TODAY)
    with context.acting(org.id, "user:officer"):
        yield any_platform, org, anna, bram, app


def test_training_record_with_certificate_hash_in_the_event(dev):
    platform, org, anna, _, app = dev
    record = app.record_training(jobcoach_id=anna.id, course="Post-hbo Jobcoach",
                                 provider="Capabel", category="opleiding",
                                 completed_on=TODAY - timedelta(days=30), hours=120, ects=4,
                                 pe_points={"nvs": 40})
    with pytest.raises(DomainError, match="negatief"):
        app.record_training(jobcoach_id=anna.id, course="X", provider="Y", category="cursus",
                            completed_on=TODAY, hours=-3)
    with pytest.raises(DomainError, match="PDF-, PNG- of JPEG"):
        app.attach_certificate(record.id, "virus.exe", b"MZ\x90\x00")
    app.attach_certificate(record.id, "../../etc/certificaat.pdf", PDF)
    digest = hashlib.sha256(PDF).hexdigest()
    attached = [e for e in app.events.get(record.id) if type(e).__name__ == "CertificateAttached"]
    assert attached[0].sha256 == digest and attached[0].filename == "certificaat.pdf"
    stored = Path(platform.settings.data_dir) / "certificates" / org.id.hex / digest
    assert stored.read_bytes() == PDF
    meta, content = app.certificate(record.id)
    assert content == PDF and meta["media_type"] == "application/pdf"
    stored.write_bytes(PDF + b"tampered")
    with pytest.raises(DomainError, match="komt niet overeen"):
        app.certificate(record.id)


def test_readiness_counts_registered_trajectory_hours(dev):
    platform, org, anna, bram, app = dev
    trajectories = platform.trajectories(org.id)
    client = trajectories.register_client({"name": "Cliënt Een"})
    t = trajectories.start_trajectory(client.id, "UWV", anna.id)
    for days_ago in (3, 2):
        trajectories.record_activity(t.id, {
            "kind": "employer_meeting", "on": TODAY - timedelta(days=days_ago),
            "start": "09:00", "minutes": 300, "mode": "face_to_face", "jobcoach": anna.id,
            "justification": "Overleg met werkgever",
        })
    hours = sources.practice_hours(platform, org.id)
    assert hours[str(anna.id)]["hours"] == 10.0
    assert hours[str(anna.id)]["first_day"] == TODAY - timedelta(days=3)

    app.change_register_file(anna.id, lambda f, today: f.record_education(
        "hbo", "Toegepaste Psychologie", date(2015, 7, 1), today))
    app.change_register_file(anna.id, lambda f, today: f.record_prior_hours(
        1390, TODAY - timedelta(days=800), "Vorige werkgever, werkgeversverklaring", today))
    app.change_register_file(anna.id, lambda f, today: f.start_practice(
        TODAY - timedelta(days=800), today))
    result = overview.readiness_for(platform, org.id, anna.id)
    by_key = {r["register"]: r for r in result["registers"]}
    assert by_key["bvjn"]["hours"]["have"] == 1400 and by_key["bvjn"]["aspirant"] is False
    assert by_key["bvjn"]["status"] == "klaar voor registratie"
    assert by_key["noloc"]["status"] == "nog niet klaar"  # no jobcoach diploma yet
    everyone = {r["name"]: r for r in overview.readiness_all(platform, org.id)}
    assert {r["register"]: r["aspirant"] for r in everyone["Bram"]["registers"]
            if "aspirant" in r} == {"bvjn": True}


def test_peer_review_coverage_matrix_and_onboarding(dev):
    platform, org, anna, bram, app = dev
    app.record_peer_review(held_on=TODAY - timedelta(days=1), topic="Grenzen stellen",
                           facilitator_id=anna.id, hours=2, participants=[anna.id, bram.id],
                           cases=[{"label": "Casus A",
                                   "summary": "Werknemer met wisselende inzet"}],
                           learning_points=["Eerder de werkgever betrekken"], actions=[])
    cancelled = app.record_peer_review(
        held_on=TODAY - timedelta(days=1), topic="Dubbel", facilitator_id=anna.id, hours=1,
        participants=[anna.id, bram.id],
        cases=[{"label": "Casus B", "summary": "Per ongeluk dubbel ingevoerd"}],
        learning_points=[], actions=[])
    app.cancel_peer_review(cancelled.id, "Dubbel ingevoerd")
    coverage = overview.peer_review_coverage(platform, org.id, TODAY.year)
    assert {r["name"]: r["sessions"] for r in coverage["rows"]} == {"Anna": 1, "Bram": 1}
    assert coverage["norm"] == 4 and coverage["covered"] == 2

    app.define_function_profile(title="Jobcoach", role="jobcoach", description="Begeleidt",
                                required_education=["hbo"],
                                required_trainings=["Post-hbo Jobcoach", "AVG-basis"])
    app.record_training(jobcoach_id=bram.id, course="AVG-basis", provider="Intern",
                        category="cursus", completed_on=TODAY, hours=3)
    matrix = overview.training_matrix(platform, org.id, TODAY.year)
    assert matrix["required"] == ["AVG-basis", "Post-hbo Jobcoach"]
    cells = {row["name"]: row["cells"] for row in matrix["rows"]}
    assert cells["Bram"] == {"AVG-basis": TODAY.isoformat(), "Post-hbo Jobcoach": None}

    programme = app.define_onboarding_programme("Inwerken", [
        {"id": "avg", "text": "Privacyreglement gelezen", "due_after_days": 7}])
    app.start_onboarding(bram.id, programme.id, TODAY - timedelta(days=10))
    app.complete_onboarding_step(bram.id, "avg", "user:officer")
    assert app.onboarding(bram.id).progress(TODAY)["complete"]
    plan = app.plan_training(TODAY.year, "p1", course="Motiverende gespreksvoering",
                             provider="NSPOH", audience=["jobcoach"], quarter=3, hours=16,
                             budget_eur=None)
    assert list(plan.items) == ["p1"]
    assert app.training_plan(TODAY.year).version == 2


def test_population_for_a_campaign_from_the_trajectories(dev):
    platform, org, anna, bram, _ = dev
    trajectories = platform.trajectories(org.id)
    client = trajectories.register_client({"name": "Cliënt Twee"})
    t = trajectories.start_trajectory(client.id, "UWV", anna.id)
    trajectories.reassign(t.id, bram.id, "Anna met verlof, Bram neemt warm over")
    running = sources.population(platform, org.id, date(TODAY.year, 1, 1),
                                 date(TODAY.year, 12, 31), include_running=True)
    assert [(e["trajectory_id"], e["jobcoach_id"], e["status"]) for e in running] == [
        (t.id, bram.id, "lopend")]
    assert sources.population(platform, org.id, date(TODAY.year, 1, 1),
                              date(TODAY.year, 12, 31)) == []
