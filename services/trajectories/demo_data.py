"""A year of realistic trajectories for the demo organisation, in every phase.

Aggregates are built with their own commands (every rule applies) and saved in a
few transactions, so the demo starts in seconds. Dates are relative to today.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from services.trajectories.domainmodel import Trajectory

EMPLOYERS = (
    "Fietsfabriek Noord", "Bakkerij Van Dam", "Groenvoorziening De Linde", "Hotel Centraal",
    "Logistiek Utrecht", "Supermarkt Buurtwinkel", "Drukkerij Het Paspoort", "Kinderopvang Zon",
)
CLIENTS = (  # name, commissioner, jobcoach index, furthest phase, months ago started
    ("Jan Smit", "UWV", 0, "coaching", 11),
    ("Fatima El Amrani", "UWV", 0, "coaching", 9),
    ("Kees de Boer", "Gemeente Utrecht", 1, "coaching", 8),
    ("Lisa Mulder", "UWV", 1, "coaching", 7),
    ("Mohammed Yilmaz", "UWV", 0, "coaching_plan", 5),
    ("Sanne Visser", "Gemeente Utrecht", 1, "placement", 4),
    ("Tom Bakker", "UWV", 0, "matching", 4),
    ("Eva Hendriks", "UWV", 1, "no_match", 5),
    ("Priya Ramdin", "Gemeente Utrecht", 0, "workplace_profile", 3),
    ("Daan Koster", "UWV", 1, "job_finding", 2),
    ("Noor Jansen", "UWV", 0, "employee_profile", 1),
    ("Ruben Meijer", "Gemeente Utrecht", 1, "intake", 0),
    ("Anouk Peters", "UWV", 0, "closing", 12),
    ("Bas van Leeuwen", "UWV", 1, "placed_durably", 12),
    ("Iris de Wit", "Gemeente Utrecht", 0, "broken_off", 10),
    ("Youssef Haddou", "UWV", 1, "other_help", 9),
)
ORDER = ("intake", "employee_profile", "job_finding", "workplace_profile", "matching",
         "placement", "coaching_plan", "coaching", "closing")
REGIMES = (
    ("UWV", "standaard", 10), ("UWV", "intensief", 15), ("Gemeente Utrecht", "standaard", 12),
)


def seed(app: Any, coaches: list[Any], platform: Any = None) -> None:
    """`platform`: also record the clients' consent to share their UWV documents with
    the commissioner (the privacy context), so that the demo's documents download."""
    rng = random.Random(2026)
    today = app.today()
    for commissioner, name, percentage in REGIMES:
        app.set_regime(commissioner, name, percentage, date(today.year - 3, 1, 1))
    built = []
    for n, (name, commissioner, coach, phase, months) in enumerate(CLIENTS):
        client = app.register_client({
            "name": name, "email": f"{name.split()[0].lower()}@example.nl",
            "phone": f"06-{rng.randint(10000000, 99999999)}",
            "address": f"Voorbeeldstraat {n + 1}, Utrecht",
            "date_of_birth": date(1970 + rng.randint(0, 35), rng.randint(1, 12),
                                  rng.randint(1, 28)).isoformat(),
        })
        app.describe_support_need(client.id, "Heeft rust en duidelijke instructies nodig;"
                                  " moeite met onverwachte veranderingen",
                                  "Nauwkeurig, trouw, sterk in vaste routines")
        app.add_network_contact(client.id, "Familielid", "family", True,
                                today - timedelta(days=30 * months + 10))
        if platform is not None:
            _consents(platform, app.org_id, client.id, commissioner,
                      today - timedelta(days=30 * months + 5))
        t = Trajectory(client.id, commissioner, coaches[coach].id, client.number)
        _walk(app, t, client.id, coaches[coach].id, phase, months, rng, today)
        _follow_ups(t, phase, app.sealer(client.id).seal, today)
        built.append(t)
        if len(built) == 4:
            app.save(*built)
            built = []
    if built:
        app.save(*built)
    # Continuity and the cross-client day check have something to show: Bram's leave
    # last month, and one of Anna's days that only adds up to too much over two clients.
    app.register_absence(coaches[1].id, "leave", today - timedelta(days=40),
                         today - timedelta(days=33), "Zomervakantie")
    annas = [t for t in _open(app) if t.responsible_jobcoach == coaches[0].id][:2]
    busy = today - timedelta(days=2)
    for t, start in zip(annas, ("07:30", "12:00"), strict=False):
        app.record_activity(t.id, {
            "kind": "employer_meeting", "on": busy, "start": start, "minutes": 330,
            "mode": "face_to_face", "participants": ["employer"], "jobcoach": coaches[0].id,
            "goal_ids": list(t.goals)[:1], "justification": "Werkgeversoverleg en werkplekbezoek",
            "override_reason": "Extra inzet afgestemd met de opdrachtgever",
        })


def _open(app: Any) -> list[Trajectory]:
    ids = app.recorder.select_notifications(start=1, limit=100_000, topics=(
        "services.trajectories.domainmodel:Trajectory.Created",))
    trajectories = [app.trajectory(n.originator_id) for n in ids]
    return [t for t in trajectories if not t.closed]


