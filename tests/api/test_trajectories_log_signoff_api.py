"""Signing the jobcoach log per grant period through the API, the log PDF showing the
signatures, and the extension request refused (422, Dutch) until the log is signed."""

from tests.api import test_trajectories_api as walk
from tests.api.api_support import profiled_trajectory
from tests.api.test_trajectories_api import (
    PLACEMENT,
    consented,
    d,
    ok,
    pdf_text,
    refused,
)

world = walk.world


def _coached(http, base, anna, as_anna, platform, org):
    """A trajectory in coaching with a grant, an activity and an evaluation; the client
    has consented to sharing its documents with UWV."""
    client_id, _, url = profiled_trajectory(http, base, anna, as_anna)
    ok(http.post(f"{url}/matching", json={"analysis": "Past", "decision": "match",
                                          "reasons": "Rustig", "decided_on": d(160)},
                 headers=as_anna))
    ok(http.post(f"{url}/placement", json=PLACEMENT, headers=as_anna))
    ok(http.post(f"{url}/coaching-plan", json={
        "goals": [{"goal_id": "g1", "description": "Zelfstandig wielen monteren",
                   "criterion": "10 wielen per dag", "target_date": d(30), "owner": "cliënt"}],
        "action_plan": "Wekelijks", "network_roles": "Zus", "evaluation_moments": [d(60)],
        "agreed_on": d(140)}, headers=as_anna))
    ok(http.post(f"{base}/funding-regimes", json={
        "commissioner": "UWV", "name": "standaard", "percentage": 10,
        "valid_from": "2020-01-01"}, headers=as_anna))
    ok(http.post(f"{url}/grants", json={
        "commissioner": "UWV", "period_start": d(150), "period_end": d(0),
        "granted_hours": 40, "regime": "standaard"}, headers=as_anna), 201)
    ok(http.post(f"{url}/activities", json={
        "kind": "contact_moment", "on": d(100), "start": "09:00", "minutes": 60,
        "mode": "face_to_face", "participants": ["client"], "goal_ids": ["g1"],
        "justification": "Werkplekbezoek en instructie"}, headers=as_anna), 201)
    ok(http.post(f"{url}/evaluations", json={
        "on": d(50), "results": [{"goal_id": "g1", "status": "adjusted", "reason": "Meer tijd",
                                  "new_target_date": d(-60)}]}, headers=as_anna))
    grant_id = ok(http.get(url, headers=as_anna))["grants"][0]["grant_id"]
    consented(platform, org, client_id)
    return url, grant_id


def test_signed_log_is_a_precondition_for_the_extension_request(world, platform):
    http, org, anna, bram, as_anna, as_bram, manager, base = world
    url, grant_id = _coached(http, base, anna, as_anna, platform, org)
    extension = f"{url}/documents/vervolgaanvraag?format=pdf"
    problem = refused(http.get(extension, headers=as_anna),
                      "ondertekend door de cliënt")
    assert "ondertekend door de werkgever of werkbegeleider" in problem["detail"]
    assert "Vervolgaanvraag jobcoaching kan nog niet worden gemaakt" in problem["detail"]

    signature = {"grant_id": grant_id, "role": "client", "signer_name": "Jan Jansen",
                 "on": d(0), "method": "paper"}
    for bad in ({"role": "boss"}, {"method": "fax"}, {"signer_name": ""}):
        response = http.post(f"{url}/log-signatures", json={**signature, **bad},
                             headers=as_anna)
        assert response.status_code == 422
        assert response.mimetype == "application/problem+json"
    refused(http.post(f"{url}/log-signatures", json={**signature, "grant_id": "nope"},
                      headers=as_anna), "Toekenning niet gevonden", 404)
    stale = http.post(f"{url}/log-signatures", json=signature,
                      headers={**as_anna, "If-Match": '"1"'})
    assert stale.status_code == 412
    ok(http.post(f"{url}/log-signatures", json=signature, headers=as_anna), 201)
    refused(http.get(extension, headers=as_anna), "werkgever of werkbegeleider")
    ok(http.post(f"{url}/log-signatures", json={
        **signature, "role": "supervisor", "signer_name": "Piet de Werkbegeleider",
        "method": "digital"}, headers=as_anna), 201)
    assert http.post(f"{url}/log-signatures", json=signature,
                     headers=as_bram).status_code == 404

    answer = http.get(extension, headers=as_anna)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert "Vervolgaanvraag jobcoaching" in pdf_text(answer.data)
    log = pdf_text(http.get(f"{url}/documents/logboek?format=pdf", headers=as_anna).data)
    for needle in ("Ondertekening logboek", "Jan Jansen", "Piet de Werkbegeleider",
                   "Handtekening op papier", "Digitaal akkoord", "Interne werkbegeleider",
                   f"t/m {d(0)[8:10]}-{d(0)[5:7]}-{d(0)[:4]}"):
        assert needle in log, needle
    timeline = ok(http.get(f"{url}/timeline", headers=as_anna))
    assert timeline[0]["label"] == "Logboek ondertekend"
    assert timeline[0]["summary"] == "door interne werkbegeleider (digitaal akkoord)"

    # A correction in the period after signing voids the signatures again.
    activity_id = ok(http.get(url, headers=as_anna))["activities"][0]["activity_id"]
    ok(http.post(f"{url}/activities/corrections", json={
        "activity_id": activity_id, "minutes": 45, "reason": "Korter dan genoteerd"},
        headers=as_anna))
    refused(http.get(extension, headers=as_anna), "na ondertekening gewijzigd")
