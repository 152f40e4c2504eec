"""Thresholds are data (norms.yaml): the status bands of a figure and the peer-review
sessions a measurement period asks for."""

from datetime import date

from services.audit.evidence import AT_RISK, INFO, MET, NOT_MET, norms
from services.audit.evidence_quality import judge, number, required_sessions


def test_status_bands_come_from_the_mapping():
    assert norms()["thresholds"]["gemiddelde_tevredenheid"]["met"] == 6.5
    assert judge("gemiddelde_tevredenheid", 6.5) == (MET, "minstens 6,5")
    assert judge("gemiddelde_tevredenheid", 6.49)[0] == NOT_MET  # no band below 6.5
    invited = [judge("uitgenodigd_inclusief_afgebroken", v)[0] for v in (100, 99.9, 90, 89.9)]
    assert invited == [MET, AT_RISK, AT_RISK, NOT_MET]
    assert judge("uitgenodigd_inclusief_afgebroken", 50)[1] == "minstens 100% (risico vanaf 90%)"
    assert judge("respons_tevredenheid", 3.0) == (INFO, "")  # no threshold: information


def test_peer_review_sessions_per_period():
    assert required_sessions(date(2026, 1, 1), date(2026, 12, 31)) == 4
    assert required_sessions(date(2024, 1, 1), date(2024, 12, 31)) == 4  # leap year: still 4
    assert required_sessions(date(2026, 1, 1), date(2026, 3, 31)) == 1  # 90 days: 0.99 -> 1
    assert required_sessions(date(2026, 1, 1), date(2026, 7, 1)) == 2  # 182 days: 1.99 -> 2


def test_dutch_numbers():
    assert [number(v) for v in (66.666, 6.5, 100.0, 0)] == ["66,67", "6,5", "100", "0"]
