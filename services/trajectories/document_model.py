"""The neutral model of a UWV document (sections of paragraphs, key-value rows and
tables), rendered to HTML (Jinja) and PDF (pdf.py); and the refusals of generation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.kernel.domain import N_, DomainError
from services.trajectories import rules as r


class DocumentIncompleteError(DomainError):
    def __init__(self, title: str, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            N_("%(title)s kan nog niet worden gemaakt. Ontbreekt: %(missing)s"),
            title=title, missing="; ".join(missing),
        )


class MedicalTermsError(DomainError):
    def __init__(self, title: str, hits: list[dict[str, Any]]) -> None:
        self.hits = hits
        where = "; ".join(f"{h['where']}: {', '.join(h['terms'])}" for h in hits)
        super().__init__(
            N_("%(title)s bevat medische termen, die niet in een rapportage aan de opdrachtgever"
               " horen. Herschrijf in functionele termen: %(where)s"),
            title=title, where=where,
        )


@dataclass
class Section:
    heading: str
    blocks: list[tuple[Any, ...]] = field(default_factory=list)  # ("p", text) | ("kv", rows)
    # | ("table", headers, rows)

    def p(self, text: str | None) -> Section:
        self.blocks.append(("p", text or "—"))
        return self

    def kv(self, rows: list[tuple[str, Any]]) -> Section:
        self.blocks.append(("kv", [(k, _s(v)) for k, v in rows]))
        return self

    def table(self, headers: list[str], rows: list[list[Any]]) -> Section:
        self.blocks.append(("table", headers, [[_s(c) for c in row] for row in rows]))
        return self


@dataclass
class Document:
    kind: str
    title: str
    meta: list[tuple[str, str]]
    sections: list[Section]
    signatures: list[str]
    organisation: str

    @property
    def filename(self) -> str:
        number = dict(self.meta).get("Cliëntnummer", "client")
        return f"{self.kind}-{number}.pdf"

    def passages(self) -> list[tuple[str, str]]:
        """Every text of the document with where it stands, for the medical check."""
        result = []
        for section in self.sections:
            for block in section.blocks:
                if block[0] == "p":
                    result.append((section.heading, block[1]))
                elif block[0] == "kv":
                    result += [(f"{section.heading} – {k}", v) for k, v in block[1]]
                else:
                    result += [(section.heading, " ".join(row)) for row in block[2]]
        return result


@dataclass
class Context:
    organisation: str
    jobcoach: str
    client_name: str
    client_birth_date: str | None = None
    # The UWV rating forms {"werknemer"|"werkgever": rating or None} (ratings.py); None:
    # not looked up (the page's readiness checks do not need them).
    ratings: dict[str, Any] | None = None


def _s(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, date):
        return r.nl_date(value)
    return str(value)
