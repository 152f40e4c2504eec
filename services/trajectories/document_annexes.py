"""Annexes of the UWV documents: the rating forms of the accountability report (read by
ratings.py) and the signatures of the jobcoach log (log_signoff.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.trajectories import log_signoff
from services.trajectories import rules as r
from services.trajectories.document_model import Section


def ratings_annex(ratings: dict[str, Any] | None) -> list[Section]:
    """The two rating forms as an annex: per item the score, the mean against the norm."""
    overview = Section("Bijlage: beoordelingsformulieren")
    if ratings is None:
        return [overview.p("De formulieren 'Beoordeling ondersteuning jobcoach' van werknemer"
                           " en werkgever worden als bijlage meegestuurd.")]
    sections = [overview]
    for respondent, rating in ratings.items():
        if rating is None:
            overview.p(f"Beoordelingsformulier {respondent}: niet ontvangen")
            continue
        verdict = "" if rating["meets"] is None else (
            ": voldoet" if rating["meets"] else ": voldoet niet")
        mean = "—" if rating["mean"] is None else decimal(rating["mean"])
        norm = "" if rating["threshold"] is None else (
            f" (norm {decimal(rating['threshold'])}{verdict})")
        overview.p(f"Beoordelingsformulier {respondent}: ontvangen op"
                   f" {r.nl_date(rating['responded_on'])}, gemiddeld cijfer {mean}{norm}")
        sections.append(Section(f"Bijlage: {rating['title']}").table(
            ["Vraag", "Cijfer"],
            [[text, "n.v.t." if value is None else str(value)] for text, value in rating["items"]],
        ).kv([("Gemiddeld cijfer", f"{mean}{norm}")]))
    return sections


def decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def sign_off(p: dict[str, Any], first: date, last: date) -> Section:
    """The log's signatures per grant period (client; employer or workplace supervisor)."""
    section = Section("Ondertekening logboek")
    rows = log_signoff.signature_rows(p, first, last)
    if rows:
        return section.table(["Toekenningsperiode", "Rol", "Naam", "Datum", "Wijze", "Status"],
                             rows)
    return section.p("Het logboek van deze periode is nog niet ondertekend.")
