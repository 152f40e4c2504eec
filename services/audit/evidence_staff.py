"""Evidence figures about staff: warm handovers of trajectories (continuity) and the
onboarding of new staff (training policy). From the dated facts of
projections/renewal_staff_facts.py, so past month-ends are computed too; thresholds are
data in norms.yaml."""

from __future__ import annotations

from services.audit.evidence import FIGURES, INFO, LABELS, Figure, Sources
from services.audit.evidence_quality import _share, judge


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
    return {str(m["user_id"]): m["name"] for m in src.platform.directory.members(src.org_id)}


def fig_onboarding(src: Sources) -> Figure:
    """New staff whose onboarding checklist was complete within the programme's term (the
    longest term of its steps). Judged once complete or once the term has passed;
    checklists still running are named in the finding, not counted."""
    key, label = "inwerkprogramma_gevolgd", LABELS["inwerkprogramma_gevolgd"]
    facts = src.view("projections.renewal_staff_facts:OnboardingFactsView")
    if facts is None:
        return Figure(key, label, finding="Inwerkregistratie nog niet beschikbaar")
    cutoff = min(src.end, src.today).isoformat()
    checklists = [
        c for c in facts.checklists(None if src.live else src.today.isoformat())
        if c["started_on"] <= cutoff and c["due_on"] >= src.start.isoformat()
    ]
    source = "inwerk-checklists (termijn van het programma)"
    if not checklists:
        return Figure(key, label, value="0 van 0", status=INFO, source=source,
                      finding="Geen nieuwe medewerkers met een inwerktermijn in de periode")
    judged, late, running = [], [], 0
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
    if running:
        notes.append(f"{running} nog binnen de termijn")
    if not judged:
        return Figure(key, label, value="0 van 0", status=INFO, source=source,
                      finding="; ".join(notes))
    percent, value = _share(len(judged) - len(late), len(judged))
    status, target = judge(key, percent)
    return Figure(key, label, value=value, status=status, target=target, source=source,
                  finding="; ".join(notes),
                  originators=tuple(c["onboarding_id"] for c, _ in late))


FIGURES.update({"warme_overdrachten": fig_handovers, "inwerkprogramma_gevolgd": fig_onboarding})
