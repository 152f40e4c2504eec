"""Evidence figures about staff: trajectories without a responsible jobcoach and warm
handovers (continuity), and the onboarding of new staff (training policy). From the dated
facts of projections/renewal_staff_facts.py and the dated memberships of the directory,
so past month-ends are computed too; thresholds are data in norms.yaml."""

from __future__ import annotations

from datetime import date, timedelta

from services.audit.evidence import FIGURES, INFO, LABELS, MET, NOT_MET, Figure, Sources
from services.audit.evidence_quality import _share, employed, judge


def fig_unassigned(src: Sources) -> Figure:
    """Trajectories open on the day looked at whose responsible jobcoach did not work
    here that day (left, or never a member). Now: the caseload against today's staff; a
    past month-end: the dated facts against the memberships of that day."""
    key, label = "trajecten_zonder_jobcoach", "Lopende trajecten zonder actieve jobcoach"
    if src.live:
        caseload = src.view("services.trajectories.caseload:CaseloadView")
        if caseload is None:
            return Figure(key, label)
        open_now = caseload.open_trajectories()
        responsible = {t["trajectory_id"]: t.get("jobcoach_id") for t in open_now}
        staff = src.platform.directory.members(src.org_id)
        source = "caseload + medewerkerslijst"
    else:
        facts = src.view("projections.renewal_facts:TrajectoryFactsView")
        history = src.view("projections.renewal_staff_facts:ResponsibleFactsView")
        if facts is None or history is None:
            return Figure(key, label)
        day = src.today.isoformat()
        at_day = history.responsible_on(day)
        responsible = {
            t["trajectory_id"]: at_day.get(t["trajectory_id"], t["jobcoach_id"])
            for t in facts.trajectories()
            if t["started_on"] <= day and (not t["closed_on"] or t["closed_on"] > day)
        }
        staff = src.platform.directory.members(src.org_id, on=src.today)
        source = "trajectfeiten + medewerkers op die dag"
    active = {str(m["user_id"]) for m in staff}
    orphaned = [t for t, coach in responsible.items() if not coach or str(coach) not in active]
    return Figure(
        key, label, value=len(orphaned), status=MET if not orphaned else NOT_MET, target="0",
        source=source,
        finding=f"{len(orphaned)} traject(en) zonder verantwoordelijke" if orphaned else "",
        originators=tuple(orphaned),
    )


def _client_numbers(src: Sources, trajectory_ids: list[str]) -> list[str]:
    facts = src.view("projections.renewal_facts:TrajectoryFactsView")
    numbers = facts.pseudonyms(trajectory_ids) if facts is not None else {}
    return [numbers.get(t) or t[:8] for t in trajectory_ids]


def fig_handovers(src: Sources) -> Figure:
    """Every change of responsible jobcoach recorded in the period, bulk handovers of an
    absent jobcoach's caseload included: how many came with a warm-handover note."""
    key, label = "warme_overdrachten", LABELS["warme_overdrachten"]
    facts = src.view("projections.renewal_staff_facts:HandoverFactsView")
    if facts is None:
        return Figure(key, label, finding="Overdrachten nog niet beschikbaar")
    found = facts.handovers(src.start.isoformat(), min(src.end, src.today).isoformat())
    source = "overdrachten van trajecten (vastgelegd in de periode)"
    if not found:
        return Figure(key, label, value="0 van 0", status=INFO, source=source,
                      finding="Geen overdrachten in de periode")
    cold = [h for h in found if not h["with_note"]]
    percent, value = _share(len(found) - len(cold), len(found))
    status, target = judge(key, percent)
    notes = []
    bulk = [h for h in found if h["absence_id"]]
    if bulk:
        absences = len({h["absence_id"] for h in bulk})
        notes.append(f"{len(bulk)} bij afwezigheid van een jobcoach overgedragen "
                     f"({absences} afwezigheid/-heden)")
    if cold:
        numbers = _client_numbers(src, [h["trajectory_id"] for h in cold[:10]])
        notes.append(f"{len(cold)} zonder overdrachtsnotitie ({', '.join(numbers)})")
    return Figure(key, label, value=value, status=status, target=target, source=source,
                  finding="; ".join(notes),
                  originators=tuple(h["trajectory_id"] for h in cold or found))


