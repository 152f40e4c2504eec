"""The follow-up form on the trajectory page: shown after placement, refusals in Dutch,
the result on the page and in the timeline."""

from tests.api.test_trajectories_api import INTAKE, PLACEMENT, PROFILE, WORKPLACE, d, ok
from tests.api.test_trajectories_web import post, signed_in


def test_follow_up_form_on_the_trajectory_page(app, orgs, make_token):
    org = orgs.create("De Brug")
    anna = orgs.member(org, "jobcoach", "Anna de Vries")
    http = app.test_client()
    as_anna = {"Authorization": f"Bearer {make_token(http, org, 'jobcoach', anna.id)}"}
    base = f"/api/v1/orgs/{org.slug}"
    person = ok(http.post(f"{base}/clients", json={"name": "Jan Jansen"}, headers=as_anna), 201)
    t = ok(http.post(f"{base}/trajectories", json={
        "client_id": person["id"], "commissioner": "UWV", "responsible_jobcoach": str(anna.id)},
        headers=as_anna), 201)
    url = f"{base}/trajectories/{t['id']}"
    for path, body in (("intake", INTAKE), ("employee-profile", PROFILE),
                       ("workplace-profile", WORKPLACE)):
        ok(http.post(f"{url}/{path}", json=body, headers=as_anna))

    web = signed_in(app, anna)
    page_url = f"/o/{org.slug}/trajecten/{t['id']}"
    page = web.get(page_url).get_data(as_text=True)
    assert "Follow-up vastleggen" not in page  # only after placement
    refused = post(web, f"{page_url}/follow-up", page, months="6", on=d(1),
                   still_working="true").get_data(as_text=True)
    assert "volgt op een plaatsing" in refused

    ok(http.post(f"{url}/matching", json={"analysis": "Past", "decision": "match",
                                          "reasons": "Rustig", "decided_on": d(160)},
                 headers=as_anna))
    ok(http.post(f"{url}/placement", json=PLACEMENT, headers=as_anna))
    page = web.get(page_url).get_data(as_text=True)
    assert "Follow-up vastleggen" in page and "Nog geen follow-up." in page
    bad = post(web, f"{page_url}/follow-up", page, months="9", on=d(1)).get_data(as_text=True)
    assert "Controleer deze velden" in bad and "termijn" in bad
    page = post(web, f"{page_url}/follow-up", page, months="6", on=d(1), still_working="true",
                hours_per_week="20", note="Werkt nog, blij met het rooster").get_data(as_text=True)
    assert "Follow-up vastgelegd" in page
    assert "werkt nog</strong>" not in page  # hours are shown with it
    assert "werkt nog, 20 uur per week" in page and "Werkt nog, blij met het rooster" in page
    page = post(web, f"{page_url}/follow-up", page, months="12", on=d(0)).get_data(as_text=True)
    assert "Na 12 maanden" in page and "na 12 maanden: werkt niet meer" in page  # timeline
