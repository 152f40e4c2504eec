"""Demo data for the privacy context: data-subject requests of several kinds (one past
its deadline), breaches at different steps, a processing register, and one erased
client with its certificate, so every privacy page has something to show."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.privacy.erasure import erase_client
from services.privacy.export import make_export
from services.privacy.office import PrivacyOffice

ACTIVITIES = (
    {"name": "Begeleiding naar werk", "purposes": "Re-integratie van cliënten",
     "legal_basis": "Art. 6 lid 1b AVG: overeenkomst met de opdrachtgever",
     "data_subjects": "Cliënten", "data_categories": "NAW, contactgegevens, voortgang",
     "special_categories": "Gezondheid (beperkingen), alleen met toestemming",
     "recipients": "UWV, gemeente", "retention": "2 jaar na het laatste traject",
     "security_measures": "Versleuteling per cliënt, inzagelog", "processors": "Hosting"},
    {"name": "Klachtbehandeling", "purposes": "Klachten afhandelen volgens de klachtenregeling",
     "legal_basis": "Art. 6 lid 1c AVG: wettelijke verplichting",
     "data_subjects": "Klagers, cliënten", "data_categories": "NAW, klachtinhoud",
     "retention": "1 jaar na het sluiten van de klacht"},
    {"name": "Tevredenheidsmeting", "purposes": "Kwaliteit van de dienstverlening meten",
     "legal_basis": "Art. 6 lid 1f AVG: gerechtvaardigd belang",
     "data_subjects": "Cliënten, werkgevers", "data_categories": "E-mailadres, antwoorden"},
)


def seed(platform: Any, org: Any) -> None:
    """Runs inside the demo's acting context of the organisation."""
    office = PrivacyOffice(platform, org.id)
    today, now = office.today(), office.now()
    first, second, third = (office.client_by_number(f"C-{n:04d}") for n in (1, 2, 3))
    _requests(office, today, first, second, third)
    _breaches(office, now)
    register = [office.app.register_activity(entry) for entry in ACTIVITIES]
    office.app.on_activity(register[-1].id, lambda a: a.retire(today.isoformat()))
    # A client who asked to be forgotten: erased, the request completed by the erasure.
    gone = platform.trajectories(org.id).register_client(
        {"name": "Lotte Vermeulen", "email": "lotte@example.nl"})
    request = office.register_request(gone.id, "erasure", "email",
                                      received_on=today - timedelta(days=6),
                                      details="Wil dat alles over haar wordt gewist")
    erase_client(office, gone.id, "art17_1a", request_id=request.id)


def _requests(office: PrivacyOffice, today: Any, first: Any, second: Any, third: Any) -> None:
    done = office.register_request(first, "access", "letter",
                                   received_on=today - timedelta(days=20),
                                   details="Wil weten welke gegevens we over hem hebben")
    office.start_request(done.id)
    make_export(office, first, done.id, "web")
    office.complete_request(done.id, "done", "Inzage per post verstuurd")
    busy = office.register_request(second, "rectification", "email",
                                   received_on=today - timedelta(days=10),
                                   details="Telefoonnummer klopt niet meer")
    office.start_request(busy.id)
    office.register_request(third, "objection", "in_person",
                            received_on=today - timedelta(days=45),  # past the month
                            details="Bezwaar tegen delen van voortgang met de werkgever")
    office.flag_overdue()


def _breaches(office: PrivacyOffice, now: Any) -> None:
    app = office.app
    lost = app.detect_breach(now - timedelta(days=3), "Laptop jobcoach gestolen",
                             "Laptop uit de auto gestolen; schijf versleuteld")
    app.on_breach(lost.id, lambda b: b.assess("none", "Schijf versleuteld, geen toegang", 0, []))
    app.on_breach(lost.id, lambda b: b.close(now, "Wachtwoord en sessies ingetrokken"))
    mail = app.detect_breach(now - timedelta(hours=20), "E-mail aan verkeerde werkgever",
                             "Voortgangsrapportage naar een verkeerd adres gestuurd")
    app.on_breach(mail.id, lambda b: b.assess("risk", "Gezondheidsgegevens van één cliënt", 1,
                                              []))
