"""Evidence figures of the quality requirements: client satisfaction (invited, response,
average against the threshold), peer-review coverage per jobcoach and training-plan
completion. From read models only: the quality context's training view and the dated
facts of projections/renewal_facts.py; thresholds are data in norms.yaml."""

from __future__ import annotations

import math
from datetime import date, timedelta
from statistics import mean
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
    norms,
)
from services.kernel.domain import NotFoundError

LABELS.update({"respons_tevredenheid": "Respons op de uitnodigingen (cliënten)"})


def number(value: float) -> str:
    """Dutch notation: 66,7 and 7,25; whole numbers without decimals."""
    return f"{round(value, 2):g}".replace(".", ",")


def judge(key: str, value: float) -> tuple[str, str]:
    """Status and target text of a figure from its threshold in norms.yaml."""
    rule = norms().get("thresholds", {}).get(key)
    if rule is None:
        return INFO, ""
    unit = rule.get("unit", "")
    target = f"minstens {number(rule['met'])}{unit}"
    if rule.get("at_risk") is not None:
        target += f" (risico vanaf {number(rule['at_risk'])}{unit})"
    if value >= rule["met"]:
        return MET, target
    if rule.get("at_risk") is not None and value >= rule["at_risk"]:
        return AT_RISK, target
    return NOT_MET, target


def _share(part: int, whole: int) -> tuple[float, str]:
    percent = round(100 * part / whole, 1)
    return percent, f"{part} van {whole} ({number(percent)}%)"


# Client satisfaction ----------------------------------------------------------------------
def _survey(src: Sources) -> dict[str, Any] | None:
    """Trajectories that ended in the period (all reasons, broken off included), their
    invitations of the client and the exemptions recorded with a reason."""
    if "survey" in src.__dict__:
        return src.__dict__["survey"]
    facts = src.view("projections.renewal_facts:TrajectoryFactsView")
    cover = src.view("projections.renewal_facts:SurveyCoverageFactsView")
    if facts is None or cover is None:
        return None
    respondent = norms().get("survey_respondent", "werknemer")
    last = min(src.end, src.today).isoformat()
    ended = [t for t in facts.trajectories()
             if t["closed_on"] and src.start.isoformat() <= t["closed_on"] <= last]
    # A past month-end counts only what was known then: invitations sent, links replaced,
    # answers given and exemptions recorded by that day.
    known_by = None if src.live else src.today.isoformat()
    invitations = cover.invitations(respondent, known_by)
    invited = {i["trajectory_id"] for i in invitations}
    exempted = cover.exempted(respondent, known_by)
    due = [t for t in ended if t["trajectory_id"] in invited
           or t["trajectory_id"] not in exempted]
    found = {
        "due": due,
        "missing": [t for t in due if t["trajectory_id"] not in invited],
        "current": [i for i in invitations if not i["replaced"]
                    and i["trajectory_id"] in {t["trajectory_id"] for t in due}],
        "exempted": len(ended) - len(due),
    }
    src.__dict__["survey"] = found
    return found


def fig_invited(src: Sources) -> Figure:
    key, label = "uitgenodigd_inclusief_afgebroken", LABELS["uitgenodigd_inclusief_afgebroken"]
    found = _survey(src)
    if found is None:
        return Figure(key, label, finding="Trajectfeiten of uitnodigingen nog niet beschikbaar")
    source = "trajectfeiten (beëindigd in de periode) + uitnodigingen tevredenheid"
    if not found["due"]:
        return Figure(key, label, value="0 van 0", status=INFO, source=source,
                      finding="Geen trajecten beëindigd in de periode")
    missing, due = found["missing"], found["due"]
    percent, value = _share(len(due) - len(missing), len(due))
    status, target = judge(key, percent)
    figure = Figure(key, label, value=value, status=status, target=target, source=source,
                    originators=tuple(t["trajectory_id"] for t in missing))
    notes = []
    if missing:
        broken = sum(1 for t in missing if t["end_reason"] == "broken_off")
        numbers = ", ".join(t["client_number"] or t["trajectory_id"][:8] for t in missing[:10])
        notes.append(f"{len(missing)} cliënt(en) niet uitgenodigd, van wie {broken} met een "
                     f"afgebroken traject ({numbers})")
    if found["exempted"]:
        notes.append(f"{found['exempted']} vrijgesteld met een vastgelegde reden")
    figure.finding = "; ".join(notes)
    return figure


