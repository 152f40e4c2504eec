"""What quality reads from the trajectories context, in ONE place.

Interfaces, so the rest of quality does not depend on how trajectories store things:
- `population(platform, org_id, first, last)`: the trajectories of a measurement period
  (ended in it: completed AND broken off; optionally still running), for survey campaigns;
- `practice_hours(platform, org_id)`: registered trajectory hours and the first day of
  practice per jobcoach, for register readiness (the WorkdayView adds every registered
  activity up per jobcoach across all clients; withdrawn activities have 0 minutes);
- `trajectories_of(platform, org_id, jobcoach_id)` and `case(platform, org_id, id)`: a
  jobcoach's own (also earlier) trajectories and one of them with its client, for the
  portfolio;
- `client_names(platform, org_id)`: every (sealed) name in the organisation's client
  data, clients and their network contacts, for checking peer-review cases;
- `client_by_number(platform, org_id, number)`, `client_of(platform, org_id, trajectory_id)`,
  `is_client(platform, org_id, client_id)` and `client_numbers(platform, org_id)`: which
  client a complaint or survey row is about, by pseudonym (client numbers are not
  personal data).
Only the Trajectories application's public API is used.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic


def _scan(platform: Any, org_id: UUID) -> dict[UUID, dict[str, Any]]:
    """Every trajectory from its Created, Reassigned and Closed events (no aggregate loads)."""
    from services.trajectories.domainmodel import Trajectory

    app = platform.trajectories(org_id)
    topics = [get_topic(c) for c in (Trajectory.Created, Trajectory.Reassigned, Trajectory.Closed)]
    found: dict[UUID, dict[str, Any]] = {}
    start = 1
    while True:
        batch = app.recorder.select_notifications(start=start, limit=500, topics=topics)
        if not batch:
            break
        for notification in batch:
            e = app.mapper.to_domain_event(notification)
            if isinstance(e, Trajectory.Created):
                found[e.originator_id] = {
                    "trajectory_id": e.originator_id, "client_id": e.client_id,
                    "jobcoach_id": e.responsible_jobcoach, "status": "lopend", "ended_on": None,
                    "jobcoaches": {e.responsible_jobcoach},
                }
            elif e.originator_id in found and isinstance(e, Trajectory.Reassigned):
                found[e.originator_id]["jobcoach_id"] = e.jobcoach
                found[e.originator_id]["jobcoaches"].add(e.jobcoach)
            elif e.originator_id in found and isinstance(e, Trajectory.Closed):
                found[e.originator_id].update(
                    status="afgebroken" if e.reason == "broken_off" else "afgerond",
                    ended_on=e.on,
                )
        start = batch[-1].id + 1
    return found


def population(
    platform: Any, org_id: UUID, first: date, last: date, *, include_running: bool = False
) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in entry.items() if k != "jobcoaches"}
        for entry in _scan(platform, org_id).values()
        if (entry["ended_on"] is not None and first <= entry["ended_on"] <= last)
        or (include_running and entry["ended_on"] is None)
    ]


def trajectories_of(platform: Any, org_id: UUID, jobcoach_id: UUID) -> list[dict[str, Any]]:
    """The trajectories this jobcoach is or was responsible for (a warm handover keeps the
    earlier jobcoach's own case), without the set of jobcoaches."""
    return [
        {k: v for k, v in entry.items() if k != "jobcoaches"}
        for entry in _scan(platform, org_id).values()
        if jobcoach_id in entry["jobcoaches"]
    ]


def case(platform: Any, org_id: UUID, trajectory_id: UUID, jobcoach_id: UUID) -> tuple[Any, Any]:
    """(record, client) of one of the jobcoach's own trajectories; 404 for any other.

    The record is the trajectory's full history (every step with its texts, still
    sealed) where the application offers it, else the aggregate itself."""
    from services.kernel.domain import NotFoundError

    app = platform.trajectories(org_id)
    read = getattr(app, "history", None) or app.trajectory
    try:
        record = read(trajectory_id)
    except NotFoundError:
        raise NotFoundError("Traject niet gevonden") from None
    earlier = {UUID(str(h["from"])) for h in getattr(record, "handovers", [])}
    if jobcoach_id != record.responsible_jobcoach and jobcoach_id not in earlier:
        raise NotFoundError("Traject niet gevonden")
    try:
        client = app.client(record.client_id)
    except NotFoundError:
        client = None
    return record, client


def practice_hours(platform: Any, org_id: UUID) -> dict[str, dict[str, Any]]:
    """{jobcoach id: {"hours": float, "first_day": date | None}} from registered activities."""
    from services.trajectories.workday import WorkdayView

    view = platform.view(WorkdayView, org_id)
    rows = view.records(
        ("jobcoach_id", "minutes", "first_day"),
        "SELECT jobcoach_id, SUM(minutes), MIN(on_day) FROM {t}trajectory_workday"
        " WHERE minutes > 0 GROUP BY jobcoach_id",
    )
    return {
        row["jobcoach_id"]: {
            "hours": round(int(row["minutes"]) / 60, 2),
            "first_day": date.fromisoformat(row["first_day"]) if row["first_day"] else None,
        }
        for row in rows
    }


def client_names(platform: Any, org_id: UUID) -> list[tuple[str, Any]]:
    """("client" | "network", sealed name) of every client and network contact, from the
    clients' events (one scan, no aggregate loads; earlier names too, until erased)."""
    from services.trajectories.clients import Client

    app = platform.trajectories(org_id)
    kinds = {Client.Created: "client", Client.ContactDataRevised: "client",
             Client.NetworkContactAdded: "network"}
    topics = [get_topic(c) for c in kinds]
    found: list[tuple[str, Any]] = []
    start = 1
    while True:
        batch = app.recorder.select_notifications(start=start, limit=500, topics=topics)
        if not batch:
            break
        for notification in batch:
            e = app.mapper.to_domain_event(notification)
            kind = kinds.get(type(e))
            if kind == "network":
                found.append((kind, e.name))
            elif kind == "client":
                found.append((kind, (e.contact or {}).get("name")))
        start = batch[-1].id + 1
    return [(kind, name) for kind, name in found if name is not None]


def _clients_view(platform: Any, org_id: UUID) -> Any:
    from services.kernel.views import catch_up
    from services.trajectories.clients_view import ClientsView

    view = platform.view(ClientsView, org_id)
    catch_up(view)  # a client registered a moment ago is found too
    return view


def client_by_number(platform: Any, org_id: UUID, number: str) -> UUID | None:
    rows = _clients_view(platform, org_id).records(
        ("client_id",), "SELECT client_id FROM {t}trajectory_clients WHERE number = %s",
        ((number or "").strip().upper(),))
    return UUID(rows[0]["client_id"]) if rows else None


def is_client(platform: Any, org_id: UUID, client_id: UUID) -> bool:
    """Whether the id is a client registered in this organisation."""
    return bool(_clients_view(platform, org_id).records(
        ("client_id",), "SELECT client_id FROM {t}trajectory_clients WHERE client_id = %s",
        (str(client_id),)))


def client_numbers(platform: Any, org_id: UUID) -> dict[str, str]:
    """client id -> client number."""
    rows = _clients_view(platform, org_id).records(
        ("client_id", "number"), "SELECT client_id, number FROM {t}trajectory_clients")
    return {row["client_id"]: row["number"] for row in rows}


def client_of(platform: Any, org_id: UUID, trajectory_id: UUID) -> UUID | None:
    """The client of one of the organisation's trajectories; None for an unknown one."""
    from services.kernel.domain import NotFoundError

    try:
        return platform.trajectories(org_id).trajectory(trajectory_id).client_id
    except NotFoundError:
        return None
