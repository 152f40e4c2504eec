"""UWV documents as one neutral model, rendered to HTML (Jinja) and PDF (fpdf2).

- aanvraag: application for jobcoach support (the Leidraad's four steps + goals)
- verantwoording: accountability report on a period (per goal: result, hours)
- vervolgaanvraag: extension request (accountability + the four steps again)
- logboek: the jobcoach log tying every registered activity to goals

Generation refuses, naming what is missing, and refuses any medical term in the
free text (medical.py) so that nothing medical reaches a commissioner.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.kernel.domain import DomainError
from services.trajectories import document_annexes, log_signoff, medical
from services.trajectories import rules as r
from services.trajectories.document_model import (  # noqa: F401 - the model, re-exported
    Context,
    Document,
    DocumentIncompleteError,
    MedicalTermsError,
    Section,
    _s,
)

KINDS = {
    "aanvraag": "Aanvraag jobcoaching",
    "verantwoording": "Verantwoordingsrapportage jobcoaching",
    "vervolgaanvraag": "Vervolgaanvraag jobcoaching",
    "logboek": "Logboek jobcoach",
}


def build(kind: str, p: dict[str, Any], ctx: Context, first: date | None = None,
          last: date | None = None) -> Document:
    if kind not in KINDS:
        raise DomainError("Onbekend document: %(kind)s", kind=kind)
    first, last = period(p, first, last)
    builder = {"aanvraag": _application, "verantwoording": _accountability,
               "vervolgaanvraag": _extension, "logboek": _log}[kind]
    doc = builder(p, ctx, first, last)
    hits = medical.check(doc.passages())
    if hits:
        raise MedicalTermsError(doc.title, hits)
    return doc


def check(kind: str, p: dict[str, Any], ctx: Context, first: date | None = None,
          last: date | None = None) -> dict[str, Any]:
    """What stands between this document and sending it: missing parts, medical terms."""
    try:
        build(kind, p, ctx, first, last)
    except DocumentIncompleteError as error:
        return {"ready": False, "missing": error.missing, "medical_terms": []}
    except MedicalTermsError as error:
        return {"ready": False, "missing": [], "medical_terms": error.hits}
    return {"ready": True, "missing": [], "medical_terms": []}


# Parts ----------------------------------------------------------------------------------
def period(p: dict[str, Any], first: date | None, last: date | None) -> tuple[date, date]:
    """Default: the latest grant's period, else the trajectory so far (hours may be
    registered for days before the trajectory was entered)."""
    if first and last:
        if last < first:
            raise DomainError("De periode eindigt vóór de start")
        return first, last
    if p["grants"]:
        grant = p["grants"][-1]
        return first or grant["period_start"], last or grant["period_end"]
    earliest = min([p["started_on"], *(a["on"] for a in p["activities"])])
    return first or earliest, last or date.today()


def _head(p: dict[str, Any], ctx: Context, kind: str, extra: list[tuple[str, str]]) -> list:
    meta = [
        ("Cliënt", ctx.client_name),
        ("Geboortedatum", ctx.client_birth_date or "—"),
        ("Cliëntnummer", p["client_number"] or "—"),
        ("Opdrachtgever", p["commissioner"]),
        ("Jobcoachorganisatie", ctx.organisation),
        ("Jobcoach", ctx.jobcoach),
        ("Datum document", r.nl_date(date.today())),
    ]
    placement = p["steps"].get("placement", {}).get("current")
    if placement:
        meta.insert(4, ("Werkgever", placement["employer"]))
    return meta + extra


def _require(p: dict[str, Any], needs: dict[str, bool], title: str) -> None:
    missing = [part for part, present in needs.items() if not present]
    if missing:
        raise DocumentIncompleteError(title, missing)


def _four_steps(p: dict[str, Any]) -> list[Section]:
    steps = p["steps"]
    profile = steps["employee_profile"]["current"]
    work = steps["workplace_profile"]["current"]
    matching = steps["matching"]["current"]
    spec = r.STEPS
    employee = Section("1. Werknemersprofiel").kv(
        [(f.label, profile.get(f.name)) for f in spec["employee_profile"].fields
         if f.name not in ("agreed_with", "agreed_on")]
    )
    work_profile = Section("2. Werkprofiel (werkplek en taakanalyse)").kv(
        [(f.label, work.get(f.name)) for f in spec["workplace_profile"].fields
         if f.kind in ("text", "plain")]
    )
    match = Section("3. Matching").kv([
        ("Kansen- en knelpuntenanalyse", matching["analysis"]),
        ("Besluit", r.MATCH_DECISIONS[matching["decision"]]),
        ("Onderbouwing", matching["reasons"]),
        ("Besluit genomen op", r.nl_date(matching["decided_on"])),
    ])
    redesign = Section("4. Aanpassing van werkplek, taken of omgeving (jobcarving)")
    if matching["job_carving"]:
        redesign.table(
            ["Afspraak met de werkgever", "Eigenaar", "Gereed vóór"],
            [[a["agreement"], a["owner"], r.nl_date(a["due"])] for a in matching["job_carving"]],
        )
    else:
        redesign.p("Er zijn geen aanpassingen van werkplek, taken of omgeving afgesproken.")
    return [employee, work_profile, match, redesign]


def _goals_section(p: dict[str, Any], heading: str) -> Section:
    return Section(heading).table(
        ["Doel", "Meetbaar criterium", "Streefdatum", "Eigenaar", "Stand"],
        [[g["description"], g["criterion"], r.nl_date(g["target_date"]), g["owner"],
          g["status_label"]] for g in p["goals"]],
    )


def _in(a: dict[str, Any], first: date, last: date) -> bool:
    return first <= a["on"] <= last and a["minutes"] > 0


def _minutes_per_goal(p: dict[str, Any], first: date, last: date) -> dict[str, float]:
    """Each activity's minutes shared equally over the goals it served."""
    per: dict[str, float] = {}
    for a in p["activities"]:
        if _in(a, first, last):
            goals = a["goal_ids"] or ["—"]
            for goal_id in goals:
                per[goal_id] = per.get(goal_id, 0) + a["minutes"] / len(goals)
    return per


