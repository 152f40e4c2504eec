"""Marshmallow schemas of the trajectories API (validation at the edge; the
aggregates check the rules again)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.trajectories import rules as r
from services.trajectories.clients import RELATIONS

TEXT = validate.Length(min=1, max=10_000)
SHORT = validate.Length(min=1, max=200)
HHMM = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Gebruik uu:mm, bijvoorbeeld 09:30")


def _text(**kw):  # type: ignore[no-untyped-def]
    return fields.String(validate=TEXT, **kw)


class TrajectoryIn(Schema):
    client_id = fields.UUID(required=True)
    commissioner = fields.String(required=True, validate=validate.Length(min=1, max=200))
    responsible_jobcoach = fields.UUID(required=True)


class ReassignIn(Schema):
    jobcoach = fields.UUID(required=True)
    handover_note = fields.String(required=True, validate=validate.Length(min=10, max=5000))


class HandoverOut(Schema):
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    note = fields.String()
    at = fields.String()


class TrajectoryOut(Schema):
    id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    client_id = fields.UUID(required=True)
    client_number = fields.String()
    commissioner = fields.String(required=True)
    responsible_jobcoach = fields.UUID(required=True)
    closed = fields.Boolean(required=True)
    phase = fields.String()


class TrajectoryDetailOut(TrajectoryOut):
    """Every step's current revision (opened), goals, activities, grants, closing."""

    phase_label = fields.String()
    started_on = fields.String()
    steps = fields.Dict()
    job_finding = fields.List(fields.Dict())
    goals = fields.List(fields.Dict())
    evaluation_moments = fields.List(fields.String())
    evaluations = fields.List(fields.Dict())
    activities = fields.List(fields.Dict())
    grants = fields.List(fields.Dict())
    closing_evaluations = fields.Dict()
    ending = fields.Dict(allow_none=True)
    handovers = fields.List(fields.Nested(HandoverOut))
    minutes_total = fields.Integer()
    follow_ups = fields.List(fields.Dict())
    log_signatures = fields.List(fields.Dict())


class CaseloadItemOut(Schema):
    trajectory_id = fields.UUID()
    client_id = fields.UUID()
    client_number = fields.String()
    commissioner = fields.String()
    jobcoach_id = fields.UUID()
    started_at = fields.String()
    version = fields.Integer()
    phase = fields.String()
    phase_label = fields.String()
    next_deadline = fields.String(allow_none=True)
    next_deadline_kind = fields.String(allow_none=True)
    overdue_evaluations = fields.Integer()
    overdue_goals = fields.Integer()


def _step_schema(step: str, spec: r.Step) -> type[Schema]:
    declared = {}
    for f in spec.fields:
        required = f.required and f.kind not in ("bool",)
        if f.kind == "text":
            declared[f.name] = _text(required=required, allow_none=not required)
        elif f.kind == "plain":
            declared[f.name] = fields.String(required=required, validate=SHORT)
        elif f.kind in ("date", "past_date"):
            declared[f.name] = fields.Date(required=required)
        elif f.kind in ("true", "bool"):
            declared[f.name] = fields.Boolean(required=f.kind == "true")
        elif f.kind == "hours":
            declared[f.name] = fields.Float(
                required=required, validate=validate.Range(min=0, max=60, min_inclusive=False)
            )
    name = "".join(part.title() for part in step.split("_")) + "In"
    return Schema.from_dict(declared, name=name)


STEP_SCHEMAS = {step: _step_schema(step, spec) for step, spec in r.STEPS.items()}


class JobFindingIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(list(r.JOB_FINDING_KINDS)))
    employer = fields.String(required=True, validate=SHORT)
    on = fields.Date(required=True)
    note = _text(load_default=None, allow_none=True)


class CarvingIn(Schema):
    agreement = _text(required=True)
    owner = fields.String(required=True, validate=SHORT)
    due = fields.Date(required=True)


class MatchingIn(Schema):
    analysis = _text(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(list(r.MATCH_DECISIONS)))
    reasons = _text(required=True)
    job_carving = fields.List(fields.Nested(CarvingIn), load_default=list)
    decided_on = fields.Date(required=True)


