"""POST /trajectories/<id>/follow-ups: refused before placement (problem+json, Dutch),
If-Match, revisions, after closing, and the note sealed at rest."""

import json
from uuid import UUID

from tests.api import test_trajectories_api as walk
from tests.api.test_trajectories_api import INTAKE, PLACEMENT, PROFILE, WORKPLACE, d, ok, refused

world = walk.world  # the same organisation with Anna, Bram and a manager


def _placed(http, base, anna, as_anna):
    person = ok(http.post(f"{base}/clients", json={"name": "Jan Jansen"}, headers=as_anna), 201)
    t = ok(http.post(f"{base}/trajectories", json={
        "client_id": person["id"], "commissioner": "UWV", "responsible_jobcoach": str(anna.id)},
        headers=as_anna), 201)
    url = f"{base}/trajectories/{t['id']}"
    ok(http.post(f"{url}/intake", json=INTAKE, headers=as_anna))
    ok(http.post(f"{url}/employee-profile", json=PROFILE, headers=as_anna))
    ok(http.post(f"{url}/workplace-profile", json=WORKPLACE, headers=as_anna))
    follow_up = {"months": 6, "on": d(1), "still_working": True, "hours_per_week": 24,
                 "note": "Werkt nog bij de Fietsfabriek, blij met de taken"}
    refused(http.post(f"{url}/follow-ups", json=follow_up, headers=as_anna),
            "volgt op een plaatsing")
    ok(http.post(f"{url}/matching", json={
        "analysis": "Past", "decision": "match", "reasons": "Rustige werkplek",
        "decided_on": d(160)}, headers=as_anna))
    ok(http.post(f"{url}/placement", json=PLACEMENT, headers=as_anna))
    return person, url, follow_up


def test_follow_ups_after_placement_with_if_match_and_revisions(world, platform):
    http, org, anna, bram, as_anna, as_bram, manager, base = world
    person, url, follow_up = _placed(http, base, anna, as_anna)
    version = http.get(url, headers=as_anna).headers["ETag"]

    for bad, field in (({"months": 9}, "months"), ({"still_working": None}, "still_working"),
                       ({"hours_per_week": 80}, "hours_per_week")):
        answer = http.post(f"{url}/follow-ups", json={**follow_up, **bad}, headers=as_anna)
        assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
        assert field in json.dumps(answer.get_json()), answer.get_json()
    refused(http.post(f"{url}/follow-ups", json={**follow_up, "still_working": False},
                      headers=as_anna), "uren per week dan leeg")
    stale = http.post(f"{url}/follow-ups", json=follow_up,
                      headers={**as_anna, "If-Match": '"1"'})
    assert stale.status_code == 412 and stale.mimetype == "application/problem+json"
    done = http.post(f"{url}/follow-ups", json=follow_up, headers={**as_anna, "If-Match": version})
    ok(done, 201)
    assert done.headers["ETag"] == f'"{int(version.strip(chr(34))) + 1}"'
    # The same term again: a revision, the latest counts.
    ok(http.post(f"{url}/follow-ups", json={**follow_up, "still_working": False,
                                            "hours_per_week": None, "note": None},
                 headers=as_anna), 201)
    assert http.post(f"{url}/follow-ups", json=follow_up, headers=as_bram).status_code == 404

    detail = ok(http.get(url, headers=manager))
    assert [(f["months"], f["still_working"], f["revisions"]) for f in detail["follow_ups"]] == [
        (6, False, 2)]
    timeline = ok(http.get(f"{url}/timeline", headers=manager))
    assert [x["summary"] for x in timeline[:2]] == [
        "na 6 maanden: werkt niet meer", "na 6 maanden: werkt nog, 24 uur per week"]
    assert timeline[0]["label"] == "Follow-up na plaatsing"

    # The note is sealed in the stored event: no clear text at rest.
    app = platform.trajectories(org.id)
    stored = [e for e in app.events.get(UUID(detail["id"]))
              if type(e).__name__ == "FollowUpRecorded"]
    assert stored[0].note["kid"] == person["id"] and "Fietsfabriek" not in str(stored[0].note)


def test_follow_up_after_closing_is_aftercare(world):
    http, org, anna, bram, as_anna, as_bram, manager, base = world
    person, url, follow_up = _placed(http, base, anna, as_anna)
    ok(http.post(f"{url}/final-report", json={
        "written_on": d(2), "placement_process": "Geplaatst", "coaching_report": "Kort",
        "results": "Werkt", "support_handover": "Werkbegeleider"}, headers=as_anna))
    ok(http.post(f"{url}/close", json={"reason": "other_help", "aftercare_offered": False,
                                       "on": d(2)}, headers=as_anna))
    ok(http.post(f"{url}/follow-ups", json={**follow_up, "months": 12}, headers=as_anna), 201)
    assert ok(http.get(url, headers=as_anna))["follow_ups"][0]["note"] == follow_up["note"]
