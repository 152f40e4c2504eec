"""After erasure no new key is made for the client: data about them would be readable
again. Registering a complaint or a survey exemption for an erased client is refused
(409) and nothing is stored."""

from __future__ import annotations

from uuid import uuid4

import pytest

from services.kernel import context
from services.kernel.personal_data import SubjectErasedError
from services.privacy.erasure import erase_client
from services.privacy.office import PrivacyOffice
from services.privacy.tombstones import backfill_tombstones
from services.quality.complaints.application import default_regulation
from tests.api.api_support import bearer, measuring_2026, officer_coach_and_client
from tests.integration.test_privacy_scenario import stored_events

UWV = {"werknemer": "uwv-beoordeling-werknemer"}


def test_an_erased_client_gets_no_complaint_and_no_exemption(app, platform, orgs, make_token):
    org, officer, coach, eva, evas = officer_coach_and_client(platform, orgs)
    campaign = measuring_2026(platform, org, officer, UWV, {
        "trajectory_id": evas.id, "client_id": eva.id, "jobcoach_id": coach.id,
        "status": "lopend"})
    with context.acting(org.id, f"user:{officer.id}"):
        erase_client(PrivacyOffice(platform, org.id), eva.id, "art17_1a",
                     open_trajectory_decision=True)
    api = app.test_client()
    auth = bearer(make_token, api, org, "quality_officer", officer)
    base = f"/api/v1/orgs/{org.slug}/quality"
    assert api.put(f"{base}/complaint-regulation", headers=auth, json={
        **default_regulation(), "in_force_from": "2026-01-01"}).status_code == 200
    before = len(stored_events(platform, org.id))

    complaint = api.post(f"{base}/complaints", headers=auth, json={
        "complainant_name": "Eva Voorbeeld", "complainant_kind": "client",
        "summary": "Mijn coach kwam drie keer niet opdagen", "trajectory_id": str(evas.id)})
    assert complaint.status_code == 409, complaint.get_json()
    assert "gewist" in complaint.get_json()["detail"]
    exemption = api.post(f"{base}/campaigns/{campaign.id}/exemptions", headers=auth, json={
        "trajectory_id": str(evas.id), "respondent": "werknemer",
        "reason": "Cliënt is overleden in maart"})
    assert exemption.status_code == 409, exemption.get_json()

    assert len(stored_events(platform, org.id)) == before
    keys = platform.subject_keys(org.id)
    assert keys.erased(eva.id) and not keys.exists(eva.id)


def test_the_tombstone_refuses_a_key_on_postgres_too(pg_platform, pg_orgs):
    org = pg_orgs.create()
    keys = pg_platform.subject_keys(org.id)
    erased, other = uuid4(), uuid4()
    keys.seal(erased, "iets")
    assert keys.shred(erased) and keys.erased(erased)
    with pytest.raises(SubjectErasedError, match="gewist"):
        keys.seal(erased, "weer leesbaar")
    assert not keys.exists(erased)
    assert keys.open(keys.seal(other, "mag wel")) == "mag wel" and not keys.erased(other)


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_provisioning_gives_earlier_erasures_their_tombstone(request, store):
    platform, orgs = (request.getfixturevalue(name) for name in (
        ("platform", "orgs") if store == "sqlite" else ("pg_platform", "pg_orgs")))
    org = orgs.create()
    officer = orgs.member(org, "quality_officer")
    with context.acting(org.id, f"user:{officer.id}"):
        trajectories = platform.trajectories(org.id)
        eva = trajectories.register_client({"name": "Eva Voorbeeld"})
        kept = trajectories.register_client({"name": "Piet Blijft"})
        erase_client(PrivacyOffice(platform, org.id), eva.id, "art17_1a")
    keys = platform.subject_keys(org.id)
    with keys.datastore.transaction(commit=True) as cursor:  # as erased before tombstones
        cursor.execute(keys._sql("DELETE FROM {t}erased_subjects"))
    assert not keys.erased(eva.id)

    platform.provision_organisation(org.id)  # what `jobtrail db init` runs per organisation
    assert keys.erased(eva.id) and not keys.erased(kept.id)
    with pytest.raises(SubjectErasedError):
        keys.seal(eva.id, "weer leesbaar")
    assert backfill_tombstones(platform, org.id) == 0  # idempotent: nothing new the second time
