"""Survey campaigns (who must be invited, who was) and the responses they bring in.

Blik op Werk asks that ALL clients of the measurement period are invited, broken-off
trajectories included, and that the organisation does not influence the answers: the
campaign therefore records its population, every invitation and every exemption (with
a reason), so coverage is evidence rather than a claim.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from services.kernel.domain import N_, DomainError, StampedAggregate
from services.kernel.personal_data import Sealed

TRAJECTORY_STATUSES = ("lopend", "afgerond", "afgebroken")
RESPONDENTS = ("werknemer", "werkgever", "opdrachtgever", "jobcoach")
RESPONSE_NAMESPACE = uuid5(NAMESPACE_URL, "https://jobtrail.nl/quality/survey-response")


class SurveyCampaign(StampedAggregate):
    def __init__(
        self,
        name: str,
        period_start: date,
        period_end: date,
        forms: dict[str, dict[str, str]],
        link_valid_days: int,
    ) -> None:
        self.name = name
        self.period_start = period_start
        self.period_end = period_end
        self.forms = forms  # respondent -> {"key", "version"}
        self.link_valid_days = link_valid_days
        self.population: dict[str, dict[str, Any]] = {}  # trajectory id -> entry
        self.invitations: dict[str, dict[str, Any]] = {}  # invitation id -> invitation
        self.exemptions: dict[str, dict[str, Any]] = {}  # "<trajectory>:<respondent>"
        self.closed_on: date | None = None

    @classmethod
    def start(
        cls, name: str, period_start: date, period_end: date,
        forms: dict[str, dict[str, str]], link_valid_days: int,
    ) -> SurveyCampaign:
        if not name.strip():
            raise DomainError("Geef de meting een naam")
        if period_end < period_start:
            raise DomainError("De meetperiode eindigt vóór zij begint")
        if (period_end - period_start).days > 366:
            raise DomainError("Een meetperiode duurt hoogstens een jaar")
        if not forms or set(forms) - set(RESPONDENTS):
            raise DomainError("Kies per respondent (%(respondents)s) een vragenlijst",
                              respondents=", ".join(RESPONDENTS))
        if not 1 <= link_valid_days <= 90:
            raise DomainError("Een link is 1 tot en met 90 dagen geldig")
        return cls(name.strip(), period_start, period_end, forms, link_valid_days)

    def _open(self) -> None:
        if self.closed_on is not None:
            raise DomainError("Deze meting is afgesloten")

    def register_population(self, entries: list[dict[str, Any]], source: str) -> None:
        """The trajectories of the measurement period (replacing earlier entries of the same
        trajectory): running, completed AND broken off."""
        self._open()
        cleaned = []
        for entry in entries:
            status = entry.get("status")
            if status not in TRAJECTORY_STATUSES:
                raise DomainError("Status moet een van %(choices)s zijn",
                                  choices=", ".join(TRAJECTORY_STATUSES))
            ended = entry.get("ended_on")
            if status != "lopend" and ended is None:
                raise DomainError("Een afgerond of afgebroken traject heeft een einddatum")
            if ended is not None and not self.period_start <= ended <= self.period_end:
                raise DomainError("Traject eindigde op %(on)s, buiten de meetperiode",
                                  on=f"{ended:%d-%m-%Y}")
            cleaned.append({
                "trajectory_id": str(entry["trajectory_id"]),
                "client_id": str(entry["client_id"]),
                "jobcoach_id": str(entry["jobcoach_id"]) if entry.get("jobcoach_id") else None,
                "status": status,
                "ended_on": ended.isoformat() if ended else None,
            })
        if not cleaned:
            raise DomainError("Geef minstens één traject op")
        self._population_registered(entries=cleaned, source=source)

    @event("PopulationRegistered")
    def _population_registered(self, entries: list[dict[str, Any]], source: str) -> None:
        for entry in entries:
            self.population[entry["trajectory_id"]] = entry

    def invite(
        self, invitation_id: str, trajectory_id: UUID, respondent: str, link_id: UUID,
        invited_on: date, expires_at: datetime,
    ) -> None:
        self._open()
        if str(trajectory_id) not in self.population:
            raise DomainError("Dit traject hoort niet bij de populatie van deze meting")
        if respondent not in self.forms:
            raise DomainError("Deze meting heeft geen vragenlijst voor %(respondent)s",
                              respondent=respondent)
        replaces = [
            i["id"] for i in self.invitations.values()
            if i["trajectory_id"] == str(trajectory_id) and i["respondent"] == respondent
            and i["replaced_by"] is None
        ]
        self._invited(
            invitation_id=invitation_id, trajectory_id=str(trajectory_id), respondent=respondent,
            link_id=link_id, invited_on=invited_on, expires_at=expires_at,
            replaces=replaces[0] if replaces else None,
        )

    @event("Invited")
    def _invited(
        self, invitation_id: str, trajectory_id: str, respondent: str, link_id: UUID,
        invited_on: date, expires_at: datetime, replaces: str | None,
    ) -> None:
        if replaces:
            self.invitations[replaces]["replaced_by"] = invitation_id
        self.invitations[invitation_id] = {
            "id": invitation_id, "trajectory_id": trajectory_id, "respondent": respondent,
            "link_id": link_id, "invited_on": invited_on.isoformat(),
            "expires_at": expires_at.isoformat(), "replaced_by": None,
        }

    def exemption_subject(self, trajectory_id: UUID, respondent: str) -> UUID:
        """The client whose key seals an exemption's reason; refuses what `exempt` refuses."""
        self._open()
        if str(trajectory_id) not in self.population:
            raise DomainError("Dit traject hoort niet bij de populatie van deze meting")
        if respondent not in self.forms:
            raise DomainError("Deze meting heeft geen vragenlijst voor %(respondent)s",
                              respondent=respondent)
        return UUID(self.population[str(trajectory_id)]["client_id"])

    def exempt(self, trajectory_id: UUID, respondent: str, reason: Sealed) -> None:
        """Not inviting someone is allowed only with a recorded reason (e.g. deceased).
        The reason is about the client (often their health): it arrives sealed with the
        client's key (the application checks its length first)."""
        self.exemption_subject(trajectory_id, respondent)
        self._exempted(trajectory_id=str(trajectory_id), respondent=respondent, reason=reason)

    @event("Exempted")
    def _exempted(self, trajectory_id: str, respondent: str, reason: Sealed | str) -> None:
        # Events recorded before 2026-11 hold the reason as plain text.
        self.exemptions[f"{trajectory_id}:{respondent}"] = {
            "trajectory_id": trajectory_id, "respondent": respondent, "reason": reason}

    def close(self, on: date) -> None:
        self._open()
        self._closed(on=on)

    @event("Closed")
    def _closed(self, on: date) -> None:
        self.closed_on = on

    def coverage(self) -> dict[str, Any]:
        """Per trajectory and respondent: invited, exempted (with reason, as stored: sealed
        since 2026-11; opened by satisfaction.application.opened_coverage) or MISSING."""
        rows, missing = [], 0
        for entry in self.population.values():
            for respondent in self.forms:
                invited = [
                    i for i in self.invitations.values()
                    if i["trajectory_id"] == entry["trajectory_id"]
                    and i["respondent"] == respondent
                ]
                exemption = self.exemptions.get(f"{entry['trajectory_id']}:{respondent}")
                state = "uitgenodigd" if invited else "vrijgesteld" if exemption else "ontbreekt"
                missing += state == "ontbreekt"
                rows.append({
                    "trajectory_id": entry["trajectory_id"], "status": entry["status"],
                    "respondent": respondent, "state": state,
                    "invitations": len(invited),
                    "reason": exemption["reason"] if exemption and not invited else None,
                })
        return {
            "population": len(self.population),
            "broken_off": sum(e["status"] == "afgebroken" for e in self.population.values()),
            "complete": missing == 0 and bool(self.population),
            "missing": missing,
            "rows": rows,
        }


