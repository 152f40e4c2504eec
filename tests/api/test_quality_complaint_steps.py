"""The rest of the complaint procedure by form: extension with reason, escalation to the
external body, its ruling, improvement actions (owner, due date, done); each refusal keeps
the input; the page is logged as a read of the complainant's data; English works."""

from datetime import date, timedelta

from services.kernel import context
from services.privacy.office import PrivacyOffice
from services.quality.complaints.application import Complaints, default_regulation
from tests.web_support import CSRF, signed_in

TODAY = date.today()


def _complaint(platform, org, officer, received_on=TODAY):
    with context.acting(org.id, f"user:{officer.id}"):
        app = platform.app(Complaints, org.id)
        app.adopt_regulation(default_regulation(), date(2000, 1, 1))
        return app.receive(platform.subject_keys(org.id), complainant_name="Piet de Klager",
                           complainant_contact="06-11111111", complainant_kind="client",
                           summary="Mijn jobcoach kwam twee keer niet opdagen.",
                           received_on=received_on)


def _stepper(client, detail):
    def step(name, **data):
        token = CSRF.search(client.get(detail).get_data(as_text=True))[1]
        return client.post(f"{detail}/{name}", data={
            "csrf_token": token, **{f"{name}-{k}": v for k, v in data.items()}})
    return step


def test_extension_escalation_ruling_and_actions_by_form(app, platform, orgs):
    org = orgs.create()
    officer = orgs.member(org, "quality_officer", "Daan Kwaliteit")
    anna = orgs.member(org, "jobcoach", "Anna Jobcoach")
    complaint = _complaint(platform, org, officer)
    client = signed_in(app, officer)
    detail = f"/o/{org.slug}/kwaliteit/klachten/{complaint.id}"
    step = _stepper(client, detail)
    page = client.get(detail).get_data(as_text=True)
    assert "stap-verlengen" not in page and "stap-actie" not in page  # not yet acknowledged
    assert step("ontvangst", on=TODAY.isoformat()).status_code == 302

    page = client.get(detail).get_data(as_text=True)
    assert "stap-verlengen" in page and "stap-extern" not in page  # decision term still runs
    short = step("verlengen", reason="drukte", on=TODAY.isoformat())
    html = short.get_data(as_text=True)
    assert short.status_code == 422 and "Geef de reden in 10 tot 2.000 tekens." in html
    assert "drukte</textarea>" in html
    first_due = default_regulation()  # 6 weeks, extended by 4 weeks
    assert first_due["extension"]["amount"] == 4
    extended = step("verlengen", reason="Werkgever pas na de vakantie bereikbaar",
                    on=TODAY.isoformat())
    assert extended.status_code == 302
    until = (TODAY + timedelta(weeks=10)).strftime("%d-%m-%Y")
    page = client.get(detail).get_data(as_text=True)
    assert f"Beslistermijn verlengd tot {until}." in page
    assert "Werkgever pas na de vakantie bereikbaar" in page
    assert "stap-verlengen" not in page  # the regulation allows one extension

    no_owner = step("actie", description="Afspraken per sms bevestigen", owner_id="",
                    due_on=(TODAY + timedelta(30)).isoformat())
    html = no_owner.get_data(as_text=True)
    assert no_owner.status_code == 422 and "Kies de eigenaar." in html
    assert "Afspraken per sms bevestigen</textarea>" in html
    past = step("actie", description="Afspraken per sms bevestigen", owner_id=str(anna.id),
                due_on=(TODAY - timedelta(1)).isoformat())
    assert past.status_code == 422 and "niet in het verleden" in past.get_data(as_text=True)
    assert step("actie", description="Afspraken per sms bevestigen", owner_id=str(anna.id),
                due_on=(TODAY + timedelta(30)).isoformat()).status_code == 302
    with context.acting(org.id, f"user:{officer.id}"):
        [action_id] = platform.app(Complaints, org.id).complaint(complaint.id).actions
    page = client.get(detail).get_data(as_text=True)
    assert "eigenaar: Anna Jobcoach" in page and f"afronden-{action_id}" in page
    done = step(f"afronden-{action_id}", result="ok", on=TODAY.isoformat())
    assert done.status_code == 422 and "Beschrijf het resultaat in 5 tot" in done.get_data(
        as_text=True)
    assert step(f"afronden-{action_id}", result="Sms-bevestiging ingevoerd",
                on=TODAY.isoformat()).status_code == 302
    token = {"csrf_token": CSRF.search(client.get(detail).get_data(as_text=True))[1]}
    assert client.post(f"{detail}/afronden-onbekend", data=token).status_code == 404
    assert client.post(f"{detail}/onzin", data=token).status_code == 404

    assert step("horen", kind="hoorgesprek", notes="Gesprek met klager gevoerd",
                on=TODAY.isoformat()).status_code == 302
    assert step("beslissen", outcome="not_upheld", reasons="Afspraken zijn nagekomen.",
                on=TODAY.isoformat()).status_code == 302
    page = client.get(detail).get_data(as_text=True)
    assert "stap-extern" in page and "Onafhankelijke klachtencommissie" in page
    assert step("extern", reason="Klager is het niet eens met de beslissing.",
                on=TODAY.isoformat()).status_code == 302
    early = step("uitspraak", outcome="upheld", summary="De commissie geeft klager gelijk.",
                 on=(TODAY - timedelta(1)).isoformat())
    html = early.get_data(as_text=True)
    assert early.status_code == 422 and "niet vóór het voorleggen" in html
    assert "De commissie geeft klager gelijk.</textarea>" in html
    assert step("uitspraak", outcome="upheld", summary="De commissie geeft klager gelijk.",
                on=TODAY.isoformat()).status_code == 302
    page = client.get(detail).get_data(as_text=True)
    assert "Uitspraak van de externe instantie vastgelegd." in page
    assert "Gegrond" in page and "De commissie geeft klager gelijk." in page
    assert "Sms-bevestiging ingevoerd" in page
    assert "stap-extern" not in page and "stap-uitspraak" not in page

    english = client.get(f"{detail}?lang=en").get_data(as_text=True)
    assert "Improvement actions" in english and "Ruling of the external body" in english
    coach = signed_in(app, anna)
    own = coach.get(f"/o/{org.slug}/mijn-ontwikkeling/").get_data(as_text=True)
    assert coach.post(f"{detail}/actie", data={"csrf_token": CSRF.search(own)[1]}
                      ).status_code == 404

    # Every page view above opened the complainant's data: each is in the access log.
    log = PrivacyOffice(platform, org.id).access_log.entries(complaint.subject_id)
    assert log and {(e["what"], e["why"], e["channel"]) for e in log} == {
        ("complaint", "quality", "web")}
    assert {e["actor"] for e in log} == {f"user:{officer.id}"}


def test_escalation_without_decision_after_the_term(app, platform, orgs):
    org = orgs.create()
    officer = orgs.member(org, "quality_officer", "Daan")
    complaint = _complaint(platform, org, officer, received_on=TODAY - timedelta(days=60))
    client = signed_in(app, officer)
    detail = f"/o/{org.slug}/kwaliteit/klachten/{complaint.id}"
    page = client.get(detail).get_data(as_text=True)
    assert "stap-extern" in page  # six weeks passed without a decision
    assert _stepper(client, detail)("extern", reason="Geen beslissing ontvangen",
                                    on=TODAY.isoformat()).status_code == 302
    assert "Extern voorgelegd" in client.get(detail).get_data(as_text=True)
