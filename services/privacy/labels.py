"""Translated labels for the privacy codes on web pages.

vocabulary.py holds the Dutch labels (they also go into exports and certificates, which
stay Dutch). Listing them here marks them for extraction (pybabel extract), so the
English catalog has them; tests/api/test_privacy_web_translations.py keeps both in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

_MARKED_FOR_TRANSLATION = (
    # REQUEST_KINDS
    _l("Inzage (art. 15)"),
    _l("Rectificatie (art. 16)"),
    _l("Gegevenswissing (art. 17)"),
    _l("Beperking van de verwerking (art. 18)"),
    _l("Bezwaar (art. 21)"),
    _l("Gegevensoverdraagbaarheid (art. 20)"),
    # REQUEST_CHANNELS
    _l("E-mail"),
    _l("Brief"),
    _l("Persoonlijk"),
    _l("Telefoon"),
    _l("Portaal"),
    # REQUEST_STATUSES
    _l("Ontvangen"),
    _l("In behandeling"),
    _l("Afgehandeld"),
    _l("Afgewezen"),
    # RECTIFIABLE_FIELDS
    _l("Naam"),
    _l("E-mailadres"),
    _l("Telefoonnummer"),
    _l("Adres"),
    _l("Geboortedatum"),
    # OUTCOMES
    _l("Uitgevoerd"),
    _l("Gedeeltelijk uitgevoerd"),
    # RECIPIENT_KINDS
    _l("Werkgever"),
    _l("Netwerkcontact"),
    _l("Opdrachtgever"),
    # PURPOSES
    _l("Voortgang en rapportages delen"),
    _l("Werknemersprofiel delen"),
    _l("Contact opnemen met het netwerk"),
    _l("Gegevens over beperkingen delen"),
    # CONSENT_EVIDENCE
    _l("Ondertekend formulier"),
    _l("Per e-mail bevestigd"),
    _l("Mondeling, vastgelegd door de jobcoach"),
    # ERASURE_BASES
    _l("Art. 17 lid 1a AVG: niet langer nodig voor het doel"),
    _l("Art. 17 lid 1b AVG: toestemming ingetrokken"),
    _l("Art. 17 lid 1c AVG: bezwaar gegrond"),
    _l("Art. 17 lid 1d AVG: onrechtmatig verwerkt"),
    _l("Art. 17 lid 1e AVG: wettelijke verplichting"),
    _l("Bewaartermijn verstreken (bewaarbeleid van de organisatie)"),
    # ACCESS_REASONS
    _l("Begeleiding van de cliënt"),
    _l("Verzoek van de betrokkene"),
    _l("Kwaliteitszorg"),
    _l("Audit"),
    _l("Verstrekking aan een ontvanger"),
    _l("Wettelijk verplicht BSN-gebruik"),
    # ACCESS_CHANNELS
    _l("API"),
    _l("Web"),
    _l("Export"),
    _l("Achtergrondtaak"),
    # BREACH_RISKS
    _l("Geen risico voor betrokkenen"),
    _l("Risico (melden bij de AP)"),
    _l("Hoog risico (melden bij de AP en betrokkenen informeren)"),
    # BREACH_STATUSES
    _l("Ontdekt"),
    _l("Beoordeeld"),
    _l("Gemeld bij de AP"),
    _l("Betrokkenen geïnformeerd"),
    _l("Gesloten"),
    # RECORD_TYPES
    _l("Cliëntdossier (na de laatste activiteit, zonder lopend traject)"),
    _l("Klachtdossier (na het sluiten van de klacht)"),
)


def label(vocabulary: Mapping[str, str], code: Any) -> str:
    """The label of `code` in the current language; an unknown code as it is."""
    if code is None or code == "":
        return ""
    found = vocabulary.get(str(code))
    return gettext(found) if found is not None else str(code)


def choices(vocabulary: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(code, gettext(text)) for code, text in vocabulary.items()]
