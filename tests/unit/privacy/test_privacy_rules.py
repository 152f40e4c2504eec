"""Privacy rules without services: deadlines, BSN, request and breach workflows, consent."""

import logging
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from services.kernel import context
from services.kernel.domain import DomainError
from services.privacy.bsn import contains_bsn, install_log_redaction, is_valid_bsn, redact
from services.privacy.consent import decide
from services.privacy.deadlines import add_months, breach_report_due, request_due
from services.privacy.registers import Breach, PrivacyPolicy
from services.privacy.requests import DataSubjectRequest
from services.privacy.subjects import ClientPrivacy, ReadAccess

SEALED = {"kid": "k", "n": "n", "c": "c"}


@pytest.fixture(autouse=True)
def acting():
    with context.acting(uuid4(), "user:test"):
        yield


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_request_due_is_one_month_or_three_when_extended():
    assert request_due(date(2026, 3, 31)) == date(2026, 4, 30)
    assert request_due(date(2026, 3, 31), extended=True) == date(2026, 6, 30)


def test_breach_report_is_due_72_hours_after_detection():
    detected = datetime(2026, 5, 1, 22, 30, tzinfo=UTC)
    assert breach_report_due(detected) == detected + timedelta(hours=72)


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "1112.22.333", "999990019"])
def test_valid_bsns_pass_the_eleven_test(bsn):
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize("bsn", ["111222334", "000000000", "12345678", "1234567890", "abcdefghi"])
def test_invalid_bsns_fail(bsn):
    assert not is_valid_bsn(bsn)


def test_redact_removes_bsns_but_keeps_other_numbers():
    text = "client 111222333 called from 0612345678, order 123456789"
    assert redact(text) == "client [BSN verwijderd] called from 0612345678, order 123456789"
    assert contains_bsn(text) and not contains_bsn(redact(text))


def test_log_records_never_carry_a_bsn(caplog):
    install_log_redaction()
    with caplog.at_level(logging.INFO):
        logging.getLogger("jobtrail.test").info("bsn %s of client", "111222333")
    assert "111222333" not in caplog.text and "[BSN verwijderd]" in caplog.text


def _request(received: str = "2026-01-31") -> DataSubjectRequest:
    return DataSubjectRequest(uuid4(), "access", received, "email", SEALED, None)


def test_request_deadline_extension_once_within_the_first_month():
    request = _request()
    assert request.due_on == date(2026, 2, 28)
    assert not request.is_overdue(date(2026, 2, 28)) and request.is_overdue(date(2026, 3, 1))
    with pytest.raises(DomainError, match="eerste maand"):
        request.extend(SEALED, "2026-03-01")
    request.extend(SEALED, "2026-02-20")
    assert request.due_on == date(2026, 4, 30)
    with pytest.raises(DomainError, match="één keer"):
        request.extend(SEALED, "2026-02-21")


def test_a_late_request_is_recorded_as_such_and_stays_late():
    request = _request()
    with pytest.raises(DomainError, match="nog niet verstreken"):
        request.record_deadline_passed("2026-02-28")
    request.record_deadline_passed("2026-03-01")
    request.deliver_export("d1", "0" * 64, "application/json")
    request.complete("done", "2026-03-05")
    assert request.late() and request.status == "completed"
    with pytest.raises(DomainError, match="al afgehandeld"):
        request.complete("done", "2026-03-06")


def test_access_request_needs_an_export_and_refusal_needs_reasons():
    with pytest.raises(DomainError, match="export"):
        _request().complete("done", "2026-02-01")
    with pytest.raises(DomainError, match="motivering"):
        _request().complete("refused", "2026-02-01")
    with pytest.raises(DomainError, match="Onbekend soort"):
        DataSubjectRequest(uuid4(), "gossip", "2026-01-01", "email")


def test_breach_workflow_and_the_72_hour_rule():
    detected = datetime(2026, 5, 1, 9, tzinfo=UTC)
    breach = Breach(detected, "Laptop kwijt", "Laptop van een medewerker gestolen")
    assert breach.report_overdue(detected + timedelta(hours=73))
    with pytest.raises(DomainError):
        breach.report_to_ap(detected + timedelta(hours=1), "AP-1", None)  # not assessed yet
    breach.assess("high", "Versleuteld? Nee", 12, [str(uuid4())])
    with pytest.raises(DomainError, match="AP"):
        breach.close(detected + timedelta(days=1), "Wachtwoorden vervangen")
    with pytest.raises(DomainError, match="72 uur"):
        breach.report_to_ap(detected + timedelta(hours=80), "AP-1", None)
    breach.report_to_ap(detected + timedelta(hours=80), "AP-1", "Pas na het weekend ontdekt")
    with pytest.raises(DomainError, match="betrokkenen"):
        breach.close(detected + timedelta(days=4), "Maatregelen")
    breach.inform_subjects(detected + timedelta(days=4), "brief")
    breach.close(detected + timedelta(days=5), "Schijfversleuteling op alle laptops")
    assert breach.status == "closed" and not breach.report_overdue(detected + timedelta(days=9))


def test_a_breach_without_risk_closes_without_a_report():
    breach = Breach(datetime(2026, 5, 1, tzinfo=UTC), "Mail verkeerd", "Versleutelde bijlage")
    breach.assess("none", "Bijlage was versleuteld", 1, [])
    breach.close(datetime(2026, 5, 2, tzinfo=UTC), "Uitleg aan medewerker")


def test_consent_per_purpose_and_recipient_with_restriction_and_objection():
    record = ClientPrivacy(uuid4())
    assert decide(record, False, "share_progress", "employer", None).code == "no_consent"
    record.give_consent("share_progress", "employer", "emp-1", None, "2026-01-01", "signed")
    assert decide(record, False, "share_progress", "employer", "emp-1").allowed
    assert not decide(record, False, "share_progress", "employer", "emp-2").allowed
    assert not decide(record, False, "share_progress", "commissioner", None).allowed
    record.give_consent("share_progress", "commissioner", None, None, "2026-01-01", "email")
    assert decide(record, False, "share_progress", "commissioner", "uwv").allowed  # general
    record.withdraw_consent("share_progress", "employer", "emp-1", "2026-02-01")
    withdrawn = decide(record, False, "share_progress", "employer", "emp-1")
    assert withdrawn.code == "withdrawn" and "2026-02-01" in withdrawn.reason
    record.uphold_objection("share_progress", "2026-02-02", None)
    assert decide(record, False, "share_progress", "commissioner", None).code == "objection"
    record.restrict("2026-02-03", None)
    assert decide(record, False, "share_profile", "commissioner", None).code == "restricted"
    assert decide(record, True, "share_profile", "commissioner", None).code == "erased"


def test_bsn_needs_a_legal_basis_to_be_switched_on():
    policy = PrivacyPolicy()
    assert not policy.bsn_enabled
    with pytest.raises(DomainError, match="grondslag"):
        policy.enable_bsn("ja")
    policy.enable_bsn("Wet SUWI art. 62 en 71 (gegevensuitwisseling met UWV)")
    assert policy.bsn_enabled


def test_read_access_is_a_code_never_free_text():
    ReadAccess(uuid4(), "client.profile", "guidance", "web")
    with pytest.raises(DomainError):
        ReadAccess(uuid4(), "Jan de Vries bekeken", "guidance", "web")
    assert (
        ReadAccess(uuid4(), "x", "guidance", "api").id
        != ReadAccess(uuid4(), "x", "guidance", "api").id
    )
