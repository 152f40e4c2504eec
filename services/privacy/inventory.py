"""Personal-data inventory: every event field and every read-model column, classified.

Categories: IDENTIFYING (who someone is), CONTACT, SPECIAL (health, limitations:
art. 9 AVG), FREE_TEXT (anything people write, which may contain all of these),
NONE. `holder` says whose data it is: "client" (sealed with the client's key, erased
by crypto-shredding), "staff" (employees of the organisation), "org". Ids are
pseudonymous keys with no meaning once the client's key is gone: NONE.

tests/integration/test_privacy_inventory.py walks every registered application and
view and FAILS on any field or column missing here: classify a new field when you
add it. `sealed=False` on client data is a known gap, listed in GAPS with its owner.
"""

from __future__ import annotations

from dataclasses import dataclass

IDENTIFYING, CONTACT, SPECIAL, FREE_TEXT, NONE = (
    "identifying",
    "contact",
    "special",
    "free_text",
    "none",
)


@dataclass(frozen=True)
class Field:
    category: str
    holder: str = "-"
    sealed: bool = False  # stored as {"kid","n","c"} (or a structure of those)
    note: str = ""

    @property
    def personal(self) -> bool:
        return self.category != NONE

    @property
    def must_be_sealed(self) -> bool:
        return self.personal and self.holder == "client"


N = Field(NONE)
ID = Field(NONE, note="pseudonymous id")


def C(category: str, note: str = "") -> Field:  # noqa: N802  client data, sealed
    return Field(category, "client", True, note)


def S(category: str, note: str = "") -> Field:  # noqa: N802  staff data
    return Field(category, "staff", False, note)


def O(note: str = "") -> Field:  # noqa: N802,E743  organisational free text
    return Field(FREE_TEXT, "org", False, note or "organisational text; no client data")


CLIENT_TEXT = C(FREE_TEXT)

# Base fields every stamped event has (services/kernel/domain.py).
BASE = {"actor": Field(NONE, note="'user:<uuid>' of staff; pseudonymous")}

P = "services.platform.domainmodel:"
T = "services.trajectories."
Q = "services.quality."
A = "services.audit.domainmodel:"
PR = "services.privacy."