def fig_response(src: Sources) -> Figure:
    key, label = "respons_tevredenheid", LABELS["respons_tevredenheid"]
    found = _survey(src)
    if found is None or not found["current"]:
        return Figure(key, label, finding="Geen uitnodigingen voor trajecten van de periode")
    answered = sum(1 for i in found["current"] if i["answered"])
    percent, value = _share(answered, len(found["current"]))
    status, target = judge(key, percent)
    return Figure(key, label, value=value, status=status, target=target,
                  source="uitnodigingen en ingevulde vragenlijsten (geldige links)")


def fig_average(src: Sources) -> Figure:
    from services.quality.satisfaction import formdefs

    key, label = "gemiddelde_tevredenheid", LABELS["gemiddelde_tevredenheid"]
    facts = src.view("projections.renewal_facts:SatisfactionFactsView")
    if facts is None:
        return Figure(key, label, finding="Tevredenheidsgegevens nog niet beschikbaar")
    thresholds: dict[str, Any] = {}

    def rated(form_key: str) -> bool:  # only forms with a 1-10 score and a threshold
        if form_key not in thresholds:
            try:
                thresholds[form_key] = formdefs.form(form_key).threshold
            except NotFoundError:
                thresholds[form_key] = None
        return thresholds[form_key] is not None

    scores = [float(r["score"]) for r in facts.rated_between(src.start, min(src.end, src.today))
              if rated(r["form_key"])]
    if not scores:
        return Figure(key, label, finding="Geen beoordelingen met een cijfer in de periode")
    average = round(mean(scores), 2)
    status, target = judge(key, average)
    figure = Figure(key, label, value=f"{number(average)} ({len(scores)} beoordelingen)",
                    status=status, target=target,
                    source="tevredenheidsonderzoek (beoordelingsformulieren met cijfer)")
    if status == NOT_MET:
        figure.finding = f"Gemiddelde {number(average)} ligt onder de norm"
    return figure


# Staff in the period (dated memberships of the directory) -------------------------------
def employed(src: Sources, role: str | None = None) -> list[dict[str, Any]]:
    """Who worked here (in `role`) at some day of the period up to the day looked at, with
    the first and last day of that within the period. A membership from before records
    counts from the period's start; one that ended counts up to the day before."""
    last_day = min(src.end, src.today)
    found: dict[str, dict[str, Any]] = {}
    for t in src.platform.directory.tenures(src.org_id):
        if t["role"] == "auditor" or (role is not None and t["role"] != role):
            continue  # an auditor is a guest, not staff
        first = max(src.start, date.fromisoformat(t["since"])) if t["since"] else src.start
        last = min(src.end, date.fromisoformat(t["until"]) - timedelta(days=1)) \
            if t["until"] else src.end
        if first > last or first > last_day:
            continue
        person = found.setdefault(t["user_id"], {**t, "first": first, "last": last})
        person["first"], person["last"] = min(person["first"], first), max(person["last"], last)
    return sorted(found.values(), key=lambda p: (p["name"], p["user_id"]))


# Peer review ---------------------------------------------------------------------------


def required_sessions(start: date, end: date) -> int:
    per_year = int(norms().get("peer_review_sessions_per_year", 4))
    days = min((end - start).days + 1, 365)
    return math.ceil(per_year * days / 365 - 1e-9)


