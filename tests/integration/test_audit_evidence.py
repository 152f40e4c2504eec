"""Evidence packs: figures against hand-computed expectations on a fixed dataset,
"geen gegevens" where no read model exists, and the export as an RQ job (real Redis,
real worker process) whose signed pack jobtrail-verify accepts, and rejects once changed."""

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from uuid import uuid4

import pytest

from projections.renewal_facts import SurveyCoverageFactsView
from projections.runtime import sweep
from services.audit import snapshots
from services.audit.evidence import INFO, MET, NOT_MET, build_pack, norms
from services.audit.kpis import kpi_trends
from services.audit.rotation import rotate_key
from services.audit.trail import AuditLog
from services.catalogue import Platform
from services.kernel import context, provision
from services.kernel.clock import SystemClock
from services.kernel.clock import today as local_today
from services.privacy.application import Privacy
from services.quality.clock import FixedClock
from services.quality.complaints.application import Complaints, default_regulation
from services.quality.satisfaction import formdefs, links
from services.quality.satisfaction.application import Satisfaction, SurveyLinks
from services.quality.training.application import Development

START, END, TODAY = date(2026, 1, 1), date(2026, 12, 31), date(2026, 11, 26)


INTAKE = {
    "reason": "Wil weer aan het werk", "question": "Passend werk", "motivation": "Structuur",
    "life_world": "Woont zelfstandig", "network": "Zus steunt", "phases_agreed": "Alle fasen",
    "expectations": "Wekelijks", "follow_up": "Profiel", "agreed_in_writing": True,
    "code_of_conduct_discussed": True,
}
FINAL = {"placement_process": "Verslag", "coaching_report": "Verslag", "results": "Verslag",
         "support_handover": "Verslag"}


def _trajectory(app, coach, started, *, reason=None, closed=None, placed=None):
    """A trajectory whose start is its intake date; optionally placed and/or closed."""
    client = app.register_client({"name": "Cliënt Canary-3f"})
    t = app.start_trajectory(client.id, "UWV", coach.id)
    app.record_step(t.id, "intake", {**INTAKE, "held_on": started})
    if placed:
        app.record_step(t.id, "employee_profile", {
            "motivators": "Samenwerken", "values": "Eerlijkheid", "skills": "Nauwkeurig",
            "interests": "Techniek", "wishes": "Vaste tijden", "learning_style": "Voordoen",
            "needs": "Instructies", "limitations": "Drukte", "possibilities": "Routinewerk",
            "durable_conditions": "Vaste plek", "trajectory_goals": "24 uur werken",
            "plan_of_approach": "Stapsgewijs", "agreed_with": "cliënt", "agreed_on": started,
        })
        app.record_step(t.id, "workplace_profile", {
            "employer": "Fietsfabriek", "employer_known": False, "employer_profile": "Productie",
            "tasks": "Monteren", "working_conditions": "Rustig", "expected_ksa": "Op tijd",
            "guidance_options": "Werkbegeleider", "business_use": "Ontlast monteurs",
            "support_needed": "Coaching", "checked_with_client": True,
        })
        app.record_matching(t.id, "Past bij profiel", "match", "Rustige plek", [], started)
        app.record_step(t.id, "placement", {
            "employer": "Fietsfabriek", "contract": "1 jaar", "hours_per_week": 24,
            "start_date": placed, "supervisor": "Piet", "agreements": "Opbouw naar 24 uur",
        })
    if closed:
        app.record_step(t.id, "final_report", {**FINAL, "written_on": closed})
        if reason == "placed_durably":
            for party in ("client", "employer", "commissioner"):
                app.record_closing_evaluation(t.id, party, closed, f"Evaluatie met {party}")
        app.close_trajectory(t.id, reason, False, None, closed)
    return t


def _answers(key, grade):
    form = formdefs.form(key)
    return {**{item.id: 7 for item in form.items}, form.score_item: grade}


