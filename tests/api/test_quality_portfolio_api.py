"""The portfolio over HTTP: jobcoach only (quality:own), own trajectories only; JSON with
Markdown, a PDF and a Markdown file; refusals as 422 with every reason."""

import io

from pypdf import PdfReader

from services.kernel import context
from services.quality.satisfaction import formdefs
from tests.api.api_support import bearer
from tests.integration.test_quality_portfolio import (
    REFLECTION,
    build_case,
    feedback,
    goals,
    self_evaluation,
)


def _body(trajectory_id, reflection=REFLECTION):
    return {
        "trajectory_id": str(trajectory_id), "reflection": reflection,
        "learning_goals": [
            {"goal": g.goal, "reality": g.reality, "options": g.options,
             "way_forward": g.way_forward, "criterion": g.criterion,
             "target_date": g.target_date.isoformat()} for g in goals()],
    }


def portfolio_case(app, platform, orgs, make_token):
    """Jobcoach Anna's trajectory to write a portfolio on, her bearer headers and those of
    another jobcoach (Bram), and the portfolio API's URL."""
    client = app.test_client()
    org = orgs.create()
    anna = orgs.member(org, "jobcoach", "Anna Jobcoach")
    bram = orgs.member(org, "jobcoach", "Bram")
    with context.acting(org.id, f"user:{anna.id}"):
        trajectory, person = build_case(platform, org, anna)
    auth = bearer(make_token, client, org, "jobcoach", anna)
    other = bearer(make_token, client, org, "jobcoach", bram)
    url = f"/api/v1/orgs/{org.slug}/quality/me/portfolio"
    return client, org, anna, bram, trajectory, person, auth, other, url


def test_portfolio_over_http(app, platform, orgs, make_token):
    client, org, anna, _, trajectory, person, auth, other, url = portfolio_case(
        app, platform, orgs, make_token)
    manager = bearer(make_token, client, org, "manager")

    listing = client.get(url, headers=auth).get_json()
    [row] = listing["trajectories"]
    assert row["trajectory_id"] == str(trajectory.id) and not row["ready"]
    assert row["annexes"] == {"self": False, "employee": False, "employer": False}
    assert listing["limits"]["min_words"] == 1000
    assert client.get(url, headers=other).get_json()["trajectories"] == []
    assert client.get(url, headers=manager).status_code == 403  # not a jobcoach scope

    missing = client.post(url, headers=auth, json=_body(trajectory.id))
    assert missing.status_code == 422 and missing.mimetype == "application/problem+json"
    assert [r[:10] for r in missing.get_json()["reasons"]] == ["Bijlage 1:", "Bijlage 2:",
                                                                "Bijlage 3:"]
    english = client.post(url, headers={**auth, "Accept-Language": "en"},
                          json=_body(trajectory.id)).get_json()
    assert [r[:8] for r in english["reasons"]] == ["Annex 1:", "Annex 2:", "Annex 3:"]
    assert english["detail"].startswith("The portfolio cannot be made like this: (1) Annex 1:")
    listed = client.get(url, headers={**auth, "Accept-Language": "en"}).get_json()
    assert [m[:8] for m in listed["trajectories"][0]["missing"]] == [
        "Annex 1:", "Annex 2:", "Annex 3:"]
    with context.acting(org.id, f"user:{anna.id}"):
        self_evaluation(platform, org, anna, trajectory.id)
        feedback(platform, org, anna, trajectory, person, ["werknemer", "werkgever"])
    assert client.get(url, headers=auth).get_json()["trajectories"][0]["ready"]

    drafted = client.post(url, headers=auth, json=_body(trajectory.id))
    assert drafted.status_code == 200, drafted.get_json()
    body = drafted.get_json()
    assert 1000 <= body["word_count"] <= 2500 and body["toc"][0] == "1 Situatieschets"
    assert "## Inhoudsopgave" in body["markdown"] and "Marieke" not in body["markdown"]
    assert drafted.headers["Cache-Control"] == "no-store"

    document = client.post(f"{url}/pdf", headers=auth, json=_body(trajectory.id))
    assert document.mimetype == "application/pdf"
    assert document.headers["Content-Disposition"].endswith('.pdf"')
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(document.data)).pages)
    assert "Inhoudsopgave" in text and "Zonneveld" not in text
    markdown = client.post(f"{url}/markdown", headers=auth, json=_body(trajectory.id))
    assert markdown.mimetype == "text/markdown" and markdown.data.decode() == body["markdown"]

    slipped = client.post(url, headers=auth, json=_body(
        trajectory.id, REFLECTION + " Henk Oosterbeek hielp mij daarbij."))
    assert slipped.status_code == 422
    assert "naam van de werkbegeleider" in slipped.get_json()["reasons"][0]
    short = client.post(url, headers=auth, json={**_body(trajectory.id), "learning_goals": []})
    assert short.get_json()["reasons"] == ["Formuleer drie SMART-leerdoelen; er zijn er nu 0."]

    for headers in (other, manager):  # another jobcoach's case does not exist for them
        refused = client.post(f"{url}/pdf", headers=headers, json=_body(trajectory.id))
        assert refused.status_code in (403, 404) and b"Zonneveld" not in refused.data
    assert client.post(url, headers=other, json=_body(trajectory.id)).status_code == 404

    # A self-evaluation is tied only to an own trajectory.
    evaluation = {"answers": {i.id: 3 for i in formdefs.form("noloc-zelfevaluatie").items},
                  "trajectory_id": str(trajectory.id)}
    selfeval = f"/api/v1/orgs/{org.slug}/quality/me/self-evaluations"
    assert client.post(selfeval, headers=other, json=evaluation).status_code == 404
    assert client.post(selfeval, headers=auth, json=evaluation).status_code == 201
