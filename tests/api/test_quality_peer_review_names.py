"""Peer-review cases are checked automatically against every name in the organisation's
client data (clients and network contacts, opened with their subject keys): every planted
name is found; the 422 says where, never which name or whose; erased clients' names can
no longer be opened and so no longer count; another organisation's clients do not count."""

import re
from datetime import date, timedelta

from services.kernel import context
from tests.web_support import CSRF, signed_in

TODAY = date.today()
# (client, network contacts): planted in the organisation's client data.
CLIENTS = (("Marieke Zonneveld", ("Gerrit Zonneveld",)),
           ("Ingrid Baarsma-de Wit", ("Yusuf Öztürk", "Henk Oosterbeek")))
EVERY_NAME = ["Marieke", "Zonneveld", "Gerrit", "Ingrid", "Baarsma", "Wit", "Yusuf", "Öztürk",
              "Henk", "Oosterbeek"]


def _plant(platform, org, clients=CLIENTS):
    app = platform.trajectories(org.id)
    ids = []
    for name, network in clients:
        client = app.register_client({"name": name, "email": "x@example.nl"})
        for contact in network:
            app.add_network_contact(client.id, contact, "family", True, TODAY)
        ids.append(client.id)
    return ids


def _session(anna, bram, *cases):
    return {"held_on": TODAY.isoformat(), "topic": "Grenzen stellen",
            "facilitator_id": str(anna.id), "hours": 2,
            "participants": [str(anna.id), str(bram.id)],
            "cases": [{"label": label, "summary": summary} for label, summary in cases],
            "learning_points": [], "actions": []}


def test_names_in_cases_are_refused_over_the_api(app, platform, orgs, make_token):
    client = app.test_client()
    org, other = orgs.create(), orgs.create()
    anna, bram = orgs.member(org, "jobcoach", "Anna"), orgs.member(org, "jobcoach", "Bram")
    with context.acting(org.id, f"user:{anna.id}"):
        marieke, ingrid = _plant(platform, org)
    with context.acting(other.id, "user:elsewhere"):
        _plant(platform, other, (("Wilhelmina Kuiper", ()),))
    officer = {"Authorization": f"Bearer {make_token(client, org, 'quality_officer')}"}
    url = f"/api/v1/orgs/{org.slug}/quality/peer-reviews"

    planted = " ".join(f"{n} sprak met {n.upper()}." for n in EVERY_NAME)
    refused = client.post(url, headers=officer, json=_session(
        anna, bram, ("Casus A", "Werknemer met wisselende inzet op de werkvloer"),
        ("Casus Gerrit", planted)))
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    detail = refused.get_json()["detail"]
    words = [int(w) for w in re.findall(r"casus 2, samenvatting, woord (\d+)", detail)]
    assert len(words) == 2 * len(EVERY_NAME)  # every planted name, in either case
    assert words[:4] == [1, 4, 5, 8] and "casus 2, titel, woord 2" in detail
    assert "casus 1" not in detail
    shown = detail.casefold()
    assert not [n for n in EVERY_NAME if n.casefold() in shown]  # never echoed
    assert "netwerk" not in shown  # nor whose name it is

    accents = client.post(url, headers=officer, json=_session(
        anna, bram, ("Casus B", "De werknemer belde met yusuf ozturk over zijn rooster.")))
    assert accents.status_code == 422  # the full name, accents and case ignored, found once
    assert re.findall(r"woord (\d+)", accents.get_json()["detail"]) == ["5"]
    elsewhere = client.post(url, headers=officer, json=_session(
        anna, bram, ("Casus C", "Wilhelmina Kuiper is een cliënt van een andere organisatie.")))
    assert elsewhere.status_code == 201  # another organisation's clients are not ours
    clean = client.post(url, headers=officer, json=_session(
        anna, bram, ("Casus D", "Werknemer met wisselende inzet; de werkgever wil verlengen.")))
    assert clean.status_code == 201

    platform.subject_keys(org.id).shred(marieke)  # erased: the name cannot be opened anymore
    after = client.post(url, headers=officer, json=_session(
        anna, bram, ("Casus E", "Marieke en Ingrid spraken over hun werkplek.")))
    assert after.status_code == 422
    assert re.findall(r"woord (\d+)", after.get_json()["detail"]) == ["3"]
    del ingrid


def test_names_in_cases_are_refused_on_the_form(app, platform, orgs):
    org = orgs.create()
    officer = orgs.member(org, "quality_officer", "Daan")
    anna, bram = orgs.member(org, "jobcoach", "Anna"), orgs.member(org, "jobcoach", "Bram")
    with context.acting(org.id, f"user:{anna.id}"):
        _plant(platform, org)
    web = signed_in(app, officer)
    url = f"/o/{org.slug}/kwaliteit/intervisie/nieuw"
    token = CSRF.search(web.get(url).get_data(as_text=True))[1]
    form = {"csrf_token": token, "held_on": TODAY.isoformat(), "topic": "Grenzen stellen",
            "facilitator_id": str(anna.id), "hours": "2",
            "participants": [str(anna.id), str(bram.id)], "cases-0-title": "Casus A",
            "cases-0-summary": "Werknemer belt 's avonds; Henk Oosterbeek maakt zich zorgen.",
            "actions-0-due_on": (TODAY + timedelta(30)).isoformat()}
    refused = web.post(url, data=form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "casus 1, samenvatting, woord 5" in html
    assert "Henk Oosterbeek maakt zich zorgen.</textarea>" in html  # the author's text kept
    form["cases-0-summary"] = "Werknemer belt 's avonds; de werkbegeleider maakt zich zorgen."
    assert web.post(url, data=form).status_code == 302
