"""Marshmallow schemas of the privacy API."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from services.kernel.messages import domain_message
from services.privacy.vocabulary import (
    ACCESS_CHANNELS,
    BREACH_RISKS,
    CONSENT_EVIDENCE,
    ERASURE_BASES,
    OUTCOMES,
    PURPOSES,
    RECIPIENT_KINDS,
    RECORD_TYPES,
    REQUEST_CHANNELS,
    REQUEST_KINDS,
)

Text = fields.String


class Message(fields.String):
    """A Notice from the domain, answered in the request's language."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else domain_message(value)


def one_of(values: dict) -> validate.OneOf:
    return validate.OneOf(list(values))


class RequestIn(Schema):
    client_id = fields.UUID(required=True)
    kind = Text(required=True, validate=one_of(REQUEST_KINDS))
    channel = Text(required=True, validate=one_of(REQUEST_CHANNELS))
    received_on = fields.Date(load_default=None)
    requester = Text(load_default=None, validate=validate.Length(max=200))
    details = Text(load_default=None, validate=validate.Length(max=5000))


class ReasonIn(Schema):
    reason = Text(required=True, validate=validate.Length(min=10, max=2000))


class CompleteIn(Schema):
    outcome = Text(required=True, validate=one_of(OUTCOMES))
    note = Text(load_default=None, validate=validate.Length(max=5000))


class RequestQuery(Schema):
    open = fields.Boolean(load_default=False)


class RequestOut(Schema):
    request_id = fields.String(attribute="request_id")
    client_id = fields.String()
    kind = fields.String()
    channel = fields.String()
    status = fields.String()
    received_on = fields.String()
    due_on = fields.String()
    extended = fields.Boolean()
    completed_on = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    deadline_missed_on = fields.String(allow_none=True)
    overdue = fields.Boolean()
    late = fields.Boolean()
    days_left = fields.Integer(allow_none=True)
    version = fields.Integer()


class RequestDetailOut(Schema):
    id = fields.String()
    version = fields.Integer()
    client_id = fields.String()
    kind = fields.String()
    channel = fields.String()
    status = fields.String()
    received_on = fields.String()
    due_on = fields.String()
    extended = fields.Boolean()
    completed_on = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    late = fields.Boolean()
    overdue = fields.Boolean()
    deadline_missed_on = fields.String(allow_none=True)
    exports = fields.List(fields.Dict())
    requester = fields.String(allow_none=True)
    details = fields.String(allow_none=True)
    extension_reason = fields.String(allow_none=True)
    outcome_note = fields.String(allow_none=True)
    rectifications = fields.List(fields.Dict())


class RectificationIn(Schema):
    """Only the fields sent are corrected; null (or empty) clears one (not the name)."""

    name = Text(validate=validate.Length(min=1, max=200))
    email = fields.Email(allow_none=True)
    phone = Text(allow_none=True, validate=validate.Length(max=40))
    address = Text(allow_none=True, validate=validate.Length(max=300))
    date_of_birth = fields.Date(allow_none=True)


class RectificationOut(Schema):
    request = fields.Nested(RequestDetailOut)
    rectified_fields = fields.List(fields.String())


class ContactOut(Schema):
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    date_of_birth = fields.String(allow_none=True)
    client_version = fields.Integer()


class GivenConsentIn(Schema):
    purpose = Text(required=True, validate=one_of(PURPOSES))
    recipient_kind = Text(required=True, validate=one_of(RECIPIENT_KINDS))
    recipient_id = Text(load_default=None, validate=validate.Length(max=100))
    recipient_name = Text(load_default=None, validate=validate.Length(max=200))
    evidence = Text(required=True, validate=one_of(CONSENT_EVIDENCE))
    given_on = fields.Date(load_default=None)


class ConsentRefIn(Schema):
    purpose = Text(required=True, validate=one_of(PURPOSES))
    recipient_kind = Text(required=True, validate=one_of(RECIPIENT_KINDS))
    recipient_id = Text(load_default=None, validate=validate.Length(max=100))


class ConsentOut(Schema):
    purpose = fields.String()
    recipient_kind = fields.String()
    recipient_id = fields.String(allow_none=True)
    recipient_name = fields.String(allow_none=True)
    given_on = fields.String()
    evidence = fields.String()
    withdrawn_on = fields.String(allow_none=True)
    current = fields.Boolean()


class DecisionOut(Schema):
    allowed = fields.Boolean()
    code = fields.String()
    reason = Message()
    given_on = fields.String(allow_none=True)


