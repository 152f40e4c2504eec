"""Survey forms as versioned data (YAML in ./forms), and the checking of answers.

A form version is never edited: new wording is a new file with a new version, and
every response records the version it answered.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from services.kernel.domain import DomainError, NotFoundError

FORMS_DIR = Path(__file__).with_name("forms")
NOT_APPLICABLE = "n.v.t."


@dataclass(frozen=True)
class Scale:
    values: tuple[int, ...]
    labels: dict[int, str]
    not_applicable: bool
    not_applicable_label: str
    explanation: str

    def allowed_parts(self) -> dict[str, str]:
        """The allowed answers as `values` and `last` ("1, 2, 3" and "4"), so a message can
        put its own word for "or" between them."""
        values = [str(v) for v in self.values]
        if self.not_applicable:
            values.append(NOT_APPLICABLE)
        return {"values": ", ".join(values[:-1]), "last": values[-1]}


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    section: str
    label: str | None = None
    explanation: str | None = None  # the form asks for a written explanation ("Toelichting:")


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Form:
    key: str
    version: str
    title: str
    respondent: str
    source: str
    intro: str
    scale: Scale
    sections: tuple[Section, ...]
    subtitle: str | None = None
    criteria_heading: str | None = None
    stem: str | None = None
    score_item: str | None = None  # None: the mean of all answered items
    threshold: float | None = None
    comment: str | None = None  # an open question at the end, if the form has one
    verified: bool = True

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def check(
        self, answers: Any, explanations: Any = None, comment: str | None = None
    ) -> tuple[dict[str, int | str], dict[str, str]]:
        """Answers as {item id: value or "n.v.t."}; refuses anything else, in Dutch."""
        if not isinstance(answers, dict):
            raise DomainError("Antwoorden ontbreken")
        known = {item.id: item for item in self.items}
        unknown = sorted(set(answers) - set(known))
        if unknown:
            raise DomainError("Onbekende vraag: %(questions)s", questions=", ".join(unknown))
        checked: dict[str, int | str] = {}
        for number, item in enumerate(self.items, 1):
            value = answers.get(item.id)
            question = {"number": number, "text": item.text[:40]}
            if value is None or value == "":
                raise DomainError("Beantwoord vraag %(number)s (%(text)s…)", **question)
            if isinstance(value, str) and value.strip().lower() in ("n.v.t.", "nvt", "n.v.t"):
                if not self.scale.not_applicable:
                    raise DomainError(
                        "Bij vraag %(number)s (%(text)s…) kan n.v.t. niet worden gekozen",
                        **question)
                checked[item.id] = NOT_APPLICABLE
                continue
            try:
                number_value = int(value) if not isinstance(value, bool) else None
            except (TypeError, ValueError):
                number_value = None
            if number_value is None or str(value).strip() != str(number_value) \
                    or number_value not in self.scale.values:
                raise DomainError(
                    "Het antwoord op vraag %(number)s (%(text)s…) moet %(values)s of %(last)s zijn",
                    **question, **self.scale.allowed_parts())
            checked[item.id] = number_value
        texts: dict[str, str] = {}
        for item_id, text in (explanations or {}).items():
            item = known.get(item_id)
            if item is None or item.explanation is None:
                raise DomainError("Bij vraag %(question)s hoort geen toelichting",
                                  question=item_id)
            if text and str(text).strip():
                if len(str(text)) > 4000:
                    raise DomainError("Een toelichting mag hoogstens 4000 tekens zijn")
                texts[item_id] = str(text).strip()
        if comment and len(comment) > 4000:
            raise DomainError("Een toelichting mag hoogstens 4000 tekens zijn")
        return checked, texts

    def score(self, answers: dict[str, int | str]) -> float | None:
        if self.score_item is not None:
            value = answers.get(self.score_item)
            return float(value) if isinstance(value, int) else None
        numbers = [v for v in answers.values() if isinstance(v, int)]
        return round(sum(numbers) / len(numbers), 3) if numbers else None

    def as_dict(self) -> dict[str, Any]:
        """What a respondent may see: the form itself, nothing else."""
        return {
            "key": self.key, "version": self.version, "title": self.title,
            "subtitle": self.subtitle, "intro": self.intro, "stem": self.stem,
            "criteria_heading": self.criteria_heading, "respondent": self.respondent,
            "source": self.source, "comment": self.comment, "threshold": self.threshold,
            "scale": {
                "values": list(self.scale.values),
                "labels": {str(k): v for k, v in self.scale.labels.items()},
                "not_applicable": self.scale.not_applicable,
                "not_applicable_label": self.scale.not_applicable_label,
                "explanation": self.scale.explanation,
            },
            "sections": [
                {"id": s.id, "title": s.title, "items": [
                    {"id": i.id, "label": i.label, "text": i.text, "explanation": i.explanation}
                    for i in s.items]}
                for s in self.sections
            ],
        }


def _parse(data: dict[str, Any]) -> Form:
    scale = data["scale"]
    score = data.get("score") or {}
    return Form(
        key=data["key"], version=str(data["version"]), title=data["title"],
        respondent=data["respondent"], source=data["source"], intro=data.get("intro") or "",
        subtitle=data.get("subtitle"), criteria_heading=data.get("criteria_heading"),
        stem=data.get("stem"), comment=data.get("comment"),
        score_item=score.get("item"), threshold=score.get("threshold"),
        verified=data.get("verified", True),
        scale=Scale(
            values=tuple(int(v) for v in scale["values"]),
            labels={int(k): str(v) for k, v in (scale.get("labels") or {}).items()},
            not_applicable=bool(scale.get("not_applicable")),
            not_applicable_label=scale.get("not_applicable_label") or "",
            explanation=scale.get("explanation") or "",
        ),
        sections=tuple(
            Section(s["id"], s["title"], tuple(
                Item(i["id"], i["text"], s["id"], i.get("label"), i.get("explanation"))
                for i in s["items"]))
            for s in data["sections"]
        ),
    )


@functools.cache
def all_forms() -> dict[tuple[str, str], Form]:
    forms = {}
    for path in sorted(FORMS_DIR.glob("*.yaml")):
        form = _parse(yaml.safe_load(path.read_text(encoding="utf-8")))
        forms[(form.key, form.version)] = form
    return forms


def form(key: str, version: str | None = None) -> Form:
    """One version of a form; the latest when no version is given."""
    versions = sorted(v for k, v in all_forms() if k == key)
    if not versions or (version is not None and version not in versions):
        if version is None:
            raise NotFoundError("Vragenlijst %(key)s bestaat niet", key=key)
        raise NotFoundError("Vragenlijst %(key)s %(version)s bestaat niet", key=key,
                            version=version)
    return all_forms()[(key, version or versions[-1])]


def latest_forms() -> list[Form]:
    return [form(key) for key in sorted({k for k, _ in all_forms()})]
