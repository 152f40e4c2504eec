"""Renewal reporting for management: where the organisation stands for each quality mark.

Everything comes from read models: certificates (AuditJournal aggregates), requirement
status per month-end (services/audit/snapshots.py), KPI trends and hour-plausibility
findings (services/audit/kpis.py). Charts are server-side SVG (services/web/charts.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.audit import kpis, snapshots
from services.audit.application import AuditJournal
from services.audit.evidence import AT_RISK, MET, NO_DATA, NOT_MET, norms
from services.web import charts

EXPIRY_WARNING_DAYS = 183  # plan the renewal audit at least half a year ahead
STATUS_COLOURS = {MET: "#2f7d46", AT_RISK: "#c48a00", NOT_MET: "#a3281b", NO_DATA: "#c9d0d6"}
STATUS_LEGEND = {MET: "voldaan", AT_RISK: "risico", NOT_MET: "niet voldaan",
                 NO_DATA: "geen gegevens"}


def certificates(platform: Any, org_id: Any, today: date) -> list[dict[str, Any]]:
    marks = norms()["marks"]
    rows = []
    for mark, found in platform.app(AuditJournal, org_id).certificates().items():
        row: dict[str, Any] = {"mark": mark, "name": marks[mark]["name"], "certified_on": None,
                               "expires_on": None, "reference": "", "days_left": None,
                               "state": "niet vastgelegd"}
        if found is not None:
            days_left = (found.expires_on - today).days
            row.update(certified_on=found.certified_on, expires_on=found.expires_on,
                       reference=found.reference, days_left=days_left)
            row["state"] = ("verlopen" if days_left < 0 else "verloopt binnenkort"
                            if days_left <= EXPIRY_WARNING_DAYS else "geldig")
        rows.append(row)
    return rows


def actions(current: dict[str, Any], certs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What to do before renewal: expiring marks, then requirements at risk or not met."""
    data = norms()
    expiry = {c["mark"]: c["expires_on"] for c in certs if c["expires_on"]}
    found = []
    for cert in certs:
        if cert["state"] in ("verlopen", "verloopt binnenkort"):
            verb = "is verlopen op" if cert["state"] == "verlopen" else "verloopt op"
            found.append({
                "kind": "keurmerk", "status": NOT_MET if cert["state"] == "verlopen" else AT_RISK,
                "title": f"{cert['name']} {verb} {cert['expires_on'].strftime('%d-%m-%Y')}",
                "findings": ["Plan de her-audit en lever het bewijsdossier tijdig aan."],
                "marks": [cert["name"]], "before": cert["expires_on"],
            })
    for requirement in data["requirements"]:
        entry = current.get(requirement["id"])
        if entry is None or entry["status"] not in (AT_RISK, NOT_MET):
            continue
        affected = [
            (mark, norm["id"]) for mark, spec in data["marks"].items()
            for norm in spec["norms"] if requirement["id"] in norm["requirements"]
        ]
        dates = [expiry[m] for m, _ in affected if m in expiry]
        found.append({
            "kind": "eis", "status": entry["status"], "title": requirement["title"],
            "findings": [
                f"{f['label']}: {f['value']}" + (f" ({f['finding']})" if f.get("finding") else "")
                for f in entry["figures"] if f["status"] in (AT_RISK, NOT_MET)
            ],
            "marks": sorted({f"{data['marks'][m]['name']} ({n})" for m, n in affected}),
            "before": min(dates) if dates else None,
        })
    return sorted(found, key=lambda a: (a["status"] != NOT_MET, a["before"] or date.max))


def dashboard(platform: Any, org: Any, today: date) -> dict[str, Any]:
    certs = certificates(platform, org.id, today)
    history = snapshots.history(platform, org, today)
    requirements = [(r["id"], r["title"]) for r in norms()["requirements"]]
    trend = kpis.kpi_trends(platform, org.id, today)
    span = kpis.months(today)
    hours = kpis.hour_findings(platform, org.id, today)
    return {
        "today": today,
        "certificates": certs,
        "history": history,
        "requirements": requirements,
        "actions": actions(history[-1]["statuses"], certs),
        "kpis": trend,
        "months": [m.label for m in span],
        "hours": hours,
    }


def status_chart(data: dict[str, Any]) -> str:
    columns = [c["label"] for c in data["history"]]
    rows = [
        (title, [c["statuses"].get(rid, {}).get("status", NO_DATA) for c in data["history"]])
        for rid, title in data["requirements"]
    ]
    return charts.grid("Status per eis aan het einde van iedere maand", columns, rows,
                       STATUS_COLOURS, STATUS_LEGEND)


def kpi_chart(kpi: kpis.Kpi, labels: list[str]) -> str:
    return charts.line(kpi.title, labels, kpi.values, threshold=kpi.threshold, unit=kpi.unit)


def hours_chart(hours: list[dict[str, Any]]) -> str:
    rows = [(h["name"], float(h["days"])) for h in hours[:15]]
    top = max([r[1] for r in rows], default=1.0)
    return charts.bars("Onaannemelijke dagen per jobcoach (12 maanden)", rows, top,
                       unit=" dagen", decimals=0)
