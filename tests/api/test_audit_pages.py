"""The Dutch audit pages (auditor: trail, verification, evidence) and the renewal
dashboard for management: grants re-checked on every page, every auditor page view
journalled, pseudonyms only, charts as inline SVG, CSV and PDF exports."""

import json
import re
from datetime import UTC, date, datetime, timedelta

from projections.runtime import sweep
from services.audit.api import grant_auditor
from services.audit.application import AuditJournal, AuditorAccess
from services.kernel import context
from services.quality.complaints.application import Complaints, default_regulation
from tests.conftest import PASSWORD
from tests.web_support import CSRF, signed_in

NAME = "Canary Klant-4e1d"


def _seed(platform, orgs):
    org = orgs.create("Werkpad")
    coach = orgs.member(org, "jobcoach", "Anna Coach")
    manager = orgs.member(org, "manager", "Bram Manager")
    keys = platform.subject_keys(org.id)
    with context.acting(org.id, f"user:{manager.id}"):
        trajectories = platform.trajectories(org.id)
        client = trajectories.register_client({"name": NAME})
        trajectory = trajectories.start_trajectory(client.id, "UWV", coach.id)
        complaints = platform.app(Complaints, org.id)
        complaints.adopt_regulation(default_regulation(), date.today() - timedelta(days=400))
        complaints.receive(keys, complainant_name=NAME, complainant_contact="",
                           summary="Afspraak niet nagekomen", complainant_kind="client",
                           received_on=date.today() - timedelta(days=60))
    sweep(platform)
    return org, coach, manager, client, trajectory


def _auditor(platform, app, org, *, hours=24, mark="blik-op-werk"):
    auditor = platform.registry.register_user("auditor@keurmerk.example", "Ada Auditor", PASSWORD)
    now = datetime.now(UTC)
    with app.test_request_context(), context.acting(org.id, "user:officer"):
        grant_auditor(
            org, auditor.email, mark, now - timedelta(hours=1), now + timedelta(hours=hours)
        )
    return auditor


def _journal(platform, org):
    journal = platform.app(AuditJournal, org.id)
    return [
        journal.mapper.to_domain_event(n)
        for n in journal.recorder.select_notifications(start=1, limit=1000)
        if n.topic.endswith("AuditEntry.Recorded")
    ]


def test_auditor_lands_on_the_audit_pages_sees_pseudonyms_and_is_journalled(app, platform, orgs):
    org, _, _, client, trajectory = _seed(platform, orgs)
    auditor = _auditor(platform, app, org)
    browser = signed_in(app, auditor)

    home = browser.get(f"/o/{org.slug}/")  # no directory:read: the audit page is home
    assert home.status_code == 302 and home.headers["Location"] == f"/o/{org.slug}/audit/"
    overview = browser.get(f"/o/{org.slug}/audit/").get_data(as_text=True)
    assert "Audit: controle van het auditlog" in overview and "Blik op Werk" in overview
    assert "jobtrail-verify --pack" in overview

    trail = browser.get(f"/o/{org.slug}/audit/spoor").get_data(as_text=True)
    assert "Auditspoor" in trail
    assert f"Traject van cliënt {client.number}" in trail and f"Cliënt {client.number}" in trail
    assert NAME not in trail and "Canary" not in trail
    # filters: application, event type, period and actor kind
    only = browser.get(f"/o/{org.slug}/audit/spoor?applicatie=trajectories&soort="
                       f"Trajectory.Created&actor=medewerker&van={date.today()}"
                       f"&tot={date.today()}").get_data(as_text=True)
    assert only.count("<tr>") == 2  # header + one trajectory
    assert "Trajectory.Created" in only and "Medewerker" in only
    none = browser.get(f"/o/{org.slug}/audit/spoor?actor=koppeling").get_data(as_text=True)
    assert "Geen gebeurtenissen die aan deze filters voldoen" in none
    auditor_rows = browser.get(f"/o/{org.slug}/audit/spoor?actor=auditor").get_data(as_text=True)
    assert "AuditEntry.Recorded" in auditor_rows  # the auditor's own page views
    assert "2025-13-01" in browser.get(f"/o/{org.slug}/audit/spoor?van=2025-13-01").get_data(
        as_text=True)  # a bad date is named, not a 500

    evidence = browser.get(f"/o/{org.slug}/audit/bewijs").get_data(as_text=True)
    assert "Bewijs per eis: Blik op Werk Keurmerk" in evidence
    assert "Klachtenregeling en klachtenprocedure" in evidence and "buiten de termijn" in evidence
    assert NAME not in evidence
    proof_link = re.search(r'href="(/o/[^"]+/audit/bewijs/inclusie\?[^"]+)"', evidence)[1]
    proof = browser.get(proof_link.replace("&amp;", "&"))
    assert proof.status_code == 200 and "attachment" in proof.headers["Content-Disposition"]
    body = json.loads(proof.get_data(as_text=True))
    assert {"leaf_index", "tree_size", "leaf_hash", "proof", "checkpoint"} <= set(body)
    assert browser.get(f"/o/{org.slug}/audit/bewijs?mark=oval").status_code == 404  # not granted

    kinds = [e.kind for e in _journal(platform, org)]
    for action in ("page.overview", "page.trail", "page.evidence", "page.inclusion"):
        assert f"auditor.{action}" in kinds, action
    # the auditor sees no other page of the organisation
    for path in ("/medewerkers", "/trajecten/", "/kwaliteit/", "/rapportages/"):
        assert browser.get(f"/o/{org.slug}{path}").status_code == 404, path


