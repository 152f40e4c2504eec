"""The public survey link is rate limited per client IP: too many requests, or too many
unknown tokens, from one address get 429 (HTML page or problem+json) with Retry-After;
other addresses are not affected. In memory and on the real Redis (shared by workers)."""

from uuid import uuid4

import pytest

from services.quality.satisfaction.throttle import EXTENSION, SurveyThrottle
from tests.api.api_support import survey_link_token
from tests.conftest import REDIS_URL

ONE, OTHER = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.9"}


def _token(platform, orgs):
    return survey_link_token(platform, orgs.create(), "uwv-beoordeling-werknemer")


def test_too_many_requests_from_one_address(app, platform, orgs):
    token = _token(platform, orgs)
    app.extensions[EXTENSION] = SurveyThrottle(None, requests=4, misses=10, window_seconds=60)
    client = app.test_client()
    for _ in range(4):
        assert client.get(f"/s/{token}", environ_base=ONE).status_code == 200
    page = client.get(f"/s/{token}", environ_base=ONE)
    assert page.status_code == 429 and 0 < int(page.headers["Retry-After"]) <= 60
    html = page.get_data(as_text=True)
    assert "Te veel verzoeken vanaf dit adres" in html
    assert page.headers["Cache-Control"] == "no-store"
    as_json = client.get(f"/s/{token}", environ_base=ONE,
                         headers={"Accept": "application/json"})
    assert as_json.status_code == 429 and as_json.mimetype == "application/problem+json"
    assert as_json.get_json()["status"] == 429 and as_json.headers["Retry-After"]
    english = client.get(f"/s/{token}?lang=en", environ_base=ONE)
    assert "Too many requests from this address" in english.get_data(as_text=True)
    assert client.get(f"/s/{token}", environ_base=OTHER).status_code == 200


def test_guessing_tokens_is_stopped_sooner(app, platform, orgs):
    token = _token(platform, orgs)
    app.extensions[EXTENSION] = SurveyThrottle(None, requests=100, misses=3, window_seconds=60)
    client = app.test_client()
    for n in range(3):
        assert client.get(f"/s/guess-{n}-{uuid4().hex}", environ_base=ONE).status_code == 404
    blocked = client.get(f"/s/{token}", environ_base=ONE)  # even a real link, for a while
    assert blocked.status_code == 429 and blocked.headers["Retry-After"]
    posted = client.post(f"/s/{token}", environ_base=ONE, json={"answers": {}})
    assert posted.status_code == 429
    assert client.get(f"/s/{token}", environ_base=OTHER).status_code == 200


@pytest.mark.redis
def test_limits_on_redis_are_shared_between_workers(redis_connection):
    one = SurveyThrottle(REDIS_URL, requests=2, misses=1, window_seconds=60)
    two = SurveyThrottle(REDIS_URL, requests=2, misses=1, window_seconds=60)
    assert one.request("203.0.113.7").allowed and two.request("203.0.113.7").allowed
    blocked = one.request("203.0.113.7")
    assert not blocked.allowed and 0 < blocked.retry_after <= 60
    assert two.request("198.51.100.9").allowed
    two.missed("198.51.100.9")
    assert not one.request("198.51.100.9").allowed  # the miss counted in the other worker
    assert any(b"survey" in key for key in redis_connection.keys("*"))