class GoalIn(Schema):
    goal_id = fields.String(validate=validate.Length(min=1, max=40))
    description = _text(required=True)
    criterion = _text(required=True)
    target_date = fields.Date(required=True)
    owner = fields.String(required=True, validate=SHORT)


class CoachingPlanIn(Schema):
    goals = fields.List(fields.Nested(GoalIn), required=True, validate=validate.Length(min=1))
    action_plan = _text(required=True)
    network_roles = _text(required=True)
    evaluation_moments = fields.List(
        fields.Date(), required=True, validate=validate.Length(min=1)
    )
    agreed_on = fields.Date(required=True)


class GoalResultIn(Schema):
    goal_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(list(r.GOAL_RESULTS)))
    reason = _text(load_default=None, allow_none=True)
    new_target_date = fields.Date(load_default=None, allow_none=True)


class EvaluationIn(Schema):
    on = fields.Date(required=True)
    results = fields.List(fields.Nested(GoalResultIn), required=True,
                          validate=validate.Length(min=1))
    summary = _text(load_default=None, allow_none=True)


class ActivityIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(list(r.ACTIVITY_KINDS)))
    on = fields.Date(required=True)
    start = fields.String(required=True, validate=HHMM)
    minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=720))
    mode = fields.String(required=True, validate=validate.OneOf(list(r.MODES)))
    participants = fields.List(
        fields.String(validate=validate.OneOf(list(r.PARTICIPANTS))), load_default=list
    )
    goal_ids = fields.List(fields.String(), load_default=list)
    justification = _text(required=True)
    notes = _text(load_default=None, allow_none=True)
    next_step = _text(load_default=None, allow_none=True)
    override_reason = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=10, max=1000)
    )
    jobcoach = fields.UUID(load_default=None, allow_none=True)


class AftercareIn(Schema):
    """A contact moment of the aftercare offered at closing (after the closing date)."""

    on = fields.Date(required=True)
    start = fields.String(required=True, validate=HHMM)
    minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=720))
    mode = fields.String(required=True, validate=validate.OneOf(list(r.MODES)))
    participants = fields.List(
        fields.String(validate=validate.OneOf(list(r.PARTICIPANTS))), load_default=list
    )
    justification = _text(required=True)
    notes = _text(load_default=None, allow_none=True)
    next_step = _text(load_default=None, allow_none=True)
    jobcoach = fields.UUID(load_default=None, allow_none=True)


class ActivityCorrectionIn(Schema):
    activity_id = fields.String(required=True)
    minutes = fields.Integer(required=True, validate=validate.Range(min=0, max=720))
    reason = fields.String(required=True, validate=validate.Length(min=5, max=1000))
    override_reason = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=10, max=1000)
    )


class ActivityOut(Schema):
    trajectory = fields.Nested(TrajectoryOut)
    warnings = fields.List(fields.String())


class FundingGrantIn(Schema):
    commissioner = fields.String(required=True, validate=SHORT)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    granted_hours = fields.Float(required=True, validate=validate.Range(min=0, max=2000,
                                                                        min_inclusive=False))
    regime = fields.String(required=True, validate=SHORT)
    reference = fields.String(load_default="", validate=validate.Length(max=100))


class RegimeIn(Schema):
    commissioner = fields.String(required=True, validate=SHORT)
    name = fields.String(required=True, validate=SHORT)
    percentage = fields.Float(required=True, validate=validate.Range(min=0, max=100,
                                                                     min_inclusive=False))
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(load_default=None, allow_none=True)


class RegimeOut(Schema):
    commissioner = fields.String()
    name = fields.String()
    percentage = fields.Float()
    valid_from = fields.Date()
    valid_to = fields.Date(allow_none=True)


class ClosingEvaluationIn(Schema):
    party = fields.String(required=True, validate=validate.OneOf(list(r.CLOSING_PARTIES)))
    on = fields.Date(required=True)
    summary = _text(required=True)


class CloseIn(Schema):
    reason = fields.String(required=True, validate=validate.OneOf(list(r.END_REASONS)))
    aftercare_offered = fields.Boolean(required=True)
    aftercare = _text(load_default=None, allow_none=True)
    on = fields.Date(required=True)