def _walk(app: Any, t: Trajectory, client_id: Any, coach: Any, phase: str, months: int,
          rng: random.Random, today: date) -> None:
    s = app.sealer(client_id).seal
    employer = EMPLOYERS[rng.randrange(len(EMPLOYERS))]
    day = today - timedelta(days=30 * months + 5)
    reached = ORDER.index(phase) if phase in ORDER else len(ORDER) - 1

    def step(days: int) -> date:
        nonlocal day
        day = min(day + timedelta(days=days), today)
        return day

    t.record_step("intake", {
        "held_on": day, "reason": s("Wil na een periode zonder werk weer betaald aan de slag"),
        "question": s("Passend werk vinden en behouden met begeleiding"),
        "motivation": s("Structuur, collega's en een eigen inkomen"),
        "life_world": s("Woont zelfstandig, actief in de buurtvereniging"),
        "network": s("Familie steunt; contact met de uitkeringsinstantie"),
        "phases_agreed": s("Profiel, jobfinding, matching, plaatsing, coaching, afronding"),
        "expectations": s("Wekelijks contact; cliënt houdt de regie"),
        "follow_up": s("Over twee weken het werknemersprofiel"),
        "agreed_in_writing": True, "code_of_conduct_discussed": True,
    }, today)
    _activity(t, coach, step(3), s, rng, today, "contact_moment", "Intakegesprek")
    if reached < 1:
        return
    t.record_step("employee_profile", {
        "motivators": s("Iets maken dat af is; waardering"), "values": s("Betrouwbaarheid"),
        "skills": s("Nauwkeurig, handig met gereedschap, rijbewijs B"),
        "interests": s("Techniek en buitenwerk"), "wishes": s("Vaste werktijden, 24 uur"),
        "learning_style": s("Leert door voordoen en nadoen, kleine stappen"),
        "social_context": s("Klein team heeft de voorkeur"),
        "needs": s("Duidelijke instructies en een vast aanspreekpunt"),
        "limitations": s("Beperkt belastbaar bij tijdsdruk en drukte"),
        "possibilities": s("Goed in routinematig en precies werk"),
        "durable_conditions": s("Vaste werkplek, rustige omgeving, vaste begeleider"),
        "trajectory_goals": s("Binnen een jaar duurzaam 24 uur per week betaald werk"),
        "plan_of_approach": s("Gericht zoeken in techniek en groen; proefplaatsing"),
        "agreed_with": "cliënt en opdrachtgever", "agreed_on": step(14),
    }, today)
    if reached < 2:
        return
    for kind in ("employer_contact", "employer_informed", "application_prepared",
                 "interview_attended", "interview_debriefed"):
        t.record_job_finding(kind, employer, step(4), s("Verliep goed"), today)
        _activity(t, coach, day, s, rng, today, "job_finding", "Jobfinding met werkgever")
    if reached < 3:
        return
    t.record_step("workplace_profile", {
        "employer": employer, "employer_known": False,
        "employer_profile": s("Middelgroot familiebedrijf met een sociaal beleid"),
        "tasks": s("Voorbereidende werkzaamheden, inpakken, magazijn"),
        "working_conditions": s("Dagdienst, rustige werkplek beschikbaar"),
        "expected_ksa": s("Precisie, op tijd komen, vragen durven stellen"),
        "guidance_options": s("Vaste werkbegeleider, ruimte voor opleiding"),
        "business_use": s("Ontlast vakkrachten van voorbereidend werk"),
        "support_needed": s("Inwerken, structuur in de dag, coaching werkbegeleider"),
        "checked_with_client": True,
    }, today)
    if reached < 4:
        return
    decision = "no_match" if phase == "no_match" else "match"
    t.record_matching(
        s("Taken sluiten aan bij profiel; drukte in de ochtend is een knelpunt"), decision,
        s("Rustige werkplek en vaste begeleider maken het passend") if decision == "match"
        else s("Werktempo en wisselende diensten passen niet bij de voorwaarden"),
        [{"agreement": s("Eigen werkplek achter in de hal"), "owner": "werkgever",
          "due": step(10)}] if decision == "match" else [],
        day, today,
    )
    if decision == "no_match" or reached < 5:
        return
    hours = rng.choice((16, 20, 24, 28))
    start = step(14)
    t.record_step("placement", {
        "employer": employer, "contract": "Arbeidsovereenkomst voor een jaar",
        "hours_per_week": hours, "start_date": start,
        "supervisor": s("Werkbegeleider van de afdeling"),
        "agreements": s("Opbouw in uren; elke vrijdag kort overleg"),
    }, today)
    regime = "intensief" if rng.random() < 0.3 and t.commissioner == "UWV" else "standaard"
    percentage = {"intensief": 15}.get(regime, 10 if t.commissioner == "UWV" else 12)
    grant_end = min(start + timedelta(days=182), today + timedelta(days=60))
    t.add_grant(t.commissioner, start, grant_end, round(hours * 26 * percentage / 100),
                regime, percentage, f"{t.commissioner[:3].upper()}-{rng.randint(1000, 9999)}")
    if reached < 6:
        return
    plan_day = step(7)
    goals = [
        {"goal_id": "g1", "description": s("Zelfstandig de dagtaken uitvoeren"),
         "criterion": s("Vijf dagen achter elkaar zonder hulp van de werkbegeleider"),
         "target_date": plan_day + timedelta(days=90), "owner": "cliënt"},
        {"goal_id": "g2", "description": s("Werkbegeleider kan de begeleiding overnemen"),
         "criterion": s("Werkbegeleider voert het weekoverleg zelfstandig"),
         "target_date": plan_day + timedelta(days=150), "owner": "werkbegeleider"},
    ]
    moments = [plan_day + timedelta(days=d) for d in (45, 90, 150)]
    t.record_coaching_plan(goals, s("Wekelijks contactmoment, maandelijks coach-the-coach"),
                           s("Familie helpt met de weekplanning"), moments, plan_day, today)
    if reached < 7:
        return
    last = today if phase in ("coaching", "closing") else min(today, plan_day + timedelta(180))
    week = plan_day
    while week + timedelta(days=7) <= last:
        week += timedelta(days=7)
        kind = "coach_the_coach" if (week - plan_day).days % 28 == 0 else "contact_moment"
        _activity(t, coach, week, s, rng, today, kind, "Begeleiding op de werkvloer",
                  goals=["g1"] if kind == "contact_moment" else ["g2"])
        for moment in moments:
            if week - timedelta(days=7) < moment <= week and moment < today - timedelta(days=7):
                t.record_evaluation(moment, [
                    {"goal_id": "g1", "status": "reached" if moment == moments[1] else
                     "adjusted", "reason": s("Meer tijd nodig voor de middagtaken"),
                     "new_target_date": moment + timedelta(days=45)}
                    if moment != moments[1] else {"goal_id": "g1", "status": "reached"},
                ], s("Goede voortgang; cliënt werkt steeds zelfstandiger"), today)
    if phase in ("coaching", "coaching_plan"):
        return
    end = min(last + timedelta(days=3), today)
    t.record_step("final_report", {
        "written_on": end, "placement_process": s("Via jobfinding geplaatst bij " + employer),
        "coaching_report": s("Wekelijkse begeleiding, afbouw na vier maanden"),
        "results": s("Dagtaken zelfstandig; werkbegeleider neemt begeleiding over"),
        "support_handover": s("Werkbegeleider voert het weekoverleg"),
    }, today)
    if phase == "closing":
        return
    for party in ("client", "employer", "commissioner"):
        t.record_closing_evaluation(party, end, s("Tevreden over het verloop"), today)
    t.close(phase, phase == "placed_durably",
            s("Drie maanden nazorg: maandelijks telefonisch contact")
            if phase == "placed_durably" else None, end, today)


