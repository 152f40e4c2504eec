"""The satisfaction report as one SVG (the chart helpers live in services/web/charts.py)."""

from __future__ import annotations

from typing import Any

from services.web.charts import bars, stack


def report_chart(report: dict[str, Any]) -> str:
    """All forms of an annual report in one SVG: per form its mean score or section means."""
    charts = []
    for form in report["forms"]:
        if form["threshold"] is not None:
            rows = [(form["title"], form["mean_score"])]
            maximum = 10.0
        else:
            rows = [(section["title"], section["mean"]) for section in form["sections"]]
            maximum = 4.0
        charts.append(bars(f"{form['title']} (n={form['responses']})", rows, maximum,
                           form["threshold"], empty="geen antwoorden"))
    if not charts:
        return bars(f"Klanttevredenheid {report['year']}: nog geen antwoorden", [], 1.0)
    return stack(charts, "Klanttevredenheid")