class FollowUpIn(Schema):
    """Still at work 6 or 12 months after the placement? (also after closing)"""

    months = fields.Integer(
        required=True, validate=validate.OneOf(list(r.FOLLOW_UP_MONTHS),
                                               error="Kies 6 of 12 maanden")
    )
    on = fields.Date(required=True)
    still_working = fields.Boolean(required=True)
    hours_per_week = fields.Float(
        load_default=None, allow_none=True,
        validate=validate.Range(min=0, max=60, min_inclusive=False),
    )
    note = _text(load_default=None, allow_none=True)


class LogSignatureIn(Schema):
    """A signature of the jobcoach log of one grant period."""

    grant_id = fields.String(required=True, validate=validate.Length(min=1, max=40))
    role = fields.String(required=True, validate=validate.OneOf(list(r.LOG_SIGNERS)))
    signer_name = fields.String(required=True, validate=SHORT)
    on = fields.Date(required=True)
    method = fields.String(required=True, validate=validate.OneOf(list(r.SIGNING_METHODS)))


class TimelineItemOut(Schema):
    version = fields.Integer()
    event = fields.String()
    label = fields.String()
    at = fields.DateTime()
    actor = fields.String()
    actor_name = fields.String()
    summary = fields.String()


# Clients -----------------------------------------------------------------------------
class ContactIn(Schema):
    name = fields.String(required=True, validate=SHORT)
    email = fields.Email(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    date_of_birth = fields.Date(load_default=None, allow_none=True)


class SupportNeedIn(Schema):
    limitations = _text(required=True)
    possibilities = _text(required=True)


class NetworkContactIn(Schema):
    name = fields.String(required=True, validate=SHORT)
    relation = fields.String(required=True, validate=validate.OneOf(list(RELATIONS)))
    consent = fields.Boolean(required=True)
    consent_on = fields.Date(required=True)


class ConsentIn(Schema):
    contact_id = fields.String(required=True)
    consent = fields.Boolean(required=True)
    on = fields.Date(required=True)


class NetworkContactOut(Schema):
    contact_id = fields.String()
    name = fields.String()
    relation = fields.String()
    consent = fields.Boolean()
    consent_on = fields.Date()


class ClientOut(Schema):
    id = fields.UUID()
    version = fields.Integer()
    number = fields.String()
    name = fields.String()
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    date_of_birth = fields.String(allow_none=True)
    limitations = fields.String(allow_none=True)
    possibilities = fields.String(allow_none=True)
    network = fields.List(fields.Nested(NetworkContactOut))


class ClientListItemOut(Schema):
    client_id = fields.UUID()
    number = fields.String()
    name = fields.String()
    registered_at = fields.String()
    trajectories = fields.Integer()


class ClientQueryIn(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=100))


# Jobcoaches ---------------------------------------------------------------------------
class PeriodQueryIn(Schema):
    first = fields.Date(data_key="from", load_default=None)
    last = fields.Date(data_key="to", load_default=None)


class DayOut(Schema):
    jobcoach_id = fields.String()
    on_day = fields.String()
    minutes = fields.Integer()
    activities = fields.Integer()
    trajectories = fields.Integer()
    implausible = fields.Boolean()
    reasons = fields.List(fields.String())


class AbsenceIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(list(r.ABSENCE_KINDS)))
    first_day = fields.Date(required=True)
    last_day = fields.Date(load_default=None, allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(max=500))


class AbsenceOut(Schema):
    absence_id = fields.String()
    jobcoach_id = fields.String()
    kind = fields.String()
    first_day = fields.String()
    last_day = fields.String(allow_none=True)


class BulkHandoverIn(Schema):
    to = fields.UUID(required=True)
    handover_note = fields.String(required=True, validate=validate.Length(min=10, max=5000))
    absence_id = fields.String(load_default=None, allow_none=True)


class BulkHandoverOut(Schema):
    reassigned = fields.List(fields.UUID())


class DocumentQueryIn(Schema):
    format = fields.String(load_default="pdf", validate=validate.OneOf(["pdf", "html", "json"]))
    first = fields.Date(data_key="from", load_default=None)
    last = fields.Date(data_key="to", load_default=None)
