"""Survey invitations by e-mail, through a real SMTP server (aiosmtpd, in this process):
inline (no Redis) over the API, and through Redis and a real RQ worker process whose job
carries ids only. The address is sealed with the client's key; after erasure nothing is
sent. Without JOBTRAIL_SMTP_URL (Settings.smtp_url) the link is shown once, as before."""

import email
import re
import socket
import subprocess
import sys
from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest
from aiosmtpd.controller import Controller

from services.catalogue import Platform
from services.kernel import context, provision
from services.kernel.personal_data import is_sealed
from services.quality.satisfaction import mail
from services.quality.satisfaction.application import Satisfaction
from services.quality.satisfaction.email_invitation import EmailInvitation
from tests.integration.test_jobs import _env

TODAY = date.today()
ADDRESS = "marieke.zonneveld@example.nl"
LINK = re.compile(r"(https?://\S+/s/([A-Za-z0-9_-]{40,}))")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def use_smtp(monkeypatch, platform, url):
    """What JOBTRAIL_SMTP_URL does at start-up: Settings.smtp_url of this platform."""
    monkeypatch.setattr(platform, "settings", platform.settings.with_(smtp_url=url))


@pytest.fixture
def smtp():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    url = f"smtp://127.0.0.1:{port}?from=kwaliteit@de-brug.example"
    yield inbox, url
    controller.stop()


def _campaign(platform, org):
    satisfaction = platform.app(Satisfaction, org.id)
    campaign = satisfaction.start_campaign("Meting", TODAY - timedelta(30), TODAY,
                                           {"werknemer": "uwv-beoordeling-werknemer"})
    trajectory, client = uuid4(), uuid4()
    satisfaction.register_population(campaign.id, [{
        "trajectory_id": trajectory, "client_id": client, "status": "lopend"}], "test")
    return campaign, trajectory, client


def test_invitation_by_email_inline_over_the_api(app, platform, orgs, make_token, smtp,
                                                 monkeypatch):
    inbox, smtp_url = smtp
    use_smtp(monkeypatch, platform, smtp_url)
    web = app.test_client()
    org = orgs.create()
    with context.acting(org.id, "user:officer"):
        campaign, trajectory, client = _campaign(platform, org)
    officer = {"Authorization": f"Bearer {make_token(web, org, 'quality_officer')}"}
    url = f"/api/v1/orgs/{org.slug}/quality/campaigns/{campaign.id}/invitations"
    bad = web.post(url, headers=officer, json={"trajectory_id": str(trajectory),
                                               "respondent": "werknemer", "email": "geen"})
    assert bad.status_code == 422 and "e-mailadres" in bad.get_json()["detail"]

    sent = web.post(url, headers=officer, json={"trajectory_id": str(trajectory),
                                                "respondent": "werknemer", "email": ADDRESS})
    assert sent.status_code == 202, sent.get_json()
    body = sent.get_json()
    assert body["status"] == "sent" and "url" not in body  # the link is not shown
    [(to, message)] = inbox.messages
    assert to == [ADDRESS] and message["From"] == "kwaliteit@de-brug.example"
    text = message.get_payload(decode=True).decode()
    link, token = LINK.search(text).groups()
    assert link.startswith("http://localhost/s/") and "Zonneveld" not in text
    assert web.get(f"/s/{token}").status_code == 200  # the link works, once
    status = web.get(f"/api/v1/orgs/{org.slug}/quality/email-invitations/"
                     f"{body['email_invitation_id']}", headers=officer).get_json()
    assert status["status"] == "sent" and status["invitation_id"]

    # The address is stored sealed with the client's key, nowhere in the clear.
    record = platform.app(Satisfaction, org.id).email_invitation(
        UUID(body["email_invitation_id"]))
    assert is_sealed(record.address) and record.address["kid"] == str(client)
    stored = b"".join(r.state for r in platform.app(Satisfaction, org.id).recorder
                      .select_events(record.id))
    assert ADDRESS.encode() not in stored and token.encode() not in stored

    with socket.socket() as probe:  # a mail server that is not there: 503, not a 500
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    use_smtp(monkeypatch, platform, f"smtp://127.0.0.1:{closed}")
    down = web.post(url, headers=officer, json={"trajectory_id": str(trajectory),
                                                "respondent": "werknemer", "email": ADDRESS})
    assert down.status_code == 503 and down.mimetype == "application/problem+json"
    assert down.headers["Retry-After"] and "mailserver" in down.get_json()["detail"]

    use_smtp(monkeypatch, platform, None)  # no SMTP: the link is shown once, as before
    shown = web.post(url, headers=officer, json={"trajectory_id": str(trajectory),
                                                 "respondent": "werknemer", "email": ADDRESS})
    assert shown.status_code == 201 and "/s/" in shown.get_json()["url"]
    assert len(inbox.messages) == 1


