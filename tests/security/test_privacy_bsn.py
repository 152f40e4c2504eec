"""BSN: off unless switched on with a legal basis; then sealed per subject and never in
logs, URLs, exports, evidence packs (audit export) or job payloads."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from services.audit.trail import AuditLog
from services.kernel import context
from services.kernel.domain import DomainError
from services.privacy.bsn import install_log_redaction
from services.privacy.export import make_export
from services.privacy.office import PrivacyOffice
from tests.integration.test_privacy_scenario import hits, plant, stored_events, valid_bsn


def test_bsn_is_refused_while_the_organisation_has_it_off(any_platform, any_orgs):
    org = any_orgs.create()
    officer = any_orgs.member(org, "quality_officer")
    office = PrivacyOffice(any_platform, org.id)
    with context.acting(org.id, f"user:{officer.id}"):
        client = any_platform.trajectories(org.id).register_client({"name": "Zonder BSN"})
        with pytest.raises(DomainError, match="geen BSN"):
            office.record_bsn(client.id, valid_bsn())
        office.enable_bsn("Wet SUWI art. 62: gegevensuitwisseling met UWV")
        with pytest.raises(DomainError, match="elfproef"):
            office.record_bsn(client.id, "123456789")
        office.disable_bsn()
        with pytest.raises(DomainError, match="geen BSN"):
            office.record_bsn(client.id, valid_bsn())
    assert office.app.policy().bsn_legal_basis.startswith("Wet SUWI")


def test_a_recorded_bsn_appears_nowhere_but_in_its_sealed_value(
    any_platform, any_orgs, tmp_path: Path, caplog
):
    install_log_redaction()
    caplog.set_level(logging.DEBUG)
    planted = plant(any_platform, any_orgs)  # records a BSN and makes an export
    bsn = {"bsn": planted.canaries["bsn"]}
    org, office = planted.org, planted.office
    with context.acting(org.id, f"user:{planted.officer.id}"):
        assert office.reveal_bsn(planted.client_id, "api") == bsn["bsn"]
        logging.getLogger("jobtrail.careless").warning("client has BSN %s", bsn["bsn"])
        _, as_json, as_pdf, _ = make_export(office, planted.client_id, None, "api")
    assert hits(as_json + as_pdf, bsn) == []  # exports say "vastgelegd", never the number
    assert hits(caplog.text.encode(), bsn) == []  # even a careless log line is redacted
    assert hits(b"".join(s for *_, s in stored_events(any_platform, org.id)), bsn) == []
    evidence = tmp_path / "evidence"
    AuditLog(any_platform, org.id).export(evidence)
    assert hits(b"".join(p.read_bytes() for p in evidence.rglob("*") if p.is_file()), bsn) == []
    log = office.access_log.entries(planted.client_id)
    assert any(entry["what"] == "client.bsn" for entry in log)  # reading it is logged


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/orgs/{slug}/privacy/requests?bsn=111222333",
        "/api/v1/orgs/{slug}/privacy/clients/111222333/bsn",
        "/o/{slug}/privacy?q=111.222.333",
    ],
)
def test_a_bsn_in_a_url_is_refused_before_anything_else(app, path):
    response = app.test_client().get(path.format(slug="any-org"))
    assert response.status_code == 400 and b"111222333" not in response.data


def test_ids_with_digit_runs_are_not_mistaken_for_a_bsn(app):
    # "a123456789b": nine digits inside an id are not a BSN in a URL
    response = app.test_client().get(
        "/api/v1/orgs/any-org/privacy/requests/0000000a-0000-4000-8000-a111222333bc"
    )
    assert response.status_code != 400


# The web path: the officer's pages ---------------------------------------------------------
def _everything_sent(response) -> bytes:
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return headers.encode() + response.get_data()


def test_the_officer_switches_bsn_on_and_records_one_without_it_ever_coming_back(
    app, platform, orgs, caplog
):
    from tests.api.privacy_web_support import privacy_desk

    install_log_redaction()
    caplog.set_level(logging.DEBUG)
    desk = privacy_desk(app, platform, orgs)
    web, client_url = desk.officer_web, f"{desk.base}/clienten/{desk.mine.id}"
    bsn = valid_bsn()
    sent = []

    refused = web.post(f"{client_url}/bsn", "bsn-", bsn=bsn)  # still off
    sent.append(_everything_sent(refused))
    assert refused.status_code == 422
    assert "Deze organisatie legt geen BSN vast" in refused.get_data(as_text=True)

    assert "BSN-registratie staat uit" in web.text(client_url)
    short = web.post(f"{desk.base}/bsn", "policy-", legal_basis="SUWI")
    assert short.status_code == 422 and "Gebruik 10 tot 500 tekens." in short.get_data(
        as_text=True)
    enabled = web.post(f"{desk.base}/bsn", "policy-",
                       legal_basis="Wet SUWI art. 62: gegevensuitwisseling met UWV")
    assert enabled.status_code == 302
    status = web.text(f"{desk.base}/bsn")
    assert "Staat aan" in status and "Wet SUWI art. 62" in status

    wrong_digit = bsn[:-1] + str((int(bsn[-1]) + 1) % 10)  # fails the 11-proef
    for typed, message in (
        (wrong_digit, "Dit is geen geldig BSN: het voldoet niet aan de elfproef."),
        ("12345", "Een BSN bestaat uit 9 cijfers."),
        ("", "Vul het BSN in."),
    ):
        response = web.post(f"{client_url}/bsn", "bsn-", bsn=typed)
        sent.append(_everything_sent(response))
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and message in html
        assert not typed or typed not in html  # a refused number is not shown again

    recorded = web.post(f"{client_url}/bsn", "bsn-", bsn=f"{bsn[:3]}.{bsn[3:6]}.{bsn[6:]}")
    sent.append(_everything_sent(recorded))
    assert recorded.status_code == 302 and recorded.headers["Location"].endswith(client_url)
    page = web.get(client_url)
    sent.append(_everything_sent(page))
    assert "Het BSN is vastgelegd" in page.get_data(as_text=True)  # the flash, without it
    assert "Er is een BSN vastgelegd (versleuteld)." in page.get_data(as_text=True)
    for url in (f"{desk.base}/inzagelog", desk.base, f"{desk.base}/bsn"):
        sent.append(_everything_sent(web.get(url)))

    office = PrivacyOffice(platform, desk.org.id)
    with context.acting(desk.org.id, f"user:{desk.officer.id}"):
        assert office.reveal_bsn(desk.mine.id, "api") == bsn  # stored, sealed, readable
    canary = {"bsn": bsn}
    assert hits(b"".join(sent), canary) == []  # not in any page, header, redirect or flash
    assert hits(caplog.text.encode(), canary) == []
    assert hits(b"".join(s for *_, s in stored_events(platform, desk.org.id)), canary) == []

    coach = desk.browser(desk.coach)
    assert coach.post(f"{client_url}/bsn", "bsn-", bsn=bsn).status_code == 404
    assert coach.get(f"{desk.base}/bsn").status_code == 404
    assert web.post(f"{desk.base}/bsn/uit", "action-").status_code == 302
    off = web.post(f"{client_url}/bsn", "bsn-", bsn=bsn)
    assert off.status_code == 422 and bsn not in off.get_data(as_text=True)
    assert "Er is nog een BSN vastgelegd" in off.get_data(as_text=True)
    assert coach.post(f"{client_url}/bsn/verwijderen", "action-").status_code == 404
    assert web.post(f"{client_url}/bsn/verwijderen", "action-").status_code == 302
    page = web.text(client_url)
    assert "Het BSN is verwijderd." in page and "Er is nog een BSN vastgelegd" not in page
    with context.acting(desk.org.id, f"user:{desk.officer.id}"):
        assert office.reveal_bsn(desk.mine.id, "api") is None


def test_a_recorded_bsn_is_removed_through_the_api(app, platform, orgs, make_token):
    org = orgs.create()
    officer = orgs.member(org, "quality_officer")
    office = PrivacyOffice(platform, org.id)
    with context.acting(org.id, f"user:{officer.id}"):
        client = platform.trajectories(org.id).register_client({"name": "Met BSN"})
        office.enable_bsn("Wet SUWI art. 62: gegevensuitwisseling met UWV")
        office.record_bsn(client.id, valid_bsn())
    api = app.test_client()
    headers = {"Authorization": f"Bearer {make_token(api, org, 'quality_officer', officer.id)}"}
    url = f"/api/v1/orgs/{org.slug}/privacy/clients/{client.id}/bsn"
    assert api.delete(url, headers=headers).status_code == 204
    assert api.get(url, headers=headers).json == {"bsn": None}
    again = api.delete(url, headers=headers)
    assert again.status_code == 422 and "geen BSN" in again.json["detail"]