def test_the_grant_is_rechecked_on_every_page(app, platform, orgs):
    org, *_ = _seed(platform, orgs)
    auditor = _auditor(platform, app, org)
    browser = signed_in(app, auditor)
    assert browser.get(f"/o/{org.slug}/audit/spoor").status_code == 200
    with context.acting(org.id, "user:officer"):
        platform.apps.get(AuditorAccess).revoke(auditor.id, org.id)
    for path in ("/audit/", "/audit/spoor", "/audit/bewijs", "/audit/checkpoint.txt"):
        assert browser.get(f"/o/{org.slug}{path}").status_code == 404, path


def test_verify_now_from_the_page(app, platform, orgs):
    org, _, manager, *_ = _seed(platform, orgs)
    officer = orgs.member(org, "quality_officer", "Kees Kwaliteit")
    for user in (officer, _auditor(platform, app, org)):
        browser = signed_in(app, user)
        page = browser.get(f"/o/{org.slug}/audit/").get_data(as_text=True)
        response = browser.post(f"/o/{org.slug}/audit/controle",
                                data={"csrf_token": CSRF.search(page)[1]})
        assert response.status_code == 302
        after = browser.get(f"/o/{org.slug}/audit/").get_data(as_text=True)
        assert "Controle geslaagd" in after and "Geslaagd:" in after
    # a manager reads (audit:read) but may not start a check (no audit:write)
    browser = signed_in(app, manager)
    page = browser.get(f"/o/{org.slug}/audit/").get_data(as_text=True)
    assert "Nu controleren" not in page
    response = browser.post(f"/o/{org.slug}/audit/controle",
                            data={"csrf_token": CSRF.search(page)[1]})
    assert response.status_code == 404


