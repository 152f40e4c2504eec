"""Marshmallow schemas of the audit API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

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


class CertificateFormIn(Schema):
    """The certificate form on the renewal dashboard: the API's fields plus the mark, with
    messages for people (gettext: Dutch source, English via Babel)."""

    mark = fields.String(
        required=True, validate=validate.OneOf(MARKS, error=_l("Kies een van de keurmerken.")),
        error_messages={"required": _l("Kies een keurmerk.")},
    )
    certified_on = fields.Date(
        required=True,
        error_messages={
            "required": _l("Vul de datum van certificering in."),
            "invalid": _l("Geef de datum van certificering als dag-maand-jaar, bijvoorbeeld "
                          "31-12-2026."),
        },
    )
    expires_on = fields.Date(
        required=True,
        error_messages={
            "required": _l("Vul de vervaldatum in."),
            "invalid": _l("Geef de vervaldatum als dag-maand-jaar, bijvoorbeeld 31-12-2026."),
        },
    )
    reference = fields.String(
        load_default="",
        validate=validate.Length(max=100, error=_l("Gebruik hoogstens 100 tekens.")),
    )

    @validates_schema
    def _order(self, data: dict, **_: object) -> None:
        if data["expires_on"] <= data["certified_on"]:
            raise ValidationError(
                _l("De vervaldatum moet na de datum van certificering liggen."), "expires_on"
            )
