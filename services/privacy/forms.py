"""Flask-WTF forms of the privacy pages (CSRF token included by Flask-WTF).

Choices come from services/privacy/vocabulary.py with translated labels; they are
filled in when a form is made, inside the request, so the labels follow the language.
Several forms share one page, so each has its own prefix (ids and names stay unique).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, ValidationError

from services.privacy import vocabulary as v
from services.privacy.labels import choices

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _required(message: Any) -> InputRequired:
    return InputRequired(message=message)


def _longer(minimum: int, maximum: int) -> Length:
    return Length(
        min=minimum,
        max=maximum,
        message=_l("Gebruik %(min)d tot %(max)d tekens.", min=minimum, max=maximum),
    )


def _at_most(maximum: int) -> Length:
    return Length(max=maximum, message=_l("Gebruik hoogstens %(max)d tekens.", max=maximum))


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


# Data-subject requests -------------------------------------------------------------------
class RequestForm(FlaskForm):
    client_number = StringField(
        _l("Cliëntnummer"),
        validators=[_required(_l("Vul het cliëntnummer in.")), _at_most(20)],
        filters=[_strip],
        render_kw={"autocomplete": "off", "placeholder": "C-0001"},
    )
    kind = SelectField(_l("Soort verzoek"))
    channel = SelectField(_l("Ontvangen via"))
    received_on = DateField(
        _l("Ontvangen op"),
        validators=[_required(_l("Vul de datum van ontvangst in."))],
    )
    requester = StringField(
        _l("Naam van de verzoeker"), validators=[Optional(), _at_most(200)], filters=[_strip]
    )
    details = TextAreaField(
        _l("Wat vraagt de betrokkene?"),
        validators=[Optional(), _at_most(5000)],
        render_kw={"rows": 4},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(v.REQUEST_KINDS)
        self.channel.choices = choices(v.REQUEST_CHANNELS)


class ExtendForm(FlaskForm):
    reason = TextAreaField(
        _l("Reden van de verlenging"),
        validators=[_required(_l("Geef de reden van de verlenging.")), _longer(10, 2000)],
        render_kw={"rows": 3},
    )


class CompleteForm(FlaskForm):
    outcome = SelectField(_l("Uitkomst"))
    note = TextAreaField(_l("Motivering"), validators=[_at_most(5000)], render_kw={"rows": 3})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcome.choices = choices(v.OUTCOMES)

    def validate_note(self, field: Any) -> None:
        if self.outcome.data != "done" and not (field.data or "").strip():
            raise ValidationError(_l("Een (gedeeltelijke) afwijzing vraagt een motivering."))


class PurposeForm(FlaskForm):
    purpose = SelectField(_l("Doel"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.purpose.choices = choices(v.PURPOSES)


# Consent -------------------------------------------------------------------------------
class ConsentForm(FlaskForm):
    purpose = SelectField(_l("Doel"))
    recipient_kind = SelectField(_l("Soort ontvanger"))
    recipient_name = StringField(
        _l("Naam van de ontvanger"),
        validators=[Optional(), _at_most(200)],
        filters=[_strip],
        description=_l("Leeg laten: toestemming voor elke ontvanger van deze soort."),
    )
    recipient_id = StringField(
        _l("Kenmerk van de ontvanger"),
        validators=[Optional(), _at_most(100)],
        filters=[_strip],
        description=_l("Bijvoorbeeld het KvK-nummer van de werkgever (optioneel)."),
    )
    evidence = SelectField(_l("Vastgelegd als"))
    given_on = DateField(
        _l("Gegeven op"), validators=[_required(_l("Vul de datum van de toestemming in."))]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.purpose.choices = choices(v.PURPOSES)
        self.recipient_kind.choices = choices(v.RECIPIENT_KINDS)
        self.evidence.choices = choices(v.CONSENT_EVIDENCE)


class WithdrawForm(FlaskForm):
    purpose = HiddenField(validators=[AnyOf(list(v.PURPOSES))])
    recipient_kind = HiddenField(validators=[AnyOf(list(v.RECIPIENT_KINDS))])
    recipient_id = HiddenField(validators=[Optional(), _at_most(100)])


# Erasure -------------------------------------------------------------------------------
class ErasureForm(FlaskForm):
    legal_basis = SelectField(_l("Grondslag"))
    request_id = SelectField(_l("Bij verzoek"), validate_choice=True)
    confirm = BooleanField(
        _l("Ik begrijp dat wissen niet ongedaan kan worden gemaakt."),
        validators=[_required(_l("Bevestig dat u de gegevens definitief wilt wissen."))],
    )
    open_trajectory_decision = BooleanField(
        _l("Ik besluit uitdrukkelijk om te wissen, hoewel er nog een traject loopt.")
    )

    def __init__(self, *args: Any, requests: list[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.legal_basis.choices = choices(v.ERASURE_BASES)
        self.request_id.choices = [("", _l("Geen (eigen besluit of bewaartermijn)")), *requests]


# Breaches ------------------------------------------------------------------------------
def _moment(label: Any, message: Any) -> DateTimeLocalField:
    return DateTimeLocalField(label, format=DATETIME_FORMAT, validators=[_required(message)])


class BreachForm(FlaskForm):
    title = StringField(
        _l("Korte titel"),
        validators=[_required(_l("Geef het datalek een korte titel.")), _longer(3, 200)],
        filters=[_strip],
    )
    description = TextAreaField(
        _l("Wat is er gebeurd?"),
        validators=[_required(_l("Beschrijf wat er is gebeurd.")), _longer(3, 10000)],
        render_kw={"rows": 4},
        description=_l("Geen namen van cliënten: gebruik cliëntnummers."),
    )
    detected_at = _moment(_l("Ontdekt op"), _l("Vul in wanneer het datalek is ontdekt."))


class AssessForm(FlaskForm):
    risk = SelectField(_l("Risico voor betrokkenen"))
    assessment = TextAreaField(
        _l("Beoordeling"),
        validators=[_required(_l("Onderbouw de beoordeling.")), _longer(3, 10000)],
        render_kw={"rows": 4},
    )
    affected_count = IntegerField(
        _l("Aantal betrokkenen"),
        validators=[
            _required(_l("Vul het aantal betrokkenen in (0 als dat er geen zijn).")),
            NumberRange(min=0, message=_l("Het aantal kan niet negatief zijn.")),
        ],
    )
    affected_clients = StringField(
        _l("Betrokken cliënten (cliëntnummers)"),
        validators=[Optional(), _at_most(5000)],
        description=_l("Gescheiden door komma's, bijvoorbeeld C-0001, C-0004."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.risk.choices = choices(v.BREACH_RISKS)


class ReportForm(FlaskForm):
    reported_at = _moment(_l("Gemeld op"), _l("Vul in wanneer het is gemeld."))
    reference = StringField(
        _l("Kenmerk van de melding bij de AP"),
        validators=[_required(_l("Vul het kenmerk van de melding in.")), _longer(1, 100)],
        filters=[_strip],
    )
    late_reason = TextAreaField(
        _l("Reden van de vertraging"),
        validators=[Optional(), _at_most(2000)],
        render_kw={"rows": 2},
        description=_l("Verplicht als later dan 72 uur na ontdekking is gemeld."),
    )


class InformForm(FlaskForm):
    informed_at = _moment(
        _l("Geïnformeerd op"), _l("Vul in wanneer de betrokkenen zijn geïnformeerd.")
    )
    how = TextAreaField(
        _l("Hoe zijn de betrokkenen geïnformeerd?"),
        validators=[
            _required(_l("Beschrijf hoe de betrokkenen zijn geïnformeerd.")),
            _longer(3, 2000),
        ],
        render_kw={"rows": 2},
    )


class CloseBreachForm(FlaskForm):
    closed_at = _moment(_l("Gesloten op"), _l("Vul in wanneer het datalek is afgesloten."))
    measures = TextAreaField(
        _l("Genomen maatregelen"),
        validators=[_required(_l("Beschrijf de genomen maatregelen.")), _longer(3, 10000)],
        render_kw={"rows": 3},
    )


# Processing register (art. 30) ----------------------------------------------------------
def _register_text(label: Any, *, required: bool = False, rows: int = 2) -> TextAreaField:
    mandatory = _required(_l("Dit is verplicht in het verwerkingsregister."))
    first = mandatory if required else Optional()
    return TextAreaField(label, validators=[first, _at_most(5000)], render_kw={"rows": rows})


class ActivityForm(FlaskForm):
    name = StringField(
        _l("Naam van de verwerking"),
        validators=[_required(_l("Geef de verwerking een naam.")), _longer(3, 200)],
        filters=[_strip],
    )
    purposes = _register_text(_l("Doeleinden"), required=True)
    legal_basis = _register_text(_l("Grondslag"), required=True)
    data_subjects = _register_text(_l("Categorieën betrokkenen"), required=True)
    data_categories = _register_text(_l("Categorieën persoonsgegevens"), required=True)
    special_categories = BooleanField(_l("Bevat bijzondere persoonsgegevens (art. 9 AVG)"))
    recipients = _register_text(_l("Ontvangers"))
    transfers = _register_text(_l("Doorgifte buiten de EER"))
    retention = _register_text(_l("Bewaartermijnen"))
    security_measures = _register_text(_l("Beveiligingsmaatregelen"), rows=3)
    processors = _register_text(_l("Verwerkers"))
    version = HiddenField()

    def entry(self) -> dict[str, Any]:
        names = ("name", "purposes", "legal_basis", "data_subjects", "data_categories",
                 "special_categories", "recipients", "transfers", "retention",
                 "security_measures", "processors")
        return {name: _strip(getattr(self, name).data) for name in names}


# Policy and retention -------------------------------------------------------------------
class PolicyForm(FlaskForm):
    backup_retention_days = IntegerField(
        _l("Bewaartermijn van back-ups (dagen)"),
        validators=[
            _required(_l("Vul de bewaartermijn van back-ups in.")),
            NumberRange(min=1, max=3660, message=_l("Kies 1 tot 3660 dagen.")),
        ],
        description=_l("Bepaalt de datum op de verklaring van verwijdering."),
    )


def retention_field(code: str) -> str:
    return f"months_{code}"


def _add_retention_fields() -> None:
    from flask_babel import lazy_gettext

    for code, text in v.RECORD_TYPES.items():
        setattr(
            PolicyForm,
            retention_field(code),
            IntegerField(
                lazy_gettext(text),
                validators=[
                    Optional(),
                    NumberRange(min=1, max=1200, message=_l("Kies 1 tot 1200 maanden.")),
                ],
                description=_l("In maanden; leeg laten: geen bewaartermijn, niets wordt gewist."),
            ),
        )


_add_retention_fields()


# Filters (GET, no CSRF) -----------------------------------------------------------------
class ClientFilterForm(FlaskForm):
    class Meta:
        csrf = False

    nummer = StringField(_l("Cliëntnummer"), validators=[Optional(), _at_most(20)],
                         filters=[_strip], render_kw={"placeholder": "C-0001"})
