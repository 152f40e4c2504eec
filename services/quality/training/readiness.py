"""Register readiness per jobcoach: pure rules over facts, the rules read from YAML data.

Facts: the register file, practice hours (registered trajectory hours plus evidenced
prior hours) and training records. The rules version used is part of every answer.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from services.kernel.domain import NotFoundError

RULES_DIR = Path(__file__).with_name("rules")


@functools.cache
def all_rules() -> dict[str, dict[str, Any]]:
    rules = {}
    for path in sorted(RULES_DIR.glob("registers.*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules[str(data["version"])] = data
    return rules


def rules(version: str | None = None) -> dict[str, Any]:
    versions = sorted(all_rules())
    if not versions or (version is not None and version not in versions):
        raise NotFoundError("Registerregels %(version)s bestaan niet", version=version)
    return all_rules()[version or versions[-1]]


def _years_between(start: date, end: date) -> float:
    return round((end - start).days / 365.25, 2)


def _minus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def readiness(
    file: dict[str, Any], practice: dict[str, Any], records: list[dict[str, Any]], today: date,
    rule_set: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`file`: RegisterFile.state(); `practice`: {"hours", "first_day"} from trajectories;
    `records`: training records (not withdrawn) as dicts."""
    rule_set = rule_set or rules()
    levels = {e["level"] for e in file.get("education", [])}
    diplomas = file.get("diplomas", [])
    accredited = any(d["kind"] == "accredited" for d in diplomas)
    registered_hours = float(practice.get("hours") or 0)
    prior = sum(float(p["hours"]) for p in file.get("prior_hours", []))
    hours = round(registered_hours + prior, 2)
    starts = [d for d in (
        date.fromisoformat(file["practice_started_on"]) if file.get("practice_started_on")
        else None,
        practice.get("first_day"),
    ) if d]
    started = min(starts) if starts else None
    years = _years_between(started, today) if started else 0.0
    training_hours = sum(r["hours"] for r in records if r["category"] in ("opleiding", "cursus"))
    training_ects = sum(r["ects"] for r in records)
    reminder_days = sorted(rule_set.get("reminder_days_before_expiry", []), reverse=True)

    registers = []
    for rule in rule_set["registers"]:
        missing: list[str] = []
        notes: list[str] = []
        result: dict[str, Any] = {"register": rule["key"], "name": rule["name"]}
        if rule.get("education_levels") and not levels & set(rule["education_levels"]):
            missing.append("afgeronde opleiding op hbo/wo-niveau (of hbo-niveau via EVC)")
        training = rule.get("jobcoach_training")
        if training:
            before = training.get("diploma_before_year")
            ok = (training.get("accredited_diploma") and accredited) or any(
                d["kind"] == "before_2013" or (before and d["year"] < before) for d in diplomas
            ) or training_hours >= training.get("other_training_hours", float("inf")) \
                or training_ects >= training.get("other_training_ects", float("inf"))
            if not ok:
                missing.append(
                    "erkend jobcoachdiploma, diploma van vóór "
                    f"{before}, of {training['other_training_hours']} uur "
                    f"({training['other_training_ects']} ECTS) relevante scholing"
                )
        if "practice_hours" in rule:
            need = rule["practice_hours"]
            if accredited and "practice_hours_with_accredited_diploma" in rule:
                need = rule["practice_hours_with_accredited_diploma"]
            result["hours"] = {"have": hours, "registered": registered_hours, "prior": prior,
                               "need": need}
            if hours < need:
                missing.append(
                    f"{need - hours:g} uur praktijkervaring (heeft {hours:g} van {need})"
                )
        if "practice_years" in rule:
            result["years"] = {"have": years, "need": rule["practice_years"],
                               "since": started.isoformat() if started else None}
            if years < rule["practice_years"]:
                missing.append(f"{rule['practice_years']} jaar actief als jobcoach "
                               f"(nu {years:g} jaar)")
        if rule.get("portfolio_unless_accredited_diploma") and not accredited:
            notes.append("Zonder erkend jobcoachdiploma is een portfolio vereist")
        if "aspirant_until_hours" in rule:
            aspirant = hours < rule["aspirant_until_hours"]
            result["aspirant"] = aspirant
            if aspirant:
                until = rule["aspirant_until_hours"]
                notes.append(f"Aspirant-jobcoach onder supervisie tot {until} uur praktijkervaring")
                if not file.get("supervisor_id"):
                    missing.append("begeleider (supervisie) voor de aspirant-jobcoach")
        if "pe_points" in rule:
            result["pe"] = _pe(rule, records, today)
            if result["pe"]["counted"] < rule["pe_points"]:
                missing.append(f"{rule['pe_points'] - result['pe']['counted']:g} PE-punten in de "
                               f"periode vanaf {result['pe']['period_start']}")
        registration = (file.get("registrations") or {}).get(rule["key"])
        result.update(_status(registration, missing, reminder_days, today))
        result["missing"], result["notes"] = missing, notes
        registers.append(result)
    return {"rules_version": str(rule_set["version"]), "on": today.isoformat(),
            "practice_hours": hours, "registers": registers}


def _pe(rule: dict[str, Any], records: list[dict[str, Any]], today: date) -> dict[str, Any]:
    start = _minus_years(today, rule["pe_period_years"]) + timedelta(days=1)
    in_period = [r for r in records if start <= _day(r["completed_on"]) <= today]
    points = [(r["category"], float(r["pe_points"].get(rule["key"], 0))) for r in in_period]
    capped_categories = set(rule.get("pe_capped_categories", []))
    capped = sum(p for c, p in points if c in capped_categories)
    free = sum(p for c, p in points if c not in capped_categories)
    cap = rule.get("pe_capped_max", float("inf"))
    counted = free + min(capped, cap)
    return {"period_start": start.isoformat(), "need": rule["pe_points"],
            "total": free + capped, "capped": capped, "cap": cap,
            "not_counted": max(0.0, capped - cap), "counted": counted}


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _status(registration: dict[str, Any] | None, missing: list[str], reminder_days: list[int],
            today: date) -> dict[str, Any]:
    if registration is None:
        return {"status": "nog niet klaar" if missing else "klaar voor registratie",
                "expires_on": None, "reminder": None}
    expires = date.fromisoformat(registration["expires_on"])
    left = (expires - today).days
    if left < 0:
        return {"status": "verlopen", "expires_on": expires.isoformat(),
                "reminder": f"Registratie verlopen op {expires:%d-%m-%Y}"}
    due = [d for d in reminder_days if left <= d]
    reminder = None
    if due:
        reminder = (f"Herregistratie: de registratie verloopt over {left} dagen "
                    f"(op {expires:%d-%m-%Y})")
    return {"status": "verloopt binnenkort" if due else "geregistreerd",
            "expires_on": expires.isoformat(), "reminder": reminder,
            "number": registration.get("number")}
