"""Domain refusals are translatable: a literal Dutch template (the msgid Babel extracts)
whose named placeholders are exactly the parameters given (issue 3)."""

import ast
import re
from pathlib import Path

import pytest

from services.kernel.domain import DomainError
from services.trajectories.document_model import DocumentIncompleteError, MedicalTermsError

ROOT = Path(__file__).resolve().parents[3]
# Areas converted so far; the rest of services/ follows in a later pass.
CONVERTED = [
    "services/trajectories", "services/kernel", "services/platform", "services/web",
    *(f"services/audit/{name}" for name in (
        "evidence*.py", "kpis.py", "renewal*.py", "pack_export.py", "views.py", "api.py",
        "schemas.py", "browse.py", "record.py")),
    "projections/renewal*.py",
]
REFUSALS = {"DomainError", "NotFoundError", "ConflictError", "PreconditionFailedError",
            "ConsentRequiredError", "DecisionRequiredError", "LinkGoneError"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _files() -> list[Path]:
    found: set[Path] = set()
    for area in CONVERTED:
        path = ROOT / area
        found.update(path.rglob("*.py") if path.is_dir() else ROOT.glob(area))
    return sorted(found)


def _refusals(path: Path):
    """(line, template node, keyword names) of every refusal built in this file:
    DomainError and kin, and trajectories' require(condition, template, **params)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", None))
        position = 0 if name in REFUSALS else 1 if name == "require" else None
        if position is None or len(node.args) <= position:
            continue
        yield node.lineno, node.args[position], {k.arg for k in node.keywords if k.arg}


def _translated_first(template: ast.expr) -> bool:
    """Web views may refuse with text already translated by _()/gettext."""
    return isinstance(template, ast.Call) and getattr(template.func, "id", "") in {
        "_", "gettext"}


def test_converted_areas_exist():
    assert len(_files()) > 50


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_refusals_have_literal_templates_and_matching_parameters(path):
    wrong = []
    for line, template, params in _refusals(path):
        if _translated_first(template):
            continue
        if isinstance(template, ast.Name) and template.id == "message":  # require itself
            continue
        if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
            wrong.append(f"{line}: not a literal template: {ast.unparse(template)[:80]}")
        elif params and set(PLACEHOLDER.findall(template.value)) != params:
            wrong.append(f"{line}: placeholders {PLACEHOLDER.findall(template.value)} "
                         f"but parameters {sorted(params)}")
    assert not wrong, "\n".join(wrong)


def test_a_refusal_keeps_its_template_apart_from_its_values():
    error = DomainError("Cliënt %(number)s is gesloten; 100%% zeker", number="C-7")
    assert str(error) == "Cliënt C-7 is gesloten; 100% zeker"
    assert error.template == "Cliënt %(number)s is gesloten; 100%% zeker"
    assert error.params == {"number": "C-7"}


def test_document_refusals_pass_a_template_with_their_values():
    incomplete = DocumentIncompleteError("Aanvraag jobcoaching", ["Intake", "Plaatsing"])
    assert incomplete.template == "%(title)s kan nog niet worden gemaakt. Ontbreekt: %(missing)s"
    assert str(incomplete) == (
        "Aanvraag jobcoaching kan nog niet worden gemaakt. Ontbreekt: Intake; Plaatsing")
    medical = MedicalTermsError("Logboek", [{"where": "Activiteit 1", "terms": ["burn-out"]}])
    assert medical.params == {"title": "Logboek", "where": "Activiteit 1: burn-out"}
    assert str(medical).startswith("Logboek bevat medische termen")
