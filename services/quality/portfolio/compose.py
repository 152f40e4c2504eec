"""Drafting the Noloc portfolio from one of the jobcoach's own trajectories.

Order of work: mandatory parts and annexes present, case less than two years old,
reflection and three SMART learning goals supplied (else a refusal naming every
reason); then compose, with every name from the trajectory's personal data replaced
by a role; then check the whole draft for names and the main text for 1,000-2,500
words (else a refusal with the names found and the count). Nothing is stored: the
trajectory and the forms are the source, the jobcoach's text is input; what is
handed out is recorded without its text (drafts.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from services.kernel.domain import N_, DomainError, Notice
from services.kernel.personal_data import ERASED
from services.privacy.access import log_read
from services.quality import sources
from services.quality.portfolio import annexes, parts
from services.quality.portfolio.annexes import open_value
from services.quality.portfolio.anonymise import Names
from services.quality.portfolio.model import MAX_WORDS, MIN_WORDS, Portfolio, count_words

LOCAL = ZoneInfo("Europe/Amsterdam")
MAX_AGE_YEARS = 2
MIN_GOALS, MAX_GOALS = 3, 5
MIN_REFLECTION_WORDS = 50
RELATION_ROLES = {
    "family": "een familielid", "partner": "de partner", "friend": "een vriend(in)",
    "care_provider": "de zorgverlener", "company_doctor": "de bedrijfsarts",
    "therapist": "de therapeut", "benefits_agency": "de uitkeringsinstantie",
    "other": "iemand uit het netwerk",
}


class PortfolioRefusedError(DomainError):
    """422 with every reason, so the jobcoach can fix them all at once. Each reason is a
    Notice (template and values), so the edge can translate it and refuse again with the
    reasons in the user's language."""

    def __init__(self, reasons: list[str], word_count: int | None = None) -> None:
        self.reasons = reasons
        self.word_count = word_count
        super().__init__(N_("Het portfolio kan zo niet worden gemaakt: %(reasons)s"),
                         reasons=" ".join(f"({n}) {reason}" for n, reason in enumerate(reasons, 1)))

    def with_reasons(self, translate: Callable[[str], str]) -> PortfolioRefusedError:
        """The same refusal with every reason put through `translate` (the edge's language)."""
        return PortfolioRefusedError([translate(r) for r in self.reasons], self.word_count)


@dataclass(frozen=True)
class LearningGoal:
    goal: str
    criterion: str
    target_date: date | None
    way_forward: str
    reality: str = ""
    options: str = ""


@dataclass(frozen=True)
class Request:
    trajectory_id: UUID
    reflection: str
    learning_goals: list[LearningGoal] = field(default_factory=list)


@dataclass
class Case:
    trajectory: Any
    client: Any
    forms: dict[str, annexes.Filled]
    started_on: date


def case_start(trajectory: Any) -> date:
    """The case starts at the intake (its date), else when the trajectory was started."""
    intake = trajectory.current("intake")
    if intake and isinstance(intake.get("held_on"), date):
        return intake["held_on"]
    created = getattr(trajectory, "started_at", None) or trajectory.created_on
    created = created if created.tzinfo else created.replace(tzinfo=UTC)
    return created.astimezone(LOCAL).date()


def oldest_allowed(today: date) -> date:
    """The day after which a case must have started to be less than two years old."""
    try:
        return today.replace(year=today.year - MAX_AGE_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - MAX_AGE_YEARS, day=28)


def missing_parts(case: Case, today: date) -> list[Notice]:
    """What the trajectory and the forms still lack for a portfolio (Dutch templates)."""
    t = case.trajectory
    reasons = []
    if case.started_on <= oldest_allowed(today):
        reasons.append(Notice(
            "De casus is %(years)s jaar of ouder (gestart op %(started)s); Noloc vraagt een"
            " casus van minder dan %(years)s jaar oud, dus gestart na %(oldest)s.",
            years=MAX_AGE_YEARS, started=f"{case.started_on:%d-%m-%Y}",
            oldest=f"{oldest_allowed(today):%d-%m-%Y}",
        ))
    for step, reason in parts.REQUIRED_STEPS.items():
        if t.current(step) is None:
            reasons.append(reason)
    reasons += [annexes.MISSING[kind] for kind in annexes.KINDS if kind not in case.forms]
    return reasons