def test_nothing_is_sent_after_the_client_is_erased(platform, orgs, smtp, monkeypatch):
    inbox, smtp_url = smtp
    use_smtp(monkeypatch, platform, smtp_url)
    org = orgs.create()
    with context.acting(org.id, "user:officer"):
        campaign, trajectory, client = _campaign(platform, org)
        keys = platform.subject_keys(org.id)
        app = platform.app(Satisfaction, org.id)
        waiting = app.request_email_invitation(EmailInvitation.request(
            campaign.id, trajectory, "werknemer", keys.seal(client, ADDRESS),
            "https://jobtrail.example.nl/"))
        keys.shred(client)  # the client is erased while the job waits
        assert mail.send_invitation(platform, str(waiting.id)) == "erased"
        assert app.email_invitation(waiting.id).status == "not_sent"
        assert mail.send_invitation(platform, str(waiting.id)) == "not_sent"  # a retry: no-op
    assert inbox.messages == []


@pytest.mark.redis
@pytest.mark.postgres
def test_a_real_worker_sends_it_with_ids_only_in_the_job(pg_settings, redis_connection, smtp):
    from tests.conftest import REDIS_URL

    inbox, smtp_url = smtp
    platform = Platform(pg_settings.with_(redis_url=REDIS_URL))
    platform.provision_platform()
    org = platform.create_organisation("Post", f"m-{uuid4().hex[:8]}", "12345678")
    try:
        with context.acting(org.id, "user:officer"):
            campaign, trajectory, client = _campaign(platform, org)
            invitation = mail.request_invitation(
                platform, org.id, campaign.id, trajectory, "werknemer", ADDRESS,
                "https://jobtrail.example.nl/")
        jobs = [j for j in platform.jobs.queue.get_jobs() if j.args[0] == mail.JOB]
        [job] = jobs
        assert job.args == (mail.JOB, str(org.id), "user:officer", str(invitation.id))
        payload = redis_connection.hget(job.key, "data")
        assert ADDRESS.encode() not in payload and b"/s/" not in payload
        assert inbox.messages == []  # queued, not sent

        result = subprocess.run(
            [sys.executable, "-m", "services.cli", "worker", "--burst"],
            env={**_env(platform.settings, REDIS_URL), "JOBTRAIL_SMTP_URL": smtp_url},
            capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        [(to, message)] = inbox.messages
        assert to == [ADDRESS]
        assert LINK.search(message.get_payload(decode=True).decode())[1].startswith(
            "https://jobtrail.example.nl/s/")
        with context.acting(org.id, "user:officer"):
            assert platform.app(Satisfaction, org.id).email_invitation(
                invitation.id).status == "sent"
    finally:
        platform.close()
        provision.drop_schema(pg_settings, org.id)
        provision.drop_schema(pg_settings, None)


def test_invitation_by_email_from_the_campaign_page(app, platform, orgs, smtp, monkeypatch):
    from tests.api.test_quality_survey_invitations import campaign_with_a_client
    from tests.web_support import CSRF, signed_in

    inbox, smtp_url = smtp
    use_smtp(monkeypatch, platform, smtp_url)
    org, officer, _, eva, trajectory, campaign = campaign_with_a_client(platform, orgs)
    with context.acting(org.id, f"user:{officer.id}"):
        platform.app(Satisfaction, org.id).register_population(campaign.id, [{
            "trajectory_id": trajectory.id, "client_id": eva.id, "status": "lopend"}], "test")
    web = signed_in(app, officer)
    url = f"/o/{org.slug}/kwaliteit/tevredenheid/{campaign.id}"
    page = web.get(url).get_data(as_text=True)
    assert "E-mailadres (leeg: de link wordt getoond)" in page
    row = {"csrf_token": CSRF.search(page)[1], "trajectory_id": str(trajectory.id),
           "respondent": "werknemer"}

    bad = web.post(f"{url}/uitnodigen", data={**row, "email": "geen-adres"})
    assert bad.status_code == 422 and 'value="geen-adres"' in bad.get_data(as_text=True)
    sent = web.post(f"{url}/uitnodigen", data={**row, "email": ADDRESS})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    page = web.get(url).get_data(as_text=True)
    assert "Uitnodiging per e-mail verstuurd." in page and "/s/" not in page
    assert ">uitgenodigd" in page
    [(to, message)] = inbox.messages
    assert to == [ADDRESS] and LINK.search(message.get_payload(decode=True).decode())
    satisfaction = platform.app(Satisfaction, org.id)
    [requested] = [n.originator_id for n in satisfaction.recorder.select_notifications(
        start=1, limit=1000) if "EmailInvitation" in n.topic and n.originator_version == 1]
    address = satisfaction.email_invitation(requested).address
    assert is_sealed(address) and address["kid"] == str(eva.id)  # Eva's key, as over the API

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    use_smtp(monkeypatch, platform, f"smtp://127.0.0.1:{closed}")
    down = web.post(f"{url}/uitnodigen", data={**row, "email": ADDRESS})
    html = down.get_data(as_text=True)
    assert down.status_code == 503 and down.headers["Retry-After"] == "60"
    assert "mailserver is niet bereikbaar" in html and f'value="{ADDRESS}"' in html
    assert len(inbox.messages) == 1
