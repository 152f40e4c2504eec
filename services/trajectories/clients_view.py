"""Client list: number, sealed name (opened only when shown), trajectories."""

from __future__ import annotations

import json
from typing import Any

from services.kernel.views import Rows, View, handles
from services.trajectories.clients import Client
from services.trajectories.domainmodel import Trajectory

COLUMNS = ("client_id", "number", "name", "registered_at", "trajectories")


class ClientsView(View):
    name = "trajectory_clients"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}trajectory_clients ("
        " client_id TEXT PRIMARY KEY, number TEXT NOT NULL, name TEXT NOT NULL,"
        " registered_at TEXT NOT NULL, trajectories INTEGER NOT NULL)",
    )

    @handles(Client.Created)
    def _registered(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}trajectory_clients VALUES (%s, %s, %s, %s, 0)"
            " ON CONFLICT (client_id) DO NOTHING",
            (str(e.originator_id), e.number, json.dumps(e.contact["name"]),
             e.timestamp.isoformat()),
        )

    @handles(Client.ContactDataRevised)
    def _revised(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}trajectory_clients SET name = %s WHERE client_id = %s",
            (json.dumps(e.contact["name"]), str(e.originator_id)),
        )

    @handles(Trajectory.Created)
    def _trajectory(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}trajectory_clients SET trajectories = trajectories + 1"
            " WHERE client_id = %s",
            (str(e.client_id),),
        )

    def clients(self, opener: Any, search: str = "") -> list[dict[str, Any]]:
        """Every client with the name opened; `search` matches number or name."""
        rows = self.records(
            COLUMNS, f"SELECT {', '.join(COLUMNS)} FROM {{t}}trajectory_clients ORDER BY number"
        )
        needle = search.strip().lower()
        result = []
        for row in rows:
            row["name"] = opener.open(json.loads(row["name"]))
            if needle and needle not in row["name"].lower() and needle not in row["number"].lower():
                continue
            result.append(row)
        return result
