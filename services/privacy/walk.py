"""Find every event class and every read-model column of the registered applications
(what the personal-data inventory must classify)."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
from collections.abc import Iterable, Iterator
from typing import Any

from eventsourcing.domain import CanMutateAggregate
from eventsourcing.utils import get_topic

from services.kernel.domain import StampedAggregate

BASE_FIELDS = frozenset(
    {
        "originator_id",
        "originator_version",
        "timestamp",
        "originator_topic",
        "org_id",
        "actor",
        "idempotency_key",
    }
)


def aggregates_of(app_class: type) -> list[type[StampedAggregate]]:
    """Aggregates defined in the application's package (every module of it, imported)."""
    package_name = app_class.__module__.rsplit(".", 1)[0]
    package = importlib.import_module(package_name)
    modules = [package]
    for info in pkgutil.iter_modules(package.__path__, prefix=f"{package_name}."):
        if info.name.rsplit(".", 1)[1] in ("api", "views", "web", "cli"):
            continue  # edges define no aggregates and may need a Flask app context
        modules.append(importlib.import_module(info.name))
    found: dict[str, type[StampedAggregate]] = {}
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, StampedAggregate)
                and value is not StampedAggregate
                and value.__module__.startswith(package_name)
            ):
                found[get_topic(value)] = value
    return list(found.values())


def event_classes(aggregate: type) -> list[type]:
    """The aggregate's own event classes (nested, including those made by @event)."""
    found = []
    for name in dir(aggregate):
        value = getattr(aggregate, name, None)
        if (
            isinstance(value, type)
            and issubclass(value, CanMutateAggregate)
            and value.__qualname__.startswith(aggregate.__qualname__ + ".")
        ):
            found.append(value)
    return found


def event_fields(event_class: type) -> list[str]:
    return [f.name for f in dataclasses.fields(event_class) if f.name not in BASE_FIELDS]


def all_events(app_classes: Iterable[type]) -> Iterator[tuple[str, type]]:
    seen: set[str] = set()
    for app_class in app_classes:
        for aggregate in aggregates_of(app_class):
            for event_class in event_classes(aggregate):
                topic = get_topic(event_class)
                if topic not in seen:
                    seen.add(topic)
                    yield topic, event_class


_CONSTRAINT = re.compile(r"^(PRIMARY|UNIQUE|FOREIGN|CHECK|CONSTRAINT)\b", re.IGNORECASE)


def view_columns(view_class: Any) -> Iterator[tuple[str, str]]:
    """(table, column) of every CREATE TABLE in a View's `tables` DDL."""
    for statement in view_class.tables:
        match = re.match(
            r"\s*CREATE TABLE (?:IF NOT EXISTS )?\{t\}(\w+)\s*\((.*)\)\s*$", statement, re.S
        )
        if not match:
            continue
        table, body = match.groups()
        depth, part, parts = 0, "", []
        for char in body:
            depth += char == "("
            depth -= char == ")"
            if char == "," and depth == 0:
                parts.append(part)
                part = ""
            else:
                part += char
        parts.append(part)
        for definition in parts:
            definition = definition.strip()
            if definition and not _CONSTRAINT.match(definition):
                yield table, definition.split()[0]
