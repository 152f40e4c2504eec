"""Consent refusals answer in the user's language, values and phrases included: the
reasons decide() gives are Notices (template and values apart), translated at the edge
for the API (problem detail, consent check) and the privacy pages."""

from __future__ import annotations

import pytest

from services.privacy.consent import EVIDENCE_PHRASES, PURPOSE_PHRASES, RECIPIENT_PHRASES
from services.privacy.vocabulary import CONSENT_EVIDENCE, PURPOSES, RECIPIENT_KINDS
from tests.api.api_support import privacy_api
from tests.api.privacy_web_support import privacy_desk

SHARE = {"what": "trajectory.progress", "purpose": "share_progress",
         "recipient_kind": "employer"}
CHECK = "consent-check?purpose=share_progress&recipient_kind=employer"


@pytest.fixture
def setup(app, platform, orgs, make_token):
    s = privacy_api(app, platform, orgs, make_token)
    auth = {"officer": s.headers, "coach": s.coach_headers}
    base = f"{s.base}/clients/{s.client_id}"

    def call(method, path, language, who="officer", **kwargs):
        headers = {**auth[who], "Accept-Language": language}
        return s.http.open(f"{base}/{path}", method=method, headers=headers, **kwargs)

    return call


@pytest.mark.parametrize(("language", "detail"), [
    ("nl", "Delen geweigerd: Geen toestemming van de cliënt voor 'voortgang en rapportages"
           " delen' met werkgever"),
    ("en", "Sharing refused: No consent from the client for 'sharing progress and reports'"
           " with the employer"),
])
def test_a_refused_disclosure_says_why_in_the_users_language(setup, language, detail):
    refused = setup("POST", "disclosures", language, "coach", json=SHARE)
    assert refused.status_code == 422 and refused.json["detail"] == detail


@pytest.mark.parametrize(("language", "given", "withdrawn", "restricted"), [
    ("nl",
     "Toestemming voor 'voortgang en rapportages delen' met werkgever gegeven op 2026-01-31"
     " (ondertekend formulier)",
     "De cliënt heeft de toestemming voor 'voortgang en rapportages delen' met werkgever"
     " ingetrokken op 2026-01-31",
     "Delen geweigerd: De verwerking is beperkt op verzoek van de cliënt (art. 18 AVG):"
     " niet delen"),
    ("en",
     "Consent for 'sharing progress and reports' with the employer given on 2026-01-31"
     " (signed form)",
     "The client withdrew consent for 'sharing progress and reports' with the employer"
     " on 2026-01-31",
     "Sharing refused: Processing is restricted at the client's request (art. 18 GDPR):"
     " do not share"),
])
def test_consent_check_reasons_follow_the_language(setup, language, given, withdrawn,
                                                   restricted):
    consent = {"purpose": "share_progress", "recipient_kind": "employer", "evidence": "signed"}
    assert setup("POST", "consents", language, json=consent).status_code == 201
    allowed = setup("GET", CHECK, language, "coach").json
    assert allowed["allowed"] is True and allowed["reason"] == given
    reference = {"purpose": "share_progress", "recipient_kind": "employer"}
    assert setup("POST", "consents/withdraw", language, json=reference).status_code == 200
    refused = setup("GET", CHECK, language, "coach").json
    assert refused["code"] == "withdrawn" and refused["reason"] == withdrawn
    assert setup("POST", "restriction", language, json={}).status_code == 204
    assert setup("POST", "disclosures", language, "coach", json=SHARE).json["detail"] == restricted


def test_a_page_refusal_is_shown_in_english(app, platform, orgs):
    desk = privacy_desk(app, platform, orgs)
    client_page = f"{desk.base}/clienten/{desk.mine.id}"
    desk.officer_web.text(f"{client_page}?lang=en")  # remembered in the session
    again = desk.officer_web.post(f"{client_page}/toestemming/intrekken", "withdraw-",
                                  purpose="share_progress", recipient_kind="employer")
    page = desk.officer_web.text(again.headers["Location"])
    assert "There is no valid consent to withdraw" in page
    assert "Er is geen geldende toestemming" not in page


def test_the_phrases_are_the_vocabulary_labels_in_lower_case():
    for phrases, labels in ((PURPOSE_PHRASES, PURPOSES), (RECIPIENT_PHRASES, RECIPIENT_KINDS),
                            (EVIDENCE_PHRASES, CONSENT_EVIDENCE)):
        assert {code: str(phrase) for code, phrase in phrases.items()} == {
            code: label.lower() for code, label in labels.items()}
