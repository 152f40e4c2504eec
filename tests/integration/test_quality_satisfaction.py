"""A satisfaction campaign through its single-use links, on SQLite and PostgreSQL."""

import hashlib
import secrets
from datetime import date
from uuid import uuid4

import pytest

from services.kernel import context
from services.kernel.domain import DomainError, NotFoundError
from services.quality.clock import FixedClock
from services.quality.satisfaction import formdefs, links
from services.quality.satisfaction.application import Satisfaction, SurveyLinks
from services.quality.satisfaction.report import SatisfactionView

UWV = {"werknemer": "uwv-beoordeling-werknemer", "werkgever": "uwv-beoordeling-werkgever"}


def _answers(key, value, grade=None):
    form = formdefs.form(key)
    answers = {item.id: value for item in form.items}
    if grade is not None:
        answers[form.score_item] = grade
    return answers


@pytest.fixture
def campaign_setup(any_platform, any_orgs):
    org = any_orgs.create()
    coach = any_orgs.member(org, "jobcoach", "Anna")
    clock = FixedClock(date(2026, 12, 1))
    app = any_platform.app(Satisfaction, org.id)
    app.clock = clock
    any_platform.apps.get(SurveyLinks).clock = clock
    with context.acting(org.id, "user:officer"):
        campaign = app.start_campaign("Klanttevredenheid 2026", date(2026, 1, 1),
                                      date(2026, 12, 31), UWV, link_valid_days=14)
        trajectories = [
            {"trajectory_id": uuid4(), "client_id": uuid4(), "jobcoach_id": coach.id,
             "status": status, "ended_on": ended}
            for status, ended in (("afgerond", date(2026, 6, 1)),
                                  ("afgebroken", date(2026, 3, 15)),
                                  ("lopend", None))
        ]
        app.register_population(campaign.id, trajectories, "trajectories")
        yield any_platform, org, app, campaign, trajectories, clock


def test_every_client_invited_including_broken_off_and_answers_once(campaign_setup):
    platform, org, app, campaign, trajectories, clock = campaign_setup
    coverage = app.campaign(campaign.id).coverage()
    assert (coverage["population"], coverage["broken_off"], coverage["missing"]) == (3, 1, 6)
    assert not coverage["complete"]

    tokens = {}
    for t in trajectories:
        for respondent in ("werknemer", "werkgever"):
            if t["status"] == "lopend" and respondent == "werkgever":
                app.exempt(campaign.id, t["trajectory_id"], respondent,
                           "Werkgever heeft afgezien van deelname")
                continue
            tokens[(t["status"], respondent)] = links.invite(
                platform, org.id, campaign.id, t["trajectory_id"], respondent).token
    coverage = app.campaign(campaign.id).coverage()
    assert coverage["complete"] and coverage["missing"] == 0
    states = {(r["status"], r["respondent"]): r["state"] for r in coverage["rows"]}
    assert states[("afgebroken", "werknemer")] == "uitgenodigd"
    assert states[("lopend", "werkgever")] == "vrijgesteld"

    token = tokens[("afgebroken", "werknemer")]
    stored = b"".join(
        r.state for r in platform.apps.get(SurveyLinks).recorder.select_notifications(0, 1000)
    )
    assert token.encode() not in stored  # only the hash is ever stored

    link, form = links.open_link(platform, token)
    assert form.key == "uwv-beoordeling-werknemer" and link.organisation_id == org.id
    with pytest.raises(DomainError, match="moet 1, 2, 3, 4, 5, 6, 7, 8, 9 of 10"):
        links.answer(platform, token, _answers(form.key, 11))
    response = links.answer(platform, token, _answers(form.key, 7, grade=8),
                            comment="Fijne jobcoach, Jan de Vries hielp me echt")
    assert response.score == 8.0 and response.form_version == "2026-01"
    assert response.comment["kid"] == str(trajectories[1]["client_id"])  # sealed
    assert platform.subject_keys(org.id).open(response.comment).startswith("Fijne jobcoach")

    with pytest.raises(links.LinkGoneError, match="al ingevuld"):
        links.answer(platform, token, _answers(form.key, 7, grade=8))
    with pytest.raises(links.LinkGoneError, match="al ingevuld"):
        links.open_link(platform, token)

    links.answer(platform, tokens[("afgerond", "werknemer")], _answers(form.key, 5, grade=5))
    links.answer(platform, tokens[("afgerond", "werkgever")],
                 _answers("uwv-beoordeling-werkgever", 6, grade=6))

    view = platform.view(SatisfactionView, org.id)
    rates = view.response_rates(str(campaign.id))
    assert (rates["invited"], rates["responses"], rates["rate"]) == (5, 3, 0.6)
    assert rates["per_respondent"]["werknemer"] == {"invited": 3, "responses": 2, "rate": 0.667}
    report = view.annual_report(2026)
    employee = next(f for f in report["forms"] if f["form_key"] == "uwv-beoordeling-werknemer")
    assert (employee["responses"], employee["mean_score"]) == (2, 6.5)
    assert employee["meets_threshold"] is True  # 6.5 is enough
    employer = next(f for f in report["forms"] if f["form_key"] == "uwv-beoordeling-werkgever")
    assert employer["meets_threshold"] is False


