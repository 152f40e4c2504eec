"""The quality officer's forms (complaint procedure, training record, peer review) and the
jobcoach's portfolio page: CSRF, Dutch labels, refusals shown with the input kept,
English translation, and who may."""

import io
from datetime import date, timedelta

from pypdf import PdfReader

from services.kernel import context
from services.quality.complaints.application import Complaints, default_regulation
from services.quality.training.view import TrainingView
from tests.api.api_support import survey_link_token
from tests.integration.test_quality_portfolio import (
    REFLECTION,
    build_case,
    feedback,
    goals,
    self_evaluation,
)
from tests.web_support import CSRF, signed_in

TODAY = date.today()


def _token(client, url):
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return CSRF.search(page.get_data(as_text=True))[1]


def _setup(platform, orgs):
    org = orgs.create()
    officer = orgs.member(org, "quality_officer", "Daan")
    anna = orgs.member(org, "jobcoach", "Anna Jobcoach")
    bram = orgs.member(org, "jobcoach", "Bram")
    return org, officer, anna, bram


def test_complaint_through_its_procedure_by_form(app, platform, orgs):
    org, officer, anna, _ = _setup(platform, orgs)
    client = signed_in(app, officer)
    base = f"/o/{org.slug}/kwaliteit/klachten"
    token = _token(client, f"{base}/nieuw")
    valid = {"csrf_token": token, "complainant_name": "Piet de Klager",
             "complainant_contact": "06-11111111", "complainant_kind": "werkgever",
             "summary": "Mijn jobcoach kwam twee keer niet opdagen.",
             "received_on": TODAY.isoformat(), "jobcoach_id": str(anna.id)}

    assert client.post(f"{base}/nieuw", data={**valid, "csrf_token": ""}).status_code == 400
    no_regulation = client.post(f"{base}/nieuw", data=valid)
    html = no_regulation.get_data(as_text=True)
    assert no_regulation.status_code == 422 and "klachtreglement" in html
    assert 'value="Piet de Klager"' in html  # the input is kept
    with context.acting(org.id, f"user:{officer.id}"):
        platform.app(Complaints, org.id).adopt_regulation(default_regulation(), date(2000, 1, 1))
    empty = client.post(f"{base}/nieuw", data={**valid, "complainant_name": "", "summary": "kort"})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 422 and "Vul de naam van de klager in." in html
    assert "Beschrijf de klacht in 10 tot" in html and "kort</textarea>" in html

    created = client.post(f"{base}/nieuw", data=valid)
    assert created.status_code == 302, created.get_data(as_text=True)
    detail = created.headers["Location"]
    page = client.get(detail).get_data(as_text=True)
    assert "Piet de Klager" in page and "Ontvangst bevestigen" in page and "Anna" in page
    assert "stap-ontvangst" in page and "stap-beslissen" not in page  # only the next step

    def step(name, **data):
        token = CSRF.search(client.get(detail).get_data(as_text=True))[1]
        return client.post(f"{detail}/{name}", data={
            "csrf_token": token, **{f"{name}-{k}": v for k, v in data.items()}})

    too_early = step("beslissen", outcome="upheld", reasons="Klager heeft gelijk gekregen",
                     on=TODAY.isoformat())
    assert too_early.status_code == 422
    assert "pas worden beslist na de ontvangstbevestiging" in too_early.get_data(as_text=True)
    stale = step("ontvangst", on=TODAY.isoformat(), version="0")
    assert stale.status_code == 422 and "versie" in stale.get_data(as_text=True)
    assert step("ontvangst", on=TODAY.isoformat(), version="1").status_code == 302
    refused = step("horen", kind="hoorgesprek", notes="te kort", on=TODAY.isoformat())
    assert refused.status_code == 422 and "te kort</textarea>" in refused.get_data(as_text=True)
    assert step("horen", kind="hoorgesprek", notes="Gesprek met klager gevoerd",
                on=TODAY.isoformat()).status_code == 302
    assert step("beslissen", outcome="partly_upheld", reasons="Twee afspraken gemist",
                on=TODAY.isoformat()).status_code == 302
    assert step("afsluiten", on=TODAY.isoformat()).status_code == 302
    register = client.get(f"{base}?jaar={TODAY.year}").get_data(as_text=True)
    assert "afgesloten" in register and "deels gegrond" in register
    assert "Piet" not in register  # the register shows no personal data

    english = client.get(f"{base}/nieuw?lang=en").get_data(as_text=True)
    assert "Name of the complainant" in english and "Register complaint" in english
    coach = signed_in(app, anna)
    assert coach.get(f"{base}/nieuw").status_code == 404
    assert coach.get(detail).status_code == 404


