"""RQ jobs of the privacy context. Arguments are ids only, never personal data."""

from __future__ import annotations

import logging
from typing import Any

from services.kernel import context

log = logging.getLogger(__name__)


def _office(platform: Any) -> Any:
    from services.privacy.office import PrivacyOffice

    org_id = context.current().org_id
    if org_id is None:
        raise RuntimeError("privacy jobs run for one organisation")
    return PrivacyOffice(platform, org_id)


def daily(platform: Any) -> dict[str, Any]:
    """Flag overdue requests (kept in their history) and apply the retention policy."""
    office = _office(platform)
    flagged = office.flag_overdue()
    from services.privacy import retention

    report = retention.run(office)
    for line in report.lines():
        log.info("%s", line)  # pseudonyms only
    return {"flagged_overdue": flagged, "retention": report.as_dict()}


def retention_run(
    platform: Any, dry_run: str = "", on: str = "", confirmed: str = ""
) -> dict[str, Any]:
    """A retention run as a job with progress. `on`: the reference date of the dry run the
    officer confirmed; `confirmed`: the pseudonyms (client numbers, K-…) it showed, comma
    separated; nothing else is erased. Pseudonyms and dates only: no personal data."""
    from datetime import date

    from services.kernel.jobs import report_progress
    from services.privacy import retention

    report = retention.run(
        _office(platform),
        dry_run=dry_run == "dry-run",
        today=date.fromisoformat(on) if on else None,
        only={p for p in confirmed.split(",") if p} if confirmed else None,
        progress=report_progress,
    )
    for line in report.lines():
        log.info("%s", line)  # pseudonyms only
    return report.as_dict()


def compact_subject_keys(platform: Any) -> str:
    """PostgreSQL keeps a deleted key row in its heap pages until VACUUM; VACUUM FULL
    rewrites the (small) key table so the shredded key is gone from the live files.
    Runs as the database owner (VACUUM needs ownership). SQLite shreds with
    secure_delete already."""
    if not platform.settings.is_postgres:
        return "sqlite: secure_delete"
    from psycopg import sql

    from services.kernel.provision import connect_owner
    from services.kernel.store import schema_for

    schema = schema_for(context.current().org_id)
    with connect_owner(platform.settings) as conn:
        conn.execute(sql.SQL("VACUUM (FULL) {}").format(sql.Identifier(schema, "subject_keys")))
    return "vacuumed"