def _consents(platform: Any, org_id: Any, client_id: Any, commissioner: str, on: date) -> None:
    """Signed at intake: profile and progress reports may go to the commissioner."""
    from services.privacy.office import PrivacyOffice

    office = PrivacyOffice(platform, org_id)
    for purpose in ("share_profile", "share_progress"):
        office.give_consent(client_id, purpose, "commissioner", "signed",
                            recipient_id=commissioner, given_on=on)


# Six months after the placement: durable for most, not for the broken-off trajectory
# and the one handed over to other help.
NOT_WORKING = {"broken_off": "Contract niet verlengd na de proeftijd",
               "other_help": "Werk gestopt; cliënt krijgt nu dagbesteding"}


def _follow_ups(t: Trajectory, phase: str, s: Any, today: date) -> None:
    if t.placed_on is None or t.placed_on + timedelta(days=182) > today:
        return
    on = t.placed_on + timedelta(days=182)
    if phase in NOT_WORKING:
        t.record_follow_up(6, on, False, None, s(NOT_WORKING[phase]), today)
        return
    hours = t.hours_per_week or 0
    t.record_follow_up(6, on, True, hours + 4 if phase == "placed_durably" else hours,
                       s("Werkt nog bij dezelfde werkgever; tevreden over de taken"), today)


def _activity(t: Trajectory, coach: Any, on: date, s: Any, rng: random.Random, today: date,
              kind: str, justification: str, goals: list[str] | None = None) -> None:
    try:
        t.record_activity({
            "kind": kind, "on": on, "start": rng.choice(("09:00", "10:30", "13:00", "14:30")),
            "minutes": rng.choice((45, 60, 60, 90)), "mode": rng.choice(
                ("face_to_face", "face_to_face", "online", "mixed")),
            "participants": ["client", "supervisor"] if kind != "job_finding" else ["employer"],
            "goal_ids": goals or [], "jobcoach": coach,
            "justification": s(justification), "notes": s("Afspraken nagelopen"),
            "next_step": s("Volgende week weer"),
            "override_reason": "Extra inzet afgestemd met de opdrachtgever",
        }, today)
    except Exception:  # noqa: BLE001 - an overlapping slot in the demo is simply skipped
        return
