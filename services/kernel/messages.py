"""Refusals in the user's language (Dutch first, English second).

Two kinds of text reach a user when input is refused: the domain's own messages,
written in Dutch (the msgid of the catalog), and marshmallow's built-in validation
messages, which are English. Both are translated here, at the edge, into the locale
of the request (?lang=, the session, Accept-Language; services.web.i18n), so the
domain and the schemas stay free of Flask and Babel.
"""

from __future__ import annotations

import re
from typing import Any

from flask import has_request_context
from flask_babel import gettext

from services.kernel.domain import N_, DomainError, Notice

# marshmallow's built-in messages (fields and validators), as the Dutch msgid they
# become; a named group in the pattern fills the same-named parameter of the msgid.
VALIDATION: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(f"^{pattern}$"), msgid)
    for pattern, msgid in (
        (r"Missing data for required field\.", N_("Dit veld is verplicht.")),
        (r"Field may not be null\.", N_("Dit veld mag niet leeg zijn.")),
        (r"Unknown field\.", N_("Onbekend veld.")),
        (r"Invalid input type\.", N_("Ongeldig type invoer.")),
        (r"Invalid (value|type|input)\.", N_("Ongeldige waarde.")),
        (r"Not a valid boolean\.", N_("Geen geldige ja/nee-waarde.")),
        (r"Not a valid date\.", N_("Geen geldige datum (jjjj-mm-dd).")),
        (r"Not a valid datetime\.", N_("Geen geldig tijdstip.")),
        (r"Not a valid (naive|aware) datetime\.", N_("Geen geldig tijdstip.")),
        (r"Not a valid time\.", N_("Geen geldige tijd.")),
        (r'"(?P<value>.*)" cannot be formatted as a \w+\.',
         N_("'%(value)s' is geen geldige waarde.")),
        (r"Not a valid integer\.", N_("Geen geldig geheel getal.")),
        (r"Not a valid number\.", N_("Geen geldig getal.")),
        (r"Number too large\.", N_("Getal te groot.")),
        (r"Special numeric values \(nan or infinity\) are not permitted\.",
         N_("Geen geldig getal.")),
        (r"Not a valid string\.", N_("Geen geldige tekst.")),
        (r"Not a valid utf-8 string\.", N_("Geen geldige tekst.")),
        (r"Not a valid list\.", N_("Geen geldige lijst.")),
        (r"Not a valid tuple\.", N_("Geen geldige lijst.")),
        (r"Not a valid mapping type\.", N_("Geen geldig object.")),
        (r"Not a valid email address\.", N_("Geen geldig e-mailadres.")),
        (r"Not a valid URL\.", N_("Geen geldige URL.")),
        (r"Not a valid UUID\.", N_("Geen geldige id.")),
        (r"Not a valid period of time\.", N_("Geen geldige tijdsduur.")),
        (r"Must be one of: (?P<choices>.*)\.", N_("Kies een van: %(choices)s.")),
        (r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.",
         N_("Lengte moet tussen %(min)s en %(max)s liggen.")),
        (r"Length must be (?P<equal>\d+)\.", N_("Lengte moet %(equal)s zijn.")),
        (r"Longer than maximum length (?P<max>\d+)\.", N_("Langer dan %(max)s tekens.")),
        (r"Shorter than minimum length (?P<min>\d+)\.", N_("Korter dan %(min)s tekens.")),
        (r"Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.",
         N_("Moet tussen %(min)s en %(max)s liggen.")),
        (r"Must be greater than or equal to (?P<min>\S+)\.", N_("Moet minstens %(min)s zijn.")),
        (r"Must be greater than (?P<min>\S+)\.", N_("Moet groter zijn dan %(min)s.")),
        (r"Must be less than or equal to (?P<max>\S+)\.", N_("Mag hoogstens %(max)s zijn.")),
        (r"Must be less than (?P<max>\S+)\.", N_("Moet kleiner zijn dan %(max)s.")),
        (r"Must be (greater|less) than.*\.", N_("Waarde buiten het toegestane bereik.")),
        (r"String does not match expected pattern\.",
         N_("Voldoet niet aan het verwachte patroon.")),
    )
)


def translate(text: str) -> str:
    """One message in the request's language; unknown text comes back as it is."""
    if not has_request_context():
        return text
    for pattern, msgid in VALIDATION:
        match = pattern.match(text)
        if match:
            return gettext(msgid, **match.groupdict()) if match.groupdict() else gettext(msgid)
    return gettext(text)


def translate_errors(messages: Any) -> Any:
    """marshmallow's error structure (dicts and lists of messages), translated."""
    if isinstance(messages, dict):
        return {key: translate_errors(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [translate_errors(value) for value in messages]
    return translate(messages) if isinstance(messages, str) else messages


def domain_message(error: DomainError | Notice) -> str:
    """A domain refusal (or notice) in the request's language; its values filled in
    afterwards."""
    if not has_request_context() or not getattr(error, "template", ""):  # e.g. a plain str
        return str(error)
    if error.params:
        # a value may be a Notice itself (a phrase inside the sentence): translated too
        return gettext(error.template, **{
            name: domain_message(value) if isinstance(value, Notice) else value
            for name, value in error.params.items()})
    return translate(error.template)
