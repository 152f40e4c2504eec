"""The phase of a trajectory, from what has been recorded: shared by the aggregate
(domainmodel.py) and its read side (history.py)."""

from __future__ import annotations

from typing import Any


def phase_of(closed: bool, steps: Any, job_finding: bool, coaching: bool) -> str:
    """The phase from what has been recorded (shared with the history's read side)."""
    if closed:
        return "closed"
    if "final_report" in steps:
        return "closing"
    if coaching:
        return "coaching"
    for step in ("coaching_plan", "placement", "matching", "workplace_profile"):
        if step in steps:
            return step
    if job_finding:
        return "job_finding"
    if "employee_profile" in steps:
        return "employee_profile"
    return "intake"
