"""Login, second factor, logout and the guards around them, through Flask's test client."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from tests.conftest import PASSWORD
from tests.web_support import CSRF

BAD_CREDENTIALS = "Het e-mailadres of het wachtwoord klopt niet."


def csrf_token(client, path="/login"):
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    return CSRF.search(html).group(1)


def post_login(client, email, password=PASSWORD, next=None):
    url = "/login" + (f"?next={next}" if next else "")
    return client.post(
        url, data={"email": email, "password": password, "csrf_token": csrf_token(client)}
    )


def logged_in_user_id(client):
    with client.session_transaction() as session:
        return session.get("user_id")


def enrol(client, user, next_path):
    """Walk through /account/totp with a real code; returns the secret."""
    page = client.get("/account/totp?next=" + next_path).get_data(as_text=True)
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    response = client.post(
        "/account/totp?next=" + next_path,
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": CSRF.search(page).group(1)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == next_path
    return secret


def wrong_code(secret):
    totp, now = pyotp.TOTP(secret), time.time()
    valid = {totp.at(now + offset * 30) for offset in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(1, 10)) if c not in valid)


# Password login ----------------------------------------------------------------------


def test_login_with_the_right_password_lands_on_the_organisation(app, orgs):
    org = orgs.create()
    coach = orgs.member(org, "jobcoach", "Anna de Vries")
    client = app.test_client()

    response = post_login(client, coach.email)

    assert response.status_code == 302
    assert response.headers["Location"] == "/orgs"
    assert logged_in_user_id(client) == str(coach.id)
    home = client.get("/orgs", follow_redirects=True)  # one organisation: straight there
    assert home.status_code == 200
    assert home.request.path == f"/o/{org.slug}/"
    assert "Anna de Vries" in home.get_data(as_text=True)


def test_wrong_password_and_unknown_email_get_the_same_answer(app, orgs):
    coach = orgs.member(orgs.create(), "jobcoach")
    client = app.test_client()

    wrong = post_login(client, coach.email, "not the password at all")
    unknown = post_login(client, "nobody-here@example.nl")

    for response in (wrong, unknown):
        assert response.status_code == 200
        assert BAD_CREDENTIALS in response.get_data(as_text=True)
        assert logged_in_user_id(client) is None
    strip = re.compile(r'value="[^"]*"|"X-CSRFToken": "[^"]*"')  # e-mail and CSRF tokens differ
    assert strip.sub("", wrong.get_data(as_text=True)) == strip.sub(
        "", unknown.get_data(as_text=True)
    )


def test_login_without_csrf_token_is_refused(app, orgs):
    coach = orgs.member(orgs.create(), "jobcoach")
    client = app.test_client()
    client.get("/login")

    response = client.post("/login", data={"email": coach.email, "password": PASSWORD})

    assert response.status_code == 400
    assert "Het formulier is verlopen" in response.get_data(as_text=True)
    assert logged_in_user_id(client) is None


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_next_pointing_elsewhere_is_ignored(app, orgs, target):
    coach = orgs.member(orgs.create(), "jobcoach")
    client = app.test_client()

    response = post_login(client, coach.email, next=target)

    assert response.status_code == 302
    assert response.headers["Location"] == "/orgs"


def test_next_on_this_site_is_honoured(app, orgs):
    org = orgs.create()
    coach = orgs.member(org, "jobcoach")
    client = app.test_client()

    redirect = client.get(f"/o/{org.slug}/medewerkers")
    assert redirect.status_code == 302
    login_url = redirect.headers["Location"]
    assert login_url.startswith("/login?next=")
    page = client.get(login_url).get_data(as_text=True)
    response = client.post(
        login_url,
        data={"email": coach.email, "password": PASSWORD, "csrf_token": CSRF.search(page)[1]},
    )

    assert response.headers["Location"] == f"/o/{org.slug}/medewerkers"


def test_session_id_changes_at_login(app, orgs):
    coach = orgs.member(orgs.create(), "jobcoach")
    client = app.test_client()
    client.get("/login")
    before = client.get_cookie("jobtrail_session").value

    post_login(client, coach.email)

    assert client.get_cookie("jobtrail_session").value != before


def test_a_session_id_known_before_login_is_useless_after_it(app, orgs):
    org = orgs.create()
    coach = orgs.member(org, "jobcoach")
    attacker = app.test_client()
    attacker.get("/login")
    planted = attacker.get_cookie("jobtrail_session").value
    victim = app.test_client()
    victim.set_cookie("jobtrail_session", planted)

    post_login(victim, coach.email)

    assert victim.get(f"/o/{org.slug}/").status_code == 200
    assert attacker.get(f"/o/{org.slug}/").headers["Location"].startswith("/login")


# Rate limiting -----------------------------------------------------------------------


def test_too_many_failures_for_one_account_answer_429(app, orgs, platform):
    coach = orgs.member(orgs.create(), "jobcoach")
    client = app.test_client()
    attempts = platform.settings.login_max_attempts

    for _ in range(attempts):
        assert post_login(client, coach.email, "wrong password!").status_code == 200
    blocked = post_login(client, coach.email, PASSWORD)  # even the right one now

    assert blocked.status_code == 429
    assert "Te veel mislukte pogingen" in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) > 0
    assert logged_in_user_id(client) is None


def test_too_many_failures_from_one_address_answer_429(app, orgs, platform):
    coach = orgs.member(orgs.create(), "jobcoach")
    client = app.test_client()
    per_ip = platform.settings.login_max_attempts * 3

    for n in range(per_ip):
        response = post_login(client, f"guess-{n}@example.nl", "wrong password!")
        assert response.status_code == 200

    assert post_login(client, coach.email).status_code == 429
    other_address = app.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert post_login(other_address, coach.email).status_code == 302


# Second factor -----------------------------------------------------------------------


def test_totp_required_sends_a_jobcoach_to_enrolment_then_lets_in(app, orgs, platform):
    org = orgs.create(totp_required=True)
    coach = orgs.member(org, "jobcoach")
    client = app.test_client()
    home = f"/o/{org.slug}/"

    post_login(client, coach.email)
    response = client.get(home)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/totp?next=")
    enrol(client, coach, home)
    assert client.get(home).status_code == 200
    assert platform.registry.user(coach.id).totp_secret


def test_enrolment_refuses_a_wrong_first_code(app, orgs, platform):
    org = orgs.create(totp_required=True)
    coach = orgs.member(org, "jobcoach")
    client = app.test_client()
    post_login(client, coach.email)
    page = client.get("/account/totp").get_data(as_text=True)
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page)[1].replace(" ", "")

    response = client.post(
        "/account/totp", data={"code": wrong_code(secret), "csrf_token": CSRF.search(page)[1]}
    )

    assert "Deze code klopt niet" in response.get_data(as_text=True)
    assert platform.registry.user(coach.id).totp_secret is None
    assert client.get(f"/o/{org.slug}/").status_code == 302


def _enrolled_coach(app, orgs):
    org = orgs.create(totp_required=True)
    coach = orgs.member(org, "jobcoach")
    client = app.test_client()
    post_login(client, coach.email)
    secret = enrol(client, coach, f"/o/{org.slug}/")
    client.post("/logout", data={"csrf_token": csrf_token(client, f"/o/{org.slug}/")})
    return org, coach, secret


def _post_code(client, code, next=None):
    url = "/login/totp" + (f"?next={next}" if next else "")
    page = client.get(url).get_data(as_text=True)
    return client.post(url, data={"code": code, "csrf_token": CSRF.search(page)[1]})


def test_password_alone_is_not_enough_once_enrolled(app, orgs):
    org, coach, secret = _enrolled_coach(app, orgs)
    client = app.test_client()

    response = post_login(client, coach.email, next=f"/o/{org.slug}/")

    assert response.headers["Location"] == f"/login/totp?next=/o/{org.slug}/"
    assert logged_in_user_id(client) is None
    assert client.get(f"/o/{org.slug}/").status_code == 302


def test_totp_wrong_code_is_refused(app, orgs):
    org, coach, secret = _enrolled_coach(app, orgs)
    client = app.test_client()
    post_login(client, coach.email)

    response = _post_code(client, wrong_code(secret))

    assert response.status_code == 200
    assert "Deze code klopt niet" in response.get_data(as_text=True)
    assert logged_in_user_id(client) is None


def test_totp_code_works_once(app, orgs):
    org, coach, secret = _enrolled_coach(app, orgs)
    totp = pyotp.TOTP(secret)
    client = app.test_client()

    # The code used at enrolment (this 30 s step) is spent already.
    post_login(client, coach.email)
    reused = _post_code(client, totp.now())
    assert "Deze code is al gebruikt" in reused.get_data(as_text=True)
    assert logged_in_user_id(client) is None

    # The next step's code (within the valid window) is accepted, once.
    next_code = totp.at(time.time() + 30)
    accepted = _post_code(client, next_code, next=f"/o/{org.slug}/")
    assert accepted.headers["Location"] == f"/o/{org.slug}/"
    assert client.get(f"/o/{org.slug}/").status_code == 200

    thief = app.test_client()
    thief.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    post_login(thief, coach.email)
    assert "Deze code is al gebruikt" in _post_code(thief, next_code).get_data(as_text=True)
    assert logged_in_user_id(thief) is None


def test_too_many_wrong_codes_answer_429(app, orgs, platform):
    org, coach, secret = _enrolled_coach(app, orgs)
    client = app.test_client()
    post_login(client, coach.email)

    for _ in range(platform.settings.login_max_attempts):
        assert _post_code(client, wrong_code(secret)).status_code == 200

    assert _post_code(client, pyotp.TOTP(secret).at(time.time() + 30)).status_code == 429


def test_replacing_a_second_factor_needs_the_current_one(app, orgs):
    org, coach, secret = _enrolled_coach(app, orgs)
    client = app.test_client()
    post_login(client, coach.email)  # password only: pending, not signed in

    assert client.get("/account/totp").headers["Location"].startswith("/login")


# Organisations -----------------------------------------------------------------------

ORG_PAGE = re.compile(r"^/o/<org>/")
# Pages under /o/<org>/ that are meant for people who are not signed in yet.
PUBLIC_ORG_PAGES = {"oidc.login", "oidc.callback"}


def _unsigned(html):
    """The page without its CSRF token: the token's signature carries the current second."""
    html = re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', html)
    return re.sub(r'(name="csrf_token" value=)"[^"]+"', r'\1""', html)  # the logout form


