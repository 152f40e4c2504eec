"""Auditor access: time-boxed grants re-checked on every request, one quality mark,
pseudonyms only, every action journalled into the trail, and no writes at all."""

import json
import re
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.audit.application import AuditJournal
from services.kernel import context
from tests.conftest import PASSWORD

NAME = "Anna Canary-7f3a"
# POST routes that only read (and journal the auditor's request): asking for an evidence
# pack. test_auditor_downloads_a_pack_and_it_verifies covers it.
READ_ACTIONS = {"/api/v1/orgs/<org>/audit/evidence/exports"}


@pytest.fixture
def setup(app, platform, orgs, make_token):
    client = app.test_client()
    org = orgs.create()
    officer = make_token(client, org, "quality_officer")
    auditor = platform.registry.register_user(
        f"auditor-{uuid4().hex[:6]}@keurmerk.nl", "Auditor", PASSWORD
    )
    base = f"/api/v1/orgs/{org.slug}/audit"
    # an event that carries a client's name, sealed
    keys = platform.subject_keys(org.id)
    with context.acting(org.id, "user:test"):
        platform.app(AuditJournal, org.id).record(
            "test.client", client=json.dumps(keys.seal(uuid4(), NAME))
        )
    return client, org, _auth(officer), auditor, base


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def _grant(client, base, headers, auditor, *, start, end, mark="blik-op-werk"):
    body = {
        "auditor_email": auditor.email,
        "mark": mark,
        "valid_from": start.isoformat(),
        "valid_until": end.isoformat(),
    }
    return client.post(f"{base}/grants", json=body, headers=headers)


def _auditor_token(client, org, auditor, make_token):
    return _auth(make_token(client, org, "auditor", auditor.id))


def test_granted_auditor_reads_the_trail_and_every_action_is_journalled(
    setup, platform, make_token
):
    client, org, officer, auditor, base = setup
    now = datetime.now(UTC)
    granted = _grant(
        client, base, officer, auditor, start=now - timedelta(hours=1), end=now + timedelta(days=30)
    )
    assert granted.status_code == 201, granted.get_data(as_text=True)
    assert client.post(f"{base}/checkpoints", headers=officer).status_code == 201
    headers = _auditor_token(client, org, auditor, make_token)

    log = client.get(f"{base}/log", headers=headers)
    assert log.status_code == 200 and log.get_json()
    proof = client.get(f"{base}/proofs/inclusion?leaf_index=0", headers=headers)
    assert proof.status_code == 200 and proof.get_json()["checkpoint"]
    assert client.get(f"{base}/vkey", headers=headers).status_code == 200
    assert client.get(f"{base}/verification", headers=headers).status_code == 200

    journal = platform.app(AuditJournal, org.id)
    kinds = [
        journal.mapper.to_domain_event(n).kind
        for n in journal.recorder.select_notifications(start=1, limit=100)
        if n.topic.endswith("AuditEntry.Recorded")
    ]
    assert "grant.issued" in kinds
    assert {"auditor.log.read", "auditor.proof.inclusion", "auditor.vkey.read"} <= set(kinds)
    # ... and those journal events are leaves of the trail like every other event
    trail = client.get(f"{base}/log?app=audit_journal&limit=500", headers=officer).get_json()
    assert len(trail) == len(kinds)


def test_expired_revoked_and_other_mark_grants_get_404(setup, platform, make_token):
    client, org, officer, auditor, base = setup
    now = datetime.now(UTC)
    _grant(
        client, base, officer, auditor, start=now - timedelta(days=2), end=now + timedelta(days=1)
    )
    headers = _auditor_token(client, org, auditor, make_token)
    assert client.get(f"{base}/log", headers=headers).status_code == 200
    # only the granted quality mark
    assert client.get(f"{base}/log?mark=oval", headers=headers).status_code == 404
    assert client.get(f"{base}/log?mark=blik-op-werk", headers=headers).status_code == 200

    # expired one second ago: refused on the very next request, same token
    expired = _grant(
        client,
        base,
        officer,
        auditor,
        start=now - timedelta(days=2),
        end=datetime.now(UTC) - timedelta(seconds=1),
    )
    assert expired.status_code == 201
    response = client.get(f"{base}/log", headers=headers)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    # not yet started
    _grant(
        client, base, officer, auditor, start=now + timedelta(hours=1), end=now + timedelta(days=1)
    )
    assert client.get(f"{base}/log", headers=headers).status_code == 404
    # renewed, then revoked
    _grant(
        client, base, officer, auditor, start=now - timedelta(hours=1), end=now + timedelta(days=1)
    )
    assert client.get(f"{base}/log", headers=headers).status_code == 200
    revoked = client.post(
        f"{base}/grants/revoke", json={"auditor_id": str(auditor.id)}, headers=officer
    )
    assert revoked.status_code == 200 and revoked.get_json()["revoked"] is True
    assert client.get(f"{base}/log", headers=headers).status_code in (401, 404)


def test_an_expired_grant_ends_the_membership_on_the_next_request(setup, platform, make_token):
    from services.kernel.auth.roles import Role

    client, org, officer, auditor, base = setup
    now = datetime.now(UTC)
    _grant(client, base, officer, auditor, start=now - timedelta(days=2),
           end=now + timedelta(days=1))
    headers = _auditor_token(client, org, auditor, make_token)
    assert client.get(f"{base}/log", headers=headers).status_code == 200
    _grant(client, base, officer, auditor, start=now - timedelta(days=2),
           end=datetime.now(UTC) - timedelta(seconds=1))  # the period is over
    assert platform.registry.user(auditor.id).role_in(org.id) == Role.AUDITOR  # until ...
    assert client.get(f"{base}/log", headers=headers).status_code == 404  # ... it is used
    assert platform.registry.user(auditor.id).role_in(org.id) is None
    assert client.get(f"{base}/log", headers=headers).status_code in (401, 403, 404)
    journal = platform.app(AuditJournal, org.id)
    kinds = [
        journal.mapper.to_domain_event(n).kind
        for n in journal.recorder.select_notifications(start=1, limit=200)
        if n.topic.endswith("AuditEntry.Recorded")
    ]
    assert kinds.count("grant.expired") == 1  # ended once, journalled once
    # renewed: a member again, and in
    _grant(client, base, officer, auditor, start=now - timedelta(hours=1),
           end=now + timedelta(days=1))
    assert platform.registry.user(auditor.id).role_in(org.id) == Role.AUDITOR
    assert client.get(f"{base}/log", headers=headers).status_code == 200


