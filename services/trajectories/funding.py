"""Funding: hour-cap regimes per commissioner and period, and the cap arithmetic.

UWV's percentages changed over the years (DOMAIN.md), so nothing here knows a
number: an organisation configures its regimes (e.g. "UWV standaard" 10%,
"UWV intensief" 15%) with a validity period, and a grant copies the percentage
in force at its start, so that a later change never rewrites an old grant.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from services.kernel.domain import StampedAggregate
from services.trajectories.rules import nl_date, require

REGIMES_NAMESPACE = uuid5(NAMESPACE_URL, "https://jobtrail.nl/funding-regimes")


class FundingRegimes(StampedAggregate):
    """The organisation's configured regimes; one aggregate per organisation."""

    def __init__(self, id: UUID):  # noqa: A002 - the library passes the id by this name
        self.regimes: list[dict[str, Any]] = []

    @staticmethod
    def id_for(org_id: UUID) -> UUID:
        return uuid5(REGIMES_NAMESPACE, str(org_id))

    def set_regime(
        self,
        commissioner: str,
        name: str,
        percentage: float,
        valid_from: date,
        valid_to: date | None = None,
    ) -> None:
        require(bool(commissioner.strip()), "Opdrachtgever is verplicht")
        require(bool(name.strip()), "Naam van het regime is verplicht")
        require(0 < percentage <= 100, "Percentage: tussen 0 en 100")
        require(valid_to is None or valid_to > valid_from, "Einddatum moet na de begindatum liggen")
        self._set(commissioner.strip(), name.strip(), float(percentage), valid_from, valid_to)

    @event("RegimeSet")
    def _set(
        self,
        commissioner: str,
        name: str,
        percentage: float,
        valid_from: date,
        valid_to: date | None,
    ) -> None:
        # A later setting for the same commissioner, name and start replaces the earlier one.
        self.regimes = [
            r for r in self.regimes
            if (r["commissioner"], r["name"], r["valid_from"]) != (commissioner, name, valid_from)
        ]
        self.regimes.append(
            {
                "commissioner": commissioner,
                "name": name,
                "percentage": percentage,
                "valid_from": valid_from,
                "valid_to": valid_to,
            }
        )

    def in_force(self, commissioner: str, name: str, on: date) -> dict[str, Any] | None:
        candidates = [
            r for r in self.regimes
            if r["commissioner"].lower() == commissioner.strip().lower()
            and r["name"].lower() == name.strip().lower()
            and r["valid_from"] <= on
            and (r["valid_to"] is None or on <= r["valid_to"])
        ]
        return max(candidates, key=lambda r: r["valid_from"], default=None)


def grant_for(grants: Iterable[dict[str, Any]], on: date) -> dict[str, Any] | None:
    return next((g for g in grants if g["period_start"] <= on <= g["period_end"]), None)


def period_weeks(grant: dict[str, Any]) -> float:
    return ((grant["period_end"] - grant["period_start"]).days + 1) / 7


def cap_minutes(grant: dict[str, Any], hours_per_week: float | None) -> int:
    """Granted hours, further capped by the regime's share of the client's working hours
    in the period (when the placement's hours per week are known)."""
    cap = grant["granted_hours"] * 60
    if hours_per_week:
        worked = hours_per_week * period_weeks(grant) * 60
        cap = min(cap, grant["percentage"] / 100 * worked)
    return int(round(cap))


def grant_label(grant: dict[str, Any]) -> str:
    return (
        f"toekenning {grant['commissioner']} {nl_date(grant['period_start'])}"
        f" t/m {nl_date(grant['period_end'])}"
    )


def usage(trajectory: Any) -> list[dict[str, Any]]:
    """Per grant: cap, minutes used, share; for pages, API and documents."""
    result = []
    for grant in sorted(trajectory.grants.values(), key=lambda g: g["period_start"]):
        used = sum(
            a["minutes"] for a in trajectory.live_activities() if a["grant_id"] == grant["grant_id"]
        )
        cap = cap_minutes(grant, trajectory.hours_per_week)
        result.append(
            {
                **grant,
                "cap_minutes": cap,
                "used_minutes": used,
                "share": used / cap if cap else 0.0,
                "label": grant_label(grant),
            }
        )
    return result
