"""`jobtrail audit rotate-key`: a new Ed25519 checkpoint key for one organisation.

1. A new key is made next to the current one (`<id hex>-next.ed25519.pem`, outside the
   database like every key), and the rotation is journalled (`key.rotated`, both key
   ids) in the organisation's trail, so the log moves past its last checkpoint.
2. Under the log's head lock (every checkpoint is signed under it): the TRANSITION
   checkpoint at the head is signed by the old and the new key and names both
   (services/audit/checkpoint.py, `jobtrail-sleutelwissel`); the old public key goes into
   `<id hex>.keys.json` with the tree sizes and times it was valid for; the new key
   replaces the old key file, whose private key is thereby gone. Every process re-reads
   the key file when it changes (signing.py), so no checkpoint after the transition is
   signed by the old key.

A rotation interrupted before step 2 leaves the `-next` key behind; running the command
again uses it.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from services.audit.application import AuditJournal
from services.audit.checkpoint import (
    add_signature,
    key_id,
    load_or_create_signing_key,
    rotation_line,
    vkey,
)
from services.audit.signing import history_path, key_path, signer_for
from services.audit.trail import AuditLog
from services.kernel import context


def rotate_key(platform: Any, org_id: UUID) -> dict[str, Any]:
    settings = platform.settings
    new_key = load_or_create_signing_key(settings.audit_key_dir, f"{org_id.hex}-next")
    log = AuditLog(platform, org_id)
    for _ in range(3):  # an automatic checkpoint may land on the very head: move on once more
        old = signer_for(settings, org_id)
        with context.acting(org_id, "system:key-rotation"):
            platform.app(AuditJournal, org_id).record(
                "key.rotated",
                old_key=key_id(old.origin, old.private_key.public_key()).hex(),
                new_key=key_id(old.origin, new_key.public_key()).hex(),
            )
        log.catch_up()
        with log.view.head_locked() as (rows, compact):
            if compact.size == log.view.last_checkpoint_size(rows):
                continue
            new_vkey = vkey(old.origin, new_key.public_key())
            note = old.sign(compact.size, compact.root(), (rotation_line(old.vkey(), new_vkey),))
            note = add_signature(note, new_key, old.origin)
            log.view.store_checkpoint(rows, compact, note)
            now = datetime.now(UTC).isoformat()
            retired = {**old.keys()[-1], "until_size": compact.size, "valid_until": now}
            _write_json(history_path(settings, org_id), {"keys": [*old.history, retired]})
            os.replace(
                key_path(settings, org_id).with_name(f"{org_id.hex}-next.ed25519.pem"),
                key_path(settings, org_id),
            )
            return {"tree_size": compact.size, "old_vkey": old.vkey(), "new_vkey": new_vkey}
    raise RuntimeError("geen overgangscheckpoint kunnen zetten; probeer het opnieuw")


def _write_json(path: Any, data: dict[str, Any]) -> None:
    """Written whole to a temporary file, then renamed over the old one."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
