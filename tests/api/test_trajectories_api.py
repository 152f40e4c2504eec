"""The trajectory API end to end: intake to closing, hours and grants, documents,
refusals in Dutch, If-Match, and who sees what."""

import io
from datetime import date, timedelta
from uuid import UUID

import pytest
from pypdf import PdfReader

from services.privacy.office import PrivacyOffice
from services.trajectories import medical

TODAY = date.today()


def d(days):
    return (TODAY - timedelta(days=days)).isoformat()


INTAKE = {
    "held_on": d(200), "reason": "Wil weer aan het werk", "question": "Passend werk",
    "motivation": "Structuur", "life_world": "Woont zelfstandig", "network": "Zus steunt",
    "phases_agreed": "Profiel, jobfinding, plaatsing, coaching",
    "expectations": "Wekelijks contact",
    "follow_up": "Profiel volgende week", "agreed_in_writing": True,
    "code_of_conduct_discussed": True,
}
PROFILE = {
    "motivators": "Samenwerken", "values": "Eerlijkheid", "skills": "Nauwkeurig",
    "interests": "Techniek", "wishes": "Vaste tijden", "learning_style": "Voordoen, nadoen",
    "needs": "Duidelijke instructies", "limitations": "Kan slecht tegen drukte",
    "possibilities": "Routinewerk", "durable_conditions": "Vaste werkplek",
    "trajectory_goals": "Duurzaam 24 uur werken", "plan_of_approach": "Stapsgewijs opbouwen",
    "agreed_with": "cliënt en UWV", "agreed_on": d(190),
}
WORKPLACE = {
    "employer": "Fietsfabriek Noord", "employer_profile": "Productiebedrijf, 80 medewerkers",
    "tasks": "Wielen monteren", "working_conditions": "Rustige hal", "expected_ksa": "Precisie",
    "guidance_options": "Vaste werkbegeleider", "business_use": "Ontlast de monteurs",
    "support_needed": "Inwerken en coaching", "checked_with_client": True,
}
PLACEMENT = {
    "employer": "Fietsfabriek Noord", "contract": "Arbeidsovereenkomst 1 jaar",
    "hours_per_week": 24, "start_date": d(150), "supervisor": "Piet de Werkbegeleider",
    "agreements": "Opbouw van 16 naar 24 uur",
}


@pytest.fixture
def world(app, platform, orgs, make_token):
    client = app.test_client()
    org = orgs.create("De Brug")
    anna = orgs.member(org, "jobcoach", "Anna de Vries")
    bram = orgs.member(org, "jobcoach", "Bram Jansen")
    as_anna = {"Authorization": f"Bearer {make_token(client, org, 'jobcoach', anna.id)}"}
    as_bram = {"Authorization": f"Bearer {make_token(client, org, 'jobcoach', bram.id)}"}
    manager = {"Authorization": f"Bearer {make_token(client, org, 'manager')}"}
    base = f"/api/v1/orgs/{org.slug}"
    return client, org, anna, bram, as_anna, as_bram, manager, base


def consented(platform, org, client_id, commissioner="UWV"):
    """The client's consent to share profile and progress with the commissioner (the
    privacy context), which every UWV document needs."""
    from services.kernel import context

    office = PrivacyOffice(platform, org.id)
    with context.acting(org.id, "user:privacy-officer"):
        for purpose in ("share_profile", "share_progress"):
            office.give_consent(UUID(str(client_id)), purpose, "commissioner", "signed",
                                recipient_id=commissioner)