def test_a_member_of_a_gets_404_on_every_page_of_b(app, orgs):
    org_a, org_b = orgs.create(), orgs.create()
    coach = orgs.member(org_a, "quality_officer")
    orgs.member(org_b, "quality_officer")
    client = app.test_client()
    post_login(client, coach.email)
    token = csrf_token(client, f"/o/{org_a.slug}/")

    rules = [r for r in app.url_map.iter_rules() if ORG_PAGE.match(r.rule)]
    member_pages = [r for r in rules if r.endpoint not in PUBLIC_ORG_PAGES]
    assert {"web.org_home", "web.members", "web.coming_soon"} <= {r.endpoint for r in rules}
    for rule in member_pages:
        view = app.view_functions[rule.endpoint]
        assert hasattr(view, "required_scope"), f"{rule.endpoint} is not an org_page"
        values = {arg: "kwaliteit" for arg in rule.arguments if arg != "org"}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            other = rule.build({**values, "org": org_b.slug}, append_unknown=False)[1]
            data = {"csrf_token": token} if method != "GET" else None
            response = client.open(other, method=method, data=data)
            assert response.status_code == 404, (method, other)
            if method == "GET":
                # Someone else's organisation looks exactly like no organisation.
                missing = other.replace(org_b.slug, "no-such-org", 1)
                assert _unsigned(
                    response.get_data(as_text=True).replace(org_b.slug, "no-such-org")
                ) == _unsigned(client.get(missing).get_data(as_text=True))
    assert client.get(f"/o/{org_a.slug}/medewerkers").status_code == 200