def test_a_grant_for_one_organisation_opens_no_other(setup, orgs, make_token):
    client, org, officer, auditor, base = setup
    other = orgs.create()
    now = datetime.now(UTC)
    _grant(
        client, base, officer, auditor, start=now - timedelta(hours=1), end=now + timedelta(days=1)
    )
    headers = _auditor_token(client, org, auditor, make_token)
    response = client.get(f"/api/v1/orgs/{other.slug}/audit/log", headers=headers)
    assert response.status_code == 404


def test_grant_input_is_checked(setup, orgs):
    client, org, officer, auditor, base = setup
    now = datetime.now(UTC)
    backwards = _grant(client, base, officer, auditor, start=now, end=now - timedelta(days=1))
    assert backwards.status_code == 422
    unknown_mark = _grant(
        client, base, officer, auditor, start=now, end=now + timedelta(days=1), mark="iso-9001"
    )
    assert unknown_mark.status_code == 422
    staff = orgs.member(org, "jobcoach")
    staff_user = type("U", (), {"email": staff.email})
    refused = _grant(client, base, officer, staff_user, start=now, end=now + timedelta(days=1))
    assert refused.status_code == 422 and "medewerker" in refused.get_json()["detail"]


def test_an_auditor_cannot_write_anything(setup, platform, make_token):
    client, org, officer, auditor, base = setup
    now = datetime.now(UTC)
    _grant(
        client, base, officer, auditor, start=now - timedelta(hours=1), end=now + timedelta(days=1)
    )
    headers = _auditor_token(client, org, auditor, make_token)
    apps = [trail.app for trail in platform.audit_trails(org.id)]
    before = {app.name: app.recorder.max_notification_id() for app in apps}
    registry_before = platform.registry.recorder.max_notification_id()

    writes = 0
    for rule in client.application.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/orgs/<org>") or rule.rule in READ_ACTIONS:
            continue
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            path = rule.rule.replace("<org>", org.slug)
            path = re.sub(r"<uuid:\w+>", str(uuid4()), path)
            path = re.sub(r"<int:\w+>", "1", path)
            path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
            response = client.open(path, method=method, json={}, headers=headers)
            assert response.status_code in (403, 404, 405), (
                method,
                rule.rule,
                response.status_code,
            )
            writes += 1
    assert writes >= 5
    after = {app.name: app.recorder.max_notification_id() for app in apps}
    assert after == before  # not even a journal entry: refused before the action
    assert platform.registry.recorder.max_notification_id() == registry_before


def test_auditor_never_sees_a_client_name(setup, make_token):
    client, org, officer, auditor, base = setup
    now = datetime.now(UTC)
    _grant(
        client, base, officer, auditor, start=now - timedelta(hours=1), end=now + timedelta(days=1)
    )
    client.post(f"{base}/checkpoints", headers=officer)
    headers = _auditor_token(client, org, auditor, make_token)
    for path in (
        "/log?limit=500",
        "/checkpoints",
        "/proofs/inclusion?leaf_index=0",
        "/verification",
        "/vkey",
    ):
        response = client.get(base + path, headers=headers)
        assert response.status_code == 200, path
        assert NAME not in response.get_data(as_text=True)


def test_auditor_downloads_a_pack_and_it_verifies(setup, make_token, tmp_path):
    import subprocess
    import sys

    client, org, officer, auditor, base = setup
    now = datetime.now(UTC)
    _grant(
        client, base, officer, auditor, start=now - timedelta(hours=1), end=now + timedelta(days=1)
    )
    headers = _auditor_token(client, org, auditor, make_token)
    other_mark = client.post(f"{base}/evidence/exports", json={"mark": "oval"}, headers=headers)
    assert other_mark.status_code == 404  # the grant's scope is one quality mark
    assert client.get(f"{base}/evidence?mark=oval", headers=headers).status_code == 404
    evidence = client.get(f"{base}/evidence?mark=blik-op-werk", headers=headers)
    assert evidence.status_code == 200 and NAME not in evidence.get_data(as_text=True)

    started = client.post(
        f"{base}/evidence/exports", json={"mark": "blik-op-werk"}, headers=headers
    )
    assert started.status_code == 202, started.get_data(as_text=True)
    export = started.get_json()
    assert export["status"] == "finished"  # inline: no Redis in the embedded setup
    folder = tmp_path / "pack"
    folder.mkdir()
    for name in export["files"]:
        response = client.get(
            f"{base}/evidence/exports/file?export_id={export['export_id']}&name={name}",
            headers=headers,
        )
        assert response.status_code == 200, name
        (folder / name).write_bytes(response.data)
    assert (
        client.get(
            f"{base}/evidence/exports/file?export_id={export['export_id']}&name=../secrets.env",
            headers=headers,
        ).status_code
        == 404
    )
    vkey = client.get(f"{base}/vkey", headers=headers).get_json()["vkey"]
    verified = subprocess.run(
        [sys.executable, "-m", "services.audit.verifier", "--pack", str(folder), "--vkey", vkey],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