def _staff_names(src: Sources) -> dict[str, str]:
    # former staff too: a checklist outlives the membership
    return {str(m["user_id"]): m["name"] for m in src.platform.directory.tenures(src.org_id)}


def _without_checklist(
    src: Sources, checklists: list[dict], cutoff: str
) -> tuple[list[dict], int]:
    """Staff who joined in the period and had no checklist by the day looked at: not
    onboarded once the programme's term (the longest known) has passed since they joined,
    still within it before. Staff from before records have no joining day: not counted."""
    have = {c["employee_id"] for c in checklists if c["started_on"] <= cutoff}
    term = max((date.fromisoformat(c["due_on"]) - date.fromisoformat(c["started_on"])
                for c in checklists), default=timedelta(0))
    missing, running = [], 0
    for person in employed(src):
        joined = person["joined_on"]
        if not joined or not src.start.isoformat() <= joined <= cutoff \
                or person["user_id"] in have:
            continue
        if (date.fromisoformat(joined) + term).isoformat() >= cutoff:
            running += 1
        else:
            missing.append(person)
    return missing, running


def fig_onboarding(src: Sources) -> Figure:
    """New staff whose onboarding checklist was complete within the programme's term (the
    longest term of its steps). Judged once complete or once the term has passed;
    checklists still running are named in the finding, not counted. Staff who joined in
    the period without any checklist count as not onboarded."""
    key, label = "inwerkprogramma_gevolgd", LABELS["inwerkprogramma_gevolgd"]
    facts = src.view("projections.renewal_staff_facts:OnboardingFactsView")
    if facts is None:
        return Figure(key, label, finding="Inwerkregistratie nog niet beschikbaar")
    cutoff = min(src.end, src.today).isoformat()
    known = facts.checklists(None if src.live else src.today.isoformat())
    checklists = [
        c for c in known if c["started_on"] <= cutoff and c["due_on"] >= src.start.isoformat()
    ]
    without, waiting = _without_checklist(src, known, cutoff)
    source = "inwerk-checklists (termijn van het programma) + medewerkers in dienst gekomen"
    if not checklists and not without and not waiting:
        return Figure(key, label, value="0 van 0", status=INFO, source=source,
                      finding="Geen nieuwe medewerkers met een inwerktermijn in de periode")
    judged, late, running = [], [], waiting
    for c in checklists:
        done = [d for d in c["done_on"] if d <= cutoff]
        complete = len(done) == c["steps"]
        if not complete and c["due_on"] >= cutoff:
            running += 1
            continue
        judged.append(c)
        if not complete or max(done) > c["due_on"]:
            late.append((c, len(done)))
    notes = []
    if late:
        names = _staff_names(src)
        notes.append("Niet binnen de termijn: " + ", ".join(
            f"{names.get(c['employee_id'], 'medewerker ' + c['employee_id'][:8])}"
            f" ({count} van {c['steps']} onderdelen)" for c, count in late[:10]))
    if without:
        notes.append("Zonder inwerk-checklist: " + ", ".join(
            f"{p['name']} (in dienst {p['joined_on'][8:]}-{p['joined_on'][5:7]}"
            f"-{p['joined_on'][:4]})" for p in without[:10]))
    if running:
        notes.append(f"{running} nog binnen de termijn")
    if not judged and not without:
        return Figure(key, label, value="0 van 0", status=INFO, source=source,
                      finding="; ".join(notes))
    total = len(judged) + len(without)
    percent, value = _share(total - len(late) - len(without), total)
    status, target = judge(key, percent)
    return Figure(key, label, value=value, status=status, target=target, source=source,
                  finding="; ".join(notes),
                  originators=tuple(c["onboarding_id"] for c, _ in late))


FIGURES.update({
    "trajecten_zonder_jobcoach": fig_unassigned,
    "warme_overdrachten": fig_handovers,
    "inwerkprogramma_gevolgd": fig_onboarding,
})