def _dataset(platform, orgs):
    """The fixed dataset (period 2026-01-01 .. 2026-12-31, looked at on 2026-11-26).

    Trajectories (start = intake date):
      A Anna  2025-10-01 .. 2026-03-31 broken off     F Anna  2025-01-10 .. 2025-08-01 broken off
      B Anna  2025-11-01 .. open                       C Anna  2026-02-01 .. 2026-09-30 placed
      D Bert  2026-03-01 .. 2026-06-30 other help         durably (placement 2026-04-01)
      E Left  2026-05-01 .. open (jobcoach has left the organisation)
    C's client still works at the follow-up 6 months after the placement (2026-10-01).
    Complaints: 3 in the period (1 acknowledged in time, 1 late, 1 never) and one before it.
    Survey (client = werknemer): C invited and answered 8; D exempted with a reason; A (broken
      off) never invited. C's employer answered 5; A's employer answered 2 on 2025-12-20.
    Peer review (4 a year): Anna 4 sessions in 2026, Bert 3 (+1 in 2025, +1 cancelled).
    Training plan 2026: Q1 "Motiverende gespreksvoering" for role jobcoach (Anna done, Bert's
      record withdrawn), Q2 "Privacy in de praktijk" for Bert (done), Q2 "Participatiewet" for
      Anna (done), Q4 "Jobcarving" for role jobcoach (not due before 2026-11-26).
    Onboarding (3 steps, due after 14, 30 and 60 days: the term is 60 days):
      Anna 2026-01-15, due 03-16, all done by 03-10      Bert 2026-04-01, due 05-31, last 06-15
      Piet 2026-08-01, due 09-30, 1 of 3 done             Noor 2026-11-01, due 12-31, 1 of 3
      Lotte 2025-09-01, due 2025-10-31 (term over before the period), nothing done
      Sara (manager, joined 2026-06-01) and Tom (manager, joined 2026-11-20): no checklist
    Memberships (dated): Anna, Bert and Lotte joined 2024-06-01, Lotte left on 2026-10-15
      (first day gone); Piet joined 2026-08-01, Noor 2026-11-01.
    Data-subject requests: R1 received 2026-06-01 (due 07-01) completed 08-15; R2 received
      08-01 (due 09-01) still open; R3 received 10-01 (due 11-01) completed 10-20.
    """
    org = orgs.create()

    def member(role, name, joined):
        return _joined(platform, org, role, name, joined)

    early = date(2024, 6, 1)
    anna, bert = member("jobcoach", "Anna", early), member("jobcoach", "Bert", early)
    left = member("jobcoach", "Lotte", early)
    piet, noor = member("manager", "Piet", date(2026, 8, 1)), member(
        "quality_officer", "Noor", date(2026, 11, 1))
    member("manager", "Sara", date(2026, 6, 1))
    member("manager", "Tom", date(2026, 11, 20))
    keys = platform.subject_keys(org.id)
    clock = FixedClock(TODAY)
    ids = {}
    with context.acting(org.id, "user:test"):
        trajectories = platform.trajectories(org.id)
        trajectories.clock = lambda: TODAY
        for name, coach, started, reason, closed, placed in (
            ("A", anna, date(2025, 10, 1), "broken_off", date(2026, 3, 31), None),
            ("B", anna, date(2025, 11, 1), None, None, None),
            ("C", anna, date(2026, 2, 1), "placed_durably", date(2026, 9, 30), date(2026, 4, 1)),
            ("D", bert, date(2026, 3, 1), "other_help", date(2026, 6, 30), None),
            ("E", left, date(2026, 5, 1), None, None, None),
            ("F", anna, date(2025, 1, 10), "broken_off", date(2025, 8, 1), None),
        ):
            ids[name] = _trajectory(trajectories, coach, started, reason=reason, closed=closed,
                                    placed=placed).id
        ids["orphan"] = ids["E"]
        trajectories.record_follow_up(ids["C"], 6, date(2026, 10, 1), True, 24)

        complaints = platform.app(Complaints, org.id)
        complaints.adopt_regulation(default_regulation(), date(2025, 1, 1))

        def receive(on):
            return complaints.receive(
                keys,
                complainant_name="Klager Canary-9b",
                complainant_contact="",
                summary="Afspraken werden niet nagekomen",
                complainant_kind="client",
                received_on=on,
            )

        in_time, late, never = (receive(date(2026, 3, 2)) for _ in range(3))
        receive(date(2025, 6, 2))  # outside the period
        complaints.acknowledge(in_time.id, date(2026, 3, 3))
        complaints.acknowledge(late.id, date(2026, 4, 30))
        ids.update(late=late.id, never=never.id)

        satisfaction = platform.app(Satisfaction, org.id)
        satisfaction.clock = clock
        platform.apps.get(SurveyLinks).clock = clock
        campaign = satisfaction.start_campaign(
            "Meting 2026", START, END,
            {"werknemer": "uwv-beoordeling-werknemer", "werkgever": "uwv-beoordeling-werkgever"},
        )
        satisfaction.register_population(campaign.id, [
            {"trajectory_id": ids[n], "client_id": uuid4(), "jobcoach_id": anna.id,
             "status": status, "ended_on": ended}
            for n, status, ended in (("A", "afgebroken", date(2026, 3, 31)),
                                     ("C", "afgerond", date(2026, 9, 30)),
                                     ("D", "afgerond", date(2026, 6, 30)))
        ], "trajecten")

        def answer(name, respondent, grade, answered_on=None):
            invitation = links.invite(platform, org.id, campaign.id, ids[name], respondent)
            if answered_on:
                clock.set(answered_on)
            links.answer(platform, invitation.token,
                         _answers(f"uwv-beoordeling-{respondent}", grade))

        clock.set(date(2025, 12, 20))
        answer("A", "werkgever", 2)  # answered before the period: not in the average
        clock.set(date(2026, 10, 5))
        answer("C", "werknemer", 8)
        answer("C", "werkgever", 5, date(2026, 10, 12))  # invited 10-05, answered a week on
        satisfaction.exempt(campaign.id, ids["D"], "werknemer", "Cliënt is naar het buitenland")
        clock.set(TODAY)

        development = platform.app(Development, org.id)
        development.clock = clock

        def session(held_on, *people):
            return development.record_peer_review(
                held_on=held_on, topic="Casusbespreking", facilitator_id=anna.id, hours=2,
                participants=[p.id for p in people],
                cases=[{"label": "casus A", "summary": "Geanonimiseerde casus over werk"}],
                learning_points=[], actions=[])

        for day in (date(2026, 2, 5), date(2026, 5, 5), date(2026, 9, 5)):
            session(day, anna, bert)
        session(date(2026, 10, 5), anna, left)
        session(date(2025, 11, 5), anna, bert)  # before the period
        cancelled = session(date(2026, 11, 5), anna, bert)
        development.cancel_peer_review(cancelled.id, "Dubbel vastgelegd")

        for course, audience, quarter in (
            ("Motiverende gespreksvoering", ["jobcoach"], 1),
            ("Privacy in de praktijk", [str(bert.id)], 2),
            ("Participatiewet", [str(anna.id)], 2),
            ("Jobcarving", ["jobcoach"], 4),
        ):
            development.plan_training(2026, uuid4().hex[:12], course=course, provider="Academie",
                                      audience=audience, quarter=quarter, hours=8,
                                      budget_eur=None)

        def trained(person, course, on):
            return development.record_training(jobcoach_id=person.id, course=course,
                                               provider="Academie", category="cursus",
                                               completed_on=on, hours=8)

        trained(anna, "Motiverende gespreksvoering", date(2026, 2, 10))
        withdrawn = trained(bert, "Motiverende gespreksvoering", date(2026, 3, 1))
        development.withdraw_training(withdrawn.id, "Verkeerd vastgelegd")
        trained(bert, " privacy in de praktijk", date(2026, 5, 20))  # names match loosely
        trained(anna, "Participatiewet", date(2026, 6, 1))

        programme = development.define_onboarding_programme("Inwerkprogramma", [
            {"id": "avg", "text": "AVG-instructie", "due_after_days": 14},
            {"id": "systeem", "text": "Werken met Jobtrail", "due_after_days": 30},
            {"id": "meelopen", "text": "Meelopen met een collega", "due_after_days": 60},
        ])
        for person, started, done in (
            (anna, date(2026, 1, 15), (date(2026, 1, 20), date(2026, 2, 10), date(2026, 3, 10))),
            (bert, date(2026, 4, 1), (date(2026, 4, 5), date(2026, 4, 20), date(2026, 6, 15))),
            (piet, date(2026, 8, 1), (date(2026, 8, 3),)),
            (noor, date(2026, 11, 1), (date(2026, 11, 2),)),
            (left, date(2025, 9, 1), ()),
        ):
            development.start_onboarding(person.id, programme.id, started)
            for step, on in zip(("avg", "systeem", "meelopen"), done, strict=False):
                development.complete_onboarding_step(person.id, step, "user:test", on)

        privacy = platform.app(Privacy, org.id)
        for received, completed in (("2026-06-01", "2026-08-15"), ("2026-08-01", None),
                                    ("2026-10-01", "2026-10-20")):
            request = privacy.register_request(uuid4(), "erasure", received, "email")
            if completed:
                privacy.on_request(request.id, lambda r, on=completed: r.complete("done", on))
    platform.registry.end_membership(left.id, org.id, date(2026, 10, 15))
    sweep(platform)
    return org, ids


