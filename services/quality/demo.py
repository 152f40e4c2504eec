"""Demo data for the quality context: complaints in every state, a year of survey
responses, training records, register files and peer-review sessions, and what the demo
jobcoach needs for a portfolio with one stored draft (demo_portfolio.py).

Dates are set through the applications' clocks (then put back), so the procedure's
rules run exactly as in real use.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from uuid import uuid5

from services.quality import demo_portfolio
from services.quality.clock import FixedClock, SystemClock, today
from services.quality.complaints.application import Complaints, default_regulation
from services.quality.satisfaction import formdefs, links
from services.quality.satisfaction.application import Satisfaction, SurveyLinks
from services.quality.training.application import Development


def seed(platform: Any, org: Any, users: list[Any]) -> None:
    anna, bram, _, daan = (u.id for u in users[:4])
    now = today(SystemClock())
    apps = [platform.app(c, org.id) for c in (Complaints, Satisfaction, Development)]
    apps.append(platform.apps.get(SurveyLinks))
    clock = FixedClock(now - timedelta(days=400))
    for app in apps:
        app.clock = clock
    try:
        _complaints(platform, org, anna, bram, daan, clock, now)
        _satisfaction(platform, org, anna, bram, clock, now)
        _training(platform, org, anna, bram, clock, now)
        clock.set(now)
        demo_portfolio.seed(platform, org, users[0], now)
    finally:
        for app in apps:
            app.clock = SystemClock()


def _complaints(platform: Any, org: Any, anna: Any, bram: Any, daan: Any, clock: FixedClock,
                now: date) -> None:
    app: Complaints = platform.app(Complaints, org.id)
    keys = platform.subject_keys(org.id)
    app.adopt_regulation({**default_regulation(), "title": "Klachtenregeling De Brug",
                          "external_body": {"name": "Klachtencommissie OVAL",
                                            "contact": "via oval.nl",
                                            "term": {"amount": 6, "unit": "weken"}}},
                         now - timedelta(days=400))

    def receive(days_ago: int, name: str, summary: str, coach: Any, client: str) -> Any:
        clock.set(now - timedelta(days=days_ago))
        return app.receive(keys, complainant_name=name, complainant_contact="06-00000000",
                           summary=summary, complainant_kind="client",
                           subject_id=uuid5(org.id, client), jobcoach_id=coach)

    def at(days_ago: int) -> None:
        clock.set(now - timedelta(days=days_ago))

    receive(2, "M. Jansen", "Ik ben niet teruggebeld over mijn rooster.", anna, "client-001")
    late = receive(60, "K. de Boer", "Mijn jobcoach was drie keer te laat.", bram, "client-003")
    acknowledged = receive(20, "S. Bakker", "Gesprek met werkgever zonder mij.", anna, "client-002")
    at(18)
    app.acknowledge(acknowledged.id)
    heard = receive(40, "R. Visser", "Verslag bevatte fouten.", bram, "client-004")
    at(37)
    app.acknowledge(heard.id)
    at(30)
    app.record_hearing(keys, heard.id, "hoorgesprek", "Gesprek met klager en jobcoach gevoerd.")
    decided = receive(120, "P. Smit", "Afspraken werden niet nagekomen.", anna, "client-002")
    at(117)
    app.acknowledge(decided.id)
    at(105)
    app.record_hearing(keys, decided.id, "onderzoek", "Agenda en logboek nagelopen.")
    at(95)
    app.decide(keys, decided.id, "partly_upheld", "Twee afspraken zijn vergeten; excuses gemaakt.")
    app.add_action(decided.id, "Afspraken voortaan per sms bevestigen", daan,
                   now + timedelta(days=30))
    closed = receive(300, "L. Mulder", "Onvoldoende contact tijdens plaatsing.", bram, "client-003")
    at(298)
    app.acknowledge(closed.id)
    at(280)
    app.record_hearing(keys, closed.id, "hoorgesprek", "Klager gehoord, werkgever gesproken.")
    at(275)
    app.extend(keys, closed.id, "Werkgever pas na de vakantie bereikbaar")
    at(250)
    app.decide(keys, closed.id, "not_upheld", "Contactmomenten zijn aantoonbaar nagekomen.")
    at(248)
    app.close_complaint(closed.id)
    at(220)
    app.escalate(keys, closed.id, "Klager is het niet eens met de beslissing.")
    at(180)
    app.record_external_ruling(keys, closed.id, "not_upheld",
                               "De commissie volgt de beslissing van de organisatie.")
    del late  # stays unacknowledged: overdue in the register


def _satisfaction(platform: Any, org: Any, anna: Any, bram: Any, clock: FixedClock,
                  now: date) -> None:
    app: Satisfaction = platform.app(Satisfaction, org.id)
    year = now.year - 1
    clock.set(date(year, 12, 1))
    campaign = app.start_campaign(
        f"Klanttevredenheid {year}", date(year, 1, 1), date(year, 12, 31),
        {"werknemer": "uwv-beoordeling-werknemer", "werkgever": "uwv-beoordeling-werkgever"},
        link_valid_days=28)
    chance = random.Random(4)
    entries = []
    for number in range(1, 13):
        status = "afgebroken" if number in (4, 9) else "afgerond"
        entries.append({"trajectory_id": uuid5(org.id, f"demo-trajectory-{number}"),
                        "client_id": uuid5(org.id, f"demo-client-{number}"),
                        "jobcoach_id": anna if number % 2 else bram, "status": status,
                        "ended_on": date(year, 1 + number - 1, 15)})
    app.register_population(campaign.id, entries, "demo")
    for entry in entries:
        for respondent in ("werknemer", "werkgever"):
            if entry["status"] == "afgebroken" and respondent == "werkgever":
                app.exempt(campaign.id, entry["trajectory_id"], respondent,
                           "Dienstverband beëindigd, werkgever wilde niet deelnemen")
                continue
            token = links.invite(platform, org.id, campaign.id, entry["trajectory_id"],
                                 respondent).token
            if chance.random() < 0.75:
                form = formdefs.form(f"uwv-beoordeling-{respondent}")
                answers = {i.id: chance.choice([6, 7, 7, 8, 8, 9]) for i in form.items}
                links.answer(platform, token, answers)
    clock.set(date(year, 12, 31))
    app.close_campaign(campaign.id)


def _training(platform: Any, org: Any, anna: Any, bram: Any, clock: FixedClock,
              now: date) -> None:
    app: Development = platform.app(Development, org.id)
    clock.set(now)
    app.define_function_profile(
        title="Jobcoach", role="jobcoach",
        description="Begeleidt werknemers met een ondersteuningsbehoefte naar en op de werkplek.",
        required_education=["hbo"],
        required_trainings=["Post-hbo Jobcoach", "AVG in de praktijk",
                            "Motiverende gespreksvoering"])
    programme = app.define_onboarding_programme("Inwerkprogramma jobcoach", [
        {"id": "avg", "text": "Privacyreglement en gedragscode gelezen", "due_after_days": 7},
        {"id": "meelopen", "text": "Drie dagen meelopen met een ervaren jobcoach",
         "due_after_days": 30},
        {"id": "klachten", "text": "Klachtenregeling uitgelegd gekregen", "due_after_days": 14},
    ])
    app.start_onboarding(bram, programme.id, now - timedelta(days=20))
    app.complete_onboarding_step(bram, "avg", "cli:demo", now - timedelta(days=18))
    app.plan_training(now.year, "mi", course="Motiverende gespreksvoering", provider="NSPOH",
                      audience=["jobcoach"], quarter=3, hours=16, budget_eur=950)
    for coach, course, provider, category, days, hours, ects, points in (
        (anna, "Post-hbo Jobcoach", "Capabel", "opleiding", 900, 120, 4, {"nvs": 40}),
        (anna, "AVG in de praktijk", "Intern", "cursus", 200, 4, 0, {"nvs": 4}),
        (anna, "Intervisie kwartaal", "Intern", "intervisie", 90, 8, 0, {"nvs": 8}),
        (bram, "AVG in de praktijk", "Intern", "cursus", 15, 4, 0, {"nvs": 4}),
        (bram, "Vakliteratuur supported employment", "Eigen studie", "literatuur", 60, 10, 0,
         {"nvs": 5}),
    ):
        record = app.record_training(jobcoach_id=coach, course=course, provider=provider,
                                     category=category, completed_on=now - timedelta(days=days),
                                     hours=hours, ects=ects, pe_points=points)
        if category == "opleiding":
            app.attach_certificate(record.id, "certificaat-capabel.pdf",
                                   b"%PDF-1.4\n% demo certificaat\n")
    app.change_register_file(anna, lambda f, t: f.record_education(
        "hbo", "Toegepaste Psychologie", date(2012, 7, 1), t))
    app.change_register_file(anna, lambda f, t: f.record_diploma(
        "accredited", "Post-hbo Jobcoach (Capabel)", now.year - 3, t))
    app.change_register_file(anna, lambda f, t: f.start_practice(now - timedelta(days=1000), t))
    app.change_register_file(anna, lambda f, t: f.record_prior_hours(
        1100, now - timedelta(days=400), "Vorige werkgever, werkgeversverklaring", t))
    app.change_register_file(anna, lambda f, t: f.register(
        "noloc", now - timedelta(days=4 * 365 - 80), now + timedelta(days=80), "NJ-2041", t))
    app.change_register_file(bram, lambda f, t: f.record_education(
        "hbo", "Social Work", date(2020, 7, 1), t))
    app.change_register_file(bram, lambda f, t: f.start_practice(now - timedelta(days=200), t))
    app.change_register_file(bram, lambda f, t: f.assign_supervisor(anna))
    for days in (300, 210, 120, 30):
        app.record_peer_review(
            held_on=now - timedelta(days=days), topic="Casusbespreking", facilitator_id=anna,
            hours=2, participants=[anna, bram],
            cases=[{"label": "Casus A",
                    "summary": "Werknemer met wisselende inzet op de werkvloer"}],
            learning_points=["Werkgever eerder betrekken bij evaluaties"],
            actions=[{"description": "Evaluatieformat aanpassen", "owner_id": bram,
                      "due_on": now - timedelta(days=days) + timedelta(days=30)}])
