"""Sealing and opening a client's free text in bulk with one key look-up.

SubjectKeys.seal/open read the key table on every call; a trajectory page opens
hundreds of values of ONE client, so these helpers fetch that key once per call
site and never keep it beyond it (a cached key would survive an erasure).
The format is exactly SubjectKeys' own: {"kid", "n", "c"}, AAD = subject id.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.kernel.personal_data import ERASED, SubjectKeys, is_sealed


class Sealer:
    def __init__(self, keys: SubjectKeys, subject_id: UUID) -> None:
        self.subject_id = subject_id
        self._keys = keys
        self._aead: AESGCM | None = None

    def seal(self, value: str | None) -> dict[str, str] | None:
        if value is None or not str(value).strip():
            return None
        if self._aead is None:
            key = self._keys._key(self.subject_id, create=True)  # noqa: SLF001
            assert key is not None
            self._aead = AESGCM(key)
        nonce = os.urandom(12)
        ciphertext = self._aead.encrypt(
            nonce, str(value).strip().encode(), str(self.subject_id).encode()
        )
        return {"kid": str(self.subject_id), "n": _b64(nonce), "c": _b64(ciphertext)}


class Opener:
    """Opens sealed values, one key look-up per subject for this opener's life."""

    def __init__(self, keys: SubjectKeys) -> None:
        self._keys = keys
        self._aeads: dict[str, AESGCM | None] = {}

    def open(self, sealed: Any) -> str | None:
        if sealed is None:
            return None
        if not is_sealed(sealed):
            return str(sealed)
        kid = sealed["kid"]
        if kid not in self._aeads:
            key = self._keys._key(UUID(kid), create=False)  # noqa: SLF001
            self._aeads[kid] = AESGCM(key) if key else None
        aead = self._aeads[kid]
        if aead is None:
            return ERASED
        nonce, ciphertext = base64.b64decode(sealed["n"]), base64.b64decode(sealed["c"])
        plain = aead.decrypt(nonce, ciphertext, kid.encode())
        return plain.decode()

    def open_tree(self, value: Any) -> Any:
        """A copy of dicts/lists with every sealed value opened."""
        if is_sealed(value):
            return self.open(value)
        if isinstance(value, Mapping):
            return {k: self.open_tree(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.open_tree(v) for v in value]
        return value


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
