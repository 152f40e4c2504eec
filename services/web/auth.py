"""Login with a local account: password, then TOTP where needed; logout.

A user with a TOTP secret is not signed in after the password alone: the session
holds a short-lived "pending" marker until /login/totp accepts a code. A user
without one is signed in with second_factor=False; organisation pages that need
a second factor send them to enrolment (/account/totp), which sets it.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.exceptions import TooManyRequests

from services.kernel import context
from services.kernel.auth.access import (
    login_session,
    logout_session,
    new_session_id,
    session_user,
)
from services.kernel.domain import NotFoundError
from services.web import totp as otp
from services.web.forms import CodeForm, LoginForm
from services.web.i18n import keep_language
from services.web.throttle import LoginThrottle, Verdict

bp = Blueprint("auth", __name__)

PENDING_USER = "pending_user_id"
PENDING_SINCE = "pending_since"
PENDING_SECONDS = 300  # time to type the code after the password
ENROL_SECRET = "totp_enrol_secret"


# Login ---------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    next_url = safe_next(request.args.get("next"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        ip = request.remote_addr or "unknown"
        _refuse_when_blocked(throttle().check_login(ip, email))
        user = _platform().registry.authenticate(email, form.password.data or "")
        if user is None:
            throttle().login_failed(ip, email)
            # One message for a wrong password and an unknown address: never say which.
            error = _("Het e-mailadres of het wachtwoord klopt niet.")
        else:
            throttle().login_succeeded(ip, email)
            if user.totp_secret:
                _start_pending(user.id)
                return redirect(url_for("auth.totp", next=next_url))
            _sign_in(user.id, second_factor=False)
            return redirect(next_url or url_for("web.organisations"))
    elif request.method == "GET" and session_user() is not None:
        return redirect(next_url or url_for("web.organisations"))
    return render_template("auth/login.html", form=form, error=error, next=next_url)


@bp.post("/logout")
def logout() -> Any:
    saved = dict(session)
    logout_session()
    keep_language(saved)
    flash(_("U bent uitgelogd."), "success")
    return redirect(url_for("auth.login"))


# Second factor -------------------------------------------------------------------------


@bp.route("/login/totp", methods=["GET", "POST"])
def totp() -> Any:
    next_url = safe_next(request.args.get("next"))
    user = _pending_user() or session_user()
    if user is None:
        flash(_("Log opnieuw in om verder te gaan."), "info")
        return redirect(url_for("auth.login", next=next_url))
    if not user.totp_secret:
        return redirect(url_for("auth.totp_enrol", next=next_url))
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        error = _check_code(user.id, user.totp_secret, form.code.data or "")
        if error is None:
            _sign_in(user.id, second_factor=True)
            return redirect(next_url or url_for("web.organisations"))
    return render_template("auth/totp.html", form=form, error=error, next=next_url)


@bp.route("/account/totp", methods=["GET", "POST"])
def totp_enrol() -> Any:
    next_url = safe_next(request.args.get("next"))
    user = session_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.full_path))
    if user.totp_secret and not session.get("second_factor"):
        # Replacing a second factor takes the current one first.
        return redirect(url_for("auth.totp", next=request.full_path))
    secret = session.get(ENROL_SECRET) or otp.new_secret()
    session[ENROL_SECRET] = secret
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        error = _check_code(user.id, secret, form.code.data or "")
        if error is None:
            with context.acting(None, f"user:{user.id}"):
                _platform().registry.enrol_totp(user.id, secret)
            _sign_in(user.id, second_factor=True)
            flash(_("Tweestapsverificatie is ingesteld."), "success")
            return redirect(next_url or url_for("web.organisations"))
    return render_template(
        "auth/totp_enrol.html",
        form=form,
        error=error,
        next=next_url,
        replacing=bool(user.totp_secret),
        secret=otp.grouped(secret),
        qr=otp.qr_svg(
            otp.provisioning_uri(secret, user.email),
            _("QR-code om Jobtrail aan uw authenticator-app toe te voegen"),
        ),
    )


def _check_code(user_id: UUID, secret: str, code: str) -> str | None:
    """None when the code is right and unused; else the message to show."""
    _refuse_when_blocked(throttle().check_code(str(user_id)))
    step = otp.matching_step(secret, code)
    if step is None:
        throttle().code_failed(str(user_id))
        return _("Deze code klopt niet. Controleer de tijd op uw telefoon en probeer het opnieuw.")
    if not throttle().steps.claim(str(user_id), step):
        throttle().code_failed(str(user_id))
        return _("Deze code is al gebruikt. Wacht op de volgende code in uw app.")
    return None


# Helpers -------------------------------------------------------------------------------


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site; anything else is dropped (no open redirect)."""
    if not target or len(target) > 2048 or not target.startswith("/"):
        return None
    if target.startswith("//") or any(c in target for c in "\\\r\n\t"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target.removesuffix("?")


def throttle() -> LoginThrottle:
    return current_app.extensions["jobtrail_web"].throttle


def _platform() -> Any:
    return current_app.extensions["jobtrail"]


def _refuse_when_blocked(verdict: Verdict) -> None:
    if not verdict.allowed:
        minutes = max(1, -(-verdict.retry_after // 60))
        raise TooManyRequests(
            _(
                "Te veel mislukte pogingen. Probeer het over %(minutes)s minuten opnieuw.",
                minutes=minutes,
            ),
            retry_after=verdict.retry_after,
        )


def _sign_in(user_id: UUID, *, second_factor: bool) -> None:
    saved = dict(session)
    login_session(user_id, second_factor=second_factor)
    keep_language(saved)


def _start_pending(user_id: UUID) -> None:
    """Password accepted, code still to come: not signed in yet."""
    saved = dict(session)
    logout_session()
    new_session_id()
    keep_language(saved)
    session[PENDING_USER] = str(user_id)
    session[PENDING_SINCE] = time.time()


def _pending_user() -> Any | None:
    raw, since = session.get(PENDING_USER), session.get(PENDING_SINCE, 0)
    if not raw or time.time() - since > PENDING_SECONDS:
        return None
    try:
        user = _platform().registry.user(UUID(raw))
    except (NotFoundError, ValueError):
        return None
    return None if user.disabled else user