def input_problems(request: Request, today: date) -> list[Notice]:
    reasons = []
    words = count_words(request.reflection)
    if words == 0:
        reasons.append(Notice("Het reflectieverslag ontbreekt: schrijf je reflectie op de"
                              " zelfevaluatie en de feedback van werknemer en werkgever."))
    elif words < MIN_REFLECTION_WORDS:
        reasons.append(Notice("Het reflectieverslag is met %(words)s woorden te kort"
                              " (minstens %(minimum)s).", words=words,
                              minimum=MIN_REFLECTION_WORDS))
    goals = request.learning_goals
    if len(goals) < MIN_GOALS:
        reasons.append(Notice("Formuleer drie SMART-leerdoelen; er zijn er nu %(count)s.",
                              count=len(goals)))
    if len(goals) > MAX_GOALS:
        reasons.append(Notice("Noloc vraagt een drietal leerdoelen; er zijn er %(count)s"
                              " (hoogstens %(maximum)s).", count=len(goals),
                              maximum=MAX_GOALS))
    for n, goal in enumerate(goals, 1):
        if not goal.goal.strip():
            reasons.append(Notice("Leerdoel %(n)s: beschrijf het doel (Goal).", n=n))
        if not goal.criterion.strip():
            reasons.append(Notice(
                "Leerdoel %(n)s: hoe meet je dat het doel bereikt is (meetbaar)?", n=n))
        if not goal.way_forward.strip():
            reasons.append(Notice("Leerdoel %(n)s: hoe pak je het aan en wie in je omgeving"
                                  " zet je in (Way forward)?", n=n))
        if goal.target_date is None:
            reasons.append(Notice("Leerdoel %(n)s: geef een streefdatum (tijdgebonden).",
                                  n=n))
        elif goal.target_date <= today:
            reasons.append(Notice("Leerdoel %(n)s: de streefdatum %(on)s ligt niet in de"
                                  " toekomst.", n=n, on=f"{goal.target_date:%d-%m-%Y}"))
    return reasons


def names_of(case: Case, keys: Any) -> Names:
    """Every name the trajectory knows, each with the role that replaces it."""
    names = Names()
    client, t = case.client, case.trajectory
    contact = client.contact
    names.person(open_value(keys, contact.get("name")), "de werknemer", "naam van de werknemer")
    names.exact(open_value(keys, contact.get("email")), "[e-mailadres]", "e-mailadres")
    names.exact(open_value(keys, contact.get("phone")), "[telefoonnummer]", "telefoonnummer")
    names.exact(open_value(keys, contact.get("address")), "[adres]", "adres")
    for person in client.network.values():
        role = RELATION_ROLES.get(person["relation"], RELATION_ROLES["other"])
        names.person(open_value(keys, person["name"]), role, "naam uit het netwerk")
    for revision in t.steps.get("placement", []):
        names.person(open_value(keys, revision.get("supervisor")), "de werkbegeleider",
                     "naam van de werkbegeleider")
    employers = [r.get("employer") for step in ("workplace_profile", "placement")
                 for r in t.steps.get(step, [])]
    for employer in employers:
        names.organisation(employer, "de werkgever", "naam van de werkgever")
    for finding in t.job_finding:
        names.organisation(finding["employer"], "een andere werkgever",
                           "naam van een werkgever uit de jobfinding")
    return names


def load_case(platform: Any, org_id: UUID, jobcoach_id: UUID, trajectory_id: UUID) -> Case:
    trajectory, client = sources.case(platform, org_id, trajectory_id, jobcoach_id)
    forms = annexes.filled_forms(platform, org_id, jobcoach_id, {trajectory.id})
    return Case(trajectory, client, forms[trajectory.id], case_start(trajectory))


