"""What the privacy page tests share: an organisation with an officer, two jobcoaches
with a client each, a frozen privacy clock, and signed-in test clients that post forms
with their CSRF token."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.kernel import context
from services.privacy.application import Privacy
from services.privacy.clock import FrozenClock
from tests.web_support import signed_in

CSRF = re.compile(r'name="([\w-]*csrf_token)"[^>]*?value="([^"]+)"')
TODAY = date(2026, 1, 5)


class Browser:
    """A signed-in test client that fills in forms the way a browser would."""

    def __init__(self, app: Any, user: Any) -> None:
        self.client = signed_in(app, user)
        # Every signed-in page carries the token (the logout button's form).
        html = self.client.get("/orgs", follow_redirects=True).get_data(as_text=True)
        self.csrf = CSRF.search(html)[2]

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, **kwargs)

    def text(self, url: str) -> str:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data(as_text=True)

    def post(self, url: str, prefix: str = "", **fields: Any) -> Any:
        data = {f"{prefix}csrf_token": self.csrf}
        data |= {f"{prefix}{name}": value for name, value in fields.items()}
        return self.client.post(url, data=data)


@dataclass
class PrivacyDesk:
    platform: Any
    org: Any
    officer: Any
    coach: Any
    other_coach: Any
    clock: FrozenClock
    mine: Any  # client of `coach`, with an open trajectory
    theirs: Any  # client of `other_coach`
    officer_web: Browser
    app: Any

    @property
    def base(self) -> str:
        return f"/o/{self.org.slug}/privacy"

    def browser(self, user: Any) -> Browser:
        return Browser(self.app, user)


def privacy_desk(app: Any, platform: Any, orgs: Any) -> PrivacyDesk:
    org = orgs.create("Werkpad Jobcoaching")
    officer = orgs.member(org, "quality_officer", "Daan Kwaliteit")
    coach = orgs.member(org, "jobcoach", "Anna de Vries")
    other_coach = orgs.member(org, "jobcoach", "Bram Jansen")
    clock = FrozenClock(TODAY)
    platform.app(Privacy, org.id).clock = clock
    trajectories = platform.trajectories(org.id)
    with context.acting(org.id, f"user:{officer.id}"):
        mine = trajectories.register_client({"name": "Eva Voorbeeld"})
        trajectories.start_trajectory(mine.id, "UWV", coach.id)
        theirs = trajectories.register_client({"name": "Piet Ander"})
        trajectories.start_trajectory(theirs.id, "UWV", other_coach.id)
    return PrivacyDesk(
        platform, org, officer, coach, other_coach, clock, mine, theirs,
        Browser(app, officer), app,
    )


def other_organisation(platform: Any, orgs: Any) -> tuple[Any, dict[str, str]]:
    """A second organisation with one of each thing, and their ids (never reachable from A)."""
    from services.privacy.office import PrivacyOffice

    org = orgs.create("Anderwerk")
    officer = orgs.member(org, "quality_officer")
    with context.acting(org.id, f"user:{officer.id}"):
        client = platform.trajectories(org.id).register_client({"name": "Geheim Elders"})
        desk = PrivacyOffice(platform, org.id)
        request = desk.register_request(client.id, "access", "email")
        breach = desk.app.detect_breach(desk.now(), "Elders gelekt", "Niet van A")
        activity = desk.app.register_activity(
            {"name": "Elders", "purposes": "x", "legal_basis": "y", "data_subjects": "z",
             "data_categories": "w"}
        )
    return org, {
        "client_id": str(client.id),
        "request_id": str(request.id),
        "breach_id": str(breach.id),
        "activity_id": str(activity.id),
        "erasure_id": str(client.id),
        "document_id": "abc123",
    }
