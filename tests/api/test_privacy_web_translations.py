"""The privacy pages in English: every code label of services/privacy/vocabulary.py is in
the catalog (services/privacy/labels.py marks them), and the pages use it."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from services.privacy import vocabulary
from tests.api.privacy_web_support import privacy_desk

CATALOG = Path(__file__).resolve().parents[2] / "services/translations/en/LC_MESSAGES/messages.po"
VOCABULARIES = ("REQUEST_KINDS", "REQUEST_CHANNELS", "REQUEST_STATUSES", "OUTCOMES",
                "RECTIFIABLE_FIELDS",
                "RECIPIENT_KINDS", "PURPOSES", "CONSENT_EVIDENCE", "ERASURE_BASES",
                "ACCESS_REASONS", "ACCESS_CHANNELS", "BREACH_RISKS", "BREACH_STATUSES",
                "RECORD_TYPES")


def test_every_privacy_label_is_translated():
    with open(CATALOG, "rb") as po:
        translated = {m.id: m.string for m in read_po(po) if m.id and m.string and not m.fuzzy}
    labels = {text for name in VOCABULARIES for text in getattr(vocabulary, name).values()}
    assert sorted(labels - set(translated)) == []


@pytest.fixture
def desk(app, platform, orgs):
    return privacy_desk(app, platform, orgs)


def test_officer_pages_in_english(desk):
    web = desk.officer_web
    web.post(f"{desk.base}/verzoeken/nieuw", client_number="C-0001", kind="portability",
             channel="portal", received_on="2026-01-05")
    dashboard = web.text(f"{desk.base}?lang=en")
    assert "<h1>Privacy (GDPR)</h1>" in dashboard and "Data portability (art. 20)" in dashboard
    assert "Open data-subject requests (1)" in dashboard and "31 days left" in dashboard
    form = web.text(f"{desk.base}/verzoeken/nieuw?lang=en")
    assert ">Kind of request</label>" in form and ">Portal</option>" in form
    refused = web.post(f"{desk.base}/verzoeken/nieuw", client_number="")
    assert "Enter the client number." in refused.get_data(as_text=True)  # language kept
    breaches = web.text(f"{desk.base}/datalekken")
    assert "<h1>Data breach register</h1>" in breaches
