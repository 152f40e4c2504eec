"""The Dutch trajectory pages through the Flask test client: a jobcoach registers a
client, walks the steps, enters hours and downloads a document; others see nothing."""

import io
import re
from datetime import date, timedelta
from uuid import UUID

from pypdf import PdfReader

from services.privacy.office import PrivacyOffice
from tests.api.test_trajectories_api import consented
from tests.web_support import CSRF, signed_in

TODAY = date.today()


def d(days):
    return (TODAY - timedelta(days=days)).isoformat()


def post(client, url, page_html, **data):
    data["csrf_token"] = CSRF.search(page_html)[1]
    return client.post(url, data=data, follow_redirects=True)


def test_jobcoach_walks_a_trajectory_in_the_browser_pages(app, platform, orgs):
    org = orgs.create("De Brug")
    anna = orgs.member(org, "jobcoach", "Anna de Vries")
    bram = orgs.member(org, "jobcoach", "Bram Jansen")
    web = signed_in(app, anna)
    base = f"/o/{org.slug}"

    clients = web.get(f"{base}/clienten").get_data(as_text=True)
    assert "Nieuwe cliënt" in clients
    page = post(web, f"{base}/clienten", clients, name="Jan Jansen",
                date_of_birth="1990-02-03").get_data(as_text=True)
    assert "Cliënt C-0001 geregistreerd" in page and "Jan Jansen" in page
    client_url = re.search(r'action="(/o/[^"]+/traject)"', page)[1]
    page = post(web, client_url, page, commissioner="UWV").get_data(as_text=True)
    assert "Traject gestart" in page and "Fase" in page
    trajectory_url = re.search(r'action="(/o/[^"]+)/stap"', page)[1]

    page = post(web, f"{trajectory_url}/stap", page, step="intake", held_on=d(30),
                reason="Wil werken", question="Passend werk", motivation="Structuur",
                life_world="Zelfstandig", network="Zus", phases_agreed="Alle fasen",
                expectations="Wekelijks", follow_up="Profiel", agreed_in_writing="true",
                code_of_conduct_discussed="true").get_data(as_text=True)
    assert "Stap vastgelegd" in page and "Intake ✓" in page
    refused = post(web, f"{trajectory_url}/stap", page, step="intake", held_on=d(30),
                   reason="x").get_data(as_text=True)
    assert "Controleer deze velden" in refused and "Hulpvraag" in refused

    page = post(web, f"{trajectory_url}/activiteit", page, kind="contact_moment", on=d(1),
                start="09:00", minutes="45", mode="face_to_face", participants="client",
                justification="Kennismaking op locatie").get_data(as_text=True)
    assert "Activiteit geregistreerd" in page and "Kennismaking op locatie" in page
    future = post(web, f"{trajectory_url}/activiteit", page, kind="contact_moment",
                  on=(TODAY + timedelta(2)).isoformat(), start="09:00", minutes="45",
                  mode="online", justification="Nog niet gebeurd").get_data(as_text=True)
    assert "ligt in de toekomst" in future

    log = web.get(f"{trajectory_url}/documenten/logboek.pdf")
    assert log.status_code == 200 and log.mimetype == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(log.data)).pages[0].extract_text().split())
    assert "Logboek jobcoach" in text and "Kennismaking op locatie" in text
    refused = web.get(f"{trajectory_url}/documenten/aanvraag.pdf", follow_redirects=True)
    assert ("Delen geweigerd: Geen toestemming van de cliënt voor &#39;werknemersprofiel"
            " delen&#39; met opdrachtgever") in refused.get_data(as_text=True)
    client_id = UUID(re.search(r"/clienten/([0-9a-f-]{36})", client_url)[1])
    consented(platform, org, client_id)
    missing = web.get(f"{trajectory_url}/documenten/aanvraag.pdf", follow_redirects=True)
    assert "Ontbreekt: Werknemersprofiel" in missing.get_data(as_text=True)

    assert "Jan Jansen" in web.get(f"{base}/clienten?q=jan").get_data(as_text=True)
    dashboard = web.get(f"{base}/trajecten").get_data(as_text=True)
    assert "C-0001" in dashboard and "Intake" in dashboard

    # The pages that opened Jan's data are in the read-access log, as Anna's reads.
    entries = PrivacyOffice(platform, org.id).access_log.entries(client_id)
    assert {("client.profile", "web"), ("trajectory", "web"), ("client.search", "web"),
            ("trajectory.document.logboek", "export")} <= {
        (x["what"], x["channel"]) for x in entries}
    assert {x["actor"] for x in entries} == {f"user:{anna.id}"}

    other = signed_in(app, bram)
    assert other.get(trajectory_url).status_code == 404
    assert "C-0001" not in other.get(f"{base}/trajecten").get_data(as_text=True)
    assert "Jan Jansen" not in other.get(f"{base}/clienten?q=jan").get_data(as_text=True)


def test_the_trajectory_pages_in_english(app, platform, orgs):
    org = orgs.create("De Brug")
    anna = orgs.member(org, "jobcoach", "Anna de Vries")
    web = signed_in(app, anna)
    base = f"/o/{org.slug}"
    clients = web.get(f"{base}/clienten?lang=en").get_data(as_text=True)
    assert "New client" in clients and "Search by name or client number" in clients
    page = post(web, f"{base}/clienten", clients, name="Jan Jansen").get_data(as_text=True)
    assert "Client C-0001 registered" in page and "Support need" in page
    client_url = re.search(r'action="(/o/[^"]+/traject)"', page)[1]
    page = post(web, client_url, page, commissioner="UWV").get_data(as_text=True)
    assert "Trajectory started" in page
    for english in ("Phase", "Register hours", "Contact moment", "Face-to-face", "Timeline",
                    "Save Intake", "Date of intake interview", "Warm handover to another job coach",
                    "Job coach log", "missing: Activities registered in the period"):
        assert english in page, english
    assert "Uren registreren" not in page and "Tijdlijn" not in page
    trajectory_url = re.search(r'action="(/o/[^"]+)/stap"', page)[1]
    page = post(web, f"{trajectory_url}/activiteit", page, kind="contact_moment", on=d(1),
                start="09:00", minutes="45", mode="online",
                justification="Kennismaking").get_data(as_text=True)
    assert "Activity recorded" in page and "Contact moment on" in page  # timeline, in English
    dashboard = web.get(f"{base}/trajecten").get_data(as_text=True)
    assert "Caseload and deadlines" in dashboard and "Open trajectories (1)" in dashboard
    assert "Intake" in dashboard
