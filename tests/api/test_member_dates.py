"""The staff page shows since when each member works here ("before records" for
memberships from before dates were kept) and who left when, in Dutch and English."""

from __future__ import annotations

import re
from datetime import date

from tests.integration.test_dated_memberships import _undated_grant, _user
from tests.web_support import signed_in


def test_staff_page_shows_since_and_until(app, orgs, platform):
    org = orgs.create()
    admin = _user(platform, "Anna de Vries")
    platform.registry.grant_membership(admin.id, org.id, "org_admin", date(2025, 3, 1))
    _undated_grant(platform, _user(platform, "Bram Jansen"), org, "jobcoach")
    gone = _user(platform, "Carla Smit")
    platform.registry.grant_membership(gone.id, org.id, "jobcoach", date(2024, 1, 8))
    platform.registry.end_membership(gone.id, org.id, date(2026, 9, 1))
    client = signed_in(app, admin)

    html = client.get(f"/o/{org.slug}/medewerkers").get_data(as_text=True)
    current, former = html.split("Vertrokken medewerkers</h2>")
    rows = re.findall(r'<th scope="row">(.*?)</th>.*?</a></td>\s*<td>([^<]+)</td>', current,
                      re.DOTALL)
    assert rows == [("Anna de Vries", "01-03-2025"), ("Bram Jansen", "vóór de registratie")]
    assert "Carla Smit" not in current
    cells = re.findall(r"<td>([^<]+)</td>", former.split("<tbody>")[1])
    assert cells == ["Jobcoach", "08-01-2024", "01-09-2026"]

    english = client.get(f"/o/{org.slug}/medewerkers?lang=en").get_data(as_text=True)
    assert "Employed since" in english and "before records" in english
    assert "Former staff</h2>" in english and "Left on" in english


def test_members_api_gives_the_joining_day(app, orgs, platform, make_token):
    org = orgs.create()
    _undated_grant(platform, _user(platform, "Bram Jansen"), org, "jobcoach")
    anna = _user(platform, "Anna de Vries")
    platform.registry.grant_membership(anna.id, org.id, "manager", date(2025, 3, 1))
    client = app.test_client()
    token = make_token(client, org, "manager")
    response = client.get(f"/api/v1/orgs/{org.slug}/members",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [(m["name"], m["joined_on"]) for m in response.get_json()] == [
        ("Anna de Vries", "2025-03-01"), ("Bram Jansen", None)]
