"""RQ jobs of the audit context. Arguments are ids and dates only."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from services.kernel import context
from services.kernel.jobs import report_progress


def pack_dir(platform: Any, org_id: Any, export_id: str) -> Path:
    return Path(platform.settings.data_dir) / "evidence" / str(org_id) / export_id


def export_evidence_pack(platform: Any, mark: str, start: str, end: str, export_id: str) -> str:
    """Build the pack for the acting organisation and write its files; returns the dir."""
    from services.audit.evidence import build_pack
    from services.audit.pack_export import write_pack
    from services.audit.signing import signer_for

    org_id = context.current().org_id
    org = platform.registry.organisation(org_id)
    out = pack_dir(platform, org_id, export_id)
    report_progress(0, 6, "bewijs verzamelen")
    pack = build_pack(platform, org, mark, date.fromisoformat(start), date.fromisoformat(end))
    write_pack(
        pack,
        out,
        signer_for(platform.settings, org_id),
        progress=lambda done, total, message: report_progress(done, total + 1, message),
        checkpoints=[c["note"] for c in platform.audit_trails(org_id)[0].checkpoints()],
    )
    (out / ".done").write_text(json.dumps({"export_id": export_id}), encoding="utf-8")
    report_progress(6, 6, "klaar")
    return str(out)


def verify_all(platform: Any) -> int:
    """Scheduled tamper check of every organisation; returns how many failed. A failure
    journals an integrity alert in that organisation (see AuditLog.verify)."""
    from uuid import UUID

    from services.audit.trail import AuditLog
    from services.kernel.views import catch_up

    catch_up(platform.directory)  # an organisation created a moment ago is checked too
    failed = 0
    for org in platform.directory.organisations():
        org_id = UUID(org["org_id"])
        with context.acting(org_id, "system:audit-verify"):
            log = AuditLog(platform, org_id)
            log.catch_up()  # events the log has not read yet are not missing from it
            failed += not log.verify().ok
    return failed


def end_expired_grants(platform: Any, now: str = "") -> dict[str, int]:
    """Daily: end the membership of every auditor whose grant's period is over (`now`:
    an ISO time, for a run as of another moment; default the current time)."""
    from datetime import UTC, datetime

    from services.audit.expiry import end_expired

    at = datetime.fromisoformat(now) if now else datetime.now(UTC)
    return {"ended": end_expired(platform, at)}
