"""Training records, onboarding, plans, register files, peer review and readiness rules."""

from datetime import date
from uuid import uuid4

import pytest

from services.kernel.domain import DomainError
from services.quality.training import readiness as r
from services.quality.training.domainmodel import (
    FunctionProfile,
    Onboarding,
    OnboardingProgramme,
    TrainingPlan,
    TrainingRecord,
)
from services.quality.training.peerreview import PeerReviewSession
from services.quality.training.registers import RegisterFile

TODAY = date(2026, 6, 1)


def _record(**changes):
    fields = dict(jobcoach_id=uuid4(), course="Jobcoach post-hbo", provider="Capabel",
                  category="opleiding", completed_on=date(2025, 1, 10), today=TODAY,
                  hours=120, ects=4, pe_points={"nvs": 30})
    return TrainingRecord.record(**{**fields, **changes})


def test_training_record_rules():
    record = _record()
    assert (record.hours, record.ects, record.pe_points) == (120.0, 4.0, {"nvs": 30.0})
    for changes, message in (
        ({"hours": -1}, "negatief"),
        ({"ects": -0.5}, "ECTS"),
        ({"category": "vakantie"}, "Soort"),
        ({"pe_points": {"nvs": -2}}, "PE-punten"),
        ({"pe_points": {"xyz": 2}}, "Onbekend register"),
        ({"completed_on": date(2026, 6, 2)}, "nog niet is afgerond"),
        ({"course": ""}, "Opleiding"),
    ):
        with pytest.raises(DomainError, match=message):
            _record(**changes)
    record.attach_certificate("cert.pdf", "ab" * 32, 1000, "application/pdf")
    record.withdraw("Dubbel ingevoerd")
    with pytest.raises(DomainError, match="ingetrokken"):
        record.attach_certificate("cert.pdf", "ab" * 32, 1000, "application/pdf")


def test_function_profile_revisions_and_onboarding_checklist():
    profile = FunctionProfile.define("Jobcoach", "jobcoach", "Begeleidt cliënten",
                                     ["hbo"], ["Jobcoach post-hbo", "AVG-basis"])
    profile.revise("Begeleidt cliënten op de werkplek", ["hbo"], ["Jobcoach post-hbo"])
    assert profile.revision == 2 and profile.required_trainings == ["Jobcoach post-hbo"]
    with pytest.raises(DomainError, match="minstens één"):
        OnboardingProgramme.define("Inwerken", [])
    programme = OnboardingProgramme.define("Inwerken jobcoach", [
        {"id": "avg", "text": "Privacyreglement gelezen", "due_after_days": 7},
        {"id": "meelopen", "text": "Meelopen met ervaren jobcoach", "due_after_days": 30},
    ])
    employee = uuid4()
    onboarding = Onboarding(employee, programme.id, programme.revision, date(2026, 5, 1),
                            programme.steps)
    assert onboarding.id == Onboarding.create_id(employee_id=employee)
    onboarding.complete("avg", date(2026, 5, 5), TODAY, "user:x")
    progress = onboarding.progress(TODAY)
    assert (progress["done"], progress["total"], progress["complete"]) == (1, 2, False)
    assert [s["overdue"] for s in progress["steps"]] == [False, True]
    with pytest.raises(DomainError, match="al afgevinkt"):
        onboarding.complete("avg", date(2026, 5, 6), TODAY, "user:x")
    with pytest.raises(DomainError, match="Onbekend"):
        onboarding.complete("zzz", date(2026, 5, 6), TODAY, "user:x")


def test_training_plan_per_year():
    org = uuid4()
    plan = TrainingPlan(org, 2026)
    assert plan.id == TrainingPlan.create_id(org, 2026) != TrainingPlan.create_id(org, 2027)
    plan.plan("p1", "Motiverende gespreksvoering", "NSPOH", ["jobcoach"], 2, 16, 800)
    with pytest.raises(DomainError, match="negatief"):
        plan.plan("p2", "Cursus", "X", ["jobcoach"], 2, -4, None)
    with pytest.raises(DomainError, match="Kwartaal"):
        plan.plan("p2", "Cursus", "X", ["jobcoach"], 5, 4, None)


def test_peer_review_session_rules():
    a, b = uuid4(), uuid4()
    fields = dict(held_on=date(2026, 5, 20), today=TODAY, topic="Grenzen stellen",
                  facilitator_id=a, hours=2, participants=[a, b],
                  cases=[{"label": "Casus A", "summary": "Werknemer met wisselende inzet"}],
                  learning_points=["Eerder de werkgever betrekken"],
                  actions=[{"description": "Checklist evaluatiegesprek", "owner_id": b,
                            "due_on": date(2026, 7, 1)}])
    session = PeerReviewSession.record(**fields)
    assert session.participants == sorted([str(a), str(b)])
    for changes, message in (
        ({"participants": [a]}, "twee deelnemers"),
        ({"held_on": date(2026, 6, 2)}, "plaatsgevonden"),
        ({"cases": []}, "casus"),
        ({"cases": [{"label": "A", "summary": "kort"}]}, "samenvatting"),
        ({"hours": 0}, "duur"),
        ({"actions": [{"description": "Actie x", "due_on": date(2026, 5, 1)}]}, "vóór de"),
    ):
        with pytest.raises(DomainError, match=message):
            PeerReviewSession.record(**{**fields, **changes})


def _file(**changes):
    coach = uuid4()
    f = RegisterFile(coach)
    f.record_education("hbo", "Toegepaste Psychologie", date(2015, 7, 1), TODAY)
    return f


