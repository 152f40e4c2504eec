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