class DisclosureIn(ConsentRefIn):
    what = Text(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_.:-]{0,79}$"))
    channel = Text(load_default="api", validate=one_of(ACCESS_CHANNELS))


class ObjectionIn(Schema):
    purpose = Text(required=True, validate=one_of(PURPOSES))
    request_id = fields.UUID(load_default=None)


class ObjectionLiftIn(Schema):
    purpose = Text(required=True, validate=one_of(PURPOSES))
    reason = Text(required=True, validate=validate.Length(min=10, max=2000))
    lifted_on = fields.Date(load_default=None)


class ObjectionOut(Schema):
    objections = fields.List(fields.String())


class RestrictionIn(Schema):
    request_id = fields.UUID(load_default=None)


class BsnIn(Schema):
    bsn = Text(required=True, validate=validate.Length(min=9, max=12))


class BsnOut(Schema):
    bsn = fields.String(allow_none=True)


class ErasureIn(Schema):
    legal_basis = Text(required=True, validate=one_of(ERASURE_BASES))
    open_trajectory_decision = fields.Boolean(load_default=False)
    request_id = fields.UUID(load_default=None)


class AccessOut(Schema):
    access_id = fields.String()
    client_id = fields.String()
    actor = fields.String()
    what = fields.String()
    why = fields.String()
    channel = fields.String()
    recipient_kind = fields.String(allow_none=True)
    recipient_id = fields.String(allow_none=True)
    at = fields.String()


class BreachIn(Schema):
    detected_at = fields.AwareDateTime(required=True)
    title = Text(required=True, validate=validate.Length(min=3, max=200))
    description = Text(required=True, validate=validate.Length(min=3, max=10000))


class AssessIn(Schema):
    risk = Text(required=True, validate=one_of(BREACH_RISKS))
    assessment = Text(required=True, validate=validate.Length(min=3, max=10000))
    affected_count = fields.Integer(required=True, validate=validate.Range(min=0))
    affected_clients = fields.List(fields.UUID(), load_default=list)


class ReportIn(Schema):
    reported_at = fields.AwareDateTime(required=True)
    reference = Text(required=True, validate=validate.Length(min=1, max=100))
    late_reason = Text(load_default=None, validate=validate.Length(max=2000))


class InformIn(Schema):
    informed_at = fields.AwareDateTime(required=True)
    how = Text(required=True, validate=validate.Length(min=3, max=2000))


class BreachCloseIn(Schema):
    closed_at = fields.AwareDateTime(required=True)
    measures = Text(required=True, validate=validate.Length(min=3, max=10000))


class BreachOut(Schema):
    breach_id = fields.String()
    title = fields.String()
    status = fields.String()
    risk = fields.String(allow_none=True)
    detected_at = fields.String()
    report_due = fields.String()
    report_required = fields.Boolean()
    inform_required = fields.Boolean()
    reported_at = fields.String(allow_none=True)
    informed_at = fields.String(allow_none=True)
    closed_at = fields.String(allow_none=True)
    affected_count = fields.Integer()
    report_overdue = fields.Boolean()
    version = fields.Integer()


class ProcessingActivityIn(Schema):
    name = Text(required=True, validate=validate.Length(min=3, max=200))
    purposes = Text(required=True)
    legal_basis = Text(required=True)
    data_subjects = Text(required=True)
    data_categories = Text(required=True)
    special_categories = fields.Boolean(load_default=False)
    recipients = Text(load_default="")
    transfers = Text(load_default="Geen doorgifte buiten de EER")
    retention = Text(load_default="")
    security_measures = Text(load_default="")
    processors = Text(load_default="")


class ProcessingActivityOut(Schema):
    activity_id = fields.String()
    name = fields.String()
    entry = fields.Dict()
    retired_on = fields.String(allow_none=True)
    version = fields.Integer()


class PolicyOut(Schema):
    backup_retention_days = fields.Integer()
    retention = fields.Dict(keys=fields.String(), values=fields.Integer())
    bsn_enabled = fields.Boolean()
    bsn_legal_basis = fields.String(allow_none=True)


class BackupRetentionIn(Schema):
    days = fields.Integer(required=True)


class RetentionRuleIn(Schema):
    record_type = Text(required=True, validate=one_of(RECORD_TYPES))
    months = fields.Integer(required=True)


class BsnPolicyIn(Schema):
    legal_basis = Text(required=True, validate=validate.Length(min=10, max=500))


class RetentionRunIn(Schema):
    dry_run = fields.Boolean(load_default=True)
