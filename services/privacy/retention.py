"""Retention: erase what the organisation's policy says is due, and report it.

A client file is due when the client has no open trajectory and the latest of
(client registered, last trajectory closed, last privacy activity) lies at least
the policy's months in the past. Due clients are erased with legal basis
"retention"; a dry run reports without erasing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.privacy.deadlines import add_months


@dataclass
class RetentionReport:
    org_slug: str
    today: str
    dry_run: bool
    rule_months: int | None
    due: list[dict[str, Any]] = field(default_factory=list)
    erased: list[str] = field(default_factory=list)  # pseudonyms
    kept_open_trajectory: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if self.rule_months is None:
            return [
                f"{self.org_slug}: geen bewaartermijn voor cliëntdossiers ingesteld; niets te doen"
            ]
        verb = "zou wissen" if self.dry_run else "gewist"
        out = [
            f"{self.org_slug}: bewaartermijn cliëntdossier {self.rule_months} maanden,"
            f" peildatum {self.today}{' (proefdraai)' if self.dry_run else ''}",
            f"  {len(self.due)} dossier(s) over de termijn; {verb}:"
            f" {len(self.due) if self.dry_run else len(self.erased)}",
        ]
        out += [f"  - {d['pseudonym']} (laatste activiteit {d['last_activity']})" for d in self.due]
        if self.kept_open_trajectory:
            out.append(f"  bewaard wegens lopend traject: {', '.join(self.kept_open_trajectory)}")
        out += [f"  FOUT: {e}" for e in self.errors]
        return out

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def run(office: Any, *, dry_run: bool = False) -> RetentionReport:
    from services.privacy.erasure import erase_client, pseudonym
    from services.trajectories.clients_view import ClientsView

    organisation = office.platform.registry.organisation(office.org_id)
    today = office.today()
    months = office.app.policy().retention.get("client_file")
    report = RetentionReport(organisation.slug, today.isoformat(), dry_run, months)
    if months is None:
        return report
    erased = office.registers.erased_clients()
    last: dict[str, date] = {}

    def seen(client_id: str, when: date | None) -> None:
        if when is not None and (client_id not in last or when > last[client_id]):
            last[client_id] = when

    clients = office.view(ClientsView)
    for row in clients.records(
        ("client_id", "registered_at"), "SELECT client_id, registered_at FROM {t}trajectory_clients"
    ):
        seen(row["client_id"], _day(row["registered_at"]))
    for row in office.registers.subjects():
        seen(row["client_id"], _day(row["last_activity"]))
    for client_id, reference in sorted(last.items()):
        if client_id in erased or add_months(reference, months) > today:
            continue
        uuid = UUID(client_id)
        trajectories = office.client_trajectories(uuid)
        name = pseudonym(office, uuid)
        if any(t["open"] for t in trajectories):
            report.kept_open_trajectory.append(name)
            continue
        closed = [_day(t["closed_on"]) for t in trajectories if t["closed_on"]]
        reference = max([reference, *[c for c in closed if c]])
        if add_months(reference, months) > today:
            continue
        report.due.append({"pseudonym": name, "last_activity": reference.isoformat()})
        if dry_run:
            continue
        try:
            erase_client(office, uuid, "retention")
            report.erased.append(name)
        except Exception as error:  # one failure must not stop the others; it is reported
            report.errors.append(f"{name}: {type(error).__name__}: {error}")
    return report