# Logout and language -----------------------------------------------------------------


def test_logout_clears_the_session(app, orgs):
    org = orgs.create()
    coach = orgs.member(org, "jobcoach")
    client = app.test_client()
    post_login(client, coach.email)
    assert client.get(f"/o/{org.slug}/").status_code == 200

    response = client.post("/logout", data={"csrf_token": csrf_token(client, f"/o/{org.slug}/")})

    assert response.headers["Location"] == "/login"
    assert logged_in_user_id(client) is None
    assert client.get(f"/o/{org.slug}/").headers["Location"].startswith("/login")
    assert "U bent uitgelogd." in client.get("/login").get_data(as_text=True)


def test_logout_needs_post_with_csrf(app, orgs):
    org = orgs.create()
    coach = orgs.member(org, "jobcoach")
    client = app.test_client()
    post_login(client, coach.email)

    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert logged_in_user_id(client) == str(coach.id)


def test_lang_en_switches_the_login_page_and_sticks(app):
    client = app.test_client()

    dutch = client.get("/login").get_data(as_text=True)
    english = client.get("/login?lang=en").get_data(as_text=True)
    still_english = client.get("/login").get_data(as_text=True)

    assert '<html lang="nl">' in dutch and "<h1>Inloggen</h1>" in dutch
    assert '<html lang="en">' in english and "<h1>Log in</h1>" in english
    assert "<h1>Log in</h1>" in still_english
    assert "<h1>Inloggen</h1>" in client.get("/login?lang=nl").get_data(as_text=True)


def test_language_survives_login(app, orgs):
    org = orgs.create()
    coach = orgs.member(org, "jobcoach")
    client = app.test_client()
    client.get("/login?lang=en")

    post_login(client, coach.email)

    assert "<h1>Staff</h1>" in client.get(f"/o/{org.slug}/medewerkers").get_data(as_text=True)
