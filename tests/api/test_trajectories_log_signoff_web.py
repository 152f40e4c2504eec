"""The sign-off form on the trajectory page: signatures per grant period, the extension
request's missing parts on the page until the log is signed."""

from tests.api.test_trajectories_log_signoff_api import _coached
from tests.api.test_trajectories_web import post
from tests.web_support import signed_in


def test_sign_the_log_on_the_trajectory_page(app, platform, orgs, make_token):
    org = orgs.create("De Brug")
    anna = orgs.member(org, "jobcoach", "Anna de Vries")
    http = app.test_client()
    as_anna = {"Authorization": f"Bearer {make_token(http, org, 'jobcoach', anna.id)}"}
    url, grant_id = _coached(http, f"/api/v1/orgs/{org.slug}", anna, as_anna, platform, org)
    page_url = f"/o/{org.slug}/trajecten/{url.rsplit('/', 1)[1]}"

    web = signed_in(app, anna)
    page = web.get(page_url).get_data(as_text=True)
    assert "Ondertekening logboek" in page and "nog niet ondertekend" in page
    assert "ondertekend door de cliënt" in page  # the extension request's missing parts
    bad = post(web, f"{page_url}/ondertekening", page, grant_id=grant_id, role="client",
               on="2020-01-01", method="paper").get_data(as_text=True)
    assert "Controleer deze velden" in bad and "naam ondertekenaar" in bad
    page = post(web, f"{page_url}/ondertekening", page, grant_id=grant_id, role="client",
                signer_name="Jan Jansen", on=_today(page), method="paper").get_data(as_text=True)
    assert "Ondertekening vastgelegd" in page and "Cliënt Jan Jansen" in page
    page = post(web, f"{page_url}/ondertekening", page, grant_id=grant_id, role="employer",
                signer_name="Els Werkgever", on=_today(page), method="digital"
                ).get_data(as_text=True)
    assert "Els Werkgever" in page and "digitaal akkoord" in page
    assert "ondertekend door de cliënt" not in page
    document = web.get(f"{page_url}/documenten/vervolgaanvraag.html")
    assert document.status_code == 200 and "Vervolgaanvraag jobcoaching" in document.get_data(
        as_text=True)


def _today(page):
    import re

    return re.search(r'id="ls-on" type="date" name="on" value="([0-9-]+)"', page)[1]
