"""Survey invitations by e-mail (when JOBTRAIL_SMTP_URL is set; else the link is shown once).

`request_invitation` seals the address with the client's subject key, records an
EmailInvitation and queues `send_invitation` with its id only (never an address or a
token in a job's arguments). The job opens the address, makes the single-use link (the
token exists only in the worker and in the e-mail), sends it over SMTP and records that
it was sent; an erased client's address cannot be opened and nothing is sent.

JOBTRAIL_SMTP_URL: smtp://[user:password@]host[:port][?from=…&starttls=1], or smtps://…
(read once into Settings.smtp_url, in the web and in the worker process).
"""

from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from uuid import UUID

from services.kernel.domain import DomainError, NotFoundError
from services.kernel.personal_data import ERASED
from services.privacy.access import log_read
from services.quality.satisfaction import links
from services.quality.satisfaction.application import Satisfaction
from services.quality.satisfaction.email_invitation import REQUESTED, EmailInvitation

ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
JOB = "services.quality.satisfaction.mail:send_invitation"


def smtp_url(platform: Any) -> str | None:
    return platform.settings.smtp_url


def request_invitation(platform: Any, org_id: UUID, campaign_id: UUID, trajectory_id: UUID,
                       respondent: str, address: str, link_base: str) -> EmailInvitation:
    address = (address or "").strip()
    if not ADDRESS.fullmatch(address) or len(address) > 254:
        raise DomainError("Dit is geen geldig e-mailadres")
    app: Satisfaction = platform.app(Satisfaction, org_id)
    campaign = app.campaign(campaign_id)
    entry = campaign.population.get(str(trajectory_id))
    if entry is None:
        raise DomainError("Dit traject hoort niet bij de meetperiode van deze meting")
    if respondent not in campaign.forms:
        raise DomainError("Deze meting heeft geen vragenlijst voor %(respondent)s",
                          respondent=respondent)
    # The client's key: erasing the client erases the address (also the employer's).
    sealed = platform.subject_keys(org_id).seal(UUID(entry["client_id"]), address)
    invitation = app.request_email_invitation(
        EmailInvitation.request(campaign_id, trajectory_id, respondent, sealed, link_base))
    platform.jobs.enqueue(JOB, org_id, str(invitation.id))
    return invitation


def send_invitation(platform: Any, email_invitation_id: str) -> str:
    """The job: make the link, send it, record it. Safe to run again (RQ retries)."""
    from services.kernel import context

    org_id = context.current().org_id
    app: Satisfaction = platform.app(Satisfaction, org_id)
    try:
        invitation = app.email_invitation(UUID(email_invitation_id))
    except NotFoundError:
        return "unknown"
    if invitation.status != REQUESTED:
        return invitation.status
    address = platform.subject_keys(org_id).open(invitation.address)
    if address is None or address == ERASED:
        app.on_email_invitation(invitation.id, lambda i: i.mark_not_sent("erased"))
        return "erased"
    url = smtp_url(platform)
    if url is None:
        raise RuntimeError("JOBTRAIL_SMTP_URL is not set in the worker")
    campaign = app.campaign(invitation.campaign_id)
    client_id = UUID(campaign.population[str(invitation.trajectory_id)]["client_id"])
    log_read(platform, org_id, client_id, "survey.email_address", "quality", "job")
    issued = links.invite(platform, org_id, invitation.campaign_id, invitation.trajectory_id,
                          invitation.respondent)
    link = f"{invitation.link_base.rstrip('/')}/s/{issued.token}"
    send(url, address, message(link, issued.expires_at))
    app.on_email_invitation(invitation.id, lambda i: i.mark_sent(issued.invitation_id))
    return "sent"


def message(link: str, expires_at: Any) -> tuple[str, str]:
    """(subject, text): Dutch, no name of anyone, the link and until when it works."""
    until = expires_at.strftime("%d-%m-%Y") if hasattr(expires_at, "strftime") else expires_at
    return ("Uw mening over de begeleiding", (
        "Goedendag,\n\nWij horen graag hoe u de begeleiding door onze jobcoach heeft ervaren."
        " Het invullen duurt ongeveer vijf minuten en kan op uw telefoon.\n\n"
        f"{link}\n\nDe link werkt één keer en tot en met {until}. Stuur deze e-mail niet"
        " door: de link is alleen voor u.\n\nMet vriendelijke groet,\nde kwaliteitsfunctionaris"
        "\n"))


def send(url: str, to: str, subject_and_text: tuple[str, str]) -> None:
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise RuntimeError("JOBTRAIL_SMTP_URL must be smtp://host[:port] or smtps://…")
    mail = EmailMessage()
    mail["From"] = query.get("from") or f"noreply@{parts.hostname}"
    mail["To"] = to
    mail["Subject"], body = subject_and_text
    mail.set_content(body)
    connect = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with connect(parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 25),
                 timeout=20) as server:
        if query.get("starttls") == "1":
            server.starttls()
        if parts.username:
            server.login(unquote(parts.username), unquote(parts.password or ""))
        server.send_message(mail)
