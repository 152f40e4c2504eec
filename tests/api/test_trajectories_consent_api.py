"""Privacy inside trajectories: a UWV document shares the client's data with the
commissioner, so it needs the client's consent (problem+json naming it); every answer
showing a client's personal data is in that client's read-access log."""

from uuid import UUID

from services.kernel import context
from services.privacy.office import PrivacyOffice
from tests.api import test_trajectories_api as walk
from tests.api.test_trajectories_api import consented, ok, refused
from tests.api.test_trajectories_log_signoff_api import _coached

world = walk.world


def test_uwv_documents_need_the_clients_consent_for_the_commissioner(world, platform):
    http, org, anna, bram, as_anna, as_bram, manager, base = world
    url, grant_id = _coached(http, base, anna, as_anna, platform, org)
    client_id = UUID(ok(http.get(url, headers=as_anna))["client_id"])
    office = PrivacyOffice(platform, org.id)
    with context.acting(org.id, "user:privacy-officer"):
        office.withdraw_consent(client_id, "share_progress", "commissioner", "UWV")
    report = refused(http.get(f"{url}/documents/verantwoording?format=pdf", headers=as_anna),
                     "Delen geweigerd")
    assert "ingetrokken" in report["detail"] and "voortgang en rapportages delen" in report[
        "detail"] and "opdrachtgever" in report["detail"]
    refused(http.get(f"{url}/documents/verantwoording?format=html", headers=as_anna),
            "voortgang en rapportages delen")
    # The application needs the profile consent (still given), the log no consent at all.
    assert http.get(f"{url}/documents/aanvraag?format=pdf", headers=as_anna).status_code == 200
    assert http.get(f"{url}/documents/logboek?format=pdf", headers=as_anna).status_code == 200
    # Consent for another commissioner does not cover UWV; the general one does.
    with context.acting(org.id, "user:privacy-officer"):
        office.give_consent(client_id, "share_progress", "commissioner", "signed",
                            recipient_id="Gemeente Utrecht")
    refused(http.get(f"{url}/documents/verantwoording?format=pdf", headers=as_anna),
            "Delen geweigerd")
    with context.acting(org.id, "user:privacy-officer"):
        office.give_consent(client_id, "share_progress", "commissioner", "email")
    assert http.get(f"{url}/documents/verantwoording?format=pdf",
                    headers=as_anna).status_code == 200

    fresh = ok(http.post(f"{base}/clients", json={"name": "Zonder Toestemming"},
                         headers=as_anna), 201)
    t = ok(http.post(f"{base}/trajectories", json={
        "client_id": fresh["id"], "commissioner": "UWV", "responsible_jobcoach": str(anna.id)},
        headers=as_anna), 201)
    problem = refused(http.get(f"{base}/trajectories/{t['id']}/documents/aanvraag",
                               headers=as_anna), "werknemersprofiel delen")
    assert problem["status"] == 422 and problem["title"]
    consented(platform, org, fresh["id"])
    refused(http.get(f"{base}/trajectories/{t['id']}/documents/aanvraag", headers=as_anna),
            "Ontbreekt")  # with consent: on to what the document itself lacks


def test_every_answer_with_client_data_is_a_logged_read(world, platform):
    http, org, anna, bram, as_anna, as_bram, manager, base = world
    people = [ok(http.post(f"{base}/clients", json={"name": name}, headers=as_anna), 201)
              for name in ("Jan Jansen", "Els de Vries")]
    log = PrivacyOffice(platform, org.id).access_log

    def reads(person):
        return [(x["what"], x["channel"]) for x in log.entries(UUID(person["id"]))]

    assert reads(people[0]) == [("client.profile", "api")]  # the answer to the POST
    listing = ok(http.get(f"{base}/clients", headers=manager))  # unfiltered: names shown
    assert len(listing) == 2
    for person in people:
        assert reads(person).count(("client.list", "api")) == 1
    ok(http.get(f"{base}/clients?q=els", headers=manager))
    assert ("client.search", "api") in reads(people[1])
    assert ("client.search", "api") not in reads(people[0])  # not shown, not logged
    ok(http.get(f"{base}/clients?q=niemand", headers=manager))  # nothing shown: no entry
    t = ok(http.post(f"{base}/trajectories", json={
        "client_id": people[0]["id"], "commissioner": "UWV",
        "responsible_jobcoach": str(anna.id)}, headers=as_anna), 201)
    ok(http.get(f"{base}/trajectories/{t['id']}/timeline", headers=as_anna))
    ok(http.get(f"{base}/trajectories/{t['id']}", headers=as_anna))
    assert {("trajectory.timeline", "api"), ("trajectory", "api")} <= set(reads(people[0]))
    assert http.get(f"{base}/trajectories/{t['id']}", headers=as_bram).status_code == 404
    entries = log.entries(UUID(people[0]["id"]))
    assert f"user:{bram.id}" not in {x["actor"] for x in entries}  # a refusal read nothing