def _joined(platform, org, role, name, joined):
    user = platform.registry.register_user(f"{role}-{uuid4().hex[:8]}@example.nl", name,
                                           "wachtwoord-123")
    return platform.registry.grant_membership(user.id, org.id, role, joined)


def _figures(pack, requirement):
    (found,) = [r for r in pack["requirements"] if r["id"] == requirement]
    return found, {f["key"]: f for f in found["figures"]}


def test_figures_match_hand_computed_expectations(any_platform, any_orgs):
    org, ids = _dataset(any_platform, any_orgs)
    pack = build_pack(any_platform, org, "blik-op-werk", START, END, today=TODAY)

    complaints, figures = _figures(pack, "klachten")
    assert figures["klachten_in_periode"]["value"] == 3
    assert figures["klachten_ontvangst_binnen_termijn"]["value"] == "1 van 3"
    assert figures["klachten_ontvangst_binnen_termijn"]["status"] == NOT_MET
    assert figures["klachten_besluit_binnen_termijn"]["value"] == "0 van 3"  # 6 weeks passed
    assert complaints["status"] == NOT_MET
    linked = {e["originator_id"] for e in complaints["events"]}
    assert {str(ids["late"]), str(ids["never"])} <= linked

    continuity, figures = _figures(pack, "continuiteit")
    assert figures["open_trajecten"]["value"] == 2  # B and E
    assert figures["trajecten_zonder_jobcoach"]["value"] == 1  # E: Lotte left
    assert continuity["status"] == NOT_MET
    assert str(ids["orphan"]) in {e["originator_id"] for e in continuity["events"]}

    # Requests open past their deadline on 2026-11-26: R2 (due 09-01, open). R1 was late
    # but is completed, R3 completed in time.
    privacy, figures = _figures(pack, "privacy")
    assert figures["verzoeken_over_termijn"]["value"] == 1 and privacy["status"] == NOT_MET
    assert figures["verzoeken_over_termijn"]["finding"] == "1 verzoek(en) te laat"

    # Results, counted on 2026-11-26 (F ended before the period and counts nowhere):
    #   open on 01-01: A, B = 2     started: C, D, E = 3
    #   ended: A, C, D = 3 (successful: C = 1; broken off: A = 1; D was handed over)
    #   open on 26-11: B, E = 2     2 + 3 = 3 + 2: the count closes
    results, figures = _figures(pack, "resultaten")
    assert [figures[k]["value"] for k in ("trajecten_gestart", "trajecten_beeindigd",
                                          "trajecten_geslaagd", "trajecten_afgebroken")] \
        == [3, 3, 1, 1]
    assert figures["trajecten_sluitend"]["value"] == (
        "2 lopend op 01-01-2026 + 3 gestart = 3 beëindigd + 2 lopend op 26-11-2026")
    assert figures["trajecten_sluitend"]["status"] == MET and results["status"] == MET
    started = {e["originator_id"] for e in results["events"]}
    assert {str(ids[n]) for n in "CDE"} <= started and str(ids["F"]) not in started

    # Satisfaction: ended in the period A, C, D; D exempted with a reason, so 2 due, of
    # which C invited: 1 of 2 = 50% < 90% -> not met, A (broken off) named as missing.
    # Response: C's client invitation answered: 1 of 1. Average over the period's scored
    # forms: (8 + 5) / 2 = 6.5 >= 6.5 -> met (the 2 of 2025-12-20 is outside the period).
    survey, figures = _figures(pack, "tevredenheid")
    invited = figures["uitgenodigd_inclusief_afgebroken"]
    assert invited["value"] == "1 van 2 (50%)" and invited["status"] == NOT_MET
    assert "van wie 1 met een afgebroken traject" in invited["finding"]
    assert "1 vrijgesteld" in invited["finding"]
    assert invited["target"].startswith("minstens 100%")
    assert figures["respons_tevredenheid"]["value"] == "1 van 1 (100%)"
    assert figures["respons_tevredenheid"]["status"] == INFO
    average = figures["gemiddelde_tevredenheid"]
    assert average["value"] == "6,5 (2 beoordelingen)" and average["status"] == MET
    assert survey["status"] == NOT_MET
    assert str(ids["A"]) in {e["originator_id"] for e in survey["events"]}

    # Peer review, every jobcoach employed in the period (4 sessions a year, pro rata):
    #   Anna 2026-01-01..12-31: needs 4, has 4 (02-05, 05-05, 09-05, 10-05)
    #   Bert the same: has 3 (the 2025 session and the cancelled one do not count)
    #   Lotte 01-01..10-14 (left 10-15): 287 days, 4 * 287 / 365 = 3.1 -> 4; has 1 (10-05)
    # 1 of 3 = 33.3% < 80% -> not met.
    review, figures = _figures(pack, "intervisie")
    coverage = figures["intervisie_dekking"]
    assert coverage["value"] == "1 van 3 (33,3%)" and coverage["status"] == NOT_MET
    assert coverage["finding"] == "Te weinig bijeenkomsten: Bert (3 van 4), Lotte (1 van 4)"

    # Training plan, items due by 2026-11-26 (Q4 is not), for who worked here on the due
    # day: Motiverende gespreksvoering (due 03-31) x {Anna done, Bert withdrawn, Lotte
    # (still employed then) none}, Privacy x Bert done, Participatiewet x Anna done:
    # 3 of 5 = 60% < 75% -> not met.
    training, figures = _figures(pack, "scholing")
    plan = figures["opleidingsplan_voltooid"]
    assert plan["value"] == "3 van 5 (60%)" and plan["status"] == NOT_MET
    assert plan["finding"] == ("Nog niet gevolgd: Motiverende gespreksvoering (Bert), "
                               "Motiverende gespreksvoering (Lotte)")

    # Onboarding, judged once complete or once the 60-day term is over (on 2026-11-26):
    #   Anna done 03-10 <= due 03-16: in time     Bert done 06-15 > due 05-31: late
    #   Piet 1 of 3, due 09-30 passed: late       Noor 1 of 3, due 12-31: still running
    #   Lotte's term ended 2025-10-31, before the period: not counted
    #   Sara joined 06-01 without a checklist, 06-01 + 60 days = 07-31 passed: not onboarded
    #   Tom joined 11-20 without one, 11-20 + 60 days = 2027-01-19: still within the term
    #   Anna, Bert, Lotte joined before the period: only their checklists count
    # 1 of (3 judged + Sara) = 1 of 4 = 25% < 80% -> not met.
    onboarding = figures["inwerkprogramma_gevolgd"]
    assert onboarding["value"] == "1 van 4 (25%)" and onboarding["status"] == NOT_MET
    assert onboarding["finding"] == (
        "Niet binnen de termijn: Bert (3 van 3 onderdelen), Piet (1 van 3 onderdelen); "
        "Zonder inwerk-checklist: Sara (in dienst 01-06-2026); 2 nog binnen de termijn")
    assert training["status"] == NOT_MET

    # No jobcoach changed in this dataset: information, not "geen gegevens".
    handovers = _figures(pack, "continuiteit")[1]["warme_overdrachten"]
    assert handovers["value"] == "0 van 0" and handovers["status"] == INFO
    assert pack["no_data"] == []

    # A past month-end counts only what was known then (the renewal trends recompute it).
    # 2026-10-31 looks at 2025-10-31 .. 2026-10-31: A, C and D had ended. D's exemption
    # was recorded when this test ran (after that day), so all 3 were due and only C was
    # invited: 1 of 3 = 33.3%. C's answer (10-05) was known: response 1 of 1.
    past = snapshots.evaluate(any_platform, org.id, date(2026, 10, 31), live=False)
    figures = {f["key"]: f for f in past["tevredenheid"]["figures"]}
    assert figures["uitgenodigd_inclusief_afgebroken"]["value"] == "1 van 3 (33,3%)"
    assert "vrijgesteld" not in figures["uitgenodigd_inclusief_afgebroken"]["finding"]
    assert figures["respons_tevredenheid"]["value"] == "1 van 1 (100%)"
    # C's employer was invited on 10-05 and answered on 10-12: unanswered in between.
    cover = any_platform.view(SurveyCoverageFactsView, org.id)

    def employer_c(day):
        return [i["answered"] for i in cover.invitations("werkgever", day)
                if i["trajectory_id"] == str(ids["C"])]

    assert (employer_c("2026-10-04"), employer_c("2026-10-11"), employer_c("2026-10-12")) \
        == ([], [False], [True])
    # The checklists were recorded when this test ran: none was known on 2026-10-31, so
    # no programme term either. Joined in 2025-10-31 .. 2026-10-31 without a known
    # checklist: Sara (06-01) and Piet (08-01): 0 of 2. Noor and Tom joined later.
    figures = {f["key"]: f for f in past["scholing"]["figures"]}
    assert figures["inwerkprogramma_gevolgd"]["value"] == "0 van 2 (0%)"
    assert figures["inwerkprogramma_gevolgd"]["finding"] == (
        "Zonder inwerk-checklist: Piet (in dienst 01-08-2026), Sara (in dienst 01-06-2026)")
    # Training plan on 10-31 (2025 and 2026 items due by then): the same 3 of 5.
    assert figures["opleidingsplan_voltooid"]["value"] == "3 van 5 (60%)"
    # Peer review over 2025-10-31 .. 2026-10-31 (4 needed): Anna 5 and Bert 4 (the
    # 2025-11-05 session now counts); Lotte up to 10-14: 349 days -> 4 * 349 / 365 = 3.8
    # -> 4, has 1. 2 of 3 = 66.7% < 80% -> not met.
    coverage = {f["key"]: f for f in past["intervisie"]["figures"]}["intervisie_dekking"]
    assert coverage["value"] == "2 van 3 (66,7%)" and coverage["status"] == NOT_MET
    assert coverage["finding"] == "Te weinig bijeenkomsten: Lotte (1 van 4)"
    # Trajectories without a jobcoach at a month-end: open on 10-31 B (Anna) and E
    # (Lotte, gone since 10-15): 1. On 09-30 Lotte still worked here: 0 (C closed 09-30).
    unassigned = [
        {f["key"]: f for f in snapshots.evaluate(
            any_platform, org.id, day, live=False)["continuiteit"]["figures"]
         }["trajecten_zonder_jobcoach"]
        for day in (date(2026, 9, 30), date(2026, 10, 31))
    ]
    assert [(u["value"], u["status"]) for u in unassigned] == [(0, MET), (1, NOT_MET)]
    assert unassigned[1]["finding"] == "1 traject(en) zonder verantwoordelijke"
    # Requests past their deadline and still open at a month-end: on 07-31 R1 (due 07-01,
    # completed only 08-15); on 08-31 none (R1 completed, R2 due 09-01); on 09-30 R2.
    overdue = [
        {f["key"]: f for f in snapshots.evaluate(
            any_platform, org.id, day, live=False)["privacy"]["figures"]
         }["verzoeken_over_termijn"]["value"]
        for day in (date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30))
    ]
    assert overdue == [1, 0, 1]

    # every linked event carries an inclusion proof against the pack's checkpoint
    from services.audit.merkle import verify_inclusion

    root = bytes.fromhex(pack["checkpoint"]["root"])
    for requirement in pack["requirements"]:
        for event in requirement["events"]:
            assert verify_inclusion(
                bytes.fromhex(event["leaf_hash"]),
                event["leaf_index"],
                pack["checkpoint"]["tree_size"],
                [bytes.fromhex(p) for p in event["proof"]],
                root,
            )
    assert "Canary" not in json.dumps(pack)

    # C's follow-up 6 months after its placement (still working) reaches the renewal KPIs
    trend = {k.key: k for k in kpi_trends(any_platform, org.id, TODAY)}
    assert trend["duurzaam_6"].values[-1] == 100.0 and not trend["duurzaam_12"].has_data

    # A trajectory closed on a day before its start (G: intake 2026-07-01, closed
    # 2025-12-20) is started in the period but neither ended in it nor open at its end:
    # 2 + 4 != 3 + 2, so the count no longer closes and the finding says why.
    with context.acting(org.id, "user:test"):
        wrong = _trajectory(any_platform.trajectories(org.id), any_orgs.member(org, "jobcoach"),
                            date(2026, 7, 1), reason="broken_off", closed=date(2025, 12, 20))
    sweep(any_platform)
    pack = build_pack(any_platform, org, "blik-op-werk", START, END, today=TODAY)
    results, figures = _figures(pack, "resultaten")
    assert figures["trajecten_sluitend"]["value"] == (
        "2 lopend op 01-01-2026 + 4 gestart tegenover 3 beëindigd + 2 lopend op 26-11-2026"
        " (sluit niet)")
    assert figures["trajecten_sluitend"]["status"] == NOT_MET and results["status"] == NOT_MET
    assert "1 traject(en) afgesloten vóór de start" in figures["trajecten_sluitend"]["finding"]
    assert str(wrong.id) in {e["originator_id"] for e in results["events"]}


