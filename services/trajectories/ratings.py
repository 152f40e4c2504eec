"""The two UWV rating forms ("Beoordeling ondersteuning jobcoach" by the employee and by
the employer) of one trajectory, read from the quality context's satisfaction read model,
for the annex of the accountability report.

The responses come from quality's read model (`SatisfactionView.trajectory_responses`):
a response belongs to a trajectory through the invitation it answered. Per form the latest
response given on or after the start of the reported period counts (the forms are filled
in at the end of a period, often after its last day). Item texts, scale and threshold
come from the form definition the response answered (formdefs).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

UWV_FORMS = {  # respondent -> form key
    "werknemer": "uwv-beoordeling-werknemer",
    "werkgever": "uwv-beoordeling-werkgever",
}


def uwv_ratings(platform: Any, org_id: UUID, trajectory_id: UUID, first: date) -> dict[str, Any]:
    """{respondent: rating or None} for werknemer and werkgever; a rating has the form's
    title, the date, every item with its answer, the mean of the answered items and the
    threshold (6.5 on UWV's 1-10 scale)."""
    from services.quality.satisfaction import formdefs
    from services.quality.satisfaction.report import SatisfactionView

    responses = platform.view(SatisfactionView, org_id).trajectory_responses(
        str(trajectory_id), first.isoformat(), tuple(UWV_FORMS.values()))
    latest = {row["form_key"]: row for row in responses}  # ordered: the last one wins
    result: dict[str, Any] = {}
    for respondent, key in UWV_FORMS.items():
        row = latest.get(key)
        if row is None:
            result[respondent] = None
            continue
        form = formdefs.form(key, row["form_version"])
        answers = row["answers"]
        items = [(item.text, answers.get(item.id)) for item in form.items]
        scored = [value for _, value in items if isinstance(value, int)]
        mean = sum(scored) / len(scored) if scored else None
        result[respondent] = {
            "title": form.title, "responded_on": date.fromisoformat(row["responded_on"]),
            "items": items, "mean": mean, "threshold": form.threshold,
            "meets": None if mean is None or form.threshold is None else mean >= form.threshold,
        }
    return result
