"""Domain refusals are translatable: a literal Dutch template (the msgid Babel extracts)
whose named placeholders are exactly the parameters given (issue 3). Checked over all of
services/ and projections/, so an f-string refusal cannot come back."""

import ast
import re
from pathlib import Path

import pytest

from services.kernel.domain import DomainError, Notice
from services.trajectories.document_model import DocumentIncompleteError, MedicalTermsError

ROOT = Path(__file__).resolve().parents[3]
AREAS = ("services", "projections")
REFUSALS = {"DomainError", "NotFoundError", "ConflictError", "PreconditionFailedError",
            "ConsentRequiredError", "DecisionRequiredError", "LinkGoneError",
            "RebuildRefusedError", "Notice"}
# A variable may carry the template only where it is handed on unchanged; where it comes
# from is checked below (N_-marked literals at every call site, table or return).
PASS_THROUGH = {
    "services/trajectories/rules.py": {"message"},  # require() itself
    "services/quality/complaints/application.py": {"refusal"},
    "services/quality/complaints/domainmodel.py": {"refusal"},
    "services/quality/training/domainmodel.py": {"refusal"},
    "services/quality/complaints/regulation.py": {"shape", "whole_number", "one_of"},
    "services/quality/satisfaction/domainmodel.py": {"reason"},
    "services/quality/satisfaction/links.py": {"reason", "error.template"},
}
# Helpers whose `refusal` parameter becomes the template: callers must pass N_("...").
HELPERS = {
    "services/quality/complaints/application.py": {"_text": 1},
    "services/quality/complaints/domainmodel.py": {"_not_after_today": 2},
    "services/quality/training/domainmodel.py": {"_text": 1, "_texts": 1},
}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _files() -> list[Path]:
    return sorted(path for area in AREAS for path in (ROOT / area).rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _tree(name: str) -> ast.Module:
    return ast.parse((ROOT / name).read_text(encoding="utf-8"))


def _called(node: ast.Call) -> str | None:
    return getattr(node.func, "id", getattr(node.func, "attr", None))


def _refusals(path: Path):
    """(line, template node, keyword names) of every refusal built in this file:
    DomainError and kin, and trajectories' require(condition, template, **params)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        position = 0 if name in REFUSALS else 1 if name == "require" else None
        if position is None or len(node.args) <= position:
            continue
        yield node.lineno, node.args[position], {k.arg for k in node.keywords if k.arg}


def _translated_first(template: ast.expr) -> bool:
    """Web views may refuse with text already translated by _()/gettext."""
    return isinstance(template, ast.Call) and getattr(template.func, "id", "") in {
        "_", "gettext"}


def _marked(node: ast.expr | None) -> bool:
    """N_("literal"): extracted by Babel, so translatable at the edge."""
    return (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "N_"
            and len(node.args) == 1 and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str))


def test_every_area_is_covered():
    assert len(_files()) > 200
    assert {"services/privacy/requests.py", "services/audit/domainmodel.py",
            "services/quality/complaints/regulation.py"} <= {_name(p) for p in _files()}


@pytest.mark.parametrize("path", _files(), ids=_name)
def test_refusals_have_literal_templates_and_matching_parameters(path):
    wrong = []
    for line, template, params in _refusals(path):
        if _translated_first(template) or _marked(template):
            continue
        if ast.unparse(template) in PASS_THROUGH.get(_name(path), set()):
            continue
        if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
            wrong.append(f"{line}: not a literal template: {ast.unparse(template)[:80]}")
        elif params and set(PLACEHOLDER.findall(template.value)) != params:
            wrong.append(f"{line}: placeholders {PLACEHOLDER.findall(template.value)} "
                         f"but parameters {sorted(params)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", _files(), ids=_name)
def test_marked_templates_are_literal(path):
    wrong = [f"{node.lineno}: {ast.unparse(node)[:80]}"
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "N_"
             and not _marked(node)]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(HELPERS))
def test_helpers_that_refuse_get_marked_templates(name):
    calls, wrong = 0, []
    for node in ast.walk(_tree(name)):
        if not isinstance(node, ast.Call) or _called(node) not in HELPERS[name]:
            continue
        position = HELPERS[name][_called(node)]
        given = dict((k.arg, k.value) for k in node.keywords).get("refusal") or (
            node.args[position] if len(node.args) > position else None)
        calls += 1
        if not (_marked(given) or (isinstance(given, ast.Name) and given.id == "refusal")):
            wrong.append(f"{node.lineno}: {ast.unparse(node)[:80]}")
    assert calls and not wrong, "\n".join(wrong)


def test_term_refusals_are_marked():
    table = next(node.value for node in _tree("services/quality/complaints/regulation.py").body
                 if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) ==
                 "TERM_REFUSALS")
    assert isinstance(table, ast.Dict) and table.values
    assert all(_marked(item) for row in table.values for item in row.elts)


def test_survey_link_reasons_are_marked():
    usable = next(node for node in ast.walk(_tree("services/quality/satisfaction/domainmodel.py"))
                  if isinstance(node, ast.FunctionDef) and node.name == "usable")
    returned = [node.value for node in ast.walk(usable) if isinstance(node, ast.Return)]
    assert len(returned) > 1
    assert all(_marked(value) or (isinstance(value, ast.Constant) and value.value is None)
               for value in returned)


def test_portfolio_reasons_are_notices():
    """Every reason a portfolio is refused for is a Notice (literal template, values apart),
    never finished Dutch text; the edge translates them one by one."""
    appended = [node.args[0] for node in ast.walk(_tree("services/quality/portfolio/compose.py"))
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "append" and ast.unparse(node.func.value) in {
                    "reasons", "problems"}]
    branches = [branch for value in appended for branch in (
        (value.body, value.orelse) if isinstance(value, ast.IfExp) else (value,))]
    handed_on = [b for b in branches if isinstance(b, ast.Name)]  # from the tables below
    made = [b for b in branches if not isinstance(b, ast.Name)]
    assert len(made) > 10 and [b.id for b in handed_on] == ["reason"]
    assert all(isinstance(b, ast.Call) and _called(b) == "Notice" for b in made), [
        ast.unparse(b)[:60] for b in made]
    for name, table in (("services/quality/portfolio/parts.py", "REQUIRED_STEPS"),
                        ("services/quality/portfolio/annexes.py", "MISSING")):
        [values] = [node.value.values for node in _tree(name).body if isinstance(
            node, ast.Assign) and ast.unparse(node.targets[0]) == table]
        assert values and all(isinstance(v, ast.Call) and _called(v) == "Notice"
                              for v in values), table


def test_a_notice_keeps_its_template_apart_from_its_values():
    notice = Notice("Let op: %(share)s van het plafond", share="83%")
    assert notice == "Let op: 83% van het plafond" and notice.params == {"share": "83%"}
    assert notice.template == "Let op: %(share)s van het plafond"


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
