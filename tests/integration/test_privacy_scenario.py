"""A client with unique canary values planted through every service that holds client
data today, shared by the privacy tests (erasure, inventory, export, jobs)."""

from __future__ import annotations

import contextlib
import dataclasses
import random
import secrets
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from services.kernel import context
from services.kernel.personal_data import is_sealed
from services.privacy.clock import FrozenClock
from services.privacy.export import make_export
from services.privacy.office import PrivacyOffice
from services.quality.satisfaction.application import Satisfaction

TODAY = date(2026, 3, 2)


def valid_bsn() -> str:
    while True:
        digits = [random.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True))
        last = total % 11
        if last <= 9 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


@dataclass
class Planted:
    org: Any
    officer: Any
    coach: Any
    client_id: UUID
    trajectory_id: UUID
    request_id: UUID
    canaries: dict[str, str]
    clock: FrozenClock
    office: PrivacyOffice


def plant(platform: Any, orgs: Any) -> Planted:
    token = secrets.token_hex(6)
    canaries = {
        "name": f"Kanarie{token}",
        "email": f"kanarie.{token}@voorbeeld.nl",
        "phone": f"06{random.randint(10**7, 10**8 - 1)}",
        "bsn": valid_bsn(),
        "note": f"De cliënt vertelde over haar vogel {token} tijdens het coachingsgesprek",
        "limitation": f"Snel vermoeid na {token} uur",
        "network": f"Netwerkkanarie{token}",
        "requester": f"Vertegenwoordiger{token}",
        "exemption": f"Overleden {token} in het ziekenhuis",
    }
    org = orgs.create()
    officer = orgs.member(org, "quality_officer", "Functionaris")
    coach = orgs.member(org, "jobcoach", "Coach")
    office = PrivacyOffice(platform, org.id)
    clock = FrozenClock(TODAY)
    office.app.clock = clock
    trajectories = platform.trajectories(org.id)
    trajectories.clock = lambda: clock.now().date()
    with context.acting(org.id, f"user:{coach.id}"):
        client = trajectories.register_client(
            {
                "name": canaries["name"],
                "email": canaries["email"],
                "phone": canaries["phone"],
            }
        )
        trajectories.describe_support_need(client.id, canaries["limitation"], "Goed met handen")
        trajectories.add_network_contact(
            client.id, canaries["network"], "family", True, TODAY - timedelta(days=3)
        )
        trajectory = trajectories.start_trajectory(client.id, "UWV", coach.id)
        trajectories.record_step(
            trajectory.id,
            "intake",
            {
                "held_on": TODAY - timedelta(days=1),
                "reason": "Re-integratie",
                "question": "Werk vinden",
                "motivation": "Zelfstandigheid",
                "life_world": "Woont zelfstandig",
                "network": "Zus",
                "phases_agreed": "Alle fasen",
                "expectations": "Betaald werk",
                "follow_up": canaries["note"],
                "agreed_in_writing": True,
                "code_of_conduct_discussed": True,
                "werkfit_plan": False,
            },
        )
    with context.acting(org.id, f"user:{officer.id}"):
        office.enable_bsn("Wet SUWI art. 62: gegevensuitwisseling met UWV")
        office.record_bsn(client.id, canaries["bsn"])
        office.give_consent(
            client.id,
            "contact_network",
            "network_contact",
            "signed",
            recipient_name=canaries["network"],
        )
        request = office.register_request(
            client.id,
            "access",
            "letter",
            requester=canaries["requester"],
            details=f"Wil alles zien; bel {canaries['phone']}",
        )
        office.extend_request(request.id, f"Veel dossiers; {canaries['name']} geïnformeerd")
        make_export(office, client.id, request.id, "web")
        # A survey exemption's reason is the client's data too (sealed with their key).
        satisfaction = platform.app(Satisfaction, org.id)
        campaign = satisfaction.start_campaign(
            "Meting", TODAY - timedelta(days=30), TODAY + timedelta(days=300),
            {"werknemer": "uwv-beoordeling-werknemer"},
        )
        satisfaction.register_population(campaign.id, [
            {"trajectory_id": trajectory.id, "client_id": client.id, "jobcoach_id": coach.id,
             "status": "lopend"}], "test")
        satisfaction.exempt(campaign.id, trajectory.id, "werknemer", canaries["exemption"])
    return Planted(
        org, officer, coach, client.id, trajectory.id, request.id, canaries, clock, office
    )


# Scanning ------------------------------------------------------------------------------
def inflated(blob: bytes) -> bytes:
    """The bytes plus every zlib stream inside them (PDF content, RQ job payloads)."""
    parts = [blob]
    for marker in (b"stream\r\n", b"stream\n", b"x\x9c", b"x\xda", b"x\x01"):
        start = 0
        while (found := blob.find(marker, start)) != -1:
            offset = found + (len(marker) if marker.startswith(b"stream") else 0)
            with contextlib.suppress(zlib.error):
                parts.append(zlib.decompressobj().decompress(blob[offset:]))
            start = found + 1
    return b"\n".join(parts)


def hits(blob: bytes, canaries: dict[str, str]) -> list[str]:
    text = inflated(blob)
    return [
        name
        for name, value in canaries.items()
        if value.encode() in text or value.encode("latin-1", "ignore") in text
    ]


def stored_events(platform: Any, org_id: UUID) -> list[tuple[str, int, str, bytes]]:
    """(app, notification id, topic, stored state bytes) of every org application."""
    from services.catalogue import ORG_APPS

    found = []
    for app_class in ORG_APPS:
        app = platform.app(app_class, org_id)
        for n in app.recorder.select_notifications(start=1, limit=1_000_000):
            found.append((app.name, n.id, n.topic, bytes(n.state)))
    return found


def readable_with_platform_keys(platform: Any, org_id: UUID) -> str:
    """Everything someone holding ALL platform keys can read from the stored events:
    decrypted event state, with every sealed value opened where a subject key remains."""
    from services.catalogue import ORG_APPS

    keys = platform.subject_keys(org_id)
    chunks: list[str] = []

    def walk(value: Any) -> None:
        if is_sealed(value):
            chunks.append(str(keys.open(value)))
        elif isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list | tuple):
            for inner in value:
                walk(inner)
        else:
            chunks.append(str(value))

    for app_class in ORG_APPS:
        app = platform.app(app_class, org_id)
        for n in app.recorder.select_notifications(start=1, limit=1_000_000):
            event = app.mapper.to_domain_event(n)
            for f in dataclasses.fields(event):
                walk(getattr(event, f.name))
    return "\n".join(chunks)


def test_the_scenario_plants_every_canary_readably(platform, orgs):
    planted = plant(platform, orgs)
    readable = readable_with_platform_keys(platform, planted.org.id)
    missing = [k for k, v in planted.canaries.items() if v not in readable]
    assert not missing, f"not planted: {missing}"
    raw = b"".join(state for *_, state in stored_events(platform, planted.org.id))
    assert hits(raw, planted.canaries) == []  # at rest: encrypted and compressed