def test_training_record_and_peer_review_by_form(app, platform, orgs):
    org, officer, anna, bram = _setup(platform, orgs)
    client = signed_in(app, officer)
    base = f"/o/{org.slug}/kwaliteit"
    token = _token(client, f"{base}/scholing/nieuw")
    record = {"csrf_token": token, "jobcoach_id": str(anna.id), "course": "Post-hbo Jobcoach",
              "provider": "Capabel", "category": "opleiding",
              "completed_on": TODAY.isoformat(), "hours": "-4", "ects": "3.5", "pe_nvs": "10"}
    negative = client.post(f"{base}/scholing/nieuw", data=record)
    html = negative.get_data(as_text=True)
    assert negative.status_code == 422 and "Het aantal uren kan niet negatief zijn." in html
    assert 'value="Post-hbo Jobcoach"' in html
    not_a_certificate = client.post(f"{base}/scholing/nieuw", data={
        **record, "hours": "98", "certificate": (io.BytesIO(b"hello"), "cert.txt")})
    assert not_a_certificate.status_code == 422
    assert "PDF-, PNG- of JPEG" in not_a_certificate.get_data(as_text=True)
    saved = client.post(f"{base}/scholing/nieuw", data={
        **record, "hours": "98", "certificate": (io.BytesIO(b"%PDF-1.4 test"), "cert.pdf")})
    assert saved.status_code == 302
    [row] = platform.view(TrainingView, org.id).training_records(str(anna.id))
    assert row["hours"] == 98 and row["certificate_sha256"] and row["ects"] == 3.5
    assert "Scholing vastgelegd" in client.get(saved.headers["Location"]).get_data(as_text=True)

    token = _token(client, f"{base}/intervisie/nieuw")
    session = {"csrf_token": token, "held_on": TODAY.isoformat(), "topic": "Grenzen stellen",
               "facilitator_id": str(anna.id), "hours": "2", "participants": [str(anna.id)],
               "cases-0-title": "Casus A",
               "cases-0-summary": "Werknemer belt de jobcoach 's avonds laat op.",
               "learning_points": "Bereikbaarheid afspreken\nBij twijfel overleggen",
               "actions-0-what": "Bereikbaarheid in het intakeformulier",
               "actions-0-owner_id": str(bram.id),
               "actions-0-due_on": (TODAY + timedelta(30)).isoformat()}
    alone = client.post(f"{base}/intervisie/nieuw", data=session)
    html = alone.get_data(as_text=True)
    assert alone.status_code == 422 and "minstens twee deelnemers" in html
    assert 'value="Grenzen stellen"' in html and "s avonds laat op." in html
    done = client.post(f"{base}/intervisie/nieuw",
                       data={**session, "participants": [str(anna.id), str(bram.id)]})
    assert done.status_code == 302
    calendar = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Grenzen stellen" in calendar and "2 deelnemers" in calendar
    english = client.get(f"{base}/intervisie/nieuw?lang=en").get_data(as_text=True)
    assert "Record peer-review session" in english and "Participants" in english
    assert "Agreed action" in english and "Case 1" in english


