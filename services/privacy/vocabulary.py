"""Codes used in privacy events, with their Dutch labels (codes never change; labels may)."""

from __future__ import annotations

REQUEST_KINDS = {
    "access": "Inzage (art. 15)",
    "rectification": "Rectificatie (art. 16)",
    "erasure": "Gegevenswissing (art. 17)",
    "restriction": "Beperking van de verwerking (art. 18)",
    "objection": "Bezwaar (art. 21)",
    "portability": "Gegevensoverdraagbaarheid (art. 20)",
}
REQUEST_CHANNELS = {
    "email": "E-mail",
    "letter": "Brief",
    "in_person": "Persoonlijk",
    "phone": "Telefoon",
    "portal": "Portaal",
}
REQUEST_STATUSES = {
    "received": "Ontvangen",
    "in_progress": "In behandeling",
    "completed": "Afgehandeld",
    "refused": "Afgewezen",
}
# Contact data a rectification can correct (the trajectories client's CONTACT_FIELDS).
RECTIFIABLE_FIELDS = {
    "name": "Naam",
    "email": "E-mailadres",
    "phone": "Telefoonnummer",
    "address": "Adres",
    "date_of_birth": "Geboortedatum",
}
OUTCOMES = {"done": "Uitgevoerd", "partly": "Gedeeltelijk uitgevoerd", "refused": "Afgewezen"}

RECIPIENT_KINDS = {
    "employer": "Werkgever",
    "network_contact": "Netwerkcontact",
    "commissioner": "Opdrachtgever",
}
PURPOSES = {
    "share_progress": "Voortgang en rapportages delen",
    "share_profile": "Werknemersprofiel delen",
    "contact_network": "Contact opnemen met het netwerk",
    "share_health": "Gegevens over beperkingen delen",
}
CONSENT_EVIDENCE = {
    "signed": "Ondertekend formulier",
    "email": "Per e-mail bevestigd",
    "verbal_noted": "Mondeling, vastgelegd door de jobcoach",
}

ERASURE_BASES = {
    "art17_1a": "Art. 17 lid 1a AVG: niet langer nodig voor het doel",
    "art17_1b": "Art. 17 lid 1b AVG: toestemming ingetrokken",
    "art17_1c": "Art. 17 lid 1c AVG: bezwaar gegrond",
    "art17_1d": "Art. 17 lid 1d AVG: onrechtmatig verwerkt",
    "art17_1e": "Art. 17 lid 1e AVG: wettelijke verplichting",
    "retention": "Bewaartermijn verstreken (bewaarbeleid van de organisatie)",
}

# Why a client's personal data was opened (read-access logging, NEN 7513 spirit).
ACCESS_REASONS = {
    "guidance": "Begeleiding van de cliënt",
    "data_subject_request": "Verzoek van de betrokkene",
    "quality": "Kwaliteitszorg",
    "audit": "Audit",
    "disclosure": "Verstrekking aan een ontvanger",
    "bsn_required": "Wettelijk verplicht BSN-gebruik",
}
ACCESS_CHANNELS = {"api": "API", "web": "Web", "export": "Export", "job": "Achtergrondtaak"}

BREACH_RISKS = {
    "none": "Geen risico voor betrokkenen",
    "risk": "Risico (melden bij de AP)",
    "high": "Hoog risico (melden bij de AP en betrokkenen informeren)",
}
BREACH_STATUSES = {
    "detected": "Ontdekt",
    "assessed": "Beoordeeld",
    "reported": "Gemeld bij de AP",
    "informed": "Betrokkenen geïnformeerd",
    "closed": "Gesloten",
}

# Record types a retention rule can apply to.
RECORD_TYPES = {
    "client_file": "Cliëntdossier (na de laatste activiteit, zonder lopend traject)",
    "complaint_file": "Klachtdossier (na het sluiten van de klacht)",
}
