"""Marshmallow schemas of the trajectories API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class TrajectoryIn(Schema):
    client_id = fields.UUID(required=True)
    commissioner = fields.String(required=True, validate=validate.Length(min=1, max=200))
    responsible_jobcoach = fields.UUID(required=True)


class ReassignIn(Schema):
    jobcoach = fields.UUID(required=True)
    handover_note = fields.String(required=True, validate=validate.Length(min=10, max=5000))


class HandoverOut(Schema):
    from_ = fields.String(data_key="from")
    to = fields.String()
    note = fields.String()


class TrajectoryOut(Schema):
    id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    client_id = fields.UUID(required=True)
    commissioner = fields.String(required=True)
    responsible_jobcoach = fields.UUID(required=True)
    closed = fields.Boolean(required=True)


class CaseloadItemOut(Schema):
    trajectory_id = fields.UUID()
    client_id = fields.UUID()
    commissioner = fields.String()
    jobcoach_id = fields.UUID()
    started_at = fields.String()
    version = fields.Integer()