def _hours(minutes: float) -> str:
    return f"{minutes / 60:.1f}".replace(".", ",")


# Documents ------------------------------------------------------------------------------
def _application(p: dict[str, Any], ctx: Context, first: date, last: date) -> Document:
    title = KINDS["aanvraag"]
    steps = p["steps"]
    _require(p, {
        "Werknemersprofiel": "employee_profile" in steps,
        "Werkplekprofiel en taakanalyse": "workplace_profile" in steps,
        "Matching met besluit 'match'": steps.get("matching", {}).get("current", {}).get(
            "decision") == "match",
        "Plaatsing (werkgever, contract, uren)": "placement" in steps,
        "Coachingsplan met SMART-doelen": bool(p["goals"]),
    }, title)
    placement = steps["placement"]["current"]
    plan = steps["coaching_plan"]["current"]
    sections = [
        Section("Plaatsing").kv([
            ("Werkgever", placement["employer"]), ("Contract", placement["contract"]),
            ("Uren per week", f"{placement['hours_per_week']:g}"),
            ("Startdatum", r.nl_date(placement["start_date"])),
            ("Interne werkbegeleider", placement["supervisor"]),
        ]),
        *_four_steps(p),
        _goals_section(p, "5. Coachingsdoelen (resultaten die de ondersteuning moet bereiken)"),
        Section("Aanpak").kv([
            ("Actieplan", plan["action_plan"]), ("Rol van het netwerk", plan["network_roles"]),
            ("Evaluatiemomenten", ", ".join(r.nl_date(d) for d in plan["evaluation_moments"])),
        ]),
        Section("Verklaring").p(
            "Deze aanvraag is samen met de cliënt opgesteld. De cliënt en de werkgever hebben"
            " de inhoud besproken. Er staat geen medische informatie in deze aanvraag."
        ),
    ]
    return Document("aanvraag", title, _head(p, ctx, "aanvraag", []), sections,
                    ["Cliënt", "Werkgever", "Jobcoach"], ctx.organisation)


def _accountability_sections(p: dict[str, Any], first: date, last: date,
                             ratings: dict[str, Any] | None = None) -> list[Section]:
    per_goal = _minutes_per_goal(p, first, last)
    evaluations = [e for e in p["evaluations"] if first <= e["on"] <= last]
    latest: dict[str, dict[str, Any]] = {}
    for evaluation in evaluations:
        for result in evaluation["results"]:
            latest[result["goal_id"]] = result
    rows = []
    for goal in p["goals"]:
        result = latest.get(goal["goal_id"])
        status = r.GOAL_RESULTS[result["status"]] if result else "Nog niet geëvalueerd"
        further = "Nee" if goal["status"] == "reached" else "Ja"
        rows.append([
            goal["description"], goal["criterion"], status,
            (result or {}).get("reason") or "", further, _hours(per_goal.get(goal["goal_id"], 0)),
        ])
    total = sum(a["minutes"] for a in p["activities"] if _in(a, first, last))
    grants = [g for g in p["grants"] if g["period_start"] <= last and g["period_end"] >= first]
    sections = [
        Section("Resultaten per doel").table(
            ["Doel", "Criterium", "Resultaat", "Toelichting", "Verdere ondersteuning nodig",
             "Uren"], rows,
        ),
        Section("Evaluaties in de periode").table(
            ["Datum", "Samenvatting"],
            [[r.nl_date(e["on"]), e["summary"] or "—"] for e in evaluations],
        ),
        Section("Uren").kv(
            [("Totaal geregistreerd in de periode", f"{_hours(total)} uur")]
            + [(g["label"], f"{_hours(g['used_minutes'])} van {_hours(g['cap_minutes'])} uur"
                f" (regime {g['regime']}, {g['percentage']:g}%)") for g in grants]
        ),
        *document_annexes.ratings_annex(ratings),
    ]
    return sections