def draft(platform: Any, org_id: UUID, jobcoach_id: UUID, jobcoach_name: str,
          request: Request, today: date, channel: str = "web") -> Portfolio:
    """The anonymised portfolio, or PortfolioRefusedError with every reason.

    Drafting opens the client's sealed data (names to replace and check, the steps'
    texts), so it is logged as a read of that client's data, refused or not."""
    case = load_case(platform, org_id, jobcoach_id, request.trajectory_id)
    keys = platform.subject_keys(org_id)
    if case.client is not None:
        log_read(platform, org_id, case.trajectory.client_id, "portfolio.sources", "quality",
                 channel)
    reasons = []
    if case.client is None:
        reasons.append(Notice("De cliënt van dit traject is niet geregistreerd: zonder zijn"
                              " gegevens kan de anonimisering niet worden gecontroleerd."))
    elif open_value(keys, case.client.contact.get("name")) == ERASED:
        reasons.append(Notice("De gegevens van de cliënt van dit traject zijn gewist; kies"
                              " een andere casus."))
    reasons += missing_parts(case, today) + input_problems(request, today)
    if reasons:
        raise PortfolioRefusedError(reasons)
    names = names_of(case, keys)
    portfolio = parts.compose(case, request, names, keys, jobcoach_name, today)
    portfolio.drafted_on, portfolio.names_checked = today, len(names)
    problems = [
        Notice('"%(text)s" (%(source)s) staat in %(where)s; vervang het door de rol:'
               ' "%(role)s".', text=hit.term.text, source=hit.term.source, where=hit.where,
               role=hit.term.role)
        for hit in names.check(portfolio.passages())
    ]
    words = portfolio.word_count
    if not MIN_WORDS <= words <= MAX_WORDS:
        counts = {"words": words, "minimum": MIN_WORDS, "maximum": MAX_WORDS,
                  "parts": "; ".join(f"{heading} {n}" for heading, n in portfolio.part_counts())}
        problems.append(Notice(
            "De hoofdtekst telt %(words)s woorden; Noloc vraagt %(minimum)s tot %(maximum)s"
            " woorden (de bijlagen tellen niet mee). Vul de reflectie of het traject aan."
            " Woorden per onderdeel: %(parts)s.", **counts) if words < MIN_WORDS else Notice(
            "De hoofdtekst telt %(words)s woorden; Noloc vraagt %(minimum)s tot %(maximum)s"
            " woorden (de bijlagen tellen niet mee). Schrijf de reflectie korter, of kort de"
            " teksten in het traject in. Woorden per onderdeel: %(parts)s.", **counts))
    if problems:
        raise PortfolioRefusedError(problems, words)
    return portfolio


def overview(platform: Any, org_id: UUID, jobcoach_id: UUID, today: date) -> list[dict[str, Any]]:
    """The jobcoach's own trajectories, newest first, with what each lacks for a portfolio."""
    own = sources.trajectories_of(platform, org_id, jobcoach_id)
    forms = annexes.filled_forms(platform, org_id, jobcoach_id,
                                 {e["trajectory_id"] for e in own})
    rows = []
    for entry in own:
        trajectory, _ = sources.case(platform, org_id, entry["trajectory_id"], jobcoach_id)
        case = Case(trajectory, None, forms[trajectory.id], case_start(trajectory))
        missing = missing_parts(case, today)
        rows.append({
            "trajectory_id": trajectory.id, "client_number": trajectory.client_number,
            "commissioner": trajectory.commissioner, "started_on": case.started_on,
            "status": entry["status"], "ready": not missing, "missing": missing,
            "annexes": {kind: kind in case.forms for kind in annexes.KINDS},
        })
    return sorted(rows, key=lambda r: r["started_on"], reverse=True)
