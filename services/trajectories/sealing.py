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
from datetime import date, datetime
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.kernel.personal_data import ERASED, SubjectKeys, is_sealed
from services.trajectories.onetrip import subject_key


class Sealer:
    def __init__(self, keys: SubjectKeys, subject_id: UUID, key: bytes | None = None) -> None:
        """`key`: the subject's key when the caller has just read it (one command)."""
        self.subject_id = subject_id
        self._keys = keys
        self._aead: AESGCM | None = AESGCM(key) if key else None

    def seal(self, value: str | None) -> dict[str, str] | None:
        if value is None or not str(value).strip():
            return None
        if self._aead is None:
            key = subject_key(self._keys, self.subject_id, create=True)
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
            key = subject_key(self._keys, UUID(kid), create=False)
            self._aeads[kid] = AESGCM(key) if key else None
        aead = self._aeads[kid]
        if aead is None:
            return ERASED
        nonce, ciphertext = base64.b64decode(sealed["n"]), base64.b64decode(sealed["c"])
        plain = aead.decrypt(nonce, ciphertext, kid.encode())
        return plain.decode()

    def erased(self, subject_id: UUID) -> bool:
        """The subject's key is gone (erased): for text stored before it was sealed."""
        kid = str(subject_id)
        if kid not in self._aeads:
            key = subject_key(self._keys, subject_id, create=False)
            self._aeads[kid] = AESGCM(key) if key else None
        return self._aeads[kid] is None

    def open_tree(self, value: Any) -> Any:
        """A copy of dicts/lists with every sealed value opened."""
        kind = type(value)  # exact types first: this walks every value of a long trajectory
        if kind is dict or (kind not in _LEAVES and isinstance(value, Mapping)):
            if len(value) == 3 and is_sealed(value):
                return self.open(value)
            return {k: self.open_tree(v) for k, v in value.items()}
        if kind is list or kind is tuple:
            return [self.open_tree(v) for v in value]
        return value


_LEAVES = frozenset({str, int, float, bool, type(None), date, datetime})


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
