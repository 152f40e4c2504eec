"""Roles within an organisation and the API scopes each role may hold."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    JOBCOACH = "jobcoach"
    MANAGER = "manager"
    QUALITY_OFFICER = "quality_officer"
    ORG_ADMIN = "org_admin"
    AUDITOR = "auditor"  # external; access only through a time-boxed grant (services/audit)


ROLE_LABELS_NL = {
    Role.JOBCOACH: "Jobcoach",
    Role.MANAGER: "Manager",
    Role.QUALITY_OFFICER: "Kwaliteitsfunctionaris",
    Role.ORG_ADMIN: "Beheerder organisatie",
    Role.AUDITOR: "Auditor (extern)",
}

# Scopes are "<area>:<read|write>". A jobcoach's reads are narrowed to the own caseload
# by the services themselves; scopes only say which areas a role may touch at all.
ROLE_SCOPES: dict[Role, frozenset[str]] = {
    # quality:own = the jobcoach's own training record, readiness and self-evaluation.
    Role.JOBCOACH: frozenset(
        {"directory:read", "trajectories:read", "trajectories:write", "quality:own"}
    ),
    # A manager also assigns and re-assigns trajectories (continuity when a jobcoach is away).
    Role.MANAGER: frozenset(
        {
            "directory:read",
            "trajectories:read",
            "trajectories:write",
            "quality:read",
            "reports:read",
            "audit:read",
        }
    ),
    Role.QUALITY_OFFICER: frozenset(
        {
            "directory:read",
            "trajectories:read",
            "quality:read",
            "quality:write",
            "privacy:read",
            "privacy:write",
            "reports:read",
            "audit:read",
            "audit:write",
        }
    ),
    Role.ORG_ADMIN: frozenset(
        {"directory:read", "directory:write", "reports:read", "audit:read", "audit:write"}
    ),
    # audit:write = grant auditors, sign checkpoints. An auditor only ever reads.
    Role.AUDITOR: frozenset({"audit:read"}),
}

# Roles that see personal data of clients: a second factor is required for them
# unless the organisation has switched that off (only the demo organisation does).
SEES_CLIENT_DATA = frozenset({Role.JOBCOACH, Role.MANAGER, Role.QUALITY_OFFICER})

# A jobcoach sees the own caseload; these roles see the whole organisation.
SEES_WHOLE_ORGANISATION = frozenset({Role.MANAGER, Role.QUALITY_OFFICER})


def scopes_for(role: Role) -> frozenset[str]:
    return ROLE_SCOPES[role]
