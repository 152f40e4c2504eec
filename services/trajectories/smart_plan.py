"""Matching, coaching plan and progress evaluation: checks of their parts (job carving
agreements, SMART goals, goal results), pure functions the aggregate calls."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import uuid4

from services.trajectories import rules as r
from services.trajectories.rules import require

Data = dict[str, Any]


def checked_carving(job_carving: list[Data]) -> list[Data]:
    """Job carving agreements, each with an owner and a date."""
    carving = []
    for n, agreement in enumerate(job_carving, 1):
        require(
            bool(str(agreement.get("owner") or "").strip()),
            "Jobcarving-afspraak %(n)s: wie is eigenaar?", n=n,
        )
        require(
            isinstance(agreement.get("due"), date), "Jobcarving-afspraak %(n)s: vóór wanneer?",
            n=n,
        )
        carving.append(
            {
                "agreement": r.sealed(agreement.get("agreement"), f"Jobcarving-afspraak {n}"),
                "owner": str(agreement["owner"]).strip(),
                "due": agreement["due"],
            }
        )
    return carving


def checked_goals(goals: list[Data]) -> list[Data]:
    """SMART goals: each needs a measurable criterion, a target date and an owner."""
    require(bool(goals), "Een coachingsplan heeft minstens één SMART-doel")
    clean_goals = []
    for n, goal in enumerate(goals, 1):
        require(goal.get("description") is not None, "Doel %(n)s: omschrijving ontbreekt", n=n)
        require(
            goal.get("criterion") is not None,
            "Doel %(n)s: een SMART-doel vraagt een meetbaar criterium", n=n,
        )
        require(
            isinstance(goal.get("target_date"), date),
            "Doel %(n)s: een SMART-doel vraagt een streefdatum", n=n,
        )
        require(bool(str(goal.get("owner") or "").strip()), "Doel %(n)s: wie is eigenaar?", n=n)
        clean_goals.append(
            {
                "goal_id": goal.get("goal_id") or uuid4().hex[:12],
                "description": r.sealed(goal["description"], f"Doel {n}"),
                "criterion": r.sealed(goal["criterion"], f"Doel {n}: criterium"),
                "target_date": goal["target_date"],
                "owner": str(goal["owner"]).strip(),
            }
        )
    return clean_goals


def checked_results(results: list[Data], known_goals: Iterable[str], on: date) -> list[Data]:
    """Goals reached, not reached (with a reason) or adjusted (with a reason and a new
    target date after the evaluation)."""
    require(bool(results), "Beoordeel minstens één doel")
    known = set(known_goals)
    clean = []
    for result in results:
        require(str(result.get("goal_id")) in known, "Onbekend doel: %(goal)s",
                goal=result.get("goal_id"))
        status = r.one_of(str(result.get("status")), r.GOAL_RESULTS, "Resultaat")
        if status != "reached":
            require(result.get("reason") is not None, "%(result)s: geef de reden",
                    result=r.GOAL_RESULTS[status])
        new_date = result.get("new_target_date")
        if status == "adjusted":
            require(
                isinstance(new_date, date) and new_date > on,
                "Een bijgesteld doel vraagt een nieuwe streefdatum na de evaluatie",
            )
        clean.append(
            {
                "goal_id": str(result["goal_id"]),
                "status": status,
                "reason": r.sealed(result.get("reason"), "Reden", required=False),
                "new_target_date": new_date if status == "adjusted" else None,
            }
        )
    return clean
