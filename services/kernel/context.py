"""Who acts, for which organisation, under which idempotency key.

Set once at the edge (HTTP request, CLI command, RQ job) and read by the base
event class, so every event is stamped without the domain code passing it around.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from uuid import UUID

SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class Acting:
    org_id: UUID | None
    actor: str  # "user:<uuid>", "client:<id>", "system", "cli:<name>"
    idempotency_key: str | None = None


_acting: ContextVar[Acting] = ContextVar("acting", default=Acting(None, SYSTEM_ACTOR))  # noqa: B039 (frozen)


def current() -> Acting:
    return _acting.get()


@contextmanager
def acting(org_id: UUID | None, actor: str, idempotency_key: str | None = None) -> Iterator[Acting]:
    token = _acting.set(Acting(org_id, actor, idempotency_key))
    try:
        yield _acting.get()
    finally:
        _acting.reset(token)


@contextmanager
def idempotency(key: str | None) -> Iterator[None]:
    """Narrow the current context to one command's idempotency key."""
    now = _acting.get()
    token = _acting.set(Acting(now.org_id, now.actor, key))
    try:
        yield
    finally:
        _acting.reset(token)
