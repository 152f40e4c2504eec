"""Argon2id password and secret hashing (argon2-cffi: the reference implementation's bindings)."""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # Argon2id with the library's RFC 9106 low-memory profile

MIN_PASSWORD_LENGTH = 10


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(hashed: str | None, secret: str) -> bool:
    if not hashed:
        # Spend the same time as a real check, so unknown accounts are not revealed by timing.
        _hasher.verify(_DUMMY, "x" * MIN_PASSWORD_LENGTH)
        return False
    try:
        return _hasher.verify(hashed, secret)
    except (VerificationError, InvalidHashError):
        return False


def use_parameters(parameters: Parameters) -> None:
    """Tests only: a cheaper Argon2id profile (argon2.profiles.CHEAPEST) keeps them fast."""
    global _hasher, _DUMMY
    _hasher = PasswordHasher.from_parameters(parameters)
    _DUMMY = _hasher.hash("x" * MIN_PASSWORD_LENGTH)


_DUMMY = _hasher.hash("x" * MIN_PASSWORD_LENGTH)
