"""May the platform share or show a client's data to this recipient, for this purpose?

Other contexts call `require_consent` before they share, and `check_consent` to show
why not. Order of the checks: erased, restricted (art. 18), objection (art. 21),
then a current consent for the purpose and recipient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.kernel.domain import DomainError
from services.privacy.subjects import ClientPrivacy, check_purpose
from services.privacy.vocabulary import CONSENT_EVIDENCE, PURPOSES, RECIPIENT_KINDS


class ConsentRequiredError(DomainError):
    """Sharing refused: the message says why (Dutch, for the user)."""


@dataclass(frozen=True)
class ConsentDecision:
    allowed: bool
    code: str  # allowed | erased | restricted | objection | withdrawn | no_consent
    reason: str
    given_on: str | None = None


def decide(
    record: ClientPrivacy | None,
    erased: bool,
    purpose: str,
    recipient_kind: str,
    recipient_id: str | None,
) -> ConsentDecision:
    check_purpose(purpose, recipient_kind)
    what = f"'{PURPOSES[purpose].lower()}' met {RECIPIENT_KINDS[recipient_kind].lower()}"
    if erased:
        return ConsentDecision(False, "erased", "De gegevens van deze cliënt zijn gewist")
    if record is not None and record.restricted:
        return ConsentDecision(
            False,
            "restricted",
            "De verwerking is beperkt op verzoek van de cliënt (art. 18 AVG): niet delen",
        )
    if record is not None and purpose in record.objections:
        return ConsentDecision(
            False, "objection", f"De cliënt heeft bezwaar gemaakt tegen {what} (art. 21 AVG)"
        )
    consent = record.consent_for(purpose, recipient_kind, recipient_id) if record else None
    if consent is not None:
        return ConsentDecision(
            True,
            "allowed",
            f"Toestemming voor {what} gegeven op {consent['given_on']}"
            f" ({CONSENT_EVIDENCE[consent['evidence']].lower()})",
            consent["given_on"],
        )
    withdrawn = _withdrawn(record, purpose, recipient_kind, recipient_id)
    if withdrawn:
        return ConsentDecision(
            False,
            "withdrawn",
            f"De cliënt heeft de toestemming voor {what} ingetrokken op {withdrawn}",
        )
    return ConsentDecision(False, "no_consent", f"Geen toestemming van de cliënt voor {what}")


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
