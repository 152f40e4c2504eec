"""A check for medical terms in free text before a report leaves the organisation.

UWV reports must contain no medical information (DOMAIN.md): functional
limitations, never diagnoses, treatments or medication. The check is a word list,
so it flags rather than proves: the jobcoach rewrites the flagged passage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Lower-case terms matched as whole words (with a few stems), case-insensitively.
TERMS = (
    "diagnose", "diagnoses", "gediagnosticeerd", "stoornis", "stoornissen", "syndroom",
    "autisme", "autistisch", "depressie", "depressief", "depressieve", "schizofrenie",
    "psychose", "psychotisch", "bipolair", "borderline", "angststoornis", "paniekstoornis",
    "ptss", "burn-out", "burnout", "hersenletsel", "nah", "epilepsie", "diabetes", "kanker",
    "verslaving", "verslaafd", "alcoholisme", "medicatie", "medicijnen", "antidepressiva",
    "ritalin", "methylfenidaat", "psychiater", "psychiatrisch", "psychiatrische", "opname",
    "opgenomen in", "ggz", "behandeling", "behandelaar", "therapie", "ziekenhuis", "cva",
    "beroerte", "hernia", "reuma", "whiplash", "chronisch vermoeidheidssyndroom", "adhd",
    "add", "ass", "pdd-nos", "ocd", "dwangstoornis", "eetstoornis", "anorexia", "boulimia",
    "dementie", "parkinson", "multiple sclerose", "hiv", "zwakbegaafd", "verstandelijke beperking",
)
_ALTERNATIVES = "|".join(re.escape(t) for t in sorted(TERMS, key=len, reverse=True))
_PATTERN = re.compile(r"(?<![\w-])(" + _ALTERNATIVES + r")(?![\w-])", re.IGNORECASE)


def find(text: str | None) -> list[str]:
    if not text:
        return []
    return sorted({m.group(1).lower() for m in _PATTERN.finditer(text)})


def check(passages: Iterable[tuple[str, str | None]]) -> list[dict[str, object]]:
    """[(where, text)] -> [{"where": ..., "terms": [...]}] for every passage with a hit."""
    hits = []
    for where, text in passages:
        terms = find(text)
        if terms:
            hits.append({"where": where, "terms": terms})
    return hits
