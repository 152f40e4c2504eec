"""Forms of the privacy pages that apply rights and run things: rectification, lifting an
objection, BSN registration and recording, confirming a real retention run. Shared
helpers come from forms.py."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, Optional, Regexp, ValidationError

from services.privacy import vocabulary as v
from services.privacy.forms import _at_most, _longer, _required, _strip


class RectifyForm(FlaskForm):
    """The client's contact data, filled in with the current values; what the officer
    changes is the correction (an emptied field is cleared, except the name)."""

    name = StringField(
        _l("Naam"),
        validators=[_required(_l("De naam is verplicht.")), _longer(1, 200)],
        filters=[_strip],
    )
    email = StringField(
        _l("E-mailadres"),
        validators=[
            Optional(),
            _at_most(254),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Dit is geen geldig e-mailadres.")),
        ],
        filters=[_strip],
    )
    phone = StringField(_l("Telefoonnummer"), validators=[Optional(), _at_most(40)],
                        filters=[_strip])
    address = StringField(_l("Adres"), validators=[Optional(), _at_most(300)], filters=[_strip])
    date_of_birth = DateField(_l("Geboortedatum"), validators=[Optional()])
    client_version = HiddenField()

    def corrections(self) -> dict[str, Any]:
        return {name: getattr(self, name).data for name in v.RECTIFIABLE_FIELDS}


class LiftObjectionForm(FlaskForm):
    purpose = HiddenField(validators=[AnyOf(list(v.PURPOSES))])
    reason = TextAreaField(
        _l("Reden van opheffen"),
        validators=[_required(_l("Geef de reden waarom het bezwaar wordt opgeheven.")),
                    _longer(10, 2000)],
        render_kw={"rows": 2},
        description=_l("Bijvoorbeeld: de cliënt trekt het bezwaar in (datum, hoe vastgelegd)."),
    )


# BSN -----------------------------------------------------------------------------------
class BsnPolicyForm(FlaskForm):
    legal_basis = TextAreaField(
        _l("Wettelijke grondslag"),
        validators=[_required(_l("Vul de wettelijke grondslag in.")), _longer(10, 500)],
        render_kw={"rows": 2},
        description=_l("Bijvoorbeeld: Wet SUWI art. 62, gegevensuitwisseling met UWV."),
    )


class BsnForm(FlaskForm):
    """Never shown again after a refusal: the page clears the field (no BSN echoed)."""

    bsn = StringField(
        _l("BSN"),
        validators=[_required(_l("Vul het BSN in."))],
        filters=[_strip],
        render_kw={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"},
    )

    def validate_bsn(self, field: Any) -> None:
        from services.privacy.bsn import is_valid_bsn, normalise

        digits = normalise(field.data or "")
        if not (len(digits) == 9 and digits.isdigit()):
            raise ValidationError(_l("Een BSN bestaat uit 9 cijfers."))
        if not is_valid_bsn(digits):
            raise ValidationError(_l("Dit is geen geldig BSN: het voldoet niet aan de elfproef."))


PSEUDONYMS = r"^((C-\d{4,}|K-[0-9A-F]{8})(,(C-\d{4,}|K-[0-9A-F]{8}))*)?$"


class RetentionRunForm(FlaskForm):
    """Confirms a dry run: exactly the files it showed, on the day it was made."""

    confirmed = HiddenField(validators=[_at_most(20000), Regexp(PSEUDONYMS)])
    on = HiddenField(validators=[_required(_l("Doe eerst een proefdraai."))])
    confirm = BooleanField(
        _l("Ik heb de proefdraai gecontroleerd: wis deze dossiers definitief."),
        validators=[_required(_l("Bevestig dat deze dossiers definitief gewist worden."))],
    )