def test_portfolio_page_for_the_jobcoach(app, platform, orgs):
    org, officer, anna, _ = _setup(platform, orgs)
    with context.acting(org.id, f"user:{anna.id}"):
        trajectory, person = build_case(platform, org, anna)
        self_evaluation(platform, org, anna, trajectory.id)
        feedback(platform, org, anna, trajectory, person, ["werknemer", "werkgever"])
    client = signed_in(app, anna)
    own = client.get(f"/o/{org.slug}/mijn-ontwikkeling/").get_data(as_text=True)
    url = f"/o/{org.slug}/mijn-ontwikkeling/portfolio"
    assert url in own
    page = client.get(url).get_data(as_text=True)
    assert "Compleet" in page and "SMART-leerdoel 3" in page
    data = {"csrf_token": CSRF.search(page)[1], "trajectory_id": str(trajectory.id),
            "reflection": REFLECTION, "action": "preview"}
    for n, goal in enumerate(goals()):
        data |= {f"learning_goals-{n}-goal": goal.goal, f"learning_goals-{n}-reality":
                 goal.reality, f"learning_goals-{n}-options": goal.options,
                 f"learning_goals-{n}-way_forward": goal.way_forward,
                 f"learning_goals-{n}-criterion": goal.criterion,
                 f"learning_goals-{n}-target_date": goal.target_date.isoformat()}
    preview = client.post(url, data=data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "## Inhoudsopgave" in html and "woorden" in html
    assert "Zonneveld" not in html and "Marieke" not in html
    document = client.post(url, data={**data, "action": "pdf"})
    assert document.mimetype == "application/pdf"
    assert "Inhoudsopgave" in PdfReader(io.BytesIO(document.data)).pages[1].extract_text()
    slipped = client.post(url, data={**data, "reflection": REFLECTION + " Dank aan Gerrit."})
    html = slipped.get_data(as_text=True)
    assert slipped.status_code == 422 and "naam uit het netwerk" in html
    assert "Dank aan Gerrit.</textarea>" in html  # the jobcoach's text is kept
    missing = client.post(url, data={k: v for k, v in data.items()
                                     if not k.startswith("learning_goals-2")})
    assert "Formuleer drie SMART-leerdoelen; er zijn er nu 2." in missing.get_data(as_text=True)
    assert signed_in(app, officer).get(url).status_code == 404  # a jobcoach's own page


def test_survey_page_speaks_the_respondents_language(app, platform, orgs):
    from services.quality.satisfaction import formdefs

    token = survey_link_token(platform, orgs.create(), "noloc-360-werknemer")
    client = app.test_client()
    dutch = client.get(f"/s/{token}").get_data(as_text=True)
    assert 'lang="nl"' in dutch and "Versturen" in dutch and "Toelichting antwoordschaal" in dutch
    english = client.get(f"/s/{token}?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and ">Send<" in english and "Answer scale:" in english
    assert "You can fill in this questionnaire once." in english
    assert '<h1 lang="nl">360 graden feedback jobcoach door werknemer</h1>' in english
    assert "official text" in english  # why the questions themselves stay Dutch

    form = formdefs.form("noloc-360-werknemer")
    partial = {f"a-{i.id}": "3" for i in form.items[:5]}
    open_items = client.post(f"/s/{token}", data=partial)
    html = open_items.get_data(as_text=True)
    numbers = ", ".join(str(n) for n in range(6, len(form.items) + 1))
    assert open_items.status_code == 422 and f"Please answer question {numbers}." in html
    assert html.count('aria-invalid="true"') == len(form.items) - 5
    assert html.count("checked") == 5  # the answers given are kept
    answered = client.post(f"/s/{token}", data={f"a-{i.id}": "4" for i in form.items})
    assert "Thank you very much!" in answered.get_data(as_text=True)
    used = client.get(f"/s/{token}")
    assert used.status_code == 410 and "already been filled in" in used.get_data(as_text=True)
    nowhere = client.get("/s/not-a-real-token-at-all")
    assert nowhere.status_code == 404 and "whole link" in nowhere.get_data(as_text=True)
    dutch_again = client.get(f"/s/{token}?lang=nl")
    assert "al ingevuld" in dutch_again.get_data(as_text=True)


def test_self_evaluation_page_for_the_portfolio(app, platform, orgs):
    from services.quality.portfolio import annexes
    from services.quality.satisfaction import formdefs

    org, _, anna, bram = _setup(platform, orgs)
    with context.acting(org.id, f"user:{anna.id}"):
        trajectory, _ = build_case(platform, org, anna, steps="intake")
    client = signed_in(app, anna)
    url = f"/o/{org.slug}/mijn-ontwikkeling/zelfevaluatie"
    page = client.get(f"{url}?traject={trajectory.id}").get_data(as_text=True)
    assert "Zelfevaluatie profiel jobcoach" in page and "Als jobcoach ben ik in staat om:" in page
    assert f'<option selected value="{trajectory.id}">' in page
    form = formdefs.form("noloc-zelfevaluatie")
    data = {"csrf_token": CSRF.search(page)[1], "trajectory_id": str(trajectory.id),
            **{f"a-{i.id}": "3" for i in form.items[1:]}, "t-coaching-a": "Eerst samen doen"}
    partial = client.post(url, data=data)
    html = partial.get_data(as_text=True)
    assert partial.status_code == 422 and "Beantwoord vraag 1." in html
    assert "Eerst samen doen</textarea>" in html and html.count("checked") == len(form.items) - 1
    saved = client.post(url, data={**data, "a-intake-a": "n.v.t."})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/portfolio")
    [filled] = annexes.filled_forms(platform, org.id, anna.id, {trajectory.id}).values()
    assert filled["self"].answers["intake-a"] == "n.v.t." and filled["self"].for_trajectory
    english = client.get(f"{url}?lang=en").get_data(as_text=True)
    assert "Save self-evaluation" in english and "Which trajectory" in english

    other = signed_in(app, bram)  # another jobcoach's case cannot be chosen
    page = other.get(url).get_data(as_text=True)
    assert str(trajectory.id) not in page
    refused = other.post(url, data={**data, "csrf_token": CSRF.search(page)[1],
                                    "a-intake-a": "3"})
    assert refused.status_code == 422
