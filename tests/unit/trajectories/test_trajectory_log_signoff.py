"""The signed jobcoach log: signatures per grant period, and the extension request that
refuses an incomplete or unsigned log (POPO: the opener is a fake that reads the
'sealed' test values, no keys)."""

from datetime import date

import pytest

from services.kernel.domain import DomainError, NotFoundError
from services.trajectories import documents
from services.trajectories.history import fold
from services.trajectories.presenter import present
from tests.unit.trajectories.test_trajectory_domain import (
    TODAY,
    activity,
    placed,
    planned,
    s,
)

CTX = documents.Context("De Brug", "Anna", "Jan Jansen")
FIRST, LAST = date(2026, 3, 1), date(2026, 8, 31)


class FakeOpener:
    """Test values are {"kid","n","c": text}: 'opening' reads the text."""

    def open(self, value):
        return value["c"] if isinstance(value, dict) else value

    def open_tree(self, value):
        if isinstance(value, dict):
            if set(value) == {"kid", "n", "c"}:
                return value["c"]
            return {k: self.open_tree(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.open_tree(v) for v in value]
        return value

    def erased(self, subject_id):
        return False


def evaluated_with_grant():
    t = planned()
    grant = t.add_grant("UWV", FIRST, LAST, 100, "standaard", 10)
    t.record_activity(activity(activity_id="a1"), TODAY)
    t.record_evaluation(date(2026, 4, 5), [{"goal_id": "g1", "status": "reached"}], None, TODAY)
    return t, grant


def presented(t):
    return present(fold(t.pending_events), FakeOpener())


def test_signing_rules_in_dutch():
    t, grant = evaluated_with_grant()
    with pytest.raises(NotFoundError, match="Toekenning niet gevonden"):
        t.sign_log("onbekend", "client", s("Jan"), TODAY, "paper", TODAY)
    for args, message in (
        (("boss", s("X"), TODAY, "paper"), "Rol van de ondertekenaar"),
        (("client", s("Jan"), TODAY, "fax"), "Wijze van ondertekenen"),
        (("client", s("Jan"), date(2026, 7, 1), "paper"), "toekomst"),
        (("client", s("Jan"), date(2026, 2, 1), "paper"), "vóór het begin"),
        (("client", "Jan in platte tekst", TODAY, "paper"), "versleuteld"),
    ):
        with pytest.raises(DomainError, match=message):
            t.sign_log(grant, *args, TODAY)
    empty = planned()
    other = empty.add_grant("UWV", FIRST, LAST, 100, "standaard", 10)
    with pytest.raises(DomainError, match="nog geen activiteiten"):
        empty.sign_log(other, "client", s("Jan"), TODAY, "paper", TODAY)


def test_extension_request_refuses_an_unsigned_log_and_names_what_is_missing():
    t, grant = evaluated_with_grant()
    with pytest.raises(documents.DocumentIncompleteError) as refused:
        documents.build("vervolgaanvraag", presented(t), CTX, FIRST, LAST)
    missing = " | ".join(refused.value.missing)
    assert "ondertekend door de cliënt" in missing
    assert "ondertekend door de werkgever of werkbegeleider" in missing
    t.sign_log(grant, "client", s("Jan Jansen"), TODAY, "paper", TODAY)
    with pytest.raises(documents.DocumentIncompleteError) as refused:
        documents.build("vervolgaanvraag", presented(t), CTX, FIRST, LAST)
    assert [m for m in refused.value.missing if "ondertekend" in m] == [
        "Logboek van de toekenning UWV 01-03-2026 t/m 31-08-2026 ondertekend door de"
        " werkgever of werkbegeleider"]
    t.sign_log(grant, "supervisor", s("Piet Werkbegeleider"), TODAY, "digital", TODAY)
    doc = documents.build("vervolgaanvraag", presented(t), CTX, FIRST, LAST)
    assert doc.title == "Vervolgaanvraag jobcoaching"
    log = documents.build("logboek", presented(t), CTX, FIRST, LAST)
    [sign_off] = [x for x in log.sections if x.heading == "Ondertekening logboek"]
    assert sign_off.blocks[0][2] == [
        ["toekenning UWV 01-03-2026 t/m 31-08-2026", "Cliënt", "Jan Jansen", "15-06-2026",
         "Handtekening op papier", "geldig"],
        ["toekenning UWV 01-03-2026 t/m 31-08-2026", "Interne werkbegeleider",
         "Piet Werkbegeleider", "15-06-2026", "Digitaal akkoord", "geldig"],
    ]


def test_a_change_after_signing_voids_the_signatures():
    t, grant = evaluated_with_grant()
    t.sign_log(grant, "client", s("Jan"), TODAY, "paper", TODAY)
    t.sign_log(grant, "employer", s("Els"), TODAY, "paper", TODAY)
    documents.build("vervolgaanvraag", presented(t), CTX, FIRST, LAST)
    t.correct_activity("a1", 30, "Korter dan genoteerd")
    p = presented(t)
    assert [x["current"] for x in p["log_signatures"]] == [False, False]
    with pytest.raises(documents.DocumentIncompleteError, match="na ondertekening gewijzigd"):
        documents.build("vervolgaanvraag", p, CTX, FIRST, LAST)
    assert "vervallen" in documents.build("logboek", p, CTX, FIRST, LAST).sections[-1].blocks[
        0][2][0][-1]


def test_an_activity_without_goal_makes_the_log_incomplete_even_when_signed():
    t = placed()
    grant = t.add_grant("UWV", FIRST, LAST, 100, "standaard", 10)
    # Before the coaching plan there is no goal to serve: allowed, but not a complete log.
    t.record_activity(activity(activity_id="early", on=date(2026, 3, 2), goal_ids=[]), TODAY)
    t.record_coaching_plan(
        [{"goal_id": "g1", "description": s(), "criterion": s(), "target_date": date(2026, 5, 1),
          "owner": "cliënt"}], s(), s(), [date(2026, 4, 1)], date(2026, 3, 5), TODAY,
    )
    t.record_evaluation(date(2026, 4, 5), [{"goal_id": "g1", "status": "reached"}], None, TODAY)
    t.sign_log(grant, "client", s("Jan"), TODAY, "paper", TODAY)
    t.sign_log(grant, "employer", s("Els"), TODAY, "paper", TODAY)
    with pytest.raises(documents.DocumentIncompleteError) as refused:
        documents.build("vervolgaanvraag", presented(t), CTX, FIRST, LAST)
    assert refused.value.missing == [
        "Volledig logboek: activiteiten zonder doel of verantwoording:"
        " 02-03-2026 09:00 (zonder doel)"]
