"""Satisfaction read model: invitations, responses and answers; rates and the annual report."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from services.kernel.views import Rows, View, handles
from services.quality.satisfaction import formdefs
from services.quality.satisfaction.domainmodel import SurveyCampaign, SurveyResponse


class SatisfactionView(View):
    name = "satisfaction"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}survey_campaigns ("
        " campaign_id TEXT PRIMARY KEY, name TEXT NOT NULL, period_start TEXT NOT NULL,"
        " period_end TEXT NOT NULL, closed_on TEXT)",
        "CREATE TABLE IF NOT EXISTS {t}survey_invitations ("
        " invitation_id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, trajectory_id TEXT NOT NULL,"
        " respondent TEXT NOT NULL, invited_on TEXT NOT NULL, expires_at TEXT NOT NULL,"
        " replaced INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}survey_responses ("
        " response_id TEXT PRIMARY KEY, campaign_id TEXT, invitation_id TEXT,"
        " form_key TEXT NOT NULL, form_version TEXT NOT NULL, respondent TEXT NOT NULL,"
        " responded_on TEXT NOT NULL, score REAL, jobcoach_id TEXT)",
        "CREATE TABLE IF NOT EXISTS {t}survey_answers ("
        " response_id TEXT NOT NULL, item_id TEXT NOT NULL, value INTEGER,"
        " PRIMARY KEY (response_id, item_id))",
    )

    @handles(SurveyCampaign.Created)
    def _started(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}survey_campaigns VALUES (%s, %s, %s, %s, NULL)"
            " ON CONFLICT (campaign_id) DO NOTHING",
            (str(e.originator_id), e.name, e.period_start.isoformat(), e.period_end.isoformat()),
        )

    @handles(SurveyCampaign.Closed)
    def _closed(self, rows: Rows, e: Any) -> None:
        rows.execute("UPDATE {t}survey_campaigns SET closed_on = %s WHERE campaign_id = %s",
                     (e.on.isoformat(), str(e.originator_id)))

    @handles(SurveyCampaign.Invited)
    def _invited(self, rows: Rows, e: Any) -> None:
        if e.replaces:
            rows.execute("UPDATE {t}survey_invitations SET replaced = 1 WHERE invitation_id = %s",
                         (e.replaces,))
        rows.execute(
            "INSERT INTO {t}survey_invitations VALUES (%s, %s, %s, %s, %s, %s, 0)"
            " ON CONFLICT (invitation_id) DO NOTHING",
            (e.invitation_id, str(e.originator_id), e.trajectory_id, e.respondent,
             e.invited_on.isoformat(), e.expires_at.isoformat()),
        )

    @handles(SurveyResponse.Created)
    def _responded(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}survey_responses VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (response_id) DO NOTHING",
            (str(e.originator_id), str(e.campaign_id) if e.campaign_id else None,
             e.invitation_id, e.form_key, e.form_version, e.respondent,
             e.responded_on.isoformat(), e.score,
             str(e.jobcoach_id) if e.jobcoach_id else None),
        )
        for item_id, value in e.answers.items():
            rows.execute(
                "INSERT INTO {t}survey_answers VALUES (%s, %s, %s)"
                " ON CONFLICT (response_id, item_id) DO NOTHING",
                (str(e.originator_id), item_id, value if isinstance(value, int) else None),
            )

    # Queries ---------------------------------------------------------------------------
    def campaigns(self) -> list[dict[str, Any]]:
        keys = ("campaign_id", "name", "period_start", "period_end", "closed_on")
        return self.records(
            keys, f"SELECT {', '.join(keys)} FROM {{t}}survey_campaigns ORDER BY period_start DESC"
        )

    def response_rates(self, campaign_id: str) -> dict[str, Any]:
        """Per respondent kind: trajectories invited (current links) and responses."""
        invited = dict(_pair(r) for r in self.query(
            "SELECT respondent, COUNT(*) FROM {t}survey_invitations WHERE campaign_id = %s"
            " AND replaced = 0 GROUP BY respondent", (campaign_id,)))
        answered = dict(_pair(r) for r in self.query(
            "SELECT respondent, COUNT(*) FROM {t}survey_responses WHERE campaign_id = %s"
            " GROUP BY respondent", (campaign_id,)))
        per = {
            kind: {"invited": invited.get(kind, 0), "responses": answered.get(kind, 0),
                   "rate": _rate(answered.get(kind, 0), invited.get(kind, 0))}
            for kind in sorted(set(invited) | set(answered))
        }
        total_invited, total_answered = sum(invited.values()), sum(answered.values())
        return {"per_respondent": per, "invited": total_invited, "responses": total_answered,
                "rate": _rate(total_answered, total_invited)}

    def trajectory_responses(
        self, trajectory_id: str, since: str, form_keys: tuple[str, ...]
    ) -> list[dict[str, Any]]:
        """The responses to these forms given for one trajectory since a day, oldest first,
        each with its answers ({item id: value}); a response belongs to a trajectory
        through the invitation it answered. (The UWV annex of the trajectory reports.)"""
        keys = ("response_id", "form_key", "form_version", "respondent", "responded_on")
        rows = self.records(
            keys,
            f"SELECT {', '.join('r.' + k for k in keys)} FROM {{t}}survey_responses r"
            " JOIN {t}survey_invitations i ON i.invitation_id = r.invitation_id"
            " WHERE i.trajectory_id = %s AND r.responded_on >= %s"
            f" AND r.form_key IN ({', '.join(['%s'] * len(form_keys))})"
            " ORDER BY r.responded_on, r.response_id",
            (trajectory_id, since, *form_keys),
        )
        for row in rows:
            row["answers"] = dict(  # values as stored: n.v.t. is no number
                tuple(a.values()) if isinstance(a, dict) else tuple(a) for a in self.query(
                    "SELECT item_id, value FROM {t}survey_answers WHERE response_id = %s",
                    (row["response_id"],)))
        return rows

    def annual_report(self, year: int) -> dict[str, Any]:
        """Per form (key and version): responses, mean score (UWV: against 6.5), item means."""
        keys = ("response_id", "form_key", "form_version", "respondent", "score")
        responses = self.records(
            keys,
            f"SELECT {', '.join(keys)} FROM {{t}}survey_responses"
            " WHERE responded_on >= %s AND responded_on <= %s",
            (f"{year}-01-01", f"{year}-12-31"),
        )
        answers: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
        for row in self.query(
            "SELECT a.response_id, a.item_id, a.value FROM {t}survey_answers a"
            " JOIN {t}survey_responses r ON r.response_id = a.response_id"
            " WHERE r.responded_on >= %s AND r.responded_on <= %s",
            (f"{year}-01-01", f"{year}-12-31"),
        ):
            response_id, item_id, value = row.values() if isinstance(row, dict) else row
            answers[response_id].append((item_id, value))
        forms: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for response in responses:
            forms[(response["form_key"], response["form_version"])].append(response)
        result = []
        for (key, version), rows in sorted(forms.items()):
            form = formdefs.form(key, version)
            scores = [r["score"] for r in rows if r["score"] is not None]
            mean = round(sum(scores) / len(scores), 2) if scores else None
            result.append({
                "form_key": key, "form_version": version, "title": form.title,
                "responses": len(rows), "mean_score": mean, "threshold": form.threshold,
                "meets_threshold": None if form.threshold is None or mean is None
                else mean >= form.threshold,
                "sections": _section_means(form, [answers[r["response_id"]] for r in rows]),
            })
        return {"year": year, "responses": len(responses), "forms": result}


def _section_means(form: formdefs.Form, answer_sets: list[list[tuple[str, int | None]]]):
    values: dict[str, list[int]] = defaultdict(list)
    not_applicable: dict[str, int] = defaultdict(int)
    for answer_set in answer_sets:
        for item_id, value in answer_set:
            if value is None:
                not_applicable[item_id] += 1
            else:
                values[item_id].append(value)
    sections = []
    for section in form.sections:
        items = [{
            "id": item.id, "label": item.label, "text": item.text,
            "mean": round(sum(values[item.id]) / len(values[item.id]), 2)
            if values[item.id] else None,
            "answered": len(values[item.id]), "not_applicable": not_applicable[item.id],
        } for item in section.items]
        scored = [v for item in section.items for v in values[item.id]]
        sections.append({
            "id": section.id, "title": section.title, "items": items,
            "mean": round(sum(scored) / len(scored), 2) if scored else None,
        })
    return sections


def _pair(row: Any) -> tuple[str, int]:
    first, second = row.values() if isinstance(row, dict) else row
    return first, int(second)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None