def _accountability(p: dict[str, Any], ctx: Context, first: date, last: date) -> Document:
    title = KINDS["verantwoording"]
    _require(p, {
        "Coachingsplan met SMART-doelen": bool(p["goals"]),
        "Voortgangsevaluatie in de periode": any(
            first <= e["on"] <= last for e in p["evaluations"]),
        "Geregistreerde uren in de periode": any(_in(a, first, last) for a in p["activities"]),
    }, title)
    period = ("Periode", f"{r.nl_date(first)} t/m {r.nl_date(last)}")
    return Document("verantwoording", title, _head(p, ctx, "verantwoording", [period]),
                    _accountability_sections(p, first, last, ctx.ratings),
                    ["Cliënt", "Werkgever", "Jobcoach"], ctx.organisation)


def _extension(p: dict[str, Any], ctx: Context, first: date, last: date) -> Document:
    title = KINDS["vervolgaanvraag"]
    steps = p["steps"]
    in_period = [a for a in p["activities"] if _in(a, first, last)]
    _require(p, {
        "Werknemersprofiel": "employee_profile" in steps,
        "Werkplekprofiel en taakanalyse": "workplace_profile" in steps,
        "Matching": "matching" in steps,
        "Coachingsplan met SMART-doelen": bool(p["goals"]),
        "Voortgangsevaluatie in de periode": any(
            first <= e["on"] <= last for e in p["evaluations"]),
        "Geregistreerde activiteiten in de periode": bool(in_period),
        **log_signoff.missing_for_extension(p, first, last),
    }, title)
    period = ("Verantwoorde periode", f"{r.nl_date(first)} t/m {r.nl_date(last)}")
    open_goals = [g for g in p["goals"] if g["status"] != "reached"]
    sections = [
        Section("A. Verantwoording van de vorige periode").p(
            "Samenvatting van de resultaten; de volledige verantwoordingsrapportage en het"
            " logboek zijn bijgevoegd."
        ),
        *_accountability_sections(p, first, last, ctx.ratings),
        *_four_steps(p),
        Section("5. Doelen voor de volgende periode").table(
            ["Doel", "Meetbaar criterium", "Streefdatum", "Eigenaar"],
            [[g["description"], g["criterion"], r.nl_date(g["target_date"]), g["owner"]]
             for g in open_goals],
        ) if open_goals else Section("5. Doelen voor de volgende periode").p(
            "Alle doelen zijn behaald; afbouw van de ondersteuning."),
    ]
    return Document("vervolgaanvraag", title, _head(p, ctx, "vervolgaanvraag", [period]),
                    sections, ["Cliënt", "Werkgever", "Jobcoach"], ctx.organisation)


def _log(p: dict[str, Any], ctx: Context, first: date, last: date) -> Document:
    title = KINDS["logboek"]
    rows = sorted((a for a in p["activities"] if _in(a, first, last)),
                  key=lambda a: (a["on"], a["start"]))
    _require(p, {"Geregistreerde activiteiten in de periode": bool(rows)}, title)
    goal_names = {g["goal_id"]: g["description"] for g in p["goals"]}
    table = [[
        r.nl_date(a["on"]), a["start_clock"], str(a["minutes"]), a["kind_label"],
        a["mode_label"], ", ".join(r.PARTICIPANTS[x] for x in a["participants"]),
        "; ".join(goal_names.get(g, g) for g in a["goal_ids"]) or "—", a["justification"],
    ] for a in rows]
    per_goal = _minutes_per_goal(p, first, last)
    sections = [
        Section("Activiteiten").table(
            ["Datum", "Tijd", "Min.", "Soort", "Vorm", "Deelnemers", "Doel(en)",
             "Verantwoording"], table,
        ),
        Section("Uren per doel").table(
            ["Doel", "Uren"],
            [[goal_names.get(g, "Geen doel (vóór het coachingsplan)"), _hours(m)]
             for g, m in per_goal.items()],
        ),
        Section("Totaal").kv([("Totaal in de periode",
                               f"{_hours(sum(a['minutes'] for a in rows))} uur")]),
        document_annexes.sign_off(p, first, last),
    ]
    period = ("Periode", f"{r.nl_date(first)} t/m {r.nl_date(last)}")
    return Document("logboek", title, _head(p, ctx, "logboek", [period]), sections,
                    ["Cliënt", "Werkgever", "Jobcoach"], ctx.organisation)


