"""What the API tests share: bearer headers for a member, an organisation with a quality
officer, a jobcoach and her client in a trajectory, and the privacy API's starting point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from services.kernel import context
from services.privacy.application import Privacy
from services.privacy.clock import FrozenClock
from services.quality.satisfaction import links
from services.quality.satisfaction.application import Satisfaction
from tests.api.test_trajectories_api import INTAKE, PROFILE, WORKPLACE, ok


def bearer(make_token: Any, http: Any, org: Any, role: str, user: Any = None) -> dict[str, str]:
    """Authorization headers of an API client with `role`, acting for `user` if given."""
    token = make_token(http, org, role, user.id if user is not None else None)
    return {"Authorization": f"Bearer {token}"}


def officer_coach_and_client(platform: Any, orgs: Any) -> tuple[Any, Any, Any, Any, Any]:
    """(org, quality officer, jobcoach, client Eva, her UWV trajectory with the jobcoach)."""
    org = orgs.create()
    officer = orgs.member(org, "quality_officer", "Daan Kwaliteit")
    coach = orgs.member(org, "jobcoach", "Anna Jobcoach")
    with context.acting(org.id, f"user:{officer.id}"):
        trajectories = platform.trajectories(org.id)
        eva = trajectories.register_client({"name": "Eva Voorbeeld"})
        evas = trajectories.start_trajectory(eva.id, "UWV", coach.id)
    return org, officer, coach, eva, evas


def measuring_2026(platform: Any, org: Any, officer: Any, respondents: dict[str, str],
                   row: dict[str, Any]) -> Any:
    """A satisfaction campaign over 2026 with one trajectory (`row`) in its population."""
    with context.acting(org.id, f"user:{officer.id}"):
        satisfaction = platform.app(Satisfaction, org.id)
        campaign = satisfaction.start_campaign(
            "Meting", date(2026, 1, 1), date(2026, 12, 31), respondents)
        satisfaction.register_population(campaign.id, [row], "test")
    return campaign


def survey_link_token(platform: Any, org: Any, form: str) -> str:
    """The token of a fresh invitation for an employee (`form`) in a campaign of the last
    30 days; the trajectory and client are made-up ids."""
    with context.acting(org.id, "user:officer"):
        satisfaction = platform.app(Satisfaction, org.id)
        campaign = satisfaction.start_campaign("Meting", date.today() - timedelta(30),
                                               date.today(), {"werknemer": form})
        trajectory = uuid4()
        satisfaction.register_population(campaign.id, [{
            "trajectory_id": trajectory, "client_id": uuid4(), "status": "lopend"}], "test")
        return links.invite(platform, org.id, campaign.id, trajectory, "werknemer").token


def profiled_trajectory(http: Any, base: str, coach: Any,
                        headers: dict[str, str]) -> tuple[str, str, str]:
    """A new client's UWV trajectory with intake and both profiles recorded:
    (client id, trajectory id, the trajectory's API URL)."""
    person = ok(http.post(f"{base}/clients", json={"name": "Jan Jansen"}, headers=headers), 201)
    t = ok(http.post(f"{base}/trajectories", json={
        "client_id": person["id"], "commissioner": "UWV", "responsible_jobcoach": str(coach.id)},
        headers=headers), 201)
    url = f"{base}/trajectories/{t['id']}"
    for path, body in (("intake", INTAKE), ("employee-profile", PROFILE),
                       ("workplace-profile", WORKPLACE)):
        ok(http.post(f"{url}/{path}", json=body, headers=headers))
    return person["id"], t["id"], url


@dataclass
class PrivacyApi:
    """An organisation with an officer and a jobcoach whose client Eva is registered, the
    privacy clock frozen on 31 January 2026, and both members' bearer headers."""

    http: Any
    org: Any
    officer: Any
    coach: Any
    client_id: Any
    headers: dict[str, str]  # the officer's
    coach_headers: dict[str, str]
    clock: FrozenClock
    base: str  # the privacy API of the organisation


def privacy_api(app: Any, platform: Any, orgs: Any, make_token: Any,
                **client_fields: str) -> PrivacyApi:
    http = app.test_client()
    org = orgs.create()
    officer = orgs.member(org, "quality_officer")
    coach = orgs.member(org, "jobcoach")
    clock = FrozenClock(date(2026, 1, 31))
    platform.app(Privacy, org.id).clock = clock
    with context.acting(org.id, f"user:{coach.id}"):
        registered = platform.trajectories(org.id).register_client(
            {"name": "Eva Voorbeeld", **client_fields})
    return PrivacyApi(
        http, org, officer, coach, registered.id,
        bearer(make_token, http, org, "quality_officer", officer),
        bearer(make_token, http, org, "jobcoach", coach),
        clock, f"/api/v1/orgs/{org.slug}/privacy",
    )
