"""Demo data: one realistic organisation with a user for every role."""

from __future__ import annotations

from typing import Any

from services.kernel import context
from services.kernel.auth.roles import Role
from services.kernel.domain import NotFoundError
from services.trajectories import demo_data as trajectory_demo

DEMO_SLUG = "de-brug"
DEMO_PASSWORD = "demo-wachtwoord"

STAFF = (
    ("anna.jobcoach@de-brug.example", "Anna de Vries", Role.JOBCOACH),
    ("bram.jobcoach@de-brug.example", "Bram Jansen", Role.JOBCOACH),
    ("carla.manager@de-brug.example", "Carla Bakker", Role.MANAGER),
    ("daan.kwaliteit@de-brug.example", "Daan Visser", Role.QUALITY_OFFICER),
    ("eva.beheer@de-brug.example", "Eva Smit", Role.ORG_ADMIN),
)


def seed(platform: Any) -> list[tuple[str, str]]:
    """Create the demo organisation once; later runs find it and change nothing."""
    registry = platform.registry
    with context.acting(None, "cli:demo"):
        try:
            registry.organisation_by_slug(DEMO_SLUG)
        except NotFoundError:
            _create(platform)
    return [(email, role.value) for email, _, role in STAFF]


def _create(platform: Any) -> None:
    registry = platform.registry
    # The demo runs without a second factor so that every role can log in at once.
    org = platform.create_organisation(
        "De Brug Jobcoaching", DEMO_SLUG, "69599084", totp_required=False
    )
    users = []
    for email, name, role in STAFF:
        user = registry.register_user(email, name, DEMO_PASSWORD)
        users.append(registry.grant_membership(user.id, org.id, role))
    with context.acting(org.id, "cli:demo"):
        trajectories = platform.trajectories(org.id)
        # A year of trajectories in every phase, with the consents their documents need.
        trajectory_demo.seed(trajectories, users[:2], platform)
        from services.quality import demo as quality_demo

        quality_demo.seed(platform, org, users)
        from services.privacy import demo as privacy_demo

        privacy_demo.seed(platform, org)
