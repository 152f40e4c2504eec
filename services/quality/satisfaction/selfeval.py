"""The jobcoach's own Noloc self-evaluation (annex 1 of the portfolio), from the API or
the page under "Mijn ontwikkeling".

Tied to a trajectory, it must be one of the jobcoach's own, and the written
explanations are sealed with that client's key: they are about the case (and may name
people), so erasing the client erases them too.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.quality import sources
from services.quality.satisfaction import formdefs
from services.quality.satisfaction.application import Satisfaction
from services.quality.satisfaction.domainmodel import SurveyResponse

FORM_KEY = "noloc-zelfevaluatie"


def record(platform: Any, org_id: UUID, jobcoach_id: UUID, answers: Any, explanations: Any,
           comment: str | None, trajectory_id: UUID | None) -> SurveyResponse:
    form = formdefs.form(FORM_KEY)
    checked, texts = form.check(answers, explanations, comment)
    comment = comment.strip() if comment and comment.strip() else None
    if trajectory_id is not None:
        trajectory, _ = sources.case(platform, org_id, trajectory_id, jobcoach_id)  # 404
        keys, subject = platform.subject_keys(org_id), trajectory.client_id
        texts = {k: keys.seal(subject, v) for k, v in texts.items()}
        comment = keys.seal(subject, comment) if comment else None
    app: Satisfaction = platform.app(Satisfaction, org_id)
    return app.record_response(
        form_key=form.key, form_version=form.version, respondent="jobcoach", answers=checked,
        explanations=texts, comment=comment, score=form.score(checked), campaign_id=None,
        invitation_id=None, trajectory_id=trajectory_id, jobcoach_id=jobcoach_id,
    )