def test_warm_handovers_count_notes_and_bulk_handovers_during_absence(any_platform, any_orgs):
    """Handovers are dated when recorded (the event has no date of its own), so this
    looks at the 12 months up to the day the test runs."""
    org = any_orgs.create()
    anna, bert, carl = (any_orgs.member(org, "jobcoach", n) for n in ("Anna", "Bert", "Carl"))
    note = "Cliënt werkt graag 's ochtends; werkgever Piet belt op maandag"
    with context.acting(org.id, "user:test"):
        app = any_platform.trajectories(org.id)
        t1, t2, t3, t4 = (
            app.start_trajectory(app.register_client({"name": f"Canary-h{n}"}).id, "UWV",
                                 anna.id) for n in "1234")
        app.reassign(t1.id, bert.id, note)  # one warm handover
        _, absence_id = app.register_absence(anna.id, "leave", date(2026, 1, 5), None)
        moved = app.hand_over_caseload([t2.id, t3.id], carl.id, note, anna.id, absence_id)
        assert len(moved) == 2
        for jobcoach, text in ((bert.id, "Oude notitie in platte tekst"), (anna.id, "  ")):
            earlier = app.rules(t4.id)  # events from before the note was required and sealed
            earlier._reassigned(jobcoach, text)
            app.save(earlier)
    sweep(any_platform)
    today = local_today(SystemClock())
    pack = build_pack(any_platform, org, "blik-op-werk", today - timedelta(days=364), today,
                      today=today)
    # 5 handovers: t1 (note), t2 and t3 in bulk during Anna's absence (note), t4 twice in
    # the old shape: a plain note (counts) and a blank one (does not). 4 of 5 = 80% < 90%.
    continuity, figures = _figures(pack, "continuiteit")
    handovers = figures["warme_overdrachten"]
    assert handovers["value"] == "4 van 5 (80%)" and handovers["status"] == NOT_MET
    number = app.trajectory(t4.id).client_number
    assert handovers["finding"] == (
        "2 bij afwezigheid van een jobcoach overgedragen (1 afwezigheid/-heden); "
        f"1 zonder overdrachtsnotitie ({number})")
    assert str(t4.id) in {e["originator_id"] for e in continuity["events"]}
    assert "Canary" not in json.dumps(pack) and "maandag" not in json.dumps(pack)
    # nobody was handed over before today: a month-end before it knows of none
    before = snapshots.evaluate(any_platform, org.id, today - timedelta(days=1), live=False)
    assert {f["key"]: f for f in before["continuiteit"]["figures"]}[
        "warme_overdrachten"]["value"] == "0 van 0"


