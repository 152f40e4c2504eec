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
    )
    (out / ".done").write_text(json.dumps({"export_id": export_id}), encoding="utf-8")
    report_progress(6, 6, "klaar")
    return str(out)


def verify_all(platform: Any) -> int:
    """Scheduled tamper check of every organisation; returns how many failed. A failure
    journals an integrity alert in that organisation (see AuditLog.verify)."""
    from uuid import UUID

    from services.audit.trail import AuditLog

    failed = 0
    for org in platform.directory.organisations():
        org_id = UUID(org["org_id"])
        with context.acting(org_id, "system:audit-verify"):
            failed += not AuditLog(platform, org_id).verify().ok
    return failed
