"""Every portfolio draft handed out is recorded as an event with who, when, which trajectory,
the word count, the SHA-256 of the PDF and the Markdown exactly as delivered, and the
anonymisation check's result; never the text or a name. The jobcoach sees a list of own
drafts (API and page); another jobcoach does not."""

import hashlib
import re
from uuid import UUID

from services.kernel import context
from services.quality.training.application import Development
from services.quality.training.portfolio_drafts import PortfolioDraft
from tests.api.test_quality_portfolio_api import _body, portfolio_case
from tests.integration.test_quality_portfolio import (
    PLANTED,
    feedback,
    self_evaluation,
)
from tests.web_support import signed_in


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_drafts_are_recorded_with_hashes_and_listed(app, platform, orgs, make_token):
    client, org, anna, bram, trajectory, person, auth, other, url = portfolio_case(
        app, platform, orgs, make_token)
    with context.acting(org.id, f"user:{anna.id}"):
        self_evaluation(platform, org, anna, trajectory.id)
        feedback(platform, org, anna, trajectory, person, ["werknemer", "werkgever"])

    refused = client.post(url, headers=auth, json=_body(trajectory.id, "Te kort."))
    assert refused.status_code == 422
    assert client.get(f"{url}/drafts", headers=auth).get_json()["drafts"] == []  # none made

    preview = client.post(url, headers=auth, json=_body(trajectory.id)).get_json()
    document = client.post(f"{url}/pdf", headers=auth, json=_body(trajectory.id))
    markdown = client.post(f"{url}/markdown", headers=auth, json=_body(trajectory.id))
    assert preview["draft"]["markdown_sha256"] == _sha(preview["markdown"].encode())
    assert preview["draft"]["anonymisation"]["passed"] is True
    assert preview["draft"]["anonymisation"]["names_checked"] >= len(PLANTED)
    # Same draft on the same day, same bytes: the preview's PDF hash is the download's.
    assert preview["draft"]["pdf_sha256"] == _sha(document.data)
    assert markdown.headers["X-Draft-Id"] != document.headers["X-Draft-Id"]

    listed = client.get(f"{url}/drafts", headers=auth).get_json()["drafts"]
    assert sorted(d["delivered"] for d in listed) == ["markdown", "pdf", "preview"]
    by_kind = {d["delivered"]: d for d in listed}
    assert by_kind["pdf"]["pdf_sha256"] == _sha(document.data)
    assert by_kind["markdown"]["markdown_sha256"] == _sha(markdown.data)
    assert by_kind["pdf"]["draft_id"] == document.headers["X-Draft-Id"]
    assert {d["trajectory_id"] for d in listed} == {str(trajectory.id)}
    assert {d["word_count"] for d in listed} == {preview["word_count"]}
    assert all(d["anonymised"] and d["jobcoach_id"] == str(anna.id) for d in listed)
    assert client.get(f"{url}/drafts", headers=other).get_json()["drafts"] == []

    # The event: who, when, which case, numbers and hashes; no text, no name.
    development = platform.app(Development, org.id)
    [event] = development.events.get(UUID(by_kind["pdf"]["draft_id"]))
    assert isinstance(event, PortfolioDraft.Created)
    assert event.actor.startswith("client:")  # the API client that acted for the jobcoach
    assert event.timestamp is not None
    assert event.jobcoach_id == anna.id and event.trajectory_id == trajectory.id
    state = repr(vars(event))
    assert not [name for name in PLANTED if name.lower() in state.lower()]

    # The page lists the own drafts with the check's result and the hashes.
    page = signed_in(app, anna).get(f"/o/{org.slug}/mijn-ontwikkeling/portfolio")
    html = page.get_data(as_text=True)
    assert "Mijn gemaakte concepten" in html and by_kind["pdf"]["pdf_sha256"][:12] in html
    assert len(re.findall(r"geslaagd \(\d+ namen gecontroleerd\)", html)) == 3
    other_page = signed_in(app, bram).get(f"/o/{org.slug}/mijn-ontwikkeling/portfolio")
    assert "Je hebt nog geen concept gemaakt." in other_page.get_data(as_text=True)
