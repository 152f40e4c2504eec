"""Every complaint transition and deadline rule, with dates given by a controllable clock."""

from datetime import date
from uuid import uuid4

import pytest

from services.kernel.domain import DomainError
from services.quality.clock import FixedClock, today
from services.quality.complaints.domainmodel import Complaint
from services.quality.complaints.regulation import ComplaintRegulation, Regulation, Term

SEALED = {"kid": "x", "n": "y", "c": "z"}
TERMS = {
    "title": "Klachtenregeling 2026",
    "acknowledgement": {"amount": 5, "unit": "werkdagen"},
    "decision": {"amount": 6, "unit": "weken"},
    "extension": {"amount": 4, "unit": "weken", "max_count": 1},
    "external_body": {"name": "Klachtencommissie OVAL", "term": {"amount": 6, "unit": "weken"}},
}
MONDAY = date(2026, 3, 2)


def _complaint(received=MONDAY, clock_day=None, terms=TERMS):
    regulation = Regulation.parse(terms, 1)
    return Complaint.receive(
        regulation, received, clock_day or received, "client", uuid4(), SEALED, SEALED,
        trajectory_id=uuid4(), jobcoach_id=uuid4(),
    )


def _heard(c, day=MONDAY):
    c.acknowledge(day, day)
    c.record_hearing(day, day, "hoorgesprek", SEALED)
    return c


def test_terms_in_working_days_calendar_days_and_weeks():
    friday = date(2026, 3, 6)
    assert Term(5, "werkdagen").after(friday) == date(2026, 3, 13)  # weekend skipped
    assert Term(1, "werkdagen").after(friday) == date(2026, 3, 9)
    assert Term(10, "kalenderdagen").after(friday) == date(2026, 3, 16)
    assert Term(6, "weken").after(MONDAY) == date(2026, 4, 13)


def test_deadlines_are_computed_from_the_regulation_at_receipt():
    c = _complaint()
    assert c.acknowledgement_due == date(2026, 3, 9)
    assert c.decision_due == date(2026, 4, 13)
    assert c.escalation_due is None


def test_full_procedure_received_to_closed():
    c = _complaint()
    assert c.status == "received"
    c.acknowledge(date(2026, 3, 4), date(2026, 3, 4))
    assert c.status == "acknowledged"
    c.record_hearing(date(2026, 3, 10), date(2026, 3, 10), "hoorgesprek", SEALED)
    c.record_hearing(date(2026, 3, 12), date(2026, 3, 12), "onderzoek", SEALED)
    assert c.status == "investigated" and len(c.hearings) == 2
    c.decide(date(2026, 3, 20), date(2026, 3, 20), "partly_upheld", SEALED)
    assert c.status == "decided" and c.decision["late"] is False
    assert c.escalation_due == date(2026, 5, 1)
    c.close(date(2026, 3, 21), date(2026, 3, 21))
    assert c.status == "closed" and c.closed_on == date(2026, 3, 21)
    names = [type(e).__name__ for e in c.collect_events()]
    assert names == ["Created", "Acknowledged", "Heard", "Heard", "Decided", "Closed"]


def test_decision_before_acknowledgement_is_refused():
    c = _complaint()
    with pytest.raises(DomainError, match="pas worden beslist na de ontvangstbevestiging"):
        c.decide(MONDAY, MONDAY, "upheld", SEALED)


def test_decision_needs_a_hearing_or_investigation():
    c = _complaint()
    c.acknowledge(MONDAY, MONDAY)
    with pytest.raises(DomainError, match="Hoor de klager"):
        c.decide(MONDAY, MONDAY, "upheld", SEALED)


@pytest.mark.parametrize("outcome", ["upheld", "partly_upheld", "not_upheld"])
def test_every_outcome_is_accepted(outcome):
    c = _heard(_complaint())
    c.decide(MONDAY, MONDAY, outcome, SEALED)
    assert c.decision["outcome"] == outcome


def test_unknown_outcome_and_double_decision_are_refused():
    c = _heard(_complaint())
    with pytest.raises(DomainError, match="gegrond"):
        c.decide(MONDAY, MONDAY, "maybe", SEALED)
    c.decide(MONDAY, MONDAY, "upheld", SEALED)
    with pytest.raises(DomainError, match="al beslist"):
        c.decide(MONDAY, MONDAY, "upheld", SEALED)
    with pytest.raises(DomainError, match="al beslist"):
        c.record_hearing(MONDAY, MONDAY, "onderzoek", SEALED)


