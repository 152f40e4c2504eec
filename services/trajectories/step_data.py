"""The data of a step with a fixed set of fields (intake, employee profile, workplace
profile, placement, final report), checked field by field (rules.STEPS)."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.trajectories import rules as r
from services.trajectories.rules import require

Data = dict[str, Any]


def checked(spec: r.Step, data: Data, today: date) -> Data:
    """The data of a fixed-field step checked against its spec (rules.STEPS): required parts,
    sealed texts, short plain texts, dates not in the future, ticked conditions, hours."""
    clean: Data = {}
    unknown = set(data) - {f.name for f in spec.fields}
    require(not unknown, "Onbekende velden: %(fields)s", fields=", ".join(sorted(unknown)))
    for field in spec.fields:
        value = data.get(field.name)
        if value in (None, "") and field.kind != "true":
            require(not field.required, "%(step)s: %(field)s ontbreekt", step=spec.label,
                    field=field.label)
            clean[field.name] = False if field.kind == "bool" else None
            continue
        if field.kind == "text":
            clean[field.name] = r.sealed(value, field.label)
        elif field.kind == "plain":
            require(isinstance(value, str) and len(value) <= 200, "%(field)s: te lang",
                    field=field.label)
            clean[field.name] = value.strip()
        elif field.kind in ("date", "past_date"):
            require(isinstance(value, date), "%(field)s: geen geldige datum", field=field.label)
            if field.kind == "past_date":
                r.not_future(value, today, field.label)
            clean[field.name] = value
        elif field.kind == "true":
            require(value is True, "%(step)s: %(field)s is een voorwaarde", step=spec.label,
                    field=field.label.lower())
            clean[field.name] = True
        elif field.kind == "bool":
            clean[field.name] = bool(value)
        elif field.kind == "hours":
            require(
                isinstance(value, int | float) and 0 < value <= 60,
                "%(field)s: tussen 0 en 60", field=field.label,
            )
            clean[field.name] = float(value)
    return clean