def fig_peer_review(src: Sources) -> Figure:
    """Every jobcoach employed in the period, held to the sessions their share of it asks
    for (4 a year: a jobcoach who joined in July needs 2 by December)."""
    key, label = "intervisie_dekking", LABELS["intervisie_dekking"]
    facts = src.view("projections.renewal_facts:PeerReviewFactsView")
    if facts is None:
        return Figure(key, label, finding="Intervisieregistratie nog niet beschikbaar")
    coaches = employed(src, "jobcoach")
    if not coaches:
        return Figure(key, label, value="0 van 0", status=INFO,
                      finding="Geen jobcoaches in de periode")
    needed = required_sessions(src.start, src.end)
    short = []
    for c in coaches:
        wanted = required_sessions(c["first"], c["last"])
        count = facts.sessions_per_jobcoach(c["first"], c["last"]).get(c["user_id"], 0)
        if count < wanted:
            short.append((c["name"], count, wanted))
    percent, value = _share(len(coaches) - len(short), len(coaches))
    status, target = judge(key, percent)
    figure = Figure(key, f"{label} (minstens {needed} bijeenkomsten)", value=value,
                    status=status, target=target,
                    source="intervisieregistratie; jobcoaches in dienst in de periode")
    if short:
        figure.finding = "Te weinig bijeenkomsten: " + ", ".join(
            f"{name} ({count} van {wanted})" for name, count, wanted in sorted(short))
    return figure


# Training plan -------------------------------------------------------------------------
QUARTER_END = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}


def _audience(entries: list[str], members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An audience entry is a member's id or a role ("jobcoach")."""
    wanted = {str(e).strip().lower() for e in entries}
    return [m for m in members if str(m["user_id"]).lower() in wanted
            or str(m["role"]).lower() in wanted]


def fig_training_plan(src: Sources) -> Figure:
    key, label = "opleidingsplan_voltooid", LABELS["opleidingsplan_voltooid"]
    plans = src.view("projections.renewal_facts:TrainingPlanFactsView")
    records_view = src.view("services.quality.training.view:TrainingView")
    if plans is None or records_view is None:
        return Figure(key, label, finding="Opleidingsplan of scholingsregistratie niet beschikbaar")
    years = list(range(src.start.year, src.end.year + 1))
    items = plans.items(years)
    source = "opleidingsplan + scholingsregistratie; medewerkers in dienst op de einddatum"
    if not items:
        return Figure(key, label, value="geen plan", status=NOT_MET, source=source,
                      target="een opleidingsplan per jaar",
                      finding="Geen opleidingsplan vastgelegd voor " + ", ".join(map(str, years)))
    cutoff = min(src.end, src.today).isoformat()
    due = [i for i in items if f"{i['year']}-{QUARTER_END[i['quarter']]}" <= cutoff]
    if not due:
        return Figure(key, label, value="0 van 0", status=INFO, source=source,
                      finding="Nog geen geplande scholing hoefde af te zijn")
    done = {(r["jobcoach_id"], r["course"].strip().casefold(), r["completed_on"][:4])
            for r in records_view.training_records()}
    pairs, missing = 0, []
    staff: dict[str, list[dict[str, Any]]] = {}
    for item in due:
        # The audience is who worked here, in that role, on the day the item was due.
        day = f"{item['year']}-{QUARTER_END[item['quarter']]}"
        if day not in staff:
            staff[day] = [m for m in src.platform.directory.members(
                src.org_id, on=date.fromisoformat(day)) if m["role"] != "auditor"]
        for person in _audience(item["audience"], staff[day]):
            pairs += 1
            if (person["user_id"], item["course"].strip().casefold(), str(item["year"])) \
                    not in done:
                missing.append(f"{item['course']} ({person['name']})")
    if not pairs:
        return Figure(key, label, value="0 van 0", status=INFO, source=source,
                      finding="Geen medewerkers in de doelgroep van het plan")
    percent, value = _share(pairs - len(missing), pairs)
    status, target = judge(key, percent)
    figure = Figure(key, label, value=value, status=status, target=target, source=source)
    if missing:
        figure.finding = "Nog niet gevolgd: " + ", ".join(missing[:10]) + (
            f" en {len(missing) - 10} meer" if len(missing) > 10 else "")
    return figure


FIGURES.update({
    "uitgenodigd_inclusief_afgebroken": fig_invited,
    "respons_tevredenheid": fig_response,
    "gemiddelde_tevredenheid": fig_average,
    "intervisie_dekking": fig_peer_review,
    "opleidingsplan_voltooid": fig_training_plan,
})

