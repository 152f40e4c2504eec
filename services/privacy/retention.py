"""Retention: erase what the organisation's policy says is due, and report it.

client_file: due when the client has no open trajectory and the latest of (client
registered, last trajectory closed, last privacy activity) lies at least the policy's
months in the past; the client is erased with legal basis "retention".
complaint_file: a closed complaint of someone who is not a client (their data is sealed
with a key of their own) is due the policy's months after closing; that key is shredded.
A client's complaint is sealed with the client's key and goes with the client file.
A dry run reports without erasing.
"""

from __future__ import annotations

from collections.abc import Callable
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
    complaints: dict[str, Any] | None = None  # the complaint_file rule, when set
    not_confirmed: list[str] = field(default_factory=list)  # due, but not in the confirmed run

    def lines(self) -> list[str]:
        verb = "zou wissen" if self.dry_run else "gewist"
        if self.rule_months is None:
            out = [
                f"{self.org_slug}: geen bewaartermijn voor cliëntdossiers ingesteld; niets te doen"
            ]
        else:
            out = [
                f"{self.org_slug}: bewaartermijn cliëntdossier {self.rule_months} maanden,"
                f" peildatum {self.today}{' (proefdraai)' if self.dry_run else ''}",
                f"  {len(self.due)} dossier(s) over de termijn; {verb}:"
                f" {len(self.due) if self.dry_run else len(self.erased)}",
            ]
            out += [
                f"  - {d['pseudonym']} (laatste activiteit {d['last_activity']})" for d in self.due
            ]
            if self.kept_open_trajectory:
                kept = ", ".join(self.kept_open_trajectory)
                out.append(f"  bewaard wegens lopend traject: {kept}")
            out += [f"  FOUT: {e}" for e in self.errors]
        c = self.complaints
        if c is not None:
            out.append(
                f"{self.org_slug}: bewaartermijn klachtdossier {c['months']} maanden na sluiten;"
                f" {len(c['due'])} over de termijn; {verb}:"
                f" {len(c['due']) if self.dry_run else len(c['erased'])}"
            )
            out += [f"  - {d['pseudonym']} (gesloten {d['closed_on']})" for d in c["due"]]
            if c["kept_client_file"]:
                kept = ", ".join(c["kept_client_file"])
                out.append(f"  klachten van cliënten gaan mee met het cliëntdossier: {kept}")
            out += [f"  FOUT: {e}" for e in c["errors"]]
        if self.not_confirmed:
            out.append(f"niet bevestigd, dus niet gewist: {', '.join(self.not_confirmed)}")
        return out

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RetentionReport:
        """A report back from a job's result (as_dict went through Redis)."""
        return cls(**data)


def _day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


Progress = Callable[[int, int, str], None]


def run(
    office: Any,
    *,
    dry_run: bool = False,
    today: date | None = None,
    only: set[str] | None = None,
    progress: Progress | None = None,
) -> RetentionReport:
    """Find what is due on `today` (default: the office's today) and erase it, unless a
    dry run. `only`: the pseudonyms the officer confirmed after a dry run; anything else
    that has become due meanwhile is reported as not confirmed and left alone.
    `progress(done, total, message)` is told after each erasure."""
    from services.privacy.erasure import erase_client, erase_subject

    organisation = office.platform.registry.organisation(office.org_id)
    today = today or office.today()
    months = office.app.policy().retention.get("client_file")
    report = RetentionReport(organisation.slug, today.isoformat(), dry_run, months)
    clients = _due_client_files(office, report, today) if months is not None else []
    report.complaints = _complaint_files(office, today)
    complaints = report.complaints.pop("_subjects") if report.complaints else []
    work = [
        (name, report.erased, report.errors, lambda u: erase_client(office, u, "retention"), uuid)
        for name, uuid in clients
    ]
    if report.complaints is not None:
        c = report.complaints
        work += [
            (name, c["erased"], c["errors"],
             lambda u, n=name: erase_subject(office, u, n, "retention"), uuid)
            for name, uuid in complaints
        ]
    if dry_run:
        return report
    confirmed = [w for w in work if only is None or w[0] in only]
    report.not_confirmed = [w[0] for w in work if only is not None and w[0] not in only]
    total = len(confirmed)
    if progress:
        progress(0, total, "wissen")
    for done, (name, erased, errors, erase, uuid) in enumerate(confirmed, start=1):
        try:
            erase(uuid)
            erased.append(name)
        except Exception as error:  # one failure must not stop the others; it is reported
            errors.append(f"{name}: {type(error).__name__}: {error}")
        if progress:
            progress(done, total, name)
    return report


def _due_client_files(office: Any, report: RetentionReport, today: date) -> list[tuple[str, UUID]]:
    """Client files past the client_file rule on `today` (recorded in report.due)."""
    from services.privacy.erasure import pseudonym
    from services.trajectories.clients_view import ClientsView

    months = report.rule_months
    assert months is not None
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
    numbers = office.client_numbers()  # in client-number order: reports read naturally
    due = []
    for client_id, reference in sorted(last.items(), key=lambda i: (numbers.get(i[0], "~"), i)):
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
        due.append((name, uuid))
    return due


def complaint_pseudonym(complaint_id: UUID) -> str:
    return f"K-{complaint_id.hex[:8].upper()}"


def _complaint_files(office: Any, today: date) -> dict[str, Any] | None:
    """Closed complaints past the complaint_file rule, of complainants who are not clients;
    `_subjects` lists (pseudonym, subject id) to erase (taken out before reporting)."""
    from services.quality.complaints.application import Complaints
    from services.quality.complaints.register import ComplaintRegisterView

    months = office.app.policy().retention.get("complaint_file")
    if months is None:
        return None
    section: dict[str, Any] = {
        "months": months, "due": [], "erased": [], "kept_client_file": [], "errors": [],
        "_subjects": [],
    }
    complaints = office.platform.app(Complaints, office.org_id)
    rows = office.view(ComplaintRegisterView).records(
        ("complaint_id", "closed_on"),
        "SELECT complaint_id, closed_on FROM {t}complaint_register"
        " WHERE closed_on IS NOT NULL ORDER BY closed_on, complaint_id",
    )
    for row in rows:
        closed = _day(row["closed_on"])
        if closed is None or add_months(closed, months) > today:
            continue
        complaint = complaints.complaint(UUID(row["complaint_id"]))
        number = office.client_number(complaint.subject_id)
        if number is not None:
            if number not in section["kept_client_file"]:
                section["kept_client_file"].append(number)
            continue
        if office.app.erasure(complaint.subject_id) is not None:
            continue  # erased before
        name = complaint_pseudonym(complaint.id)
        section["due"].append({"pseudonym": name, "closed_on": closed.isoformat()})
        section["_subjects"].append((name, complaint.subject_id))
    return section
