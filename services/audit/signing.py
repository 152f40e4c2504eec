"""The organisation's checkpoint signer: an Ed25519 key in settings.audit_key_dir.

The key file is named after the organisation's id (`<id hex>.ed25519.pem`), outside
the database; the log's origin and key name are `<issuer host>/audit/<org id>`.

After a key rotation (services/audit/rotation.py) `<id hex>.keys.json` next to it keeps
every earlier PUBLIC key with the tree sizes and times it was valid for; the retired
private key is gone. Server-side verification and exports use that history; the signer
is re-read whenever the key file changes, so every process signs with the new key.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.audit.checkpoint import (
    Checkpoint,
    KeyRing,
    KeyWindow,
    load_or_create_signing_key,
    parse_vkey,
    sign_checkpoint,
    vkey,
)
from services.kernel.settings import Settings


def origin_for(settings: Settings, org_id: UUID) -> str:
    host = urlparse(settings.token_issuer).netloc or "jobtrail.local"
    return f"{host}/audit/{org_id}"


def key_path(settings: Settings, org_id: UUID) -> Path:
    return Path(settings.audit_key_dir) / f"{org_id.hex}.ed25519.pem"


def history_path(settings: Settings, org_id: UUID) -> Path:
    return Path(settings.audit_key_dir) / f"{org_id.hex}.keys.json"


@dataclass(frozen=True)
class CheckpointSigner:
    origin: str
    private_key: Ed25519PrivateKey
    # Earlier keys: {"vkey", "from_size", "until_size", "valid_from", "valid_until"}
    history: tuple[dict[str, Any], ...] = ()

    def sign(self, size: int, root: bytes, extensions: tuple[str, ...] = ()) -> str:
        return sign_checkpoint(
            self.origin, size, root, self.private_key, self.origin, extensions
        )

    def vkey(self) -> str:
        return vkey(self.origin, self.private_key.public_key())

    def current_from_size(self) -> int:
        return max((int(h["until_size"]) for h in self.history), default=0)

    def keys(self) -> list[dict[str, Any]]:
        """Every public key of the log with its validity, oldest first (for exports)."""
        current = {"vkey": self.vkey(), "from_size": self.current_from_size(),
                   "until_size": None, "valid_until": None}
        if self.history:
            current["valid_from"] = self.history[-1].get("valid_until")
        return [*self.history, current]

    def ring(self) -> KeyRing:
        return KeyRing([
            KeyWindow(k["vkey"], *parse_vkey(k["vkey"]), int(k["from_size"]),
                      None if k["until_size"] is None else int(k["until_size"]))
            for k in self.keys()
        ])

    def open(self, note: str) -> Checkpoint:
        """Verify a stored checkpoint with the key valid for its size (CheckpointError if
        not): a checkpoint signed by a retired key after its retirement fails."""
        return self.ring().verify(note)


@functools.lru_cache(maxsize=256)
def _signer(
    key_dir: str, origin: str, org_id: UUID, stamp: tuple[int, int], history: str
) -> CheckpointSigner:
    """Cached per key file version (`stamp`: inode and mtime) and history text."""
    entries = tuple(json.loads(history)["keys"]) if history else ()
    return CheckpointSigner(origin, load_or_create_signing_key(key_dir, org_id.hex), entries)


def signer_for(settings: Settings, org_id: UUID) -> CheckpointSigner:
    path = key_path(settings, org_id)
    if not path.exists():
        load_or_create_signing_key(settings.audit_key_dir, org_id.hex)
    stat = os.stat(path)
    past = history_path(settings, org_id)
    history = past.read_text(encoding="utf-8") if past.exists() else ""
    return _signer(
        settings.audit_key_dir, origin_for(settings, org_id), org_id,
        (stat.st_ino, stat.st_mtime_ns), history,
    )
