"""The signed jobcoach log: what a grant period's sign-off needs before an extension request.

DOMAIN.md: "a complete, signed log is a precondition for an extension request". Complete:
every activity of the period (aftercare aside) serves a goal and has a justification.
Signed: for every grant period the request covers, by the client and by the employer or
the workplace supervisor, and the log is still what they signed (a signature records the
period's number of activities and minutes; any later change shows as unsigned).
Works on the presented (opened) trajectory, like documents.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.trajectories import rules as r

Data = dict[str, Any]
EMPLOYER_SIDE = ("employer", "supervisor")


def grants_in(p: Data, first: date, last: date) -> list[Data]:
    return [g for g in p["grants"] if g["period_start"] <= last and g["period_end"] >= first]


def incomplete_activities(p: Data, first: date, last: date) -> list[str]:
    """'dd-mm-jjjj uu:mm (zonder doel, zonder verantwoording)' per incomplete activity."""
    found = []
    for a in sorted(p["activities"], key=lambda a: (a["on"], a["start"])):
        if not (first <= a["on"] <= last and a["minutes"] > 0) or a["kind"] == r.AFTERCARE:
            continue
        lacks = [what for what, present in (("zonder doel", a["goal_ids"]),
                                             ("zonder verantwoording", a["justification"]))
                 if not present]
        if lacks:
            found.append(f"{r.nl_date(a['on'])} {a['start_clock']} ({', '.join(lacks)})")
    return found


def valid_signatures(p: Data, grant_id: str) -> list[Data]:
    return [s for s in p["log_signatures"] if s["grant_id"] == grant_id and s["current"]]


def missing_for_extension(p: Data, first: date, last: date) -> dict[str, bool]:
    """The parts of a complete, signed log, each True when present (documents._require)."""
    incomplete = incomplete_activities(p, first, last)
    shown = "; ".join(incomplete[:5]) + (f" en {len(incomplete) - 5} meer"
                                          if len(incomplete) > 5 else "")
    needs = {
        f"Volledig logboek: activiteiten zonder doel of verantwoording: {shown}":
            not incomplete,
    }
    grants = grants_in(p, first, last)
    needs["Toekenning in de periode (het logboek wordt per toekenningsperiode ondertekend)"] = (
        bool(grants))
    for grant in grants:
        signed = {s["role"] for s in valid_signatures(p, grant["grant_id"])}
        changed = any(not s["current"] for s in p["log_signatures"]
                      if s["grant_id"] == grant["grant_id"])
        again = " (het logboek is na ondertekening gewijzigd)" if changed else ""
        needs[f"Logboek van de {grant['label']} ondertekend door de cliënt{again}"] = (
            "client" in signed)
        needs[f"Logboek van de {grant['label']} ondertekend door de werkgever of"
              f" werkbegeleider{again}"] = bool(signed & set(EMPLOYER_SIDE))
    return needs


def signature_rows(p: Data, first: date, last: date) -> list[list[str]]:
    """Every signature of the grant periods in [first, last], for the log's sign-off."""
    labels = {g["grant_id"]: g["label"] for g in grants_in(p, first, last)}
    return [[
        labels[s["grant_id"]], s["role_label"], s["signer_name"] or "—", r.nl_date(s["on"]),
        s["method_label"], "geldig" if s["current"] else "vervallen: logboek daarna gewijzigd",
    ] for s in p["log_signatures"] if s["grant_id"] in labels]
