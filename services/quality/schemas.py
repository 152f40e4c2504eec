"""Marshmallow schemas of the quality API (messages that users see are Dutch)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.quality.complaints.domainmodel import COMPLAINANT_KINDS, HEARING_KINDS, OUTCOMES_NL
from services.quality.satisfaction.domainmodel import RESPONDENTS, TRAJECTORY_STATUSES
from services.quality.training.domainmodel import CATEGORIES, REGISTER_KEYS
from services.quality.training.registers import DIPLOMA_KINDS, EDUCATION_LEVELS

NOT_NEGATIVE = "Het aantal uren kan niet negatief zijn"


def _text(maximum: int = 5000, minimum: int = 1, **kw: object) -> fields.String:
    return fields.String(validate=validate.Length(min=minimum, max=maximum), **kw)


def _one_of(choices: object, what: str) -> validate.OneOf:
    return validate.OneOf(list(choices), error=f"{what} moet een van {{choices}} zijn")


# Complaints -------------------------------------------------------------------------------
class TermIn(Schema):
    amount = fields.Integer(required=True)
    unit = fields.String(required=True)


class RegulationIn(Schema):
    title = _text(200, required=True)
    acknowledgement = fields.Nested(TermIn, required=True)
    decision = fields.Nested(TermIn, required=True)
    extension = fields.Dict(required=True)
    external_body = fields.Dict(required=True)
    public_holidays = fields.Raw(
        load_default=None, allow_none=True,
        metadata={"description": "feestdagen die geen werkdag zijn, bv. {\"country\": \"NL\","
                                 " \"optional\": true, \"ignore\": [\"Goede vrijdag\"]};"
                                 " null of false: alleen het weekend telt niet"})
    in_force_from = fields.Date(load_default=None)


class RegulationOut(Schema):
    id = fields.UUID()
    version = fields.Integer()
    versions = fields.List(fields.Dict())


class ComplaintIn(Schema):
    complainant_name = _text(200, required=True)
    complainant_contact = _text(300, minimum=0, load_default="")
    complainant_kind = fields.String(required=True, validate=_one_of(COMPLAINANT_KINDS, "Soort"))
    summary = _text(10000, minimum=10, required=True)
    subject_id = fields.UUID(
        load_default=None, metadata={"description": "cliënt-id als de klager cliënt is;"
                                     " weggelaten: de cliënt van trajectory_id"}
    )
    trajectory_id = fields.UUID(load_default=None, metadata={
        "description": "traject waar de klacht over gaat (van deze organisatie)"})
    jobcoach_id = fields.UUID(load_default=None)
    received_on = fields.Date(load_default=None)


class OnIn(Schema):
    on = fields.Date(load_default=None)


class HearingIn(OnIn):
    kind = fields.String(required=True, validate=_one_of(HEARING_KINDS, "Soort"))
    notes = _text(20000, minimum=10, required=True)


class ExtendIn(OnIn):
    reason = _text(2000, minimum=10, required=True)


class DecisionIn(OnIn):
    outcome = fields.String(required=True, validate=_one_of(OUTCOMES_NL, "Uitkomst"))
    reasons = _text(20000, minimum=10, required=True)


class EscalationIn(OnIn):
    reason = _text(5000, minimum=5, required=True)


class RulingIn(OnIn):
    outcome = fields.String(required=True, validate=_one_of(OUTCOMES_NL, "Uitkomst"))
    summary = _text(20000, minimum=10, required=True)


class ActionIn(Schema):
    description = _text(1000, minimum=5, required=True)
    owner_id = fields.UUID(required=True)
    due_on = fields.Date(required=True)


class ActionDoneIn(OnIn):
    result = _text(2000, minimum=5, required=True)


class ComplaintOut(Schema):
    id = fields.UUID()
    version = fields.Integer()
    status = fields.String()
    received_on = fields.Date()
    complainant_kind = fields.String()
    complainant_name = fields.String()
    complainant_contact = fields.String()
    summary = fields.String()
    trajectory_id = fields.UUID(allow_none=True)
    jobcoach_id = fields.UUID(allow_none=True)
    regulation_version = fields.Integer()
    acknowledgement_due = fields.Date()
    acknowledged_on = fields.Date(allow_none=True)
    decision_due = fields.Date()
    hearings = fields.List(fields.Dict())
    extensions = fields.List(fields.Dict())
    decision = fields.Dict(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    escalation = fields.Dict(allow_none=True)
    escalation_due = fields.Date(allow_none=True)
    actions = fields.List(fields.Dict())
    action_id = fields.String()


class RegisterRowOut(Schema):
    class Meta:
        unknown = "include"

    complaint_id = fields.String()
    received_on = fields.String()
    status = fields.String()
    acknowledgement_due = fields.String()
    decision_due = fields.String()
    outcome = fields.String(allow_none=True)
    late = fields.List(fields.String())


class OverdueOut(Schema):
    on = fields.Date()
    complaints = fields.List(fields.Dict())
    actions = fields.List(fields.Dict())


class YearQuery(Schema):
    year = fields.Integer(load_default=None, validate=validate.Range(2000, 2100))


# Satisfaction ------------------------------------------------------------------------------
class CampaignIn(Schema):
    name = _text(200, required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    forms = fields.Dict(keys=fields.String(validate=_one_of(RESPONDENTS, "Respondent")),
                        values=fields.String(), required=True)
    link_valid_days = fields.Integer(load_default=21)


class PopulationEntryIn(Schema):
    trajectory_id = fields.UUID(required=True)
    client_id = fields.UUID(required=True)
    jobcoach_id = fields.UUID(load_default=None)
    status = fields.String(required=True, validate=_one_of(TRAJECTORY_STATUSES, "Status"))
    ended_on = fields.Date(load_default=None)


class PopulationIn(Schema):
    entries = fields.List(fields.Nested(PopulationEntryIn), load_default=None)
    from_trajectories = fields.Boolean(load_default=False)
    include_running = fields.Boolean(load_default=False)


class InvitationIn(Schema):
    trajectory_id = fields.UUID(required=True)
    respondent = fields.String(required=True, validate=_one_of(RESPONDENTS, "Respondent"))
    email = fields.String(
        load_default=None, validate=validate.Length(max=254),
        metadata={"description": "met JOBTRAIL_SMTP_URL: de link gaat per e-mail (202) en wordt"
                                 " niet getoond; het adres wordt verzegeld bewaard"})


class InvitationOut(Schema):
    invitation_id = fields.String()
    url = fields.String(
        metadata={"description": "Eenmalig getoond: stuur deze link naar de respondent"}
    )
    expires_at = fields.DateTime()
    email_invitation_id = fields.String(
        metadata={"description": "per e-mail: volg de verzending met GET"
                                 " …/email-invitations/<id>"})
    status = fields.String()


class EmailInvitationOut(Schema):
    id = fields.String()
    status = fields.String(metadata={"description": "requested, sent of not_sent"})
    invitation_id = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)


class ExemptionIn(Schema):
    trajectory_id = fields.UUID(required=True)
    respondent = fields.String(required=True, validate=_one_of(RESPONDENTS, "Respondent"))
    reason = _text(1000, minimum=10, required=True)


class CampaignOut(Schema):
    id = fields.UUID()
    version = fields.Integer()
    name = fields.String()
    period_start = fields.Date()
    period_end = fields.Date()
    forms = fields.Dict()
    link_valid_days = fields.Integer()
    closed_on = fields.Date(allow_none=True)
    coverage = fields.Dict()
    response_rates = fields.Dict()


class AnswersIn(Schema):
    answers = fields.Dict(required=True)
    explanations = fields.Dict(load_default=None)
    comment = fields.String(load_default=None, validate=validate.Length(max=4000))


class SelfEvaluationIn(AnswersIn):
    trajectory_id = fields.UUID(load_default=None)


class ResponseOut(Schema):
    id = fields.UUID()
    form_key = fields.String()
    form_version = fields.String()
    respondent = fields.String()
    score = fields.Float(allow_none=True)
    responded_on = fields.Date()


# Training, registers, peer review ----------------------------------------------------------
class FunctionProfileIn(Schema):
    title = _text(200, required=True)
    role = _text(50, required=True)
    description = _text(5000, minimum=0, load_default="")
    required_education = fields.List(fields.String(), load_default=list)
    required_trainings = fields.List(fields.String(), load_default=list)


class FunctionProfileOut(Schema):
    id = fields.UUID()
    version = fields.Integer()
    revision = fields.Integer()
    title = fields.String()
    role = fields.String()
    description = fields.String()
    required_education = fields.List(fields.String())
    required_trainings = fields.List(fields.String())


class TrainingRecordIn(Schema):
    jobcoach_id = fields.UUID(required=True)
    course = _text(300, required=True)
    provider = _text(300, required=True)
    category = fields.String(required=True, validate=_one_of(CATEGORIES, "Soort"))
    completed_on = fields.Date(required=True)
    hours = fields.Float(required=True, validate=validate.Range(min=0, error=NOT_NEGATIVE))
    ects = fields.Float(load_default=0.0, validate=validate.Range(
        min=0, error="ECTS kan niet negatief zijn"))
    pe_points = fields.Dict(keys=fields.String(validate=_one_of(REGISTER_KEYS, "Register")),
                            values=fields.Float(validate=validate.Range(
                                min=0, error="PE-punten kunnen niet negatief zijn")),
                            load_default=dict)


class TrainingRecordOut(Schema):
    id = fields.UUID()
    version = fields.Integer()
    jobcoach_id = fields.UUID()
    course = fields.String()
    provider = fields.String()
    category = fields.String()
    completed_on = fields.Date()
    hours = fields.Float()
    ects = fields.Float()
    pe_points = fields.Dict()
    certificate = fields.Dict(allow_none=True)
    withdrawn = fields.String(allow_none=True)


class TrainingRowOut(Schema):
    class Meta:
        unknown = "include"

    record_id = fields.String()
    jobcoach_id = fields.String()
    course = fields.String()
    provider = fields.String()
    category = fields.String()
    completed_on = fields.String()
    hours = fields.Float()
    ects = fields.Float()
    pe_points = fields.Dict()
    certificate_sha256 = fields.String(allow_none=True)


class EducationIn(Schema):
    level = fields.String(required=True, validate=_one_of(EDUCATION_LEVELS, "Niveau"))
    name = _text(300, required=True)
    completed_on = fields.Date(required=True)


class DiplomaIn(Schema):
    kind = fields.String(required=True, validate=_one_of(DIPLOMA_KINDS, "Soort"))
    name = _text(300, required=True)
    year = fields.Integer(required=True)


class PracticeStartIn(Schema):
    on = fields.Date(required=True)


class PriorHoursIn(Schema):
    hours = fields.Float(required=True, validate=validate.Range(min=0, error=NOT_NEGATIVE))
    until = fields.Date(required=True)
    description = _text(2000, minimum=5, required=True)


class RegistrationIn(Schema):
    register = fields.String(required=True, validate=_one_of(REGISTER_KEYS, "Register"))
    registered_on = fields.Date(required=True)
    expires_on = fields.Date(required=True)
    number = _text(100, minimum=0, load_default="")


class SupervisorIn(Schema):
    supervisor_id = fields.UUID(required=True)


class ReadinessOut(Schema):
    class Meta:
        unknown = "include"

    jobcoach_id = fields.String()
    name = fields.String()
    rules_version = fields.String()
    on = fields.String()
    practice_hours = fields.Float()
    registers = fields.List(fields.Dict())
    file = fields.Dict()


class CaseIn(Schema):
    label = _text(50, required=True)
    summary = _text(5000, minimum=10, required=True)


class PeerActionIn(Schema):
    description = _text(1000, minimum=5, required=True)
    owner_id = fields.UUID(load_default=None)
    due_on = fields.Date(load_default=None)


class PeerReviewIn(Schema):
    held_on = fields.Date(required=True)
    topic = _text(300, required=True)
    facilitator_id = fields.UUID(required=True)
    hours = fields.Float(required=True, validate=validate.Range(min=0, error=NOT_NEGATIVE))
    participants = fields.List(fields.UUID(), required=True)
    cases = fields.List(fields.Nested(CaseIn), required=True)
    learning_points = fields.List(fields.String(validate=validate.Length(max=2000)),
                                  load_default=list)
    actions = fields.List(fields.Nested(PeerActionIn), load_default=list)


class PeerReviewOut(Schema):
    id = fields.UUID()
    version = fields.Integer()
    held_on = fields.Date()
    topic = fields.String()
    hours = fields.Float()
    participants = fields.List(fields.String())
    cases = fields.List(fields.Dict())
    learning_points = fields.List(fields.String())
    actions = fields.List(fields.Dict())


class OnboardingProgrammeIn(Schema):
    name = _text(200, required=True)
    steps = fields.List(fields.Dict(), required=True)


class OnboardingStartIn(Schema):
    programme_id = fields.UUID(required=True)
    started_on = fields.Date(load_default=None)


class StepDoneIn(OnIn):
    step_id = _text(100, required=True)


class PlanItemIn(Schema):
    course = _text(300, required=True)
    provider = _text(300, required=True)
    audience = fields.List(fields.String(), required=True)
    quarter = fields.Integer(required=True)
    hours = fields.Float(required=True, validate=validate.Range(min=0, error=NOT_NEGATIVE))
    budget_eur = fields.Float(load_default=None)


# Portfolio -------------------------------------------------------------------------------
class LearningGoalIn(Schema):
    """Empty parts are refused by the portfolio itself, with the reason in Dutch."""

    goal = _text(2000, minimum=0, load_default="", metadata={"description": "Goal"})
    reality = _text(2000, minimum=0, load_default="", metadata={"description": "Reality"})
    options = _text(2000, minimum=0, load_default="", metadata={"description": "Options"})
    way_forward = _text(2000, minimum=0, load_default="", metadata={
        "description": "Way forward: aanpak en inzet van de omgeving"})
    criterion = _text(1000, minimum=0, load_default="", metadata={"description": "meetbaar"})
    target_date = fields.Date(load_default=None)


class PortfolioIn(Schema):
    trajectory_id = fields.UUID(required=True, metadata={
        "description": "een eigen traject van minder dan 2 jaar oud"})
    reflection = _text(30000, minimum=0, load_default="", metadata={
        "description": "het reflectieverslag (alinea's gescheiden door een lege regel)"})
    learning_goals = fields.List(fields.Nested(LearningGoalIn), load_default=list,
                                 validate=validate.Length(max=10))