def test_the_mapping_is_versioned_data_covering_every_mark():
    data = norms()
    assert data["version"]
    assert set(data["marks"]) == {"blik-op-werk", "oval", "uwv", "registers"}
    bow = {n["title"] for n in data["marks"]["blik-op-werk"]["norms"]}
    assert {"Hoofdnorm Organisatie", "Hoofdnorm Resultaten", "Hoofdnorm Tevredenheid"} == bow


# Export: an RQ job with progress, run by a real worker process --------------------------

REDIS_DB_URL = os.environ.get("JOBTRAIL_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def queued(pg_settings):
    import redis

    connection = redis.from_url(REDIS_DB_URL, socket_timeout=3)
    try:
        connection.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is required for this test: {error}", pytrace=False)
    connection.flushdb()
    platform = Platform(pg_settings.with_(redis_url=REDIS_DB_URL))
    platform.provision_platform()
    created = []
    yield platform, created
    platform.close()
    for org in created:
        provision.drop_schema(pg_settings, org.id)
    provision.drop_schema(pg_settings, None)
    connection.flushdb()


def _env(settings):
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "SECRET_KEY": settings.secret_key,
        "JOBTRAIL_CIPHER_KEY": settings.cipher_key,
        "JOBTRAIL_DATA_DIR": settings.data_dir,
        "JOBTRAIL_PLATFORM_SCHEMA": settings.platform_schema,
        "JOBTRAIL_AUDIT_KEY_DIR": settings.audit_key_dir,
    }


