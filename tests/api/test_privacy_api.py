"""Privacy API: requests with deadlines, consent enforced at the API, erasure with an
explicit decision, breach register, BSN only in bodies."""

from __future__ import annotations

from datetime import date

import pytest

from services.kernel import context
from tests.api.api_support import privacy_api


@pytest.fixture
def setup(app, platform, orgs, make_token):
    s = privacy_api(app, platform, orgs, make_token)
    return s.http, s.org, s.client_id, s.headers, s.coach_headers, s.clock, s.base


def test_a_request_runs_to_completion_and_a_missed_deadline_is_flagged(setup):
    client, org, client_id, headers, _, clock, base = setup
    created = client.post(
        f"{base}/requests",
        json={
            "client_id": str(client_id),
            "kind": "access",
            "channel": "email",
            "requester": "Eva Voorbeeld",
            "details": "Graag alles",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.json
    request_id = created.json["id"]
    assert created.json["due_on"] == "2026-02-28" and created.json["requester"] == "Eva Voorbeeld"
    clock.set(date(2026, 3, 2))
    listed = client.get(f"{base}/requests?open=true", headers=headers).json
    assert [(r["request_id"], r["overdue"]) for r in listed] == [(request_id, True)]
    refused = client.post(
        f"{base}/requests/{request_id}/complete", json={"outcome": "done"}, headers=headers
    )
    assert refused.status_code == 422 and "export" in refused.json["detail"]
    exported = client.post(f"{base}/requests/{request_id}/export", headers=headers)
    assert exported.status_code == 201
    pdf = next(d for d in exported.json["documents"] if d["media_type"] == "application/pdf")
    download = client.get(
        f"{base}/clients/{client_id}/documents/{pdf['document_id']}", headers=headers
    )
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    done = client.post(
        f"{base}/requests/{request_id}/complete", json={"outcome": "done"}, headers=headers
    )
    assert done.status_code == 200 and done.json["late"] and done.json["status"] == "completed"
    log = client.get(f"{base}/clients/{client_id}/access-log", headers=headers).json
    assert {"privacy.export", "privacy.request", "privacy.export.download"} <= {
        e["what"] for e in log
    }


def test_extension_needs_a_reason_and_if_match(setup):
    client, _, client_id, headers, _, _, base = setup
    created = client.post(
        f"{base}/requests",
        json={"client_id": str(client_id), "kind": "rectification", "channel": "letter"},
        headers=headers,
    )
    url = f"{base}/requests/{created.json['id']}/extend"
    assert client.post(url, json={"reason": "kort"}, headers=headers).status_code == 422
    stale = client.post(
        url, json={"reason": "Complex: veel dossiers"}, headers={**headers, "If-Match": '"9"'}
    )
    assert stale.status_code == 412
    extended = client.post(
        url,
        json={"reason": "Complex: veel dossiers"},
        headers={**headers, "If-Match": created.headers["ETag"]},
    )
    assert extended.status_code == 200 and extended.json["due_on"] == "2026-04-30"


def test_sharing_without_consent_is_refused_with_the_reason(setup):
    client, _, client_id, headers, coach_headers, _, base = setup
    check = (
        f"{base}/clients/{client_id}/consent-check?purpose=share_progress&recipient_kind=employer"
    )
    share = {
        "what": "trajectory.progress",
        "purpose": "share_progress",
        "recipient_kind": "employer",
        "recipient_id": "werkgever-1",
    }
    assert client.get(check, headers=coach_headers).json["allowed"] is False
    refused = client.post(
        f"{base}/clients/{client_id}/disclosures", json=share, headers=coach_headers
    )
    assert refused.status_code == 422
    assert "Geen toestemming" in refused.json["detail"] and "werkgever" in refused.json["detail"]
    given = client.post(
        f"{base}/clients/{client_id}/consents",
        json={"purpose": "share_progress", "recipient_kind": "employer", "evidence": "signed"},
        headers=headers,
    )
    assert given.status_code == 201
    assert client.get(check, headers=coach_headers).json["allowed"] is True
    shared = client.post(
        f"{base}/clients/{client_id}/disclosures", json=share, headers=coach_headers
    )
    assert shared.status_code == 201
    other = client.post(
        f"{base}/clients/{client_id}/disclosures",
        json={**share, "recipient_kind": "commissioner"},
        headers=coach_headers,
    )
    assert other.status_code == 422 and "opdrachtgever" in other.json["detail"]
    client.post(f"{base}/clients/{client_id}/restriction", json={}, headers=headers)
    restricted = client.post(
        f"{base}/clients/{client_id}/disclosures", json=share, headers=coach_headers
    )
    assert restricted.status_code == 422 and "art. 18" in restricted.json["detail"]
    log = client.get(f"{base}/clients/{client_id}/access-log", headers=headers).json
    assert [e["recipient_kind"] for e in log if e["why"] == "disclosure"] == ["employer"]


def test_the_jobcoach_cannot_use_the_officers_endpoints(setup):
    client, _, client_id, _, coach_headers, _, base = setup
    assert client.get(f"{base}/requests", headers=coach_headers).status_code == 403
    assert (
        client.post(
            f"{base}/clients/{client_id}/erasure",
            json={"legal_basis": "art17_1a"},
            headers=coach_headers,
        ).status_code
        == 403
    )


def test_erasure_needs_a_decision_with_an_open_trajectory_and_is_harmless_twice(setup, platform):
    client, org, client_id, headers, _, _, base = setup
    coach_id = next(
        m["user_id"] for m in platform.directory.members(org.id) if m["role"] == "jobcoach"
    )
    from uuid import UUID

    with context.acting(org.id, "user:test"):
        platform.trajectories(org.id).start_trajectory(client_id, "UWV", UUID(coach_id))
    url = f"{base}/clients/{client_id}/erasure"
    refused = client.post(url, json={"legal_basis": "art17_1a"}, headers=headers)
    assert refused.status_code == 422 and refused.json["decision_required"] is True
    erased = client.post(
        url, json={"legal_basis": "art17_1a", "open_trajectory_decision": True}, headers=headers
    )
    assert erased.status_code == 201, erased.json
    assert erased.json["pseudoniem"] == "C-0001" and "Eva" not in erased.get_data(as_text=True)
    again = client.post(url, json={"legal_basis": "art17_1a"}, headers=headers)
    assert again.status_code == 200 and again.json["herhaald"] is True
    erasure_id = erased.json["verwijdering_id"]
    pdf = client.get(f"{base}/erasures/{erasure_id}/certificate.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.post(f"{base}/clients/{client_id}/export", headers=headers).status_code == 422
    consent = client.post(
        f"{base}/clients/{client_id}/consents",
        json={"purpose": "share_progress", "recipient_kind": "employer", "evidence": "signed"},
        headers=headers,
    )
    assert consent.status_code == 422 and "gewist" in consent.json["detail"]


def test_breach_register_with_the_72_hour_deadline(setup):
    client, _, _, headers, _, clock, base = setup
    created = client.post(
        f"{base}/breaches",
        json={
            "detected_at": "2026-01-30T09:00:00+01:00",
            "title": "Laptop gestolen",
            "description": "Onversleutelde laptop",
        },
        headers=headers,
    )
    assert created.status_code == 201 and created.json["report_due"].startswith("2026-02-02T09")
    breach = created.json["breach_id"]
    assert client.get(f"{base}/breaches", headers=headers).json[0]["report_overdue"] is False
    clock.set(date(2026, 2, 3))  # past the 72 hours, still not reported: flagged
    assert client.get(f"{base}/breaches", headers=headers).json[0]["report_overdue"] is True
    for step, body in (
        ("assess", {"risk": "high", "assessment": "Namen en adressen", "affected_count": 3}),
        (
            "report",
            {
                "reported_at": "2026-02-03T10:00:00+01:00",
                "reference": "AP-123",
                "late_reason": "Omvang pas na het weekend duidelijk",
            },
        ),
        ("inform", {"informed_at": "2026-02-03T11:00:00+01:00", "how": "Brief aan betrokkenen"}),
        ("close", {"closed_at": "2026-02-03T12:00:00+01:00", "measures": "Schijfversleuteling"}),
    ):
        response = client.post(f"{base}/breaches/{breach}/{step}", json=body, headers=headers)
        assert response.status_code == 200, (step, response.json)
    assert client.get(f"{base}/breaches/{breach}", headers=headers).json["status"] == "closed"


def test_processing_register_and_policy(setup):
    client, _, _, headers, _, _, base = setup
    created = client.post(
        f"{base}/activities",
        json={
            "name": "Trajectbegeleiding",
            "purposes": "Begeleiding naar werk",
            "legal_basis": "Overeenkomst / wettelijke taak opdrachtgever",
            "data_subjects": "Cliënten",
            "data_categories": "NAW, functionele beperkingen",
            "special_categories": True,
        },
        headers=headers,
    )
    assert created.status_code == 201
    assert client.get(f"{base}/activities", headers=headers).json[0]["name"] == "Trajectbegeleiding"
    policy = client.put(
        f"{base}/policy/retention",
        json={"record_type": "client_file", "months": 24},
        headers=headers,
    )
    assert policy.json["retention"] == {"client_file": 24}
    assert (
        client.put(f"{base}/policy/bsn", json={"legal_basis": "kort"}, headers=headers).status_code
        == 422
    )


def test_bsn_only_with_a_legal_basis_and_never_in_a_url(setup):
    client, _, client_id, headers, _, _, base = setup
    url = f"{base}/clients/{client_id}/bsn"
    off = client.put(url, json={"bsn": "111222333"}, headers=headers)
    assert off.status_code == 422 and "grondslag" in off.json["detail"]
    client.put(f"{base}/policy/bsn", json={"legal_basis": "Wet SUWI art. 62"}, headers=headers)
    assert client.put(url, json={"bsn": "111222334"}, headers=headers).status_code == 422
    assert client.put(url, json={"bsn": "111222333"}, headers=headers).status_code == 204
    assert client.get(url, headers=headers).json == {"bsn": "111222333"}
    in_url = client.get(f"{base}/requests?zoek=111222333", headers=headers)
    assert in_url.status_code == 400 and "111222333" not in in_url.get_data(as_text=True)