EVENTS: dict[str, dict[str, Field]] = {
    # Tenant registry (platform schema): staff accounts, not clients.
    P + "Organisation.Created": {"name": N, "slug": N, "kvk_number": N, "totp_required": N},
    P + "Organisation.Renamed": {"name": N},
    P + "Organisation.TotpPolicyChanged": {"totp_required": N},
    P + "Organisation.OidcConfigured": {
        "issuer": N,
        "client_id": N,
        "client_secret": Field(NONE, note="secret, not personal"),
    },
    P + "User.Created": {
        "email": S(CONTACT),
        "name": S(IDENTIFYING),
        "password_hash": Field(NONE, note="secret"),
    },
    P + "User.PasswordChanged": {"password_hash": Field(NONE, note="secret")},
    P + "User.TotpEnrolled": {"totp_secret": Field(NONE, note="secret")},
    P + "User.MembershipGranted": {"organisation_id": ID, "role": N, "on": N},
    P + "User.MembershipRevoked": {"organisation_id": ID, "on": N},
    P + "ApiClient.Created": {
        "organisation_id": ID,
        "role": N,
        "name": N,
        "secret_hash": N,
        "user_id": ID,
    },
    # Trajectories
    T + "clients:Client.Created": {
        "number": Field(NONE, note="client number: the pseudonym auditors see"),
        "contact": C(CONTACT, "name, e-mail, phone, address, date of birth: each sealed"),
    },
    T + "clients:Client.ContactDataRevised": {"contact": C(CONTACT)},
    T + "clients:Client.SupportNeedDescribed": {
        "limitations": C(SPECIAL, "functional limitations"),
        "possibilities": C(SPECIAL),
    },
    T + "clients:Client.NetworkContactAdded": {
        "contact_id": ID,
        "name": C(IDENTIFYING, "a third party's name"),
        "relation": N,
        "consent": N,
        "consent_on": N,
    },
    T + "clients:Client.NetworkConsentChanged": {"contact_id": ID, "consent": N, "on": N},
    T + "domainmodel:Trajectory.Created": {
        "client_id": ID,
        "commissioner": Field(NONE, note="organisation (UWV, gemeente)"),
        "responsible_jobcoach": ID,
        "client_number": N,
    },
    T + "domainmodel:Trajectory.Reassigned": {
        "jobcoach": ID,
        "handover_note": C(FREE_TEXT, "sealed since 2026-11; earlier events: plain text"),
    },
    T + "domainmodel:Trajectory.IntakeRecorded": {"data": C(FREE_TEXT, "text fields sealed")},
    T + "domainmodel:Trajectory.EmployeeProfileRecorded": {"data": C(SPECIAL, "text sealed")},
    T + "domainmodel:Trajectory.WorkplaceProfileRecorded": {"data": CLIENT_TEXT},
    T + "domainmodel:Trajectory.MatchingRecorded": {"data": CLIENT_TEXT},
    T + "domainmodel:Trajectory.CoachingPlanRecorded": {"data": CLIENT_TEXT},
    T + "domainmodel:Trajectory.PlacementRecorded": {"data": CLIENT_TEXT},
    T + "domainmodel:Trajectory.FinalReportRecorded": {"data": CLIENT_TEXT},
    T + "domainmodel:Trajectory.GrantAdded": {"data": Field(NONE, note="hours, commissioner")},
    T + "domainmodel:Trajectory.ActivityRecorded": {"data": CLIENT_TEXT},
    T + "domainmodel:Trajectory.ActivityCorrected": {
        "activity_id": ID,
        "minutes": N,
        "reason": O("why hours were corrected"),
        "override_reason": O(),
    },
    T + "domainmodel:Trajectory.JobFindingRecorded": {
        "kind": N,
        "employer": Field(NONE, note="employer organisation"),
        "on": N,
        "note": CLIENT_TEXT,
    },
    T + "domainmodel:Trajectory.ProgressEvaluated": {
        "on": N,
        "results": C(FREE_TEXT, "reasons sealed"),
        "summary": CLIENT_TEXT,
    },
    T + "domainmodel:Trajectory.ClosingEvaluationRecorded": {
        "party": N,
        "on": N,
        "summary": CLIENT_TEXT,
    },
    T + "domainmodel:Trajectory.Closed": {
        "reason": N,
        "aftercare_offered": N,
        "aftercare": CLIENT_TEXT,
        "on": N,
    },
    T + "domainmodel:Trajectory.FollowUpRecorded": {
        "months": N,
        "on": N,
        "still_working": Field(NONE, note="employment outcome of a pseudonymous trajectory"),
        "hours_per_week": Field(NONE, note="employment outcome of a pseudonymous trajectory"),
        "note": CLIENT_TEXT,
    },
    T + "domainmodel:Trajectory.LogSigned": {
        "grant_id": ID,
        "role": N,
        "signer_name": C(IDENTIFYING, "client, employer or supervisor; in the client's file"),
        "on": N,
        "method": N,
        "activities": N,
        "minutes": N,
    },
    T + "absence:JobcoachAbsences.Created": {"jobcoach": ID},
    T + "absence:JobcoachAbsences.AbsenceRegistered": {
        "absence_id": ID,
        "jobcoach": ID,
        "kind": S(SPECIAL, "sick leave of staff"),
        "first_day": N,
        "last_day": N,
        "note": S(FREE_TEXT),
    },
    T + "absence:JobcoachAbsences.CaseloadHandedOver": {
        "absence_id": ID,
        "to": ID,
        "trajectory_ids": ID,
    },
    T + "funding:FundingRegimes.RegimeSet": {
        "commissioner": N,
        "name": N,
        "percentage": N,
        "valid_from": N,
        "valid_to": N,
    },
    # Quality: complaints (sealed with the complainant's subject key)
    Q + "complaints.domainmodel:Complaint.Created": {
        "regulation": N,
        "received_on": N,
        "complainant_kind": N,
        "subject_id": ID,
        "complainant": C(IDENTIFYING),
        "summary": CLIENT_TEXT,
        "trajectory_id": ID,
        "jobcoach_id": ID,
    },
    Q + "complaints.domainmodel:Complaint.Acknowledged": {"on": N, "late": N},
    Q + "complaints.domainmodel:Complaint.Extended": {"on": N, "until": N, "reason": CLIENT_TEXT},
    Q + "complaints.domainmodel:Complaint.Heard": {"on": N, "kind": N, "notes": CLIENT_TEXT},
    Q + "complaints.domainmodel:Complaint.Decided": {
        "on": N,
        "outcome": N,
        "reasons": CLIENT_TEXT,
        "late": N,
    },
    Q + "complaints.domainmodel:Complaint.Escalated": {"on": N, "body": N, "reason": CLIENT_TEXT},
    Q + "complaints.domainmodel:Complaint.ExternalRulingRecorded": {
        "on": N,
        "outcome": N,
        "summary": CLIENT_TEXT,
    },
    Q + "complaints.domainmodel:Complaint.ImprovementActionAdded": {
        "action_id": ID,
        "description": O("improvement action"),
        "owner_id": ID,
        "due_on": N,
    },
    Q + "complaints.domainmodel:Complaint.ImprovementActionCompleted": {
        "action_id": ID,
        "on": N,
        "result": O(),
    },
    Q + "complaints.domainmodel:Complaint.Closed": {"on": N},
    Q + "complaints.regulation:ComplaintRegulation.Created": {"organisation_id": ID},
    Q + "complaints.regulation:ComplaintRegulation.Adopted": {"terms": O(), "in_force_from": N},
    # Quality: satisfaction
    Q + "satisfaction.domainmodel:SurveyCampaign.Created": {
        "name": N,
        "period_start": N,
        "period_end": N,
        "forms": N,
        "link_valid_days": N,
    },
    Q + "satisfaction.domainmodel:SurveyCampaign.PopulationRegistered": {
        "entries": ID,
        "source": N,
    },
    Q + "satisfaction.domainmodel:SurveyCampaign.Invited": {
        "invitation_id": ID,
        "trajectory_id": ID,
        "respondent": N,
        "link_id": ID,
        "invited_on": N,
        "expires_at": N,
        "replaces": ID,
    },
    Q + "satisfaction.domainmodel:SurveyCampaign.Exempted": {
        "trajectory_id": ID,
        "respondent": N,
        "reason": C(SPECIAL, "why not invited, e.g. deceased or ill (health); sealed since"
                             " 2026-11, earlier events: plain text"),
    },
    Q + "satisfaction.domainmodel:SurveyCampaign.Closed": {"on": N},
    Q + "satisfaction.domainmodel:SurveyLink.Created": {
        "token_hash": N,
        "organisation_id": ID,
        "campaign_id": ID,
        "invitation_id": ID,
        "form_key": N,
        "form_version": N,
        "respondent": N,
        "expires_at": N,
    },
    Q + "satisfaction.domainmodel:SurveyLink.Used": {"at": N},
    Q + "satisfaction.email_invitation:EmailInvitation.Created": {
        "campaign_id": ID,
        "trajectory_id": ID,
        "respondent": N,
        "address": C(CONTACT, "respondent's e-mail address, sealed with the client's key"),
        "link_base": N,
    },
    Q + "satisfaction.email_invitation:EmailInvitation.Sent": {"invitation_id": ID},
    Q + "satisfaction.email_invitation:EmailInvitation.NotSent": {"reason": N},
    Q + "satisfaction.domainmodel:SurveyResponse.Created": {
        "form_key": N,
        "form_version": N,
        "respondent": N,
        "answers": N,
        "explanations": C(FREE_TEXT, "sealed when the client is known"),
        "comment": C(FREE_TEXT, "sealed when the client is known"),
        "score": N,
        "responded_on": N,
        "campaign_id": ID,
        "invitation_id": ID,
        "trajectory_id": ID,
        "jobcoach_id": ID,
    },
    # Quality: training, registers, peer review (staff data)
    Q + "training.domainmodel:FunctionProfile.Created": {
        "title": N,
        "role": N,
        "description": O(),
        "required_education": N,
        "required_trainings": N,
    },
    Q + "training.domainmodel:FunctionProfile.Revised": {
        "description": O(),
        "required_education": N,
        "required_trainings": N,
    },
    Q + "training.domainmodel:OnboardingProgramme.Created": {"name": N, "steps": N},
    Q + "training.domainmodel:OnboardingProgramme.Revised": {"steps": N},
    Q + "training.domainmodel:Onboarding.Created": {
        "employee_id": ID,
        "programme_id": ID,
        "programme_revision": N,
        "started_on": N,
        "steps": N,
    },
    Q + "training.domainmodel:Onboarding.StepCompleted": {"step_id": ID, "on": N, "signed_by": ID},
    Q + "training.domainmodel:TrainingPlan.Created": {"organisation_id": ID, "year": N},
    Q + "training.domainmodel:TrainingPlan.Planned": {
        "item_id": ID,
        "course": N,
        "provider": N,
        "audience": N,
        "quarter": N,
        "hours": N,
        "budget_eur": N,
    },
    Q + "training.domainmodel:TrainingRecord.Created": {
        "jobcoach_id": ID,
        "course": N,
        "provider": N,
        "category": N,
        "completed_on": N,
        "hours": N,
        "ects": N,
        "pe_points": N,
    },
    Q + "training.domainmodel:TrainingRecord.CertificateAttached": {
        "filename": S(FREE_TEXT, "file name may hold the employee's name"),
        "sha256": N,
        "size": N,
        "media_type": N,
    },
    Q + "training.domainmodel:TrainingRecord.Withdrawn": {"reason": S(FREE_TEXT)},
    Q + "training.portfolio_drafts:PortfolioDraft.Created": {
        "jobcoach_id": ID,
        "trajectory_id": ID,
        "word_count": N,
        "markdown_sha256": Field(NONE, note="hash of the draft; its text is not stored"),
        "pdf_sha256": Field(NONE, note="hash of the draft; its text is not stored"),
        "anonymisation": N,
        "delivered": N,
    },
    Q + "training.peerreview:PeerReviewSession.Created": {
        "held_on": N,
        "topic": O(),
        "facilitator_id": ID,
        "hours": N,
        "participants": ID,
        "cases": O("anonymised cases by rule (DOMAIN.md): no client data may be entered"),
        "learning_points": O(),
        "actions": O(),
    },
    Q + "training.peerreview:PeerReviewSession.Cancelled": {"reason": O()},
    Q + "training.registers:RegisterFile.Created": {"jobcoach_id": ID},
    Q + "training.registers:RegisterFile.EducationRecorded": {
        "level": N,
        "name": N,
        "completed_on": N,
        "evidence_sha256": N,
    },
    Q + "training.registers:RegisterFile.JobcoachDiplomaRecorded": {
        "kind": N,
        "name": N,
        "year": N,
    },
    Q + "training.registers:RegisterFile.PracticeStarted": {"on": N},
    Q + "training.registers:RegisterFile.PriorHoursRecorded": {
        "hours": N,
        "until": N,
        "description": S(FREE_TEXT),
    },
    Q + "training.registers:RegisterFile.Registered": {
        "register": N,
        "registered_on": N,
        "expires_on": N,
        "number": S(IDENTIFYING, "the jobcoach's register number"),
    },
    Q + "training.registers:RegisterFile.SupervisorAssigned": {"supervisor_id": ID},
    # Audit
    A + "AuditEntry.Recorded": {"kind": N, "details": Field(NONE, note="ids and codes only")},
    A + "AuditorGrant.Created": {
        "auditor_id": ID,
        "organisation_id": ID,
        "mark": N,
        "valid_from": N,
        "valid_until": N,
    },
    A + "AuditorGrant.Renewed": {"mark": N, "valid_from": N, "valid_until": N},
    A + "MarkCertificate.Created": {
        "organisation_id": N,
        "mark": N,
        "certified_on": N,
        "expires_on": N,
        "reference": Field(NONE, note="the certificate's number"),
    },
    A + "MarkCertificate.Renewed": {"certified_on": N, "expires_on": N, "reference": N},
    # Privacy
    PR + "requests:DataSubjectRequest.Created": {
        "client_id": ID,
        "kind": N,
        "received_on": N,
        "channel": N,
        "requester": C(IDENTIFYING, "who asked (client or representative)"),
        "details": CLIENT_TEXT,
    },
    PR + "requests:DataSubjectRequest.Extended": {"reason": CLIENT_TEXT, "on": N},
    PR + "requests:DataSubjectRequest.Started": {"on": N},
    PR + "requests:DataSubjectRequest.ExportDelivered": {
        "document_id": ID,
        "sha256": N,
        "media_type": N,
    },
    PR + "requests:DataSubjectRequest.DeadlinePassed": {"on": N},
    PR + "requests:DataSubjectRequest.Completed": {"outcome": N, "on": N, "note": CLIENT_TEXT},
    PR + "requests:DataSubjectRequest.Rectified": {
        "fields": Field(NONE, note="names of the corrected fields, never their values"),
        "on": N,
        "by": ID,
    },
    PR + "subjects:ClientPrivacy.Created": {"client_id": ID},
    PR + "subjects:ClientPrivacy.ConsentGiven": {
        "purpose": N,
        "recipient_kind": N,
        "recipient_id": ID,
        "recipient_name": C(IDENTIFYING, "e.g. a network contact's name"),
        "given_on": N,
        "evidence": N,
    },
    PR + "subjects:ClientPrivacy.ConsentWithdrawn": {
        "purpose": N,
        "recipient_kind": N,
        "recipient_id": ID,
        "withdrawn_on": N,
    },
    PR + "subjects:ClientPrivacy.ProcessingRestricted": {"on": N, "request_id": ID},
    PR + "subjects:ClientPrivacy.RestrictionLifted": {"on": N},
    PR + "subjects:ClientPrivacy.ObjectionUpheld": {"purpose": N, "on": N, "request_id": ID},
    PR + "subjects:ClientPrivacy.ObjectionLifted": {"purpose": N, "reason": CLIENT_TEXT, "on": N},
    PR + "subjects:ClientPrivacy.BsnRecorded": {"bsn": C(IDENTIFYING, "BSN, only when enabled")},
    PR + "subjects:ClientErasure.Created": {
        "client_id": ID,
        "pseudonym": N,
        "legal_basis": N,
        "erased_at": N,
        "backup_expires_on": N,
        "request_id": ID,
        "key_existed": N,
        "open_trajectories": N,
        "erased_by": ID,
    },
    PR + "subjects:ReadAccess.Created": {
        "client_id": ID,
        "what": N,
        "why": N,
        "channel": N,
        "recipient_kind": N,
        "recipient_id": ID,
    },
    PR + "registers:Breach.Created": {
        "detected_at": N,
        "title": O(),
        "description": O("what happened; no client data"),
    },
    PR + "registers:Breach.Assessed": {
        "risk": N,
        "assessment": O(),
        "affected_count": N,
        "affected_clients": ID,
    },
    PR + "registers:Breach.ReportedToAp": {"reported_at": N, "reference": N, "late_reason": O()},
    PR + "registers:Breach.SubjectsInformed": {"informed_at": N, "how": O()},
    PR + "registers:Breach.Closed": {"closed_at": N, "measures": O()},
    PR + "registers:ProcessingActivity.Created": {"entry": O("art. 30 register entry")},
    PR + "registers:ProcessingActivity.Revised": {"entry": O()},
    PR + "registers:ProcessingActivity.Retired": {"on": N},
    PR + "registers:PrivacyPolicy.BackupRetentionSet": {"days": N},
    PR + "registers:PrivacyPolicy.RetentionRuleSet": {"record_type": N, "months": N},
    PR + "registers:PrivacyPolicy.RetentionRuleRemoved": {"record_type": N},
    PR + "registers:PrivacyPolicy.BsnEnabled": {"legal_basis": N},
}


