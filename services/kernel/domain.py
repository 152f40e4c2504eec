"""Base aggregate whose events say who acted, for which organisation, and why.

Every event carries `org_id`, `actor` and `idempotency_key`, taken from the
acting context (services.kernel.context) when the event is created.
"""

from __future__ import annotations

from dataclasses import field
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import Aggregate

from services.kernel import context


def _org_id() -> UUID | None:
    return context.current().org_id


def _actor() -> str:
    return context.current().actor


def _idempotency_key() -> str | None:
    return context.current().idempotency_key


def N_(text: str) -> str:  # noqa: N802 - Babel's default marker: extract, translate later
    """Marks a template that is not the literal first argument of a refusal, e.g. the one a
    subclass hands to `super().__init__`, so extraction still finds it."""
    return text


class DomainError(Exception):
    """A command was refused by a domain rule; the message is for the user.

    The message is Dutch text that doubles as the translation key (msgid); values go in
    as named parameters (`DomainError("Cliënt %(number)s is gesloten", number=n)`) so
    the edge can translate the fixed text and fill in the values afterwards
    (services.kernel.messages). Domain code itself stays free of Flask and Babel.
    """

    def __init__(self, message: str = "", /, **params: object) -> None:
        self.template = message
        self.params = params
        super().__init__(message % params if params else message)


class Notice(str):
    """A message for the user that is no refusal, such as a warning: the Dutch text, which
    keeps its template (the msgid) and values apart so the edge translates it like a
    refusal (services.kernel.messages.domain_message)."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, /, **params: object) -> Notice:
        notice = super().__new__(cls, template % params if params else template)
        notice.template, notice.params = template, params
        return notice


class NotFoundError(DomainError):
    pass


class ConflictError(DomainError):
    """The aggregate changed since the caller read it, or the thing exists already."""


COMMAND_NAMESPACE = uuid5(NAMESPACE_URL, "https://jobtrail.nl/commands")
RECENT_KEYS = 32  # enough for client retries; older keys fall out of the window


class StampedAggregate(Aggregate):
    """Aggregate whose events are stamped and which remembers recent idempotency keys.

    The keys live in the aggregate's state (so also in snapshots): a retried
    command is recognised without scanning the event history.
    """

    class Event(Aggregate.Event):
        org_id: UUID | None = field(default_factory=_org_id, init=False)
        actor: str = field(default_factory=_actor, init=False)
        idempotency_key: str | None = field(default_factory=_idempotency_key, init=False)

        def mutate(self, aggregate):  # type: ignore[no-untyped-def]
            aggregate = super().mutate(aggregate)
            if aggregate is not None and self.idempotency_key:
                keys = aggregate.__dict__.get("recent_keys", [])
                aggregate.recent_keys = [*keys, self.idempotency_key][-RECENT_KEYS:]
            return aggregate

    class Created(Event, Aggregate.Created):
        pass

    @classmethod
    def create_id(cls) -> UUID:
        """A creation re-sent with the same idempotency key lands on the same id, so the
        store refuses the duplicate and the application answers the original."""
        acting = context.current()
        if acting.idempotency_key:
            return uuid5(
                COMMAND_NAMESPACE, f"{acting.org_id}:{cls.__qualname__}:{acting.idempotency_key}"
            )
        return uuid4()

    def has_seen(self, idempotency_key: str | None) -> bool:
        return bool(idempotency_key) and idempotency_key in self.__dict__.get("recent_keys", [])
