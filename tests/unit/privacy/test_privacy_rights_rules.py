"""Rights applied, without services: a rectification records field names on the request;
an upheld objection can be lifted (with a reason) and consent decisions follow."""

from uuid import uuid4

import pytest

from services.kernel import context
from services.kernel.domain import DomainError
from services.privacy.consent import decide
from services.privacy.requests import DataSubjectRequest
from services.privacy.subjects import ClientPrivacy
from services.privacy.vocabulary import RECTIFIABLE_FIELDS
from services.trajectories.clients import CONTACT_FIELDS

SEALED = {"kid": "k", "n": "n", "c": "c"}


@pytest.fixture(autouse=True)
def acting():
    with context.acting(uuid4(), "user:test"):
        yield


def test_rectifiable_fields_are_exactly_the_trajectories_contact_fields():
    assert tuple(RECTIFIABLE_FIELDS) == CONTACT_FIELDS


def test_a_rectification_records_field_names_when_and_by_whom():
    request = DataSubjectRequest(uuid4(), "rectification", "2026-01-05", "email")
    request.record_rectification(["name", "email"], "2026-01-07", "user:abc")
    assert request.summary()["rectifications"] == [
        {"fields": ["name", "email"], "on": "2026-01-07", "by": "user:abc"}
    ]
    with pytest.raises(DomainError, match="niets gewijzigd"):
        request.record_rectification([], "2026-01-07", "user:abc")
    with pytest.raises(DomainError, match="Onbekende velden: bsn"):
        request.record_rectification(["bsn"], "2026-01-07", "user:abc")
    request.complete("done", "2026-01-08")
    with pytest.raises(DomainError, match="al afgehandeld"):
        request.record_rectification(["phone"], "2026-01-09", "user:abc")


def test_only_a_rectification_request_records_a_rectification():
    request = DataSubjectRequest(uuid4(), "access", "2026-01-05", "email")
    with pytest.raises(DomainError, match="rectificatie"):
        request.record_rectification(["name"], "2026-01-07", "user:abc")


def test_a_lifted_objection_allows_processing_again_when_there_is_consent():
    record = ClientPrivacy(uuid4())
    record.give_consent("share_progress", "employer", None, None, "2026-01-02", "signed")
    record.uphold_objection("share_progress", "2026-01-03", None)
    assert decide(record, False, "share_progress", "employer", None).code == "objection"
    with pytest.raises(DomainError, match="reden"):
        record.lift_objection("share_progress", None, "2026-01-04")
    with pytest.raises(DomainError, match="geen gegrond bezwaar"):
        record.lift_objection("contact_network", SEALED, "2026-01-04")
    record.lift_objection("share_progress", SEALED, "2026-01-04")
    assert record.objections == []
    assert decide(record, False, "share_progress", "employer", None).code == "allowed"
    with pytest.raises(DomainError, match="geen gegrond bezwaar"):
        record.lift_objection("share_progress", SEALED, "2026-01-05")  # lifting twice


def test_a_lifted_objection_without_consent_still_refuses_sharing():
    record = ClientPrivacy(uuid4())
    record.uphold_objection("share_profile", "2026-01-03", None)
    record.lift_objection("share_profile", SEALED, "2026-01-04")
    assert decide(record, False, "share_profile", "employer", None).code == "no_consent"
    record.restrict("2026-01-05", None)
    assert decide(record, False, "share_profile", "employer", None).code == "restricted"
