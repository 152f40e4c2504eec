"""The three annexed forms of the portfolio, as the satisfaction part stored them.

- Bijlage 1: the jobcoach's own Noloc self-evaluation (POST …/me/self-evaluations),
  for this trajectory, else the latest one not tied to a trajectory;
- Bijlage 2 and 3: the Noloc 360-degree forms of the employee and the employer,
  answered through a survey link of this trajectory (about this jobcoach).
The latest response of each kind counts. Responses never change once stored, so
their Created events are read directly (one scan, no aggregate loads).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from services.kernel.domain import Notice
from services.kernel.personal_data import is_sealed
from services.quality.satisfaction import formdefs
from services.quality.satisfaction.application import Satisfaction
from services.quality.satisfaction.domainmodel import SurveyResponse

KINDS = {  # kind -> (form key, respondent, annex number, title in the portfolio)
    "self": ("noloc-zelfevaluatie", "jobcoach", 1, "Zelfevaluatie profiel jobcoach"),
    "employee": ("noloc-360-werknemer", "werknemer", 2,
                 "360 graden feedback jobcoach door werknemer"),
    "employer": ("noloc-360-werkgever", "werkgever", 3,
                 "360 graden feedback jobcoach door werkgever (leidinggevende)"),
}
MISSING = {
    "self": Notice("Bijlage 1: de zelfevaluatie ontbreekt. Vul de Noloc-zelfevaluatie in bij"
                   " dit traject (Mijn ontwikkeling, Portfolio, Zelfevaluatie invullen)."),
    "employee": Notice("Bijlage 2: de 360 graden feedback van de werknemer ontbreekt. Laat de"
                       " kwaliteitsfunctionaris de werknemer uitnodigen in een meting met de"
                       " Noloc-vragenlijst voor de werknemer."),
    "employer": Notice("Bijlage 3: de 360 graden feedback van de werkgever ontbreekt. Laat de"
                       " kwaliteitsfunctionaris de werkgever uitnodigen in een meting met de"
                       " Noloc-vragenlijst voor de werkgever."),
}


@dataclass(frozen=True)
class Filled:
    kind: str
    form: formdefs.Form
    answers: dict[str, Any]
    explanations: dict[str, Any]  # sealed (link responses) or plain (own self-evaluation)
    comment: Any
    responded_on: date
    for_trajectory: bool

    @property
    def number(self) -> int:
        return KINDS[self.kind][2]

    @property
    def title(self) -> str:
        return KINDS[self.kind][3]

    def opened(self, keys: Any) -> tuple[dict[str, str], str | None]:
        """Explanations and comment in the clear (ERASED after the client's erasure)."""
        texts = {k: open_value(keys, v) or "" for k, v in self.explanations.items()}
        return {k: v for k, v in texts.items() if v}, open_value(keys, self.comment)

    def section_means(self) -> list[tuple[str, float | None]]:
        means = []
        for section in self.form.sections:
            values = [self.answers.get(i.id) for i in section.items]
            numbers = [v for v in values if isinstance(v, int)]
            means.append((section.title, round(sum(numbers) / len(numbers), 1) if numbers
                          else None))
        return means

    def mean(self) -> float | None:
        numbers = [v for v in self.answers.values() if isinstance(v, int)]
        return round(sum(numbers) / len(numbers), 1) if numbers else None


def open_value(keys: Any, value: Any) -> str | None:
    """A sealed value opened (ERASED after erasure), a plain one as it is."""
    if value is None:
        return None
    return keys.open(value) if is_sealed(value) else str(value)


def _kind(event: Any) -> str | None:
    for kind, (key, respondent, _, _) in KINDS.items():
        if event.form_key == key and event.respondent == respondent:
            return kind
    return None


def filled_forms(platform: Any, org_id: UUID, jobcoach_id: UUID,
                 trajectory_ids: set[UUID]) -> dict[UUID, dict[str, Filled]]:
    """Per trajectory of `trajectory_ids`: the latest form of each kind about this jobcoach."""
    app: Satisfaction = platform.app(Satisfaction, org_id)
    topic = get_topic(SurveyResponse.Created)
    own: dict[UUID, dict[str, Filled]] = {t: {} for t in trajectory_ids}
    general: Filled | None = None
    start = 1
    while True:
        batch = app.recorder.select_notifications(start=start, limit=500, topics=[topic])
        if not batch:
            break
        for notification in batch:
            e = app.mapper.to_domain_event(notification)
            kind = _kind(e)
            if kind is None or (e.jobcoach_id is not None and e.jobcoach_id != jobcoach_id):
                continue
            if kind == "self" and e.jobcoach_id is None:
                continue  # a self-evaluation is always the jobcoach's own
            filled = Filled(kind, formdefs.form(e.form_key, e.form_version), dict(e.answers),
                            dict(e.explanations or {}), e.comment, e.responded_on,
                            e.trajectory_id is not None)
            if e.trajectory_id in own:
                current = own[e.trajectory_id].get(kind)
                if current is None or current.responded_on <= filled.responded_on:
                    own[e.trajectory_id][kind] = filled
            elif kind == "self" and e.trajectory_id is None and (
                    general is None or general.responded_on <= filled.responded_on):
                general = filled
        start = batch[-1].id + 1
    if general is not None:
        for forms in own.values():
            forms.setdefault("self", general)
    return own