def test_pack_export_runs_as_a_job_and_verifies_offline(queued, tmp_path):
    from rq.job import Job

    from services.app import create_app
    from services.audit.api import _export_status
    from services.audit.jobs import pack_dir

    platform, created = queued
    org = platform.create_organisation("Dossier", f"d-{uuid4().hex[:8]}", "12345678")
    created.append(org)
    coach = platform.registry.register_user(f"{uuid4().hex[:8]}@x.nl", "C", "wachtwoord-123")
    platform.registry.grant_membership(coach.id, org.id, "jobcoach")
    export_id = uuid4().hex
    with context.acting(org.id, f"user:{coach.id}"):
        trajectories = platform.trajectories(org.id)
        client = trajectories.register_client({"name": "Cliënt Canary-7a"})
        trajectories.start_trajectory(client.id, "UWV", coach.id)
    # a key rotation before the export: the pack's checkpoint is signed by the new key only
    old_vkey = AuditLog(platform, org.id).vkey()
    rotate_key(platform, org.id)
    with context.acting(org.id, f"user:{coach.id}"):
        trajectories.start_trajectory(client.id, "UWV", coach.id)
        job_id = platform.jobs.enqueue(
            "services.audit.jobs:export_evidence_pack",
            org.id,
            "blik-op-werk",
            START.isoformat(),
            END.isoformat(),
            export_id,
            job_id=f"evidence-{export_id}",
        )
    assert job_id == f"evidence-{export_id}"
    with create_app(platform.settings, platform).app_context():  # what the status API says
        assert _export_status(org, export_id)["status"] == "queued"
    worker = subprocess.run(
        [sys.executable, "-m", "services.cli", "worker", "--burst"],
        env=_env(platform.settings),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert worker.returncode == 0, worker.stderr
    job = Job.fetch(job_id, connection=platform.jobs.queue.connection)
    assert job.get_status() == "finished", worker.stderr
    assert job.meta["progress"]["done"] == job.meta["progress"]["total"] == 6

    folder = pack_dir(platform, org.id, export_id)
    names = {p.name for p in folder.iterdir()}
    assert {
        "bewijsdossier.pdf",
        "bewijsdossier.json",
        "bewijsdossier.csv",
        "manifest.txt",
        "checkpoint.txt",
        "keys.json",
    } <= names
    assert " keys.json\n" in (folder / "manifest.txt").read_text()  # signed with the rest
    keys = json.loads((folder / "keys.json").read_text())
    assert [k["vkey"] for k in keys["keys"]] == [old_vkey, AuditLog(platform, org.id).vkey()]
    assert len(keys["transitions"]) == 1 and old_vkey in keys["transitions"][0]
    assert (folder / "bewijsdossier.pdf").read_bytes().startswith(b"%PDF")
    assert "Blik op Werk" in (folder / "bewijsdossier.csv").read_text()
    vkey = AuditLog(platform, org.id).vkey()
    verify = [
        sys.executable,
        "-m",
        "services.audit.verifier",
        "--pack",
        str(folder),
        "--vkey",
        vkey,
    ]
    ok = subprocess.run(verify, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # an auditor holding the key from before the rotation follows the transition checkpoint
    with_old = [*verify[:-1], old_vkey]
    ok = subprocess.run(with_old, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    signed_keys = (folder / "keys.json").read_bytes()
    (folder / "keys.json").write_text(json.dumps({**keys, "transitions": []}))
    unlinked = subprocess.run(with_old, capture_output=True, text=True, timeout=60)
    assert unlinked.returncode == 1 and "bekende sleutel" in unlinked.stdout
    (folder / "keys.json").write_bytes(signed_keys)

    (folder / "bewijsdossier.csv").write_text("keurmerk;status\nBlik op Werk;voldaan\n")
    changed = subprocess.run(verify, capture_output=True, text=True, timeout=60)
    assert changed.returncode == 1 and "gewijzigd" in changed.stdout
