"""The Blik op Werk results count (main norm Results): trajectories started, ended, ended
successfully and broken off in the measurement period, from the dated trajectory facts
(projections/renewal_facts.py), reconciled so the counts close:

    open at the start + started = ended + open at the end

Counted independently per trajectory, the equation holds for every trajectory whose dates
are in order; one that was closed before it started (a back-dated closing) breaks it, and
is named in the finding by its client number, the auditor's pseudonym.
"""

from __future__ import annotations

from typing import Any

from services.audit.evidence import (
    AT_RISK,
    FIGURES,
    INFO,
    LABELS,
    MET,
    NOT_MET,
    Figure,
    Sources,
)

SUCCESS, BROKEN_OFF = "placed_durably", "broken_off"
SOURCE = "trajectfeiten (start, afsluiting en reden)"

LABELS.update({
    "trajecten_sluitend": "Telling sluit (lopend begin + gestart = beëindigd + lopend eind)"
})


def _dutch(day: str) -> str:
    return f"{day[8:10]}-{day[5:7]}-{day[:4]}"


def results(src: Sources) -> dict[str, Any] | None:
    """The four counts and the reconciliation, computed once per pack."""
    if "results" in src.__dict__:
        return src.__dict__["results"]
    facts = src.view("projections.renewal_facts:TrajectoryFactsView")
    if facts is None:
        return None
    first, last = src.start.isoformat(), min(src.end, src.today).isoformat()
    groups: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("open_start", "started", "ended", "success", "broken_off", "open_end",
                        "contradictory")
    }
    for t in facts.trajectories():
        began, closed = t["started_on"], t["closed_on"]
        if closed and closed > last:  # closed after the day looked at: open then
            closed = None
        if began > last:
            continue
        if began < first and (not closed or closed >= first):
            groups["open_start"].append(t)
        if first <= began:
            groups["started"].append(t)
        if closed and first <= closed:
            groups["ended"].append(t)
            if t["end_reason"] == SUCCESS:
                groups["success"].append(t)
            elif t["end_reason"] == BROKEN_OFF:
                groups["broken_off"].append(t)
        if not closed:
            groups["open_end"].append(t)
        if closed and closed < began:
            groups["contradictory"].append(t)
    counts = {k: len(v) for k, v in groups.items()}
    found = {"groups": groups, "counts": counts, "first": first, "last": last,
             "closes": counts["open_start"] + counts["started"]
             == counts["ended"] + counts["open_end"]}
    src.__dict__["results"] = found
    return found


def _count(key: str, group: str, label: str):
    def compute(src: Sources) -> Figure:
        found = results(src)
        if found is None:
            return Figure(key, label, finding="Trajectfeiten nog niet beschikbaar")
        rows = found["groups"][group]
        return Figure(key, label, value=len(rows), status=INFO, source=SOURCE,
                      originators=tuple(t["trajectory_id"] for t in rows))
    return compute


def fig_reconciled(src: Sources) -> Figure:
    key, label = "trajecten_sluitend", LABELS["trajecten_sluitend"]
    found = results(src)
    if found is None:
        return Figure(key, label, finding="Trajectfeiten nog niet beschikbaar")
    c = found["counts"]
    # Words rather than "≠": the PDF's core font speaks Latin-1 only.
    value = (f"{c['open_start']} lopend op {_dutch(found['first'])} + {c['started']} gestart"
             f" {'=' if found['closes'] else 'tegenover'} {c['ended']} beëindigd +"
             f" {c['open_end']} lopend op {_dutch(found['last'])}"
             + ("" if found["closes"] else " (sluit niet)"))
    wrong = found["groups"]["contradictory"]
    figure = Figure(key, label, value=value, target="de telling sluit", source=SOURCE,
                    status=MET if found["closes"] and not wrong else AT_RISK
                    if found["closes"] else NOT_MET,
                    originators=tuple(t["trajectory_id"] for t in wrong))
    if wrong:
        numbers = ", ".join(t["client_number"] or t["trajectory_id"][:8] for t in wrong)
        figure.finding = (
            f"{len(wrong)} traject(en) afgesloten vóór de start ({numbers})"
            + ("" if found["closes"] else ": de telling sluit daardoor niet")
        )
    return figure


FIGURES.update({
    "trajecten_gestart": _count("trajecten_gestart", "started", LABELS["trajecten_gestart"]),
    "trajecten_beeindigd": _count("trajecten_beeindigd", "ended", LABELS["trajecten_beeindigd"]),
    "trajecten_geslaagd": _count("trajecten_geslaagd", "success", LABELS["trajecten_geslaagd"]),
    "trajecten_afgebroken": _count("trajecten_afgebroken", "broken_off",
                                   LABELS["trajecten_afgebroken"]),
    "trajecten_sluitend": fig_reconciled,
})