def test_expired_guessed_and_replaced_links(campaign_setup):
    platform, org, app, campaign, trajectories, clock = campaign_setup
    first = trajectories[0]["trajectory_id"]
    old = links.invite(platform, org.id, campaign.id, first, "werknemer")
    clock.advance(days=14)
    with pytest.raises(links.LinkGoneError, match="verlopen"):
        links.open_link(platform, old.token)
    with pytest.raises(links.LinkGoneError, match="verlopen"):
        links.answer(platform, old.token, _answers("uwv-beoordeling-werknemer", 7))

    new = links.invite(platform, org.id, campaign.id, first, "werknemer")  # a reminder
    clock.advance(days=-14)  # even while the old one would still be valid
    with pytest.raises(links.LinkGoneError, match="vervangen"):
        links.open_link(platform, old.token)
    clock.advance(days=14)
    links.open_link(platform, new.token)

    for guess in (secrets.token_urlsafe(32), "", "x" * 500, new.token[:-1],
                  hashlib.sha256(new.token.encode()).hexdigest()):
        with pytest.raises(NotFoundError):
            links.open_link(platform, guess)
    rates = platform.view(SatisfactionView, org.id).response_rates(str(campaign.id))
    assert rates["invited"] == 1  # the replaced invitation does not count twice


def test_campaign_rules(campaign_setup):
    platform, org, app, campaign, trajectories, _ = campaign_setup
    with pytest.raises(DomainError, match="buiten de meetperiode"):
        app.register_population(campaign.id, [{
            "trajectory_id": uuid4(), "client_id": uuid4(), "status": "afgerond",
            "ended_on": date(2025, 12, 31)}], "handmatig")
    with pytest.raises(DomainError, match="einddatum"):
        app.register_population(campaign.id, [{
            "trajectory_id": uuid4(), "client_id": uuid4(), "status": "afgebroken"}], "x")
    with pytest.raises(DomainError, match="hoort niet bij de populatie"):
        links.invite(platform, org.id, campaign.id, uuid4(), "werknemer")
    with pytest.raises(DomainError, match="geen vragenlijst voor opdrachtgever"):
        links.invite(platform, org.id, campaign.id, trajectories[0]["trajectory_id"],
                     "opdrachtgever")
    with pytest.raises(DomainError, match="Leg uit"):
        app.exempt(campaign.id, trajectories[0]["trajectory_id"], "werknemer", "nee")
    with pytest.raises(DomainError, match="is voor werknemer"):
        app.start_campaign("Fout", date(2026, 1, 1), date(2026, 12, 31),
                           {"werkgever": "uwv-beoordeling-werknemer"})
    app.close_campaign(campaign.id)
    with pytest.raises(DomainError, match="afgesloten"):
        links.invite(platform, org.id, campaign.id, trajectories[0]["trajectory_id"],
                     "werknemer")