class SurveyResponse(StampedAggregate):
    """One filled-in form. Through a link its id derives from the invitation, so a second
    answer to the same invitation cannot be stored."""

    def __init__(
        self,
        form_key: str,
        form_version: str,
        respondent: str,
        answers: dict[str, Any],
        explanations: dict[str, Any],
        comment: Any,
        score: float | None,
        responded_on: date,
        campaign_id: UUID | None,
        invitation_id: str | None,
        trajectory_id: UUID | None,
        jobcoach_id: UUID | None,
    ) -> None:
        self.form_key = form_key
        self.form_version = form_version
        self.respondent = respondent
        self.answers = answers
        self.explanations = explanations  # sealed per text when a client's subject is known
        self.comment = comment
        self.score = score
        self.responded_on = responded_on
        self.campaign_id = campaign_id
        self.invitation_id = invitation_id
        self.trajectory_id = trajectory_id
        self.jobcoach_id = jobcoach_id

    @classmethod
    def create_id(cls, invitation_id: str | None = None, **_: Any) -> UUID:  # type: ignore[override]
        if invitation_id:
            return uuid5(RESPONSE_NAMESPACE, invitation_id)
        return StampedAggregate.create_id.__func__(cls)  # type: ignore[attr-defined]


class SurveyLink(StampedAggregate):
    """Platform-wide record of one capability link, found by the SHA-256 of its token.

    The token itself is never stored: its hash names the aggregate, so a look-up needs
    no index and a guessed token simply finds nothing."""

    def __init__(
        self, token_hash: str, organisation_id: UUID, campaign_id: UUID, invitation_id: str,
        form_key: str, form_version: str, respondent: str, expires_at: datetime,
    ) -> None:
        self.token_hash = token_hash
        self.organisation_id = organisation_id
        self.campaign_id = campaign_id
        self.invitation_id = invitation_id
        self.form_key = form_key
        self.form_version = form_version
        self.respondent = respondent
        self.expires_at = expires_at
        self.used_at: datetime | None = None
        self.revoked = False

    @classmethod
    def create_id(cls, token_hash: str, **_: Any) -> UUID:  # type: ignore[override]
        return link_id(token_hash)

    def usable(self, now: datetime) -> str | None:
        """None when the link may be used now, else why not: a Dutch template (msgid) that
        the refusal carries and the page translates."""
        if self.used_at is not None:
            return N_("Deze vragenlijst is al ingevuld. Bedankt voor uw medewerking!")
        if self.revoked:
            return N_("Deze link is vervangen door een nieuwe link.")
        if now >= self.expires_at:
            return N_("Deze link is verlopen. Vraag zo nodig een nieuwe link aan.")
        return None

    def use(self, now: datetime) -> None:
        reason = self.usable(now)
        if reason:
            raise DomainError(reason)
        self._used(at=now)

    @event("Used")
    def _used(self, at: datetime) -> None:
        self.used_at = at

    def revoke(self) -> None:
        if not self.revoked and self.used_at is None:
            self._revoked()

    @event("Revoked")
    def _revoked(self) -> None:
        self.revoked = True


LINK_NAMESPACE = uuid5(NAMESPACE_URL, "https://jobtrail.nl/quality/survey-link")


def link_id(token_hash: str) -> UUID:
    return uuid5(LINK_NAMESPACE, token_hash)