def test_closing_only_after_decision_and_once():
    c = _complaint()
    with pytest.raises(DomainError, match="Alleen een besliste klacht"):
        c.close(MONDAY, MONDAY)
    _heard(c).decide(MONDAY, MONDAY, "not_upheld", SEALED)
    c.close(MONDAY, MONDAY)
    with pytest.raises(DomainError, match="al afgesloten"):
        c.close(MONDAY, MONDAY)


def test_acknowledge_once_not_before_receipt_not_in_the_future():
    c = _complaint()
    with pytest.raises(DomainError, match="vóór de klacht binnenkwam"):
        c.acknowledge(date(2026, 3, 1), MONDAY)
    with pytest.raises(DomainError, match="toekomst"):
        c.acknowledge(date(2026, 3, 5), MONDAY)
    c.acknowledge(MONDAY, MONDAY)
    with pytest.raises(DomainError, match="al bevestigd"):
        c.acknowledge(MONDAY, MONDAY)


def test_receipt_in_the_future_is_refused():
    with pytest.raises(DomainError, match="toekomst"):
        _complaint(received=date(2026, 3, 3), clock_day=MONDAY)


def test_hearing_needs_acknowledgement_and_a_known_kind():
    c = _complaint()
    with pytest.raises(DomainError, match="Bevestig eerst"):
        c.record_hearing(MONDAY, MONDAY, "hoorgesprek", SEALED)
    c.acknowledge(MONDAY, MONDAY)
    with pytest.raises(DomainError, match="Soort"):
        c.record_hearing(MONDAY, MONDAY, "telefoontje", SEALED)


def test_late_acknowledgement_and_decision_are_marked_late():
    c = _complaint()
    c.acknowledge(date(2026, 3, 10), date(2026, 3, 10))  # due 9 March
    c.record_hearing(date(2026, 4, 1), date(2026, 4, 1), "hoorgesprek", SEALED)
    c.decide(date(2026, 4, 14), date(2026, 4, 14), "upheld", SEALED)  # due 13 April
    acknowledged = [e for e in c.collect_events() if type(e).__name__ == "Acknowledged"][0]
    assert acknowledged.late is True and c.decision["late"] is True


def test_overdue_follows_the_clock():
    c = _complaint()
    clock = FixedClock(date(2026, 3, 9))
    assert c.overdue(today(clock)) == []
    clock.advance(days=1)
    assert c.overdue(today(clock)) == ["ontvangstbevestiging (uiterlijk 09-03-2026)"]
    c.acknowledge(today(clock), today(clock))
    assert c.overdue(today(clock)) == []
    clock.set(date(2026, 4, 14))
    assert c.overdue(today(clock)) == ["beslissing (uiterlijk 13-04-2026)"]


def test_extension_moves_the_decision_term_within_the_rules():
    c = _complaint()
    with pytest.raises(DomainError, match="Bevestig eerst"):
        c.extend(MONDAY, MONDAY, "Getuige is met vakantie")
    c.acknowledge(MONDAY, MONDAY)
    until = c.extend(date(2026, 4, 10), date(2026, 4, 10), "Getuige is met vakantie")
    assert until == date(2026, 5, 11) == c.decision_due
    with pytest.raises(DomainError, match="1 verlenging"):
        c.extend(date(2026, 4, 20), date(2026, 4, 20), "Nog een keer verlengen")


def test_extension_after_the_term_has_passed_is_refused():
    c = _complaint()
    c.acknowledge(MONDAY, MONDAY)
    with pytest.raises(DomainError, match="vóór het einde van de beslistermijn"):
        c.extend(date(2026, 4, 14), date(2026, 4, 14), "Te laat bedacht, helaas")


def test_no_extension_when_the_regulation_allows_none():
    c = _complaint(terms={**TERMS, "extension": {"amount": 2, "unit": "weken", "max_count": 0}})
    c.acknowledge(MONDAY, MONDAY)
    with pytest.raises(DomainError, match="0 verlenging"):
        c.extend(MONDAY, MONDAY, "Getuige is met vakantie")


