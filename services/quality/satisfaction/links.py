"""Single-use survey links: issue, open and answer, across the two applications.

The token (256 bits from `secrets`) is shown once, to be sent to the respondent; only
its SHA-256 is kept. The public route learns the organisation from the link alone and
shows nothing but the link's own form.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from services.kernel import context
from services.kernel.domain import ConflictError, DomainError, NotFoundError
from services.quality.satisfaction import formdefs
from services.quality.satisfaction.application import Satisfaction, SurveyLinks
from services.quality.satisfaction.domainmodel import SurveyLink, SurveyResponse


class LinkGoneError(DomainError):
    """The link existed but can no longer be used (used, expired, replaced): 410."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Invitation:
    invitation_id: str
    token: str  # shown once; never stored
    expires_at: Any


def links_app(platform: Any) -> SurveyLinks:
    return platform.apps.get(SurveyLinks)


def invite(platform: Any, org_id: UUID, campaign_id: UUID, trajectory_id: UUID,
           respondent: str) -> Invitation:
    satisfaction: Satisfaction = platform.app(Satisfaction, org_id)
    campaign = satisfaction.campaign(campaign_id)
    form = campaign.forms.get(respondent)
    if form is None:
        raise DomainError("Deze meting heeft geen vragenlijst voor %(respondent)s",
                          respondent=respondent)
    token = secrets.token_urlsafe(32)
    digest = token_hash(token)
    invitation_id = uuid4().hex
    previous = [
        i["link_id"] for i in campaign.invitations.values()
        if i["trajectory_id"] == str(trajectory_id) and i["respondent"] == respondent
        and i["replaced_by"] is None
    ]
    link = SurveyLink.create_id(token_hash=digest)
    links = links_app(platform)
    # Never merged by an idempotency key: a re-sent invitation is a new link that
    # replaces the old one (the token cannot be shown twice, it is not stored).
    with context.idempotency(None):
        _, expires = satisfaction.record_invitation(
            campaign_id, invitation_id, trajectory_id, respondent, link
        )
        links.issue(
            token_hash=digest, organisation_id=org_id, campaign_id=campaign_id,
            invitation_id=invitation_id, form_key=form["key"], form_version=form["version"],
            respondent=respondent, expires_at=expires,
        )
        for old in previous:  # a new link replaces the old one
            links.revoke(old)
    return Invitation(invitation_id, token, expires)


def open_link(platform: Any, token: str) -> tuple[SurveyLink, formdefs.Form]:
    """The link and its form, or NotFoundError / LinkGoneError (never anything else)."""
    if not token or len(token) > 100:
        raise NotFoundError("Deze link bestaat niet")
    links = links_app(platform)
    link = links.by_hash(token_hash(token))
    reason = link.usable(links.clock.now())
    if reason:
        raise LinkGoneError(reason)
    return link, formdefs.form(link.form_key, link.form_version)


def answer(platform: Any, token: str, answers: Any, explanations: Any = None,
           comment: str | None = None) -> SurveyResponse:
    link, form = open_link(platform, token)
    checked, texts = form.check(answers, explanations, comment)
    org_id = link.organisation_id
    with context.acting(org_id, f"survey-link:{link.id}"):
        satisfaction: Satisfaction = platform.app(Satisfaction, org_id)
        campaign = satisfaction.campaign(link.campaign_id)
        invitation = campaign.invitations[link.invitation_id]
        entry = campaign.population[invitation["trajectory_id"]]
        keys = platform.subject_keys(org_id)
        subject = UUID(entry["client_id"])  # erasing the client erases what was written
        try:
            response = satisfaction.record_response(
                form_key=form.key, form_version=form.version, respondent=link.respondent,
                answers=checked,
                explanations={k: keys.seal(subject, v) for k, v in texts.items()},
                comment=keys.seal(subject, comment.strip()) if comment and comment.strip()
                else None,
                score=form.score(checked), campaign_id=link.campaign_id,
                invitation_id=link.invitation_id, trajectory_id=UUID(entry["trajectory_id"]),
                jobcoach_id=UUID(entry["jobcoach_id"]) if entry.get("jobcoach_id") else None,
            )
        except ConflictError as error:  # answered before; make sure the link says so
            with contextlib.suppress(DomainError):
                links_app(platform).use(link)
            raise LinkGoneError(error.template, **error.params) from None
        links_app(platform).use(link)
    return response
