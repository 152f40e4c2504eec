"""Tombstones for clients erased before the tombstone table existed.

Shredding now leaves a tombstone (services.kernel.personal_data: no new key for an
erased subject), but clients erased earlier have none, so a new key could still be made
for them. Their ClientErasure events are the record of who was erased: provisioning
(`jobtrail db init`, a new organisation) copies them into tombstones. Idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from services.privacy.application import Privacy
from services.privacy.subjects import ClientErasure

log = logging.getLogger(__name__)
BATCH = 500


def erased_subject_ids(app: Privacy) -> Iterator[UUID]:
    """Every subject with an erasure record: from the events, not the read model, which
    may still be catching up or being rebuilt."""
    topic = get_topic(ClientErasure.Created)
    start = 1
    while batch := app.recorder.select_notifications(start=start, limit=BATCH, topics=[topic]):
        for notification in batch:
            yield app.mapper.to_domain_event(notification).client_id
        start = batch[-1].id + 1


def backfill_tombstones(platform: Any, org_id: UUID) -> int:
    """Tombstones for the organisation's erased subjects that lack one; how many were added."""
    keys = platform.subject_keys(org_id)
    erased = list(erased_subject_ids(platform.app(Privacy, org_id)))
    added = keys.remember_erased(erased)
    if added:
        still_keyed = [subject for subject in erased if keys.exists(subject)]
        log.warning("org %s: %d tombstone(s) added for earlier erasures; %d of the erased"
                    " subjects have a key again", org_id, added, len(still_keyed))
    return added