def test_escalation_after_decision_within_term_or_when_decision_is_overdue():
    undecided = _complaint()
    undecided.acknowledge(MONDAY, MONDAY)
    with pytest.raises(DomainError, match="na de beslissing"):
        undecided.escalate(date(2026, 4, 13), date(2026, 4, 13), SEALED)
    undecided.escalate(date(2026, 4, 14), date(2026, 4, 14), SEALED)  # term passed
    assert undecided.escalation["body"] == "Klachtencommissie OVAL"
    with pytest.raises(DomainError, match="al voorgelegd"):
        undecided.escalate(date(2026, 4, 15), date(2026, 4, 15), SEALED)

    decided = _heard(_complaint())
    decided.decide(MONDAY, MONDAY, "not_upheld", SEALED)
    with pytest.raises(DomainError, match="termijn voor een externe klacht liep af op 13-04-2026"):
        decided.escalate(date(2026, 4, 14), date(2026, 4, 14), SEALED)
    decided.escalate(date(2026, 4, 13), date(2026, 4, 13), SEALED)
    decided.record_external_ruling(date(2026, 5, 1), date(2026, 5, 1), "partly_upheld", SEALED)
    assert decided.escalation["ruling"]["outcome"] == "partly_upheld"
    with pytest.raises(DomainError, match="al vastgelegd"):
        decided.record_external_ruling(date(2026, 5, 2), date(2026, 5, 2), "upheld", SEALED)


def test_ruling_without_escalation_is_refused():
    with pytest.raises(DomainError, match="niet voorgelegd"):
        _complaint().record_external_ruling(MONDAY, MONDAY, "upheld", SEALED)


def test_improvement_actions_with_owner_and_due_date():
    c = _complaint()
    owner = uuid4()
    with pytest.raises(DomainError, match="Bevestig eerst"):
        c.add_action("a1", "Werkinstructie aanpassen", owner, date(2026, 4, 1), MONDAY)
    _heard(c).decide(MONDAY, MONDAY, "upheld", SEALED)
    with pytest.raises(DomainError, match="verleden"):
        c.add_action("a1", "Werkinstructie aanpassen", owner, date(2026, 3, 1), MONDAY)
    c.add_action("a1", "Werkinstructie aanpassen", owner, date(2026, 4, 1), MONDAY)
    assert c.overdue(date(2026, 4, 2)) == [
        "verbeteractie 'Werkinstructie aanpassen' (uiterlijk 01-04-2026)"
    ]
    with pytest.raises(DomainError, match="resultaat"):
        c.complete_action("a1", date(2026, 3, 20), date(2026, 3, 20), "ok")
    c.complete_action("a1", date(2026, 3, 20), date(2026, 3, 20), "Instructie is herzien")
    assert c.overdue(date(2026, 4, 2)) == []
    with pytest.raises(DomainError, match="al afgerond"):
        c.complete_action("a1", date(2026, 3, 21), date(2026, 3, 21), "Nogmaals afgerond")
    with pytest.raises(DomainError, match="Onbekende"):
        c.complete_action("zz", date(2026, 3, 21), date(2026, 3, 21), "Bestaat niet")


def test_regulation_versions_and_validation():
    org = uuid4()
    regulation = ComplaintRegulation(org)
    assert regulation.id == ComplaintRegulation.create_id(org)
    with pytest.raises(DomainError, match="nog geen klachtreglement"):
        regulation.in_force(MONDAY)
    regulation.adopt(TERMS, date(2026, 1, 1))
    regulation.adopt({**TERMS, "decision": {"amount": 4, "unit": "weken"}}, date(2026, 6, 1))
    assert regulation.in_force(MONDAY).decision == Term(6, "weken")
    assert regulation.in_force(date(2026, 6, 1)).version == 2
    with pytest.raises(DomainError, match="niet eerder ingaan"):
        regulation.adopt(TERMS, date(2026, 5, 1))
    for broken, message in (
        ({**TERMS, "title": ""}, "titel"),
        ({**TERMS, "decision": {"amount": 0, "unit": "weken"}}, "geheel getal"),
        ({**TERMS, "decision": {"amount": 3, "unit": "maanden"}}, "eenheid"),
        ({**TERMS, "external_body": {}}, "externe klachteninstantie"),
        ({**TERMS, "decision": {"amount": 2, "unit": "werkdagen"}}, "langer"),
    ):
        with pytest.raises(DomainError, match=message):
            Regulation.parse(broken, 1)


def test_deadlines_do_not_move_when_a_new_regulation_is_adopted():
    c = _complaint()
    due = c.decision_due
    Regulation.parse({**TERMS, "decision": {"amount": 2, "unit": "weken"}}, 2)
    assert c.decision_due == due and c.regulation["version"] == 1