def pdf_text(data):
    """The PDF's text with table-cell line breaks folded into spaces."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def ok(response, status=200):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def refused(response, fragment, status=422):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert fragment in response.get_json()["detail"], response.get_json()
    return response.get_json()


def test_intake_to_closing_with_documents(world, platform):
    http, org, anna, bram, as_anna, as_bram, manager, base = world
    person = ok(http.post(f"{base}/clients", json={
        "name": "Jan Jansen", "email": "jan@example.nl", "date_of_birth": "1990-02-03",
    }, headers=as_anna), 201)
    assert person["number"] == "C-0001" and person["name"] == "Jan Jansen"
    ok(http.put(f"{base}/clients/{person['id']}/support-need", json={
        "limitations": "Snel overprikkeld", "possibilities": "Sterk in routine"},
        headers=as_anna))
    ok(http.post(f"{base}/clients/{person['id']}/network", json={
        "name": "Zus", "relation": "family", "consent": True, "consent_on": d(200)},
        headers=as_anna), 201)

    started = http.post(f"{base}/trajectories", json={
        "client_id": person["id"], "commissioner": "UWV", "responsible_jobcoach": str(anna.id)},
        headers=as_anna)
    t = ok(started, 201)
    url = f"{base}/trajectories/{t['id']}"
    assert t["client_number"] == "C-0001" and started.headers["ETag"] == '"1"'

    stale = http.post(f"{url}/intake", json=INTAKE, headers={**as_anna, "If-Match": '"0"'})
    assert stale.status_code == 412
    ok(http.post(f"{url}/intake", json=INTAKE, headers={**as_anna, "If-Match": '"1"'}))
    ok(http.post(f"{url}/employee-profile", json=PROFILE, headers=as_anna))
    ok(http.post(f"{url}/job-finding", json={
        "kind": "employer_contact", "employer": "Fietsfabriek Noord", "on": d(180)},
        headers=as_anna))
    ok(http.post(f"{url}/workplace-profile", json=WORKPLACE, headers=as_anna))
    refused(http.post(f"{url}/placement", json=PLACEMENT, headers=as_anna),
            "Geen plaatsing zonder een match")
    ok(http.post(f"{url}/matching", json={
        "analysis": "Taken passen bij het profiel", "decision": "match",
        "reasons": "Rustige werkplek", "decided_on": d(160),
        "job_carving": [{"agreement": "Eigen werkbank", "owner": "werkgever", "due": d(150)}],
    }, headers=as_anna))
    ok(http.post(f"{url}/placement", json=PLACEMENT, headers=as_anna))
    plan = {
        "goals": [{"goal_id": "g1", "description": "Zelfstandig wielen monteren",
                   "criterion": "10 wielen per dag zonder hulp", "target_date": d(30),
                   "owner": "cliënt"}],
        "action_plan": "Wekelijks gesprek op de werkvloer", "network_roles": "Zus helpt plannen",
        "evaluation_moments": [d(60), d(10)], "agreed_on": d(140),
    }
    no_criterion = {**plan, "goals": [{**plan["goals"][0], "criterion": None}]}
    assert http.post(f"{url}/coaching-plan", json=no_criterion, headers=as_anna).status_code == 422
    ok(http.post(f"{url}/coaching-plan", json=plan, headers=as_anna))

    ok(http.post(f"{base}/funding-regimes", json={
        "commissioner": "UWV", "name": "standaard", "percentage": 10, "valid_from": "2020-01-01"},
        headers=as_anna))
    ok(http.post(f"{url}/grants", json={
        "commissioner": "UWV", "period_start": d(150), "period_end": d(0),
        "granted_hours": 12, "regime": "standaard"}, headers=as_anna), 201)
    contact = {
        "kind": "contact_moment", "on": d(100), "start": "09:00", "minutes": 60,
        "mode": "face_to_face", "participants": ["client", "supervisor"], "goal_ids": ["g1"],
        "justification": "Werkplekbezoek en instructie", "notes": "Gaat goed",
    }
    first = ok(http.post(f"{url}/activities", json=contact, headers=as_anna), 201)
    assert first["warnings"] == []
    refused(http.post(f"{url}/activities", json={**contact, "start": "09:30"}, headers=as_anna),
            "Overlapt")
    for bad in ({"minutes": -5}, {"minutes": 0}, {"on": (TODAY + timedelta(1)).isoformat()},
                {"start": "25:00"}):
        assert http.post(f"{url}/activities", json={**contact, **bad},
                         headers=as_anna).status_code == 422
    refused(http.post(f"{url}/activities", json={**contact, "on": d(99), "minutes": 720},
                      headers=as_anna), "plafond")  # cap: the 12 granted hours
    over = ok(http.post(f"{url}/activities", json={
        **contact, "on": d(99), "minutes": 700, "start": "08:00",
        "override_reason": "Crisis op de werkvloer, werkgever vroeg om extra inzet"},
        headers=as_anna), 201)
    assert over["warnings"] and "plafond" in over["warnings"][0]
    detail = ok(http.get(url, headers=as_anna))
    activity_id = next(a["activity_id"] for a in detail["activities"] if a["minutes"] == 700)
    ok(http.post(f"{url}/activities/corrections", json={
        "activity_id": activity_id, "minutes": 120, "reason": "Verkeerd ingevoerd"},
        headers=as_anna))
    ok(http.post(f"{url}/evaluations", json={
        "on": d(9), "results": [{"goal_id": "g1", "status": "reached"}],
        "summary": "Doel behaald"}, headers=as_anna))

    # The accountability report: PDF with the sections, the data, no medical term.
    consented(platform, org, person["id"])
    report = http.get(f"{url}/documents/verantwoording?format=pdf&from={d(150)}&to={d(0)}",
                      headers=as_anna)
    assert report.status_code == 200 and report.mimetype == "application/pdf"
    text = pdf_text(report.data)
    for needle in ("Verantwoordingsrapportage jobcoaching", "Resultaten per doel",
                   "Zelfstandig wielen monteren", "Behaald", "Uren", "Jan Jansen",
                   "Bijlage: beoordelingsformulieren", "Ondertekening"):
        assert needle in text, needle
    assert medical.find(text) == []
    application = http.get(f"{url}/documents/aanvraag?format=pdf", headers=as_anna)
    text = pdf_text(application.data)
    for needle in ("1. Werknemersprofiel", "2. Werkprofiel", "3. Matching", "4. Aanpassing",
                   "Eigen werkbank", "5. Coachingsdoelen", "10 wielen per dag"):
        assert needle in text, needle
    html = http.get(f"{url}/documents/logboek?format=html&from={d(150)}&to={d(0)}",
                    headers=as_anna)
    assert html.status_code == 200 and "Werkplekbezoek en instructie" in html.get_data(as_text=True)

    # Closing, and nothing after it.
    refused(http.post(f"{url}/close", json={
        "reason": "placed_durably", "aftercare_offered": True, "aftercare": "Nazorg",
        "on": d(0)}, headers=as_anna), "eindverslag")
    ok(http.post(f"{url}/final-report", json={
        "written_on": d(1), "placement_process": "Geplaatst via jobfinding",
        "coaching_report": "Wekelijkse coaching", "results": "Doel behaald",
        "support_handover": "Werkbegeleider neemt over"}, headers=as_anna))
    for party in ("client", "employer", "commissioner"):
        ok(http.post(f"{url}/closing-evaluations", json={
            "party": party, "on": d(1), "summary": "Tevreden"}, headers=as_anna))
    ok(http.post(f"{url}/close", json={
        "reason": "placed_durably", "aftercare_offered": True,
        "aftercare": "Drie maanden nazorg", "on": d(0)}, headers=as_anna))
    refused(http.post(f"{url}/activities", json={**contact, "on": d(0), "start": "14:00"},
                      headers=as_anna), "afgesloten")
    # Aftercare contacts go on after closing, in the log and the day totals.
    aftercare = {"on": d(0), "start": "15:00", "minutes": 20, "mode": "online",
                 "participants": ["client", "supervisor"],
                 "justification": "Nazorg: telefonisch contact, gaat goed"}
    refused(http.post(f"{url}/aftercare", json={**aftercare, "on": d(3)}, headers=as_anna),
            "latere datum")
    ok(http.post(f"{url}/aftercare", json=aftercare, headers=as_anna), 201)
    after = ok(http.get(url, headers=as_anna))["activities"][0]
    assert (after["kind"], after["kind_label"], after["grant_id"]) == (
        "aftercare", "Nazorgcontact", None)

    timeline = ok(http.get(f"{url}/timeline", headers=manager))
    assert [x["label"] for x in timeline[:2]] == ["Activiteit geregistreerd", "Traject afgesloten"]
    assert timeline[0]["summary"].startswith("Nazorgcontact op")
    assert timeline[-1]["label"] == "Traject gestart"
    assert {item["actor"].split(":")[0] for item in timeline} == {"client"}

    # Bram sees neither the trajectory nor the client; the manager sees both.
    assert http.get(url, headers=as_bram).status_code == 404
    assert http.get(f"{base}/clients/{person['id']}", headers=as_bram).status_code == 404
    assert ok(http.get(f"{base}/clients?q=jan", headers=as_bram)) == []
    assert [c["number"] for c in ok(http.get(f"{base}/clients?q=jan", headers=manager))] == [
        "C-0001"]
    assert http.get(f"{base}/jobcoaches/{anna.id}/caseload", headers=as_bram).status_code == 404

    # Every opening of the client's data was logged for the privacy context; refusals not.
    entries = PrivacyOffice(platform, org.id).access_log.entries(UUID(person["id"]))
    seen = {(e["what"], e["channel"]) for e in entries}
    assert {("trajectory", "api"), ("trajectory.document.verantwoording", "export"),
            ("client.search", "api")} <= seen, seen
    assert all(e["why"] == "guidance" for e in entries)


def test_document_refusals_name_missing_parts_and_medical_terms(world, platform):
    http, org, anna, bram, as_anna, as_bram, manager, base = world
    person = ok(http.post(f"{base}/clients", json={"name": "Els"}, headers=as_anna), 201)
    consented(platform, org, person["id"])
    t = ok(http.post(f"{base}/trajectories", json={
        "client_id": person["id"], "commissioner": "UWV", "responsible_jobcoach": str(anna.id)},
        headers=as_anna), 201)
    url = f"{base}/trajectories/{t['id']}"
    problem = refused(http.get(f"{url}/documents/aanvraag", headers=as_anna), "Ontbreekt")
    for part in ("Werknemersprofiel", "Matching", "Coachingsplan"):
        assert part in problem["detail"]
    ok(http.post(f"{url}/intake", json=INTAKE, headers=as_anna))
    ok(http.post(f"{url}/employee-profile", json={
        **PROFILE, "limitations": "Vanwege autisme en medicatie snel moe"}, headers=as_anna))
    ok(http.post(f"{url}/workplace-profile", json=WORKPLACE, headers=as_anna))
    ok(http.post(f"{url}/matching", json={
        "analysis": "Past", "decision": "match", "reasons": "Rustig", "decided_on": d(1)},
        headers=as_anna))
    ok(http.post(f"{url}/placement", json=PLACEMENT, headers=as_anna))
    ok(http.post(f"{url}/coaching-plan", json={
        "goals": [{"description": "Zelfstandig werken", "criterion": "Zonder hulp",
                   "target_date": d(-30), "owner": "cliënt"}],
        "action_plan": "Wekelijks", "network_roles": "Geen", "evaluation_moments": [d(-10)],
        "agreed_on": d(1)}, headers=as_anna))
    check = ok(http.get(f"{url}/documents/aanvraag?format=json", headers=as_anna))
    assert check["ready"] is False
    assert check["medical_terms"][0]["terms"] == ["autisme", "medicatie"]
    refused(http.get(f"{url}/documents/aanvraag", headers=as_anna), "medische termen")
    ok(http.post(f"{url}/employee-profile", json=PROFILE, headers=as_anna))  # a revision
    assert ok(http.get(f"{url}/documents/aanvraag?format=json", headers=as_anna))["ready"]


def test_day_totals_absence_and_bulk_handover(world):
    http, org, anna, bram, as_anna, as_bram, manager, base = world
    ids = []
    for name in ("Een", "Twee"):
        person = ok(http.post(f"{base}/clients", json={"name": name}, headers=as_anna), 201)
        ids.append(ok(http.post(f"{base}/trajectories", json={
            "client_id": person["id"], "commissioner": "Gemeente Utrecht",
            "responsible_jobcoach": str(anna.id)}, headers=as_anna), 201)["id"])
    for trajectory_id, start in zip(ids, ("08:00", "10:00"), strict=True):
        ok(http.post(f"{base}/trajectories/{trajectory_id}/activities", json={
            "kind": "employer_meeting", "on": d(2), "start": start, "minutes": 360,
            "mode": "face_to_face", "justification": "Overleg met werkgever"},
            headers=as_anna), 201)
    days = ok(http.get(f"{base}/jobcoaches/{anna.id}/days?from={d(5)}&to={d(0)}",
                       headers=as_anna))
    assert days == [{
        "jobcoach_id": str(anna.id), "on_day": d(2), "minutes": 720, "activities": 2,
        "trajectories": 2, "implausible": True,
        "reasons": ["meer dan 10 uur op één dag", "1 overlappende activiteit(en)"],
    }]
    assert ok(http.get(f"{base}/jobcoaches/days?from={d(5)}", headers=manager))[0]["implausible"]

    absence = ok(http.post(f"{base}/jobcoaches/{anna.id}/absences", json={
        "kind": "leave", "first_day": d(0), "last_day": d(-14)}, headers=as_anna), 201)
    # Only the absent jobcoach or a whole-organisation role hands the caseload over.
    assert http.post(f"{base}/jobcoaches/{anna.id}/handover", json={
        "to": str(bram.id), "handover_note": "Anna met verlof"}, headers=as_bram
    ).status_code == 404
    moved = ok(http.post(f"{base}/jobcoaches/{anna.id}/handover", json={
        "to": str(bram.id), "handover_note": "Anna met verlof; Bram kent beide werkgevers",
        "absence_id": absence["absence_id"]}, headers=as_anna))
    assert sorted(moved["reassigned"]) == sorted(ids)
    caseload = ok(http.get(f"{base}/jobcoaches/{bram.id}/caseload", headers=as_bram))
    assert sorted(r["trajectory_id"] for r in caseload) == sorted(ids)
    assert ok(http.get(f"{base}/trajectories", headers=as_anna)) == []
    [handover] = ok(http.get(f"{base}/trajectories/{ids[0]}", headers=as_bram))["handovers"]
    assert (handover["from"], handover["to"], handover["note"]) == (
        str(anna.id), str(bram.id), "Anna met verlof; Bram kent beide werkgevers")


def test_other_organisation_gets_404_on_every_trajectory_route(app, platform, orgs, make_token):
    http = app.test_client()
    org_a, org_b = orgs.create(), orgs.create()
    coach_a, coach_b = orgs.member(org_a, "jobcoach"), orgs.member(org_b, "jobcoach")
    token_a = {"Authorization": f"Bearer {make_token(http, org_a, 'jobcoach', coach_a.id)}"}
    token_b = {"Authorization": f"Bearer {make_token(http, org_b, 'jobcoach', coach_b.id)}"}
    b = f"/api/v1/orgs/{org_b.slug}"
    person = ok(http.post(f"{b}/clients", json={"name": "Geheim"}, headers=token_b), 201)
    t = ok(http.post(f"{b}/trajectories", json={
        "client_id": person["id"], "commissioner": "UWV",
        "responsible_jobcoach": str(coach_b.id)}, headers=token_b), 201)
    ids = {"trajectory_id": t["id"], "client_id": person["id"], "user_id": str(coach_b.id)}
    import re

    routes = [
        (rule, method) for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if rule.rule.startswith(("/api/v1/orgs/<org>/trajectories",
                                 "/api/v1/orgs/<org>/clients",
                                 "/api/v1/orgs/<org>/jobcoaches",
                                 "/api/v1/orgs/<org>/funding-regimes"))
    ]
    assert len(routes) >= 30
    for rule, method in routes:
        for slug in (org_b.slug, org_a.slug):  # B's URL, and A's own URL with B's ids
            if slug == org_a.slug and "<uuid:" not in rule.rule:
                continue
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m, s=slug: s if m.group(1) == "org"
                          else ids[m.group(1)], rule.rule)
            response = http.open(path, method=method, json={}, headers=token_a)
            assert response.status_code == 404, (method, rule.rule, slug, response.data)
            assert "Geheim" not in response.get_data(as_text=True)
