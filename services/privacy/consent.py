"""May the platform share or show a client's data to this recipient, for this purpose?

Other contexts call `require_consent` before they share, and `check_consent` to show
why not. Order of the checks: erased, restricted (art. 18), objection (art. 21),
then a current consent for the purpose and recipient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.kernel.domain import DomainError, Notice
from services.privacy.subjects import ClientPrivacy, check_purpose


class ConsentRequiredError(DomainError):
    """Sharing refused: the message says why (Dutch, for the user)."""


@dataclass(frozen=True)
class ConsentDecision:
    allowed: bool
    code: str  # allowed | erased | restricted | objection | withdrawn | no_consent
    reason: Notice  # Dutch; the edge shows it with domain_message()
    given_on: str | None = None


# The vocabulary's labels as they read inside a sentence (lower case), each a Notice so
# the edge translates it with the reason it is part of (services.kernel.messages).
PURPOSE_PHRASES = {
    "share_progress": Notice("voortgang en rapportages delen"),
    "share_profile": Notice("werknemersprofiel delen"),
    "contact_network": Notice("contact opnemen met het netwerk"),
    "share_health": Notice("gegevens over beperkingen delen"),
}
RECIPIENT_PHRASES = {
    "employer": Notice("werkgever"),
    "network_contact": Notice("netwerkcontact"),
    "commissioner": Notice("opdrachtgever"),
}
EVIDENCE_PHRASES = {
    "signed": Notice("ondertekend formulier"),
    "email": Notice("per e-mail bevestigd"),
    "verbal_noted": Notice("mondeling, vastgelegd door de jobcoach"),
}


def decide(
    record: ClientPrivacy | None,
    erased: bool,
    purpose: str,
    recipient_kind: str,
    recipient_id: str | None,
) -> ConsentDecision:
    check_purpose(purpose, recipient_kind)
    what = Notice("'%(purpose)s' met %(recipient)s", purpose=PURPOSE_PHRASES[purpose],
                  recipient=RECIPIENT_PHRASES[recipient_kind])
    if erased:
        return ConsentDecision(False, "erased", Notice("De gegevens van deze cliënt zijn gewist"))
    if record is not None and record.restricted:
        return ConsentDecision(False, "restricted", Notice(
            "De verwerking is beperkt op verzoek van de cliënt (art. 18 AVG): niet delen"))
    if record is not None and purpose in record.objections:
        return ConsentDecision(False, "objection", Notice(
            "De cliënt heeft bezwaar gemaakt tegen %(what)s (art. 21 AVG)", what=what))
    consent = record.consent_for(purpose, recipient_kind, recipient_id) if record else None
    if consent is not None:
        return ConsentDecision(
            True,
            "allowed",
            Notice("Toestemming voor %(what)s gegeven op %(given_on)s (%(evidence)s)",
                   what=what, given_on=consent["given_on"],
                   evidence=EVIDENCE_PHRASES[consent["evidence"]]),
            consent["given_on"],
        )
    withdrawn = _withdrawn(record, purpose, recipient_kind, recipient_id)
    if withdrawn:
        return ConsentDecision(False, "withdrawn", Notice(
            "De cliënt heeft de toestemming voor %(what)s ingetrokken op %(on)s",
            what=what, on=withdrawn))
    return ConsentDecision(False, "no_consent", Notice(
        "Geen toestemming van de cliënt voor %(what)s", what=what))


def _withdrawn(
    record: ClientPrivacy | None, purpose: str, recipient_kind: str, recipient_id: str | None
) -> str | None:
    if record is None:
        return None
    for key in (
        f"{purpose}|{recipient_kind}|{recipient_id or '*'}",
        f"{purpose}|{recipient_kind}|*",
    ):
        found = record.consents.get(key)
        if found and found["withdrawn_on"]:
            return str(found["withdrawn_on"])
    return None


def check_consent(
    platform: Any,
    org_id: UUID,
    client_id: UUID,
    purpose: str,
    recipient_kind: str,
    recipient_id: str | None = None,
) -> ConsentDecision:
    """The function other contexts call before they show or share client data."""
    from services.privacy.application import Privacy

    app = platform.app(Privacy, org_id)
    return decide(
        app.client_privacy(client_id),
        app.erasure(client_id) is not None,
        purpose,
        recipient_kind,
        recipient_id,
    )


def require_consent(
    platform: Any,
    org_id: UUID,
    client_id: UUID,
    purpose: str,
    recipient_kind: str,
    recipient_id: str | None = None,
) -> ConsentDecision:
    decision = check_consent(platform, org_id, client_id, purpose, recipient_kind, recipient_id)
    if not decision.allowed:
        raise ConsentRequiredError("Delen geweigerd: %(reason)s", reason=decision.reason)
    return decision