def test_renewal_dashboard_with_charts_and_exports(app, platform, orgs):
    org, coach, manager, *_ = _seed(platform, orgs)
    today = date.today()
    with context.acting(org.id, f"user:{manager.id}"):
        platform.app(AuditJournal, org.id).set_certificate(
            "blik-op-werk", today - timedelta(days=900), today + timedelta(days=90), "BOW-123")
    browser = signed_in(app, manager)
    response = browser.get(f"/o/{org.slug}/rapportages/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Hercertificering en kengetallen" in html
    assert "verloopt over 90 dagen" in html and "geen datum vastgelegd" in html
    assert html.count("<svg") >= 3 and "Status per eis aan het einde van iedere maand" in html
    assert "Blik op Werk Keurmerk verloopt op" in html  # an action before renewal
    assert "Duurzaamheid plaatsing na 6 maanden" in html and "Nog geen follow-up" in html
    assert "Plaatsingen per maand" in html
    assert NAME not in html
    assert 'aria-current="page">Rapportages' in html

    csv_response = browser.get(f"/o/{org.slug}/rapportages/export.csv")
    assert csv_response.mimetype == "text/csv"
    text = csv_response.get_data(as_text=True)
    assert "keurmerk;Blik op Werk Keurmerk" in text and "status eis;" in text and "kpi;" in text
    pdf = browser.get(f"/o/{org.slug}/rapportages/export.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")

    jobcoach = signed_in(app, coach)
    assert jobcoach.get(f"/o/{org.slug}/rapportages/").status_code == 404


def test_certificates_api(app, platform, orgs, make_token):
    org = orgs.create()
    client = app.test_client()
    admin = {"Authorization": f"Bearer {make_token(client, org, 'org_admin')}"}
    manager = {"Authorization": f"Bearer {make_token(client, org, 'manager')}"}
    base = f"/api/v1/orgs/{org.slug}/audit/certificates"
    body = {"certified_on": "2024-03-01", "expires_on": "2027-03-01", "reference": "OVAL-9"}
    response = client.put(f"{base}/oval", json=body, headers=admin)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["expires_on"] == "2027-03-01"
    renewed = client.put(f"{base}/oval", json={**body, "expires_on": "2028-03-01"}, headers=admin)
    assert renewed.get_json()["expires_on"] == "2028-03-01"
    listed = {c["mark"]: c for c in client.get(base, headers=manager).get_json()}
    assert listed["oval"]["reference"] == "OVAL-9" and listed["uwv"]["expires_on"] is None
    assert client.put(f"{base}/oval", json=body, headers=manager).status_code == 403
    backwards = {**body, "expires_on": "2023-01-01"}
    assert client.put(f"{base}/oval", json=backwards, headers=admin).status_code == 422
    assert client.put(f"{base}/iso", json=body, headers=admin).status_code == 422


def test_certificate_form_on_the_renewal_dashboard(app, platform, orgs):
    org = orgs.create("Werkpad")
    officer = orgs.member(org, "quality_officer", "Kees Kwaliteit")
    manager = orgs.member(org, "manager", "Bram Manager")
    browser = signed_in(app, officer)
    url = f"/o/{org.slug}/rapportages/"
    page = browser.get(url).get_data(as_text=True)
    assert "Certificaat vastleggen of verlengen" in page and 'name="expires_on"' in page
    token = CSRF.search(page)[1]
    today = date.today()
    good = {"csrf_token": token, "mark": "oval", "certified_on": (today - timedelta(days=700))
            .isoformat(), "expires_on": (today + timedelta(days=30)).isoformat(),
            "reference": "OVAL-2024-17"}

    def post(data, query=""):
        return browser.post(f"{url}keurmerken{query}", data=data)

    # refusals: 422 with the reason at the field, everything typed kept, nothing recorded
    for changes, message in (
        ({"expires_on": ""}, "Vul de vervaldatum in."),
        ({"certified_on": "31-02-2026"}, "Geef de datum van certificering als dag-maand-jaar"),
        ({"expires_on": good["certified_on"]},
         "De vervaldatum moet na de datum van certificering liggen."),
        ({"mark": "iso-9001"}, "Kies een van de keurmerken."),
        ({"reference": "x" * 101}, "Gebruik hoogstens 100 tekens."),
        ({"expires_on": (today + timedelta(days=6 * 366)).isoformat()},
         "Een keurmerk of erkenning loopt hoogstens zes jaar"),
    ):
        refused = post({**good, **changes})
        html = refused.get_data(as_text=True)
        assert refused.status_code == 422, changes
        assert message in html, html[html.index('id="keurmerken"'):][:3000]
        assert 'value="OVAL-2024-17"' in html or "reference" in changes  # typed text kept
    assert platform.app(AuditJournal, org.id).certificates()["oval"] is None
    assert post({**good, "csrf_token": "vervalst"}).status_code == 400

    done = post(good)
    assert done.status_code == 303 and done.headers["Location"].endswith("#keurmerken")
    stored = platform.app(AuditJournal, org.id).certificates()["oval"]
    assert (stored.expires_on, stored.reference) == (today + timedelta(days=30), "OVAL-2024-17")
    html = browser.get(url).get_data(as_text=True)
    assert "Vervaldatum van OVAL-keurmerk vastgelegd" in html
    assert "verloopt over 30 dagen" in html and "OVAL-keurmerk verloopt op" in html

    # a manager reads the dashboard but cannot change a certificate
    reader = signed_in(app, manager)
    page = reader.get(url).get_data(as_text=True)
    assert 'name="expires_on"' not in page
    assert reader.post(f"{url}keurmerken", data={**good, "csrf_token": CSRF.search(page)[1],
                                                  "mark": "uwv"}).status_code == 404
    assert platform.app(AuditJournal, org.id).certificates()["uwv"] is None

    english = post({**good, "expires_on": ""}, "?lang=en")  # the language sticks: last
    assert english.status_code == 422
    assert "Fill in the expiry date." in english.get_data(as_text=True)
    assert "Record or renew a certificate" in english.get_data(as_text=True)
