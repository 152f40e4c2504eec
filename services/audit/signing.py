"""The organisation's checkpoint signer: an Ed25519 key in settings.audit_key_dir.

The key file is named after the organisation's id (`<id hex>.ed25519.pem`), outside
the database; the log's origin and key name are `<issuer host>/audit/<org id>`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlparse
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.audit.checkpoint import (
    Checkpoint,
    load_or_create_signing_key,
    parse_and_verify_checkpoint,
    sign_checkpoint,
    vkey,
)
from services.kernel.settings import Settings


def origin_for(settings: Settings, org_id: UUID) -> str:
    host = urlparse(settings.token_issuer).netloc or "jobtrail.local"
    return f"{host}/audit/{org_id}"


@dataclass(frozen=True)
class CheckpointSigner:
    origin: str
    private_key: Ed25519PrivateKey

    def sign(self, size: int, root: bytes) -> str:
        return sign_checkpoint(self.origin, size, root, self.private_key, self.origin)

    def vkey(self) -> str:
        return vkey(self.origin, self.private_key.public_key())

    def open(self, note: str) -> Checkpoint:
        """Verify a stored checkpoint with this organisation's key (CheckpointError if not)."""
        return parse_and_verify_checkpoint(note, self.private_key.public_key(), self.origin)


@functools.lru_cache(maxsize=256)
def _signer(key_dir: str, origin: str, org_id: UUID) -> CheckpointSigner:
    return CheckpointSigner(origin, load_or_create_signing_key(key_dir, org_id.hex))


def signer_for(settings: Settings, org_id: UUID) -> CheckpointSigner:
    return _signer(settings.audit_key_dir, origin_for(settings, org_id), org_id)
