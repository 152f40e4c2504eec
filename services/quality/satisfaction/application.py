"""Satisfaction (one per organisation) and SurveyLinks (platform-wide, found by token hash)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from services.kernel.domain import ConflictError, DomainError, NotFoundError
from services.kernel.personal_data import SubjectKeys
from services.quality.base import QualityApplication
from services.quality.clock import LOCAL
from services.quality.satisfaction import formdefs
from services.quality.satisfaction.domainmodel import (
    SurveyCampaign,
    SurveyLink,
    SurveyResponse,
    link_id,
)
from services.quality.satisfaction.email_invitation import EmailInvitation


class SurveyLinks(QualityApplication):
    """Lives in the platform schema: the public link knows no organisation until looked up."""

    name = "surveylinks"

    def issue(self, **fields: Any) -> SurveyLink:
        return self.create(SurveyLink(**fields))

    def by_hash(self, token_hash: str) -> SurveyLink:
        try:
            return self.load(link_id(token_hash), SurveyLink)
        except NotFoundError:
            raise NotFoundError("Deze link bestaat niet") from None

    def use(self, link: SurveyLink) -> SurveyLink:
        now = self.clock.now()
        return self.update(link.id, SurveyLink, lambda k: k.use(now))

    def revoke(self, id_: UUID) -> None:
        self.update(id_, SurveyLink, lambda k: k.revoke())


class Satisfaction(QualityApplication):
    name = "satisfaction"
    keys: SubjectKeys | None = None  # set by Platform.app: seals exemption reasons

    def start_campaign(
        self, name: str, period_start: date, period_end: date, forms: dict[str, str],
        link_valid_days: int = 21,
    ) -> SurveyCampaign:
        resolved = {}
        for respondent, key in forms.items():
            form = formdefs.form(key)
            if form.respondent != respondent:
                raise DomainError("Vragenlijst %(key)s is voor %(for_)s, niet %(respondent)s",
                                  key=key, for_=form.respondent, respondent=respondent)
            resolved[respondent] = {"key": form.key, "version": form.version}
        return self.create(
            SurveyCampaign.start(name, period_start, period_end, resolved, link_valid_days)
        )

    def campaign(self, campaign_id: UUID) -> SurveyCampaign:
        return self.load(campaign_id, SurveyCampaign)

    def register_population(
        self, campaign_id: UUID, entries: list[dict[str, Any]], source: str
    ) -> SurveyCampaign:
        return self.update(
            campaign_id, SurveyCampaign, lambda c: c.register_population(entries, source)
        )

    def record_invitation(
        self, campaign_id: UUID, invitation_id: str, trajectory_id: UUID, respondent: str,
        link: UUID,
    ) -> tuple[SurveyCampaign, datetime]:
        campaign = self.campaign(campaign_id)
        now = self.clock.now()
        expires = (now.astimezone(LOCAL) + timedelta(days=campaign.link_valid_days))
        self.update(
            campaign_id, SurveyCampaign,
            lambda c: c.invite(invitation_id, trajectory_id, respondent, link,
                               now.astimezone(LOCAL).date(), expires),
        )
        return self.campaign(campaign_id), expires

    def exempt(self, campaign_id: UUID, trajectory_id: UUID, respondent: str, reason: str):
        """The reason (e.g. deceased, ill) is sealed with the client's key, so erasing the
        client erases it too; the exemption itself stays as coverage evidence."""
        reason = (reason or "").strip()
        if len(reason) < 10:
            raise DomainError("Leg uit waarom niet is uitgenodigd (min. 10 tekens)")
        keys = self._keys()
        return self.update(
            campaign_id, SurveyCampaign,
            lambda c: c.exempt(trajectory_id, respondent, keys.seal(
                c.exemption_subject(trajectory_id, respondent), reason)),
        )

    def _keys(self) -> SubjectKeys:
        if self.keys is None:
            raise RuntimeError("Satisfaction.keys is not set (use Platform.app)")
        return self.keys

    def close_campaign(self, campaign_id: UUID) -> SurveyCampaign:
        on = self.today()
        return self.update(campaign_id, SurveyCampaign, lambda c: c.close(on))

    def record_response(self, **fields: Any) -> SurveyResponse:
        response = SurveyResponse(**fields, responded_on=self.today())
        try:
            return self.create(response)
        except ConflictError:
            raise ConflictError("Deze vragenlijst is al ingevuld") from None

    def request_email_invitation(self, invitation: EmailInvitation) -> EmailInvitation:
        return self.create(invitation)

    def email_invitation(self, invitation_id: UUID) -> EmailInvitation:
        return self.load(invitation_id, EmailInvitation)

    def on_email_invitation(self, invitation_id: UUID, command: Any) -> EmailInvitation:
        return self.update(invitation_id, EmailInvitation, command)

    def response(self, response_id: UUID) -> SurveyResponse:
        return self.load(response_id, SurveyResponse)
