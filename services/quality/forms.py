"""Flask-WTF forms of the quality pages (CSRF token included by Flask-WTF).

Labels are Dutch gettext sources; choices with people in them (jobcoaches) are filled
in by the page, inside the request. Rules stay in the domain: these forms only check
what a browser can get wrong (missing, malformed, out of range), and the domain's
refusal is shown above the form with everything typed kept.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import UUID, AnyOf, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

COMPLAINANT_KINDS = {
    "client": _l("Cliënt"), "werkgever": _l("Werkgever"), "opdrachtgever": _l("Opdrachtgever"),
    "netwerk": _l("Iemand uit het netwerk van de cliënt"), "anders": _l("Anders"),
}
OUTCOMES = {"upheld": _l("Gegrond"), "partly_upheld": _l("Deels gegrond"),
            "not_upheld": _l("Ongegrond")}
HEARING_KINDS = {"hoorgesprek": _l("Hoorgesprek"), "onderzoek": _l("Onderzoek")}
CATEGORIES = {
    "opleiding": _l("Opleiding"), "cursus": _l("Cursus / training"),
    "congres": _l("Congres / symposium"),
    "intervisie": _l("Intervisie / intercollegiale toetsing"),
    "literatuur": _l("Vakliteratuur"), "overig": _l("Overig"),
}


def _required(message: Any) -> InputRequired:
    return InputRequired(message=message)


def _at_most(maximum: int) -> Length:
    return Length(max=maximum, message=_l("Gebruik hoogstens %(max)d tekens.", max=maximum))


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _not_negative(what: Any) -> NumberRange:
    return NumberRange(min=0, message=what)


def _choices(labels: dict[str, Any]) -> list[tuple[str, Any]]:
    return list(labels.items())


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# Complaints ---------------------------------------------------------------------------------
class ComplaintForm(FlaskForm):
    complainant_name = StringField(
        _l("Naam van de klager"),
        validators=[_required(_l("Vul de naam van de klager in.")), _at_most(200)],
        filters=[_strip], render_kw={"autocomplete": "off"})
    complainant_contact = StringField(
        _l("Contactgegevens (telefoon of e-mail)"), validators=[Optional(), _at_most(300)],
        filters=[_strip], render_kw={"autocomplete": "off"})
    complainant_kind = SelectField(_l("Wie klaagt?"))
    summary = TextAreaField(
        _l("De klacht"),
        validators=[_required(_l("Beschrijf de klacht.")),
                    Length(min=10, max=10000, message=_l("Beschrijf de klacht in 10 tot"
                                                         " 10.000 tekens."))],
        filters=[_strip], render_kw={"rows": 5})
    received_on = DateField(
        _l("Ontvangen op"), validators=[_required(_l("Vul de datum van ontvangst in."))])
    jobcoach_id = SelectField(_l("Over welke jobcoach gaat de klacht?"))
    client_number = StringField(
        _l("Cliëntnummer (als de klager cliënt is of de klacht over een cliënt gaat)"),
        validators=[Optional(), _at_most(20)], filters=[_strip],
        render_kw={"autocomplete": "off", "list": "clientnummers"})
    trajectory_id = StringField(
        _l("Traject-id (als de klacht over een traject gaat)"),
        validators=[Optional(), UUID(message=_l("Dit is geen geldig traject-id."))],
        filters=[_strip], render_kw={"autocomplete": "off"})

    def __init__(self, *args: Any, jobcoaches: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.complainant_kind.choices = _choices(COMPLAINANT_KINDS)
        self.jobcoach_id.choices = [("", _l("Geen / onbekend")), *jobcoaches]


class StepForm(FlaskForm):
    """One step of the procedure; `version` guards against a page that is out of date."""

    version = HiddenField()
    on = DateField(_l("Datum"), validators=[_required(_l("Vul de datum in."))])


class HearingForm(StepForm):
    kind = SelectField(_l("Soort"))
    notes = TextAreaField(
        _l("Verslag"),
        validators=[_required(_l("Schrijf het verslag.")),
                    Length(min=10, max=10000, message=_l("Schrijf het verslag in 10 tot"
                                                         " 10.000 tekens."))],
        filters=[_strip], render_kw={"rows": 4})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = _choices(HEARING_KINDS)


class DecisionForm(StepForm):
    outcome = SelectField(_l("Beslissing"))
    reasons = TextAreaField(
        _l("Motivering"),
        validators=[_required(_l("Motiveer de beslissing.")),
                    Length(min=10, max=10000, message=_l("Motiveer in 10 tot 10.000"
                                                         " tekens."))],
        filters=[_strip], render_kw={"rows": 4})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcome.choices = _choices(OUTCOMES)


class ExtensionForm(StepForm):
    reason = TextAreaField(
        _l("Reden van de verlenging (zo gemeld aan de klager)"),
        validators=[_required(_l("Geef de reden van de verlenging.")),
                    Length(min=10, max=2000, message=_l("Geef de reden in 10 tot 2.000"
                                                        " tekens."))],
        filters=[_strip], render_kw={"rows": 3})


class EscalationForm(StepForm):
    reason = TextAreaField(
        _l("Waarom legt de klager de klacht extern voor?"),
        validators=[_required(_l("Geef de reden.")),
                    Length(min=5, max=5000, message=_l("Geef de reden in 5 tot 5.000 tekens."))],
        filters=[_strip], render_kw={"rows": 3})


class RulingForm(StepForm):
    outcome = SelectField(_l("Uitspraak"))
    summary = TextAreaField(
        _l("Samenvatting van de uitspraak"),
        validators=[_required(_l("Vat de uitspraak samen.")),
                    Length(min=10, max=10000, message=_l("Vat de uitspraak samen in 10 tot"
                                                         " 10.000 tekens."))],
        filters=[_strip], render_kw={"rows": 4})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcome.choices = _choices(OUTCOMES)


class ActionForm(FlaskForm):
    """A new improvement action; the owner is any member of staff (filled in per request)."""

    version = HiddenField()
    description = TextAreaField(
        _l("Verbeteractie"),
        validators=[_required(_l("Beschrijf de verbeteractie.")),
                    Length(min=5, max=1000, message=_l("Beschrijf de verbeteractie in 5 tot"
                                                       " 1.000 tekens."))],
        filters=[_strip], render_kw={"rows": 2})
    owner_id = SelectField(_l("Eigenaar"), validators=[_required(_l("Kies de eigenaar."))])
    due_on = DateField(_l("Streefdatum"),
                       validators=[_required(_l("Vul de streefdatum in."))])

    def __init__(self, *args: Any, staff: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner_id.choices = [("", _l("Kies…")), *staff]


class ActionDoneForm(StepForm):
    result = TextAreaField(
        _l("Resultaat"),
        validators=[_required(_l("Beschrijf het resultaat.")),
                    Length(min=5, max=2000, message=_l("Beschrijf het resultaat in 5 tot"
                                                       " 2.000 tekens."))],
        filters=[_strip], render_kw={"rows": 2})


# Training -----------------------------------------------------------------------------------
class TrainingForm(FlaskForm):
    jobcoach_id = SelectField(_l("Jobcoach"), validators=[_required(_l("Kies de jobcoach."))])
    course = StringField(_l("Opleiding of cursus"),
                         validators=[_required(_l("Vul de naam van de opleiding in.")),
                                     _at_most(300)], filters=[_strip])
    provider = StringField(_l("Aanbieder"),
                           validators=[_required(_l("Vul de aanbieder in.")), _at_most(300)],
                           filters=[_strip])
    category = SelectField(_l("Soort"))
    completed_on = DateField(_l("Afgerond op"),
                             validators=[_required(_l("Vul de datum van afronding in."))])
    hours = FloatField(_l("Uren"), validators=[
        _required(_l("Vul het aantal uren in.")),
        _not_negative(_l("Het aantal uren kan niet negatief zijn."))],
        render_kw={"inputmode": "decimal"})
    ects = FloatField(_l("ECTS"), default=0, validators=[
        Optional(), _not_negative(_l("ECTS kan niet negatief zijn."))],
        render_kw={"inputmode": "decimal"})
    pe_noloc = FloatField(_l("PE-punten Noloc"), validators=[
        Optional(), _not_negative(_l("PE-punten kunnen niet negatief zijn."))])
    pe_nvs = FloatField(_l("PE-punten NVS"), validators=[
        Optional(), _not_negative(_l("PE-punten kunnen niet negatief zijn."))])
    pe_bvjn = FloatField(_l("PE-punten BVJN"), validators=[
        Optional(), _not_negative(_l("PE-punten kunnen niet negatief zijn."))])
    certificate = FileField(_l("Certificaat (PDF, PNG of JPEG, hoogstens 2 MB)"))

    def __init__(self, *args: Any, jobcoaches: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.jobcoach_id.choices = [("", _l("Kies…")), *jobcoaches]
        self.category.choices = _choices(CATEGORIES)

    def pe_points(self) -> dict[str, float]:
        points = {"noloc": self.pe_noloc.data, "nvs": self.pe_nvs.data, "bvjn": self.pe_bvjn.data}
        return {k: float(v) for k, v in points.items() if v}


# Peer review --------------------------------------------------------------------------------
class CaseForm(Form):
    # not "label": that would hide the field's own label in the templates
    title = StringField(_l("Casus"), validators=[Optional(), _at_most(50)], filters=[_strip])
    summary = TextAreaField(_l("Samenvatting (zonder namen)"),
                            validators=[Optional(), _at_most(5000)], filters=[_strip],
                            render_kw={"rows": 3})


class PeerActionForm(Form):
    # not "description": that is the field's own attribute
    what = StringField(_l("Afgesproken actie"), validators=[Optional(), _at_most(1000)],
                       filters=[_strip])
    owner_id = SelectField(_l("Wie"), validators=[Optional()])
    due_on = DateField(_l("Uiterlijk"), validators=[Optional()])


class PeerReviewForm(FlaskForm):
    held_on = DateField(_l("Datum bijeenkomst"),
                        validators=[_required(_l("Vul de datum van de bijeenkomst in."))])
    topic = StringField(_l("Onderwerp"), validators=[_required(_l("Vul het onderwerp in.")),
                                                     _at_most(300)], filters=[_strip])
    facilitator_id = SelectField(_l("Gespreksleider"),
                                 validators=[_required(_l("Kies de gespreksleider."))])
    hours = FloatField(_l("Duur in uren"), validators=[
        _required(_l("Vul de duur in.")),
        NumberRange(min=0.25, max=12, message=_l("De duur ligt tussen 0,25 en 12 uur."))],
        render_kw={"inputmode": "decimal"})
    participants = MultiCheckboxField(_l("Deelnemers"))
    cases = FieldList(FormField(CaseForm), min_entries=3, max_entries=3)
    learning_points = TextAreaField(_l("Leerpunten (één per regel)"),
                                    validators=[Optional(), _at_most(10000)],
                                    render_kw={"rows": 4})
    actions = FieldList(FormField(PeerActionForm), min_entries=3, max_entries=3)

    def __init__(self, *args: Any, jobcoaches: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.facilitator_id.choices = [("", _l("Kies…")), *jobcoaches]
        self.participants.choices = jobcoaches
        for action in self.actions:
            action.form.owner_id.choices = [("", _l("Iedereen")), *jobcoaches]


# Portfolio ----------------------------------------------------------------------------------
class LearningGoalForm(Form):
    goal = TextAreaField(_l("Leerdoel (Goal)"), validators=[Optional(), _at_most(2000)],
                         filters=[_strip], render_kw={"rows": 2})
    reality = TextAreaField(_l("Huidige situatie (Reality)"),
                            validators=[Optional(), _at_most(2000)], filters=[_strip],
                            render_kw={"rows": 2})
    options = TextAreaField(_l("Opties (Options)"), validators=[Optional(), _at_most(2000)],
                            filters=[_strip], render_kw={"rows": 2})
    way_forward = TextAreaField(_l("Aanpak en inzet van je omgeving (Way forward)"),
                                validators=[Optional(), _at_most(2000)], filters=[_strip],
                                render_kw={"rows": 2})
    criterion = StringField(_l("Meetbaar resultaat"), validators=[Optional(), _at_most(1000)],
                            filters=[_strip])
    target_date = DateField(_l("Gereed vóór"), validators=[Optional()])


class PortfolioForm(FlaskForm):
    trajectory_id = SelectField(_l("Casus: een eigen traject van minder dan 2 jaar oud"),
                                validators=[_required(_l("Kies een traject."))])
    reflection = TextAreaField(
        _l("Reflectieverslag"), validators=[Optional(), _at_most(30000)],
        render_kw={"rows": 14})
    learning_goals = FieldList(FormField(LearningGoalForm), min_entries=3, max_entries=3)

    def __init__(self, *args: Any, trajectories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trajectory_id.choices = [("", _l("Kies…")), *trajectories]


class SelfEvaluationForm(FlaskForm):
    """The CSRF token and the case; the answers are the versioned form's own fields."""

    trajectory_id = SelectField(_l("Bij welk traject hoort deze zelfevaluatie?"))

    def __init__(self, *args: Any, trajectories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trajectory_id.choices = [("", _l("Niet aan een traject gekoppeld")),
                                      *trajectories]


# Survey campaign ----------------------------------------------------------------------------
RESPONDENT_LABELS = {
    "werknemer": _l("Werknemer (de cliënt)"), "werkgever": _l("Werkgever"),
    "opdrachtgever": _l("Opdrachtgever"), "jobcoach": _l("Jobcoach"),
}


class PopulationForm(FlaskForm):
    include_running = BooleanField(_l("Ook trajecten die nog lopen"))


class SurveyRowForm(FlaskForm):
    """One row of the coverage table: a trajectory and a respondent (from hidden fields)."""

    trajectory_id = HiddenField(validators=[UUID(message=_l("Onbekend traject."))])
    respondent = HiddenField(validators=[AnyOf(list(RESPONDENT_LABELS),
                                               message=_l("Onbekende respondent."))])


class SurveyInviteForm(SurveyRowForm):
    email = StringField(_l("E-mailadres (leeg: de link wordt getoond)"),
                        validators=[Optional(), _at_most(254)], filters=[_strip],
                        render_kw={"autocomplete": "off", "type": "email"})


class SurveyExemptForm(SurveyRowForm):
    reason = TextAreaField(
        _l("Waarom niet uitnodigen?"),
        validators=[_required(_l("Geef de reden.")),
                    Length(min=10, max=500, message=_l("Geef de reden in 10 tot 500 tekens."))],
        filters=[_strip], render_kw={"rows": 2})