# Read-model columns per "<view>.<table>": every column listed explicitly.
def none(names: str, **personal: Field) -> dict[str, Field]:
    return {**{name: N for name in names.split()}, **personal}


_SEALED_JSON = Field(IDENTIFYING, "client", True, "sealed value as JSON, opened when shown")
COLUMNS: dict[str, dict[str, Field]] = {
    "directory.directory_orgs": none("org_id slug name kvk_number registered_at"),
    "directory.directory_users": none("user_id disabled", email=S(CONTACT), name=S(IDENTIFYING)),
    "directory.directory_members": none("org_id user_id role"),
    "directory.directory_tenures": none("org_id user_id version role joined_on since until"),
    "auditor_grants.auditor_grants": none(
        "grant_id org_id auditor_id mark valid_from valid_until revoked"
    ),
    "trajectory_caseload.trajectory_caseload": none(
        "trajectory_id client_id client_number commissioner jobcoach_id started_at version"
        " phase_rank closed"
    ),
    "trajectory_caseload.trajectory_deadlines": none("trajectory_id item kind due done"),
    "trajectory_caseload.jobcoach_absences": none(
        "absence_id jobcoach_id first_day last_day", kind=S(SPECIAL, "sick leave of staff")
    ),
    "trajectory_workday.trajectory_workday": none(
        "activity_id trajectory_id jobcoach_id on_day start_minute minutes kind"
    ),
    "trajectory_clients.trajectory_clients": none(
        "client_id number registered_at trajectories", name=_SEALED_JSON
    ),
    "audit_log.audit_leaves": none(
        "leaf_index app notification_id originator_id originator_version topic leaf_hash"
        " appended_at"
    ),
    "audit_log.audit_head": none("id tree_size compact"),
    "audit_log.audit_checkpoints": none("tree_size root note created_at"),
    "audit_log.audit_verifications": none("id checked_at ok tree_size problems"),
    "audit_log.audit_evidence_snapshots": none(
        "month_end requirement status source computed_at",
        figures=Field(NONE, note="counts per requirement (JSON), no names"),
    ),
    "audit_actors.audit_actors": none(
        "app notification_id actor_kind occurred_at",
        actor=Field(NONE, note="'user:<uuid>' as stamped; pseudonymous"),
    ),
    # Facts for renewal reports (projections/renewal_facts.py): ids, numbers, dates, codes.
    "renewal_trajectories.renewal_trajectories": none(
        "trajectory_id client_id client_number jobcoach_id started_on placed_on closed_on"
        " end_reason handovers"
    ),
    "renewal_trajectories.renewal_clients": none("client_id number"),
    "renewal_trajectories.renewal_activities": none("activity_id trajectory_id month minutes"),
    "renewal_satisfaction.renewal_satisfaction": none("response_id responded_on form_key score"),
    "renewal_peer_review.renewal_peer_review": none("session_id jobcoach_id held_on"),
    "renewal_survey_dated.renewal_survey_invites": none(
        "invitation_id trajectory_id respondent invited_on replaced_on answered_on"
    ),
    "renewal_survey_dated.renewal_survey_exempted": none("trajectory_id respondent exempted_on"),
    "renewal_responsible.renewal_responsible": none("trajectory_id version from_on jobcoach_id"),
    "renewal_handovers.renewal_handovers": none(
        "trajectory_id version handed_over_on to_jobcoach absence_id",
        with_note=Field(NONE, note="whether a note came with it; the note stays sealed"),
    ),
    "renewal_onboarding.renewal_onboardings": none(
        "onboarding_id employee_id started_on due_on steps recorded_on"
    ),
    "renewal_onboarding.renewal_onboarding_steps": none(
        "onboarding_id step_id done_on recorded_on"
    ),
    "renewal_follow_ups.renewal_follow_ups": none("trajectory_id months on_day still_working"),
    "renewal_training_plan.renewal_training_plans": none("plan_id year"),
    "renewal_training_plan.renewal_plan_items": none("plan_id item_id course audience quarter"),
    "complaint_register.complaint_register": none(
        "complaint_id received_on complainant_kind status acknowledgement_due acknowledged_on"
        " decision_due decided_on outcome closed_on escalated_on external_body trajectory_id"
        " jobcoach_id regulation_version extensions version"
    ),
    "complaint_register.complaint_actions": none(
        "complaint_id action_id owner_id due_on done_on", description=O("improvement action")
    ),
    "satisfaction.survey_campaigns": none("campaign_id name period_start period_end closed_on"),
    "satisfaction.survey_invitations": none(
        "invitation_id campaign_id trajectory_id respondent invited_on expires_at replaced"
    ),
    "satisfaction.survey_responses": none(
        "response_id campaign_id invitation_id form_key form_version respondent responded_on"
        " score jobcoach_id"
    ),
    "satisfaction.survey_answers": none("response_id item_id value"),
    "training.training_records": none(
        "record_id jobcoach_id course provider category completed_on hours ects pe_points"
        " certificate_sha256 withdrawn"
    ),
    "training.peer_review_sessions": none(
        "session_id held_on topic hours participants actions cancelled",
        cases=O("anonymised cases by rule"),
    ),
    "training.peer_review_participants": none("session_id jobcoach_id held_on"),
    "portfolio_drafts.portfolio_drafts": none(
        "draft_id jobcoach_id trajectory_id drafted_at word_count delivered markdown_sha256"
        " pdf_sha256 anonymised names_checked"
    ),
    "privacy_requests.privacy_requests": none(
        "request_id client_id kind channel status received_on due_on extended completed_on"
        " outcome deadline_missed_on version"
    ),
    "privacy_access_log.privacy_access_log": none(
        "access_id client_id actor what why channel recipient_kind recipient_id at"
    ),
    "privacy_registers.privacy_breaches": none(
        "breach_id status risk detected_at report_due report_required inform_required"
        " reported_at informed_at closed_at affected_count version",
        title=O(),
    ),
    "privacy_registers.privacy_activities": none(
        "activity_id name retired_on version", entry=O("art. 30 register entry (JSON)")
    ),
    "privacy_registers.privacy_erasures": none(
        "client_id erasure_id pseudonym legal_basis actor erased_at backup_expires_on request_id"
    ),
    "privacy_registers.privacy_subjects": none("client_id last_activity"),
    "privacy_registers.privacy_client_records": none("record_id client_id"),
}


def field_for(topic: str, name: str) -> Field | None:
    if name in BASE:
        return BASE[name]
    return EVENTS.get(topic, {}).get(name)


def column_for(view: str, table: str, column: str) -> Field | None:
    return COLUMNS.get(f"{view}.{table}", {}).get(column)


def gaps() -> list[tuple[str, str, str]]:
    """Client data stored unsealed: (topic, field, note). Each is a known bug to fix."""
    return [
        (topic, name, spec.note)
        for topic, fields in EVENTS.items()
        for name, spec in fields.items()
        if spec.must_be_sealed and not spec.sealed
    ]


def views_with_plain_client_data() -> set[str]:
    """Views holding client data unsealed: erasure rebuilds these."""
    return {
        key.split(".")[0]
        for key, columns in COLUMNS.items()
        for spec in columns.values()
        if spec.must_be_sealed and not spec.sealed
    }
