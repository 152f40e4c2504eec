"""The follow-up form on the trajectory page: shown after placement, refusals in Dutch,
the result on the page and in the timeline."""

from tests.api.api_support import profiled_trajectory
from tests.api.test_trajectories_api import PLACEMENT, d, ok
from tests.api.test_trajectories_web import post
from tests.web_support import signed_in


def test_follow_up_form_on_the_trajectory_page(app, orgs, make_token):
    org = orgs.create("De Brug")
    anna = orgs.member(org, "jobcoach", "Anna de Vries")
    http = app.test_client()
    as_anna = {"Authorization": f"Bearer {make_token(http, org, 'jobcoach', anna.id)}"}
    base = f"/api/v1/orgs/{org.slug}"
    _, trajectory_id, url = profiled_trajectory(http, base, anna, as_anna)

    web = signed_in(app, anna)
    page_url = f"/o/{org.slug}/trajecten/{trajectory_id}"
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