def test_register_file_rules():
    f = _file()
    with pytest.raises(DomainError, match="Niveau"):
        f.record_education("phd", "X", date(2015, 7, 1), TODAY)
    with pytest.raises(DomainError, match="vóór 2013"):
        f.record_diploma("before_2013", "Jobcoach", 2014, TODAY)
    with pytest.raises(DomainError, match="positief"):
        f.record_prior_hours(-5, date(2025, 1, 1), "Vorige werkgever", TODAY)
    with pytest.raises(DomainError, match="na de registratiedatum"):
        f.register("noloc", date(2026, 1, 1), date(2025, 1, 1), "N-1", TODAY)
    with pytest.raises(DomainError, match="eigen begeleider"):
        f.assign_supervisor(f.jobcoach_id)


def _by_key(result):
    return {reg["register"]: reg for reg in result["registers"]}


def test_readiness_thresholds_600_1200_1400_and_two_years():
    f = _file()
    f.start_practice(date(2024, 1, 1), TODAY)
    base = _by_key(r.readiness(f.state(), {"hours": 700, "first_day": None}, [], TODAY))
    noloc = base["noloc"]
    assert noloc["hours"]["need"] == 1200 and noloc["status"] == "nog niet klaar"
    assert any("jobcoachdiploma" in m for m in noloc["missing"])
    assert "portfolio" in noloc["notes"][0]
    assert base["bvjn"]["aspirant"] is True
    assert any("begeleider" in m for m in base["bvjn"]["missing"])

    f.record_diploma("accredited", "Post-hbo Jobcoach Capabel", 2020, TODAY)
    ready = _by_key(r.readiness(f.state(), {"hours": 600, "first_day": None}, [], TODAY))
    assert ready["noloc"]["hours"]["need"] == 600
    assert ready["noloc"]["status"] == "klaar voor registratie" and not ready["noloc"]["notes"]

    f.record_prior_hours(800, date(2023, 12, 31), "Vorige werkgever, werkgeversverklaring", TODAY)
    bvjn = _by_key(r.readiness(f.state(), {"hours": 600, "first_day": None}, [], TODAY))["bvjn"]
    assert bvjn["hours"]["have"] == 1400 and bvjn["aspirant"] is False
    assert bvjn["status"] == "klaar voor registratie"


def test_two_years_counts_from_the_first_practice_day():
    f = _file()
    f.record_diploma("accredited", "Capabel", 2020, TODAY)
    early = {"hours": 2000, "first_day": date(2025, 1, 1)}
    noloc = _by_key(r.readiness(f.state(), early, [], TODAY))["noloc"]
    assert noloc["years"]["have"] < 2 and any("2 jaar" in m for m in noloc["missing"])
    enough = {"hours": 2000, "first_day": date(2024, 5, 31)}
    assert _by_key(r.readiness(f.state(), enough, [], TODAY))["noloc"]["missing"] == []


def test_nvs_pe_points_100_per_5_years_at_most_20_from_peer_review_and_literature():
    def rec(category, points, on=date(2025, 1, 1)):
        return {"category": category, "pe_points": {"nvs": points}, "completed_on": on,
                "hours": 8, "ects": 0}

    records = [rec("cursus", 70), rec("intervisie", 15), rec("literatuur", 10),
               rec("cursus", 50, date(2021, 5, 31))]  # outside the 5 years
    nvs = _by_key(r.readiness({}, {"hours": 0}, records, TODAY))["nvs"]
    assert nvs["pe"]["period_start"] == "2021-06-02"
    assert (nvs["pe"]["capped"], nvs["pe"]["not_counted"], nvs["pe"]["counted"]) == (25, 5, 90)
    assert nvs["missing"] == ["10 PE-punten in de periode vanaf 2021-06-02"]
    records.append(rec("cursus", 10))
    assert _by_key(r.readiness({}, {"hours": 0}, records, TODAY))["nvs"]["missing"] == []


def test_expiry_and_recertification_reminders():
    f = _file()
    f.register("noloc", date(2022, 9, 1), date(2026, 9, 1), "NJ-123", TODAY)
    state = f.state()
    noloc = _by_key(r.readiness(state, {"hours": 0}, [], TODAY))["noloc"]
    assert noloc["status"] == "verloopt binnenkort" and "92 dagen" in noloc["reminder"]
    far = _by_key(r.readiness(state, {"hours": 0}, [], date(2025, 1, 1)))["noloc"]
    assert far["status"] == "geregistreerd" and far["reminder"] is None
    gone = _by_key(r.readiness(state, {"hours": 0}, [], date(2026, 9, 2)))["noloc"]
    assert gone["status"] == "verlopen"


def test_rules_are_versioned_data():
    rules = r.rules()
    assert rules["version"] == "2026-01" and r.rules("2026-01") is rules
    keys = {reg["key"]: reg for reg in rules["registers"]}
    noloc, bvjn = keys["noloc"], keys["bvjn"]
    assert (noloc["practice_hours"], noloc["practice_hours_with_accredited_diploma"],
            bvjn["aspirant_until_hours"]) == (1200, 600, 1400)
    assert (keys["nvs"]["pe_points"], keys["nvs"]["pe_period_years"],
            keys["nvs"]["pe_capped_max"]) == (100, 5, 20)
    custom = {**rules, "version": "test", "registers": [{**keys["bvjn"], "practice_hours": 10,
                                                        "aspirant_until_hours": 10}]}
    result = r.readiness(_file().state(), {"hours": 20, "first_day": date(2020, 1, 1)}, [],
                         TODAY, custom)
    assert result["rules_version"] == "test" and result["registers"][0]["aspirant"] is False
