"""Vocabulary and small pure rules of the trajectory: phases, kinds, labels (Dutch).

Kept apart from the aggregates so that schemas, pages and documents share one
source of truth for the allowed values and their Dutch labels.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time
from typing import Any

from services.kernel.domain import DomainError
from services.kernel.personal_data import is_sealed

# The Noloc process tasks as phases of one trajectory, in order.
PHASES: dict[str, str] = {
    "intake": "Intake",
    "employee_profile": "Werknemersprofiel",
    "job_finding": "Jobfinding",
    "workplace_profile": "Werkplekprofiel en taakanalyse",
    "matching": "Matching",
    "placement": "Plaatsing",
    "coaching_plan": "Coachingsplan",
    "coaching": "Coaching on the job",
    "closing": "Afronding",
    "closed": "Afgesloten",
}

ACTIVITY_KINDS: dict[str, str] = {
    "contact_moment": "Contactmoment",
    "coach_the_coach": "Coach-the-coach (werkbegeleider)",
    "employer_meeting": "Overleg werkgever",
    "network_meeting": "Overleg netwerk",
    "job_finding": "Jobfinding",
}
AFTERCARE = "aftercare"  # a contact moment after closing, when aftercare was offered
ALL_ACTIVITY_KINDS: dict[str, str] = {**ACTIVITY_KINDS, AFTERCARE: "Nazorgcontact"}
MODES: dict[str, str] = {"face_to_face": "Face-to-face", "online": "Online", "mixed": "Gemengd"}
PARTICIPANTS: dict[str, str] = {
    "client": "Cliënt",
    "employer": "Werkgever/leidinggevende",
    "supervisor": "Interne werkbegeleider",
    "commissioner": "Opdrachtgever",
    "network": "Netwerk",
    "colleagues": "Collega's",
}
JOB_FINDING_KINDS: dict[str, str] = {
    "employer_contact": "Werkgever benaderd",
    "employer_informed": "Werkgever geïnformeerd (wetten, subsidies, voorzieningen)",
    "application_prepared": "Sollicitatie voorbereid",
    "interview_attended": "Sollicitatiegesprek bijgewoond",
    "interview_debriefed": "Sollicitatiegesprek nabesproken",
}
MATCH_DECISIONS: dict[str, str] = {"match": "Match", "no_match": "Geen match"}
GOAL_RESULTS: dict[str, str] = {
    "reached": "Behaald",
    "not_reached": "Niet behaald",
    "adjusted": "Bijgesteld",
}
CLOSING_PARTIES: dict[str, str] = {
    "client": "Cliënt",
    "employer": "Werkgever",
    "commissioner": "Opdrachtgever",
}
END_REASONS: dict[str, str] = {
    "placed_durably": "Duurzaam geplaatst",
    "other_help": "Overgedragen naar andere hulp",
    "broken_off": "Voortijdig beëindigd",
}
FOLLOW_UP_MONTHS: dict[int, str] = {6: "Na 6 maanden", 12: "Na 12 maanden"}
# Who signs the jobcoach log of a grant period: the client, and the employer or the
# workplace supervisor (either one is enough for the employer's side).
LOG_SIGNERS: dict[str, str] = {
    "client": "Cliënt",
    "employer": "Werkgever/leidinggevende",
    "supervisor": "Interne werkbegeleider",
}
SIGNING_METHODS: dict[str, str] = {
    "paper": "Handtekening op papier",
    "digital": "Digitaal akkoord",
}
ABSENCE_KINDS: dict[str, str] = {
    "leave": "Verlof",
    "training": "Scholing",
    "unavailable": "Niet beschikbaar",
    "left": "Uit dienst",
}

MAX_ACTIVITY_MINUTES = 12 * 60
WARN_AT_SHARE = 0.8  # warn once 80% of a grant's cap is used


def require(condition: bool, message: str, /, **params: object) -> None:
    """Refuse unless `condition`; `message` is a Dutch template (msgid), see DomainError."""
    if not condition:
        raise DomainError(message, **params)


def one_of(value: str, allowed: Mapping[str, str], what: str) -> str:
    require(value in allowed, "%(what)s: kies uit %(choices)s", what=what,
            choices=", ".join(allowed))
    return value


def sealed(value: Any, what: str, *, required: bool = True) -> Any:
    """Free text about a client arrives sealed; clear text here would leak into events."""
    if value is None:
        require(not required, "%(what)s is verplicht", what=what)
        return None
    require(is_sealed(value), "%(what)s moet versleuteld worden opgeslagen", what=what)
    return dict(value)


def not_future(on: date, today: date, what: str) -> date:
    require(isinstance(on, date), "%(what)s: geen geldige datum", what=what)
    require(on <= today, "%(what)s ligt in de toekomst (%(on)s)", what=what, on=nl_date(on))
    return on


_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def minute_of_day(start: str) -> int:
    require(bool(_HHMM.match(start or "")), "Begintijd: gebruik uu:mm, bijvoorbeeld 09:30")
    hours, minutes = start.split(":")
    return int(hours) * 60 + int(minutes)


def clock(minute: int) -> str:
    return time(minute // 60 % 24, minute % 60).strftime("%H:%M")


def nl_date(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


class Field:
    """One datum of a step. kind: text (sealed free text), plain (short text in the clear,
    e.g. an employer's name), date, past_date, true (a box that must be ticked), bool,
    hours (per week), choice."""

    def __init__(
        self,
        name: str,
        kind: str,
        label: str,
        *,
        required: bool = True,
        choices: Mapping[str, str] | None = None,
    ) -> None:
        self.name, self.kind, self.label = name, kind, label
        self.required = required and kind != "bool"
        self.choices = choices or {}


class Step:
    def __init__(self, label: str, fields: list[Field], requires: str | None) -> None:
        self.label, self.fields, self.requires = label, fields, requires

    @property
    def text_fields(self) -> list[str]:
        return [f.name for f in self.fields if f.kind == "text"]


F = Field
STEPS: dict[str, Step] = {
    "intake": Step(
        "Intake",
        [
            F("held_on", "past_date", "Datum intakegesprek"),
            F("reason", "text", "Aanleiding"),
            F("question", "text", "Hulpvraag"),
            F("motivation", "text", "Motivatie"),
            F("life_world", "text", "Leefwereld"),
            F("network", "text", "Netwerk"),
            F("phases_agreed", "text", "Afgesproken trajectfasen"),
            F("expectations", "text", "Verwachtingen"),
            F("follow_up", "text", "Vervolgafspraken"),
            F("agreed_in_writing", "true", "Fasen en verwachtingen schriftelijk vastgelegd"),
            F("code_of_conduct_discussed", "true", "Gedragscode besproken"),
            F("werkfit_plan", "bool", "Werkfit-plan maakt deel uit van het traject"),
        ],
        None,
    ),
    "employee_profile": Step(
        "Werknemersprofiel",
        [
            F("motivators", "text", "Drijfveren en motivatoren"),
            F("values", "text", "Waarden"),
            F("skills", "text", "Verworven (functionele en sociale) vaardigheden"),
            F("interests", "text", "Interesses"),
            F("wishes", "text", "Wensen"),
            F("learning_style", "text", "Leerstijl: hoe en onder welke voorwaarden leert men"),
            F("social_context", "text", "Sociale context", required=False),
            F("needs", "text", "Behoeften en aandachtspunten"),
            F("limitations", "text", "Functionele beperkingen"),
            F("possibilities", "text", "Mogelijkheden"),
            F("durable_conditions", "text", "Wat de cliënt nodig heeft om duurzaam te werken"),
            F("trajectory_goals", "text", "Trajectdoelen"),
            F("plan_of_approach", "text", "Plan van aanpak"),
            F("agreed_with", "plain", "Besproken met (cliënt, opdrachtgever)"),
            F("agreed_on", "past_date", "Besproken op"),
        ],
        "intake",
    ),
    "workplace_profile": Step(
        "Werkplekprofiel en taakanalyse",
        [
            F("employer", "plain", "Werkgever"),
            F("employer_known", "bool", "Bekende werkgever (eerdere betrokkenheid of terugkeer)"),
            F("employer_profile", "text", "Werkgeversprofiel"),
            F("tasks", "text", "Taken"),
            F("working_conditions", "text", "Arbeidsomstandigheden"),
            F("expected_ksa", "text", "Verwachte kennis, vaardigheden en houding"),
            F("guidance_options", "text", "Begeleidings- en ontwikkelmogelijkheden"),
            F("business_use", "text", "Inzet van de werkplek: bedrijfsrendement en ontwikkeling"),
            F("support_needed", "text", "Benodigde ondersteuning op de werkplek"),
            F("checked_with_client", "true", "Met de cliënt getoetst aan het werknemersprofiel"),
        ],
        "employee_profile",
    ),
    "placement": Step(
        "Plaatsing",
        [
            F("employer", "plain", "Werkgever"),
            F("contract", "plain", "Contract (soort en duur)"),
            F("hours_per_week", "hours", "Uren per week"),
            F("start_date", "date", "Startdatum"),
            F("supervisor", "text", "Interne werkbegeleider"),
            F("agreements", "text", "Vastgelegde afspraken"),
        ],
        "matching",
    ),
    "final_report": Step(
        "Eindverslag",
        [
            F("written_on", "past_date", "Datum"),
            F("placement_process", "text", "Verslag van het plaatsingsproces"),
            F("coaching_report", "text", "Verslag van de coaching on the job"),
            F("results", "text", "Resultaten"),
            F("support_handover", "text", "Overdracht van ondersteuning aan de werkgever"),
        ],
        None,
    ),
}
