"""Marshmallow schemas of the registry's HTTP surface."""

from __future__ import annotations

from marshmallow import Schema, fields


class OrganisationOut(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    slug = fields.String(required=True)
    kvk_number = fields.String(required=True)


class MemberOut(Schema):
    user_id = fields.UUID(required=True)
    name = fields.String(required=True)
    email = fields.Email(required=True)
    role = fields.String(required=True)
    # ISO day the membership began; null: since before memberships were recorded with dates
    joined_on = fields.String(allow_none=True, metadata={"format": "date"})
