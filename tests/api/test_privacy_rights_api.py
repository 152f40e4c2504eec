"""Privacy API, rights applied: a rectification request corrects the client's contact data
in trajectories and records the field names only; an upheld objection can be lifted."""

from __future__ import annotations

import json
from uuid import UUID

import pytest

from services.privacy.office import PrivacyOffice
from tests.api.api_support import privacy_api


@pytest.fixture
def setup(app, platform, orgs, make_token):
    s = privacy_api(app, platform, orgs, make_token,
                    email="eva@oud.example", phone="06-11112222")
    return s.http, s.org, s.officer, s.client_id, s.headers, s.coach_headers, s.base


def _request(client, base, client_id, headers, kind="rectification"):
    created = client.post(
        f"{base}/requests",
        json={"client_id": str(client_id), "kind": kind, "channel": "email"},
        headers=headers,
    )
    assert created.status_code == 201, created.json
    return created.json["id"]


def test_a_rectification_corrects_the_contact_data_and_records_field_names(setup, platform):
    client, org, officer, client_id, headers, coach_headers, base = setup
    request_id = _request(client, base, client_id, headers)
    url = f"{base}/requests/{request_id}/rectification"
    current = client.get(url, headers=headers)
    assert current.status_code == 200 and current.headers["Cache-Control"] == "no-store"
    assert current.json["email"] == "eva@oud.example" and current.json["address"] is None
    version = current.json["client_version"]

    assert client.post(url, json={"email": "geen-adres"}, headers=headers).status_code == 422
    same = client.post(url, json={"name": "Eva Voorbeeld"}, headers=headers)
    assert same.status_code == 422 and "niets gewijzigd" in same.json["detail"]
    stale = client.post(
        url, json={"phone": None}, headers={**headers, "If-Match": f'"{version + 5}"'}
    )
    assert stale.status_code in (409, 412)

    done = client.post(
        url,
        json={"email": "eva@nieuw.example", "phone": None, "date_of_birth": "1990-04-01"},
        headers={**headers, "If-Match": f'"{version}"'},
    )
    assert done.status_code == 200, done.json
    assert done.json["rectified_fields"] == ["email", "phone", "date_of_birth"]
    [entry] = done.json["request"]["rectifications"]
    assert (entry["fields"], entry["on"]) == (["email", "phone", "date_of_birth"], "2026-01-31")
    assert entry["by"].startswith("client:")  # the acting API client, as stamped on events

    profile = client.get(f"/api/v1/orgs/{org.slug}/clients/{client_id}", headers=headers).json
    assert (profile["name"], profile["email"], profile["phone"], profile["date_of_birth"]) == (
        "Eva Voorbeeld", "eva@nieuw.example", None, "1990-04-01"
    )
    # The request's event names the fields, never the values.
    office = PrivacyOffice(platform, org.id)
    stored = [e for e in office.app.events.get(UUID(request_id))
              if type(e).__name__ == "Rectified"]
    assert len(stored) == 1 and "eva@nieuw.example" not in json.dumps(stored[0].__dict__,
                                                                      default=str)
    log = office.access_log.entries(client_id)
    assert any(e["what"] == "client.contact" and e["channel"] == "api" for e in log)

    # A jobcoach has no privacy scope: refused, and nothing read or changed.
    reads = len(office.access_log.entries(client_id))
    assert client.get(url, headers=coach_headers).status_code == 403
    assert client.post(url, json={"name": "X"}, headers=coach_headers).status_code == 403
    assert len(office.access_log.entries(client_id)) == reads
    completed = client.post(
        f"{base}/requests/{request_id}/complete", json={"outcome": "done"}, headers=headers
    )
    assert completed.status_code == 200
    after = client.post(url, json={"address": "Kerkstraat 1"}, headers=headers)
    assert after.status_code == 422 and "afgehandeld" in after.json["detail"]


def test_rectification_is_refused_on_other_kinds_and_after_erasure(setup):
    client, _org, _officer, client_id, headers, _coach, base = setup
    access = _request(client, base, client_id, headers, kind="access")
    refused = client.post(f"{base}/requests/{access}/rectification", json={"name": "X Y"},
                          headers=headers)
    assert refused.status_code == 422 and "rectificatie" in refused.json["detail"]
    rectification = _request(client, base, client_id, headers)
    erased = client.post(f"{base}/clients/{client_id}/erasure",
                         json={"legal_basis": "art17_1a"}, headers=headers)
    assert erased.status_code == 201
    gone = client.get(f"{base}/requests/{rectification}/rectification", headers=headers)
    assert gone.status_code == 422 and "gewist" in gone.json["detail"]


def test_an_upheld_objection_is_lifted_and_sharing_follows_consent_again(setup):
    client, _org, _officer, client_id, headers, coach_headers, base = setup
    consent = {"purpose": "share_progress", "recipient_kind": "employer", "evidence": "signed"}
    assert client.post(f"{base}/clients/{client_id}/consents", json=consent,
                       headers=headers).status_code == 201
    objected = client.post(f"{base}/clients/{client_id}/objections",
                           json={"purpose": "share_progress"}, headers=headers)
    assert objected.status_code == 204
    share = {"what": "trajectory.progress", "purpose": "share_progress",
             "recipient_kind": "employer"}
    refused = client.post(f"{base}/clients/{client_id}/disclosures", json=share,
                          headers=coach_headers)
    assert refused.status_code == 422 and "bezwaar" in refused.json["detail"]

    lift = f"{base}/clients/{client_id}/objections/lift"
    short = client.post(lift, json={"purpose": "share_progress", "reason": "kort"},
                        headers=headers)
    assert short.status_code == 422
    future = client.post(lift, json={"purpose": "share_progress", "lifted_on": "2026-02-01",
                                     "reason": "Cliënt trekt bezwaar in per brief"},
                         headers=headers)
    assert future.status_code == 422 and "toekomst" in future.json["detail"]
    wrong = client.post(lift, json={"purpose": "contact_network",
                                    "reason": "Cliënt trekt bezwaar in per brief"},
                        headers=headers)
    assert wrong.status_code == 422 and "geen gegrond bezwaar" in wrong.json["detail"]
    assert client.post(lift, json={"purpose": "share_progress",
                                   "reason": "Cliënt trekt bezwaar in per brief"},
                       headers=coach_headers).status_code == 403
    lifted = client.post(lift, json={"purpose": "share_progress",
                                     "reason": "Cliënt trekt bezwaar in per brief"},
                         headers=headers)
    assert lifted.status_code == 200 and lifted.json == {"objections": []}
    check = client.get(f"{base}/clients/{client_id}/consent-check",
                       query_string={"purpose": "share_progress", "recipient_kind": "employer"},
                       headers=coach_headers)
    assert check.json["allowed"] is True and check.json["code"] == "allowed"
    shared = client.post(f"{base}/clients/{client_id}/disclosures", json=share,
                         headers=coach_headers)
    assert shared.status_code == 201
