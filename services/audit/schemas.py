"""Marshmallow schemas of the audit API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.audit.domainmodel import MARKS


class LogQueryIn(Schema):
    start = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    app = fields.String(validate=validate.Length(max=60))
    topic = fields.String(validate=validate.Length(max=200))
    originator_id = fields.String(validate=validate.Length(max=60))
    since = fields.DateTime()
    until = fields.DateTime()


class LeafOut(Schema):
    leaf_index = fields.Integer(required=True)
    app = fields.String(required=True)
    notification_id = fields.Integer(required=True)
    originator_id = fields.String(required=True)
    originator_version = fields.Integer(required=True)
    topic = fields.String(required=True)
    leaf_hash = fields.String(required=True)
    appended_at = fields.String(required=True)


class CheckpointOut(Schema):
    tree_size = fields.Integer(required=True)
    root = fields.String(required=True)
    note = fields.String(required=True, metadata={"description": "C2SP signed checkpoint"})
    created_at = fields.String(required=True)


class InclusionQueryIn(Schema):
    leaf_index = fields.Integer(validate=validate.Range(min=0))
    app = fields.String(validate=validate.Length(max=60))
    notification_id = fields.Integer(validate=validate.Range(min=1))
    tree_size = fields.Integer(validate=validate.Range(min=1))


class InclusionOut(Schema):
    leaf_index = fields.Integer(required=True)
    tree_size = fields.Integer(required=True)
    leaf_hash = fields.String(required=True)
    proof = fields.List(fields.String(), required=True)
    checkpoint = fields.String(required=True)
    event = fields.Dict(required=True)


class ConsistencyQueryIn(Schema):
    size1 = fields.Integer(required=True, validate=validate.Range(min=1))
    size2 = fields.Integer(validate=validate.Range(min=1))


class ConsistencyOut(Schema):
    checkpoint1 = fields.String(required=True)
    checkpoint2 = fields.String(required=True)
    proof = fields.List(fields.String(), required=True)


class VerificationOut(Schema):
    id = fields.String(required=True)
    checked_at = fields.String(required=True)
    ok = fields.Boolean(required=True)
    tree_size = fields.Integer(required=True)
    problems = fields.List(fields.String(), required=True)


class VkeyOut(Schema):
    vkey = fields.String(required=True)
    origin = fields.String(required=True)


class GrantIn(Schema):
    auditor_email = fields.Email(required=True)
    mark = fields.String(required=True, validate=validate.OneOf(MARKS))
    valid_from = fields.AwareDateTime(required=True, default_timezone=None)
    valid_until = fields.AwareDateTime(required=True, default_timezone=None)


class RevokeIn(Schema):
    auditor_id = fields.UUID(required=True)


class GrantOut(Schema):
    grant_id = fields.String(required=True)
    auditor_id = fields.String(required=True)
    mark = fields.String(required=True)
    valid_from = fields.String(required=True)
    valid_until = fields.String(required=True)
    revoked = fields.Boolean(required=True)


class EvidenceQueryIn(Schema):
    mark = fields.String(required=True, validate=validate.OneOf(MARKS))
    start = fields.Date()
    end = fields.Date()


class ExportIn(Schema):
    mark = fields.String(required=True, validate=validate.OneOf(MARKS))
    start = fields.Date()
    end = fields.Date()


class ExportQueryIn(Schema):
    export_id = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{32}$"))


class FileQueryIn(ExportQueryIn):
    name = fields.String(required=True, validate=validate.Length(max=40))


class ExportOut(Schema):
    export_id = fields.String(required=True)
    status = fields.String(required=True)
    progress = fields.Dict()
    files = fields.List(fields.String())


class CertificateIn(Schema):
    certified_on = fields.Date(required=True, metadata={"description": "datum van certificering"})
    expires_on = fields.Date(required=True, metadata={"description": "vervaldatum"})
    reference = fields.String(load_default="", validate=validate.Length(max=100))


class CertificateOut(Schema):
    mark = fields.String(required=True)
    certified_on = fields.Date(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    reference = fields.String()
