"""create_app(settings): the composition root, the only place where things are wired."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from cachelib import FileSystemCache
from flask import Flask, request
from flask_session import Session
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException

from services.catalogue import Platform
from services.kernel.http import ProblemApi, register_domain_errors
from services.kernel.settings import Settings

API_DESCRIPTION = """\
Jobtrail API. Elke route hangt onder `/api/v1/orgs/<org>/…` (org = slug van de organisatie).
Authenticatie: OAuth 2 client-credentials bij `POST /oauth/token` (RFC 9068 JWT, Bearer).
Fouten: RFC 9457 `application/problem+json`. Updates: stuur de ETag terug in `If-Match`;
stuur `Idempotency-Key` mee om een verzoek veilig te kunnen herhalen.
"""


def create_app(settings: Settings | None = None, platform: Platform | None = None) -> Flask:
    settings = settings or Settings.from_env()
    platform = platform or Platform(settings)
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        SESSION_COOKIE_NAME="jobtrail_session",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        SESSION_PERMANENT=False,
        WTF_CSRF_TIME_LIMIT=None,  # bound to the session, which expires itself
        API_TITLE="Jobtrail",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="/static/vendor/swagger-ui/",  # vendored: no CDN
        OPENAPI_SWAGGER_UI_CONFIG={"validatorUrl": None},  # never send the spec URL off-site
        API_SPEC_OPTIONS={
            "info": {"description": API_DESCRIPTION},
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
            "security": [{"bearer": []}],
        },
    )
    if settings.proxy_hops:  # real client IPs for rate limiting, https for OIDC callbacks
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    _configure_sessions(app, settings)
    app.extensions["jobtrail"] = platform
    csrf = CSRFProtect(app)

    api = ProblemApi(app)
    from services.audit import api as audit_api
    from services.platform import api as platform_api
    from services.platform import health, oauth, oidc
    from services.privacy import api as privacy_api
    from services.privacy import api_registers  # noqa: F401  (routes on privacy_api.blp)
    from services.privacy.bsn import install_log_redaction
    from services.quality import api as quality_api
    from services.trajectories import api as trajectories_api

    install_log_redaction()  # no BSN in any log line of this process

    for blueprint in (
        platform_api.blp, *trajectories_api.blueprints, audit_api.blp, *quality_api.blueprints,
        privacy_api.blp,
    ):
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)  # bearer tokens, no cookies: CSRF does not apply
    app.register_blueprint(oauth.bp)
    app.register_blueprint(oidc.oidc_bp)
    csrf.exempt(oauth.bp)
    app.register_blueprint(health.bp)
    from services.quality import assets as quality_assets
    from services.quality.satisfaction import public as survey

    app.register_blueprint(quality_assets.bp)
    app.register_blueprint(survey.bp)
    from services.quality import views as quality_views

    app.register_blueprint(quality_views.bp)
    app.register_blueprint(quality_views.own_bp)
    csrf.exempt(survey.bp)  # the capability token in the URL is the secret (satisfaction/public.py)
    from services.web import register_web

    register_web(app, settings)
    from services.privacy import pages as privacy_pages

    app.register_blueprint(privacy_pages.bp)
    from services.trajectories import views as trajectories_views

    app.register_blueprint(trajectories_views.bp)
    from services.audit import renewal_views
    from services.audit import views as audit_views

    for blueprint in (audit_views.bp, audit_views.assets, renewal_views.bp):
        app.register_blueprint(blueprint)
    from services.web import error_page

    register_domain_errors(app, error_page)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):  # outside the smorest blueprints
        if request.path.startswith(("/api/", "/oauth/")):
            return api.handle_http_exception(error)  # problem+json; 401: WWW-Authenticate
        return error_page(error)

    return app


def _configure_sessions(app: Flask, settings: Settings) -> None:
    """Server-side sessions: Redis when configured, else files in the data directory."""
    if settings.redis_url:
        import redis

        app.config.update(SESSION_TYPE="redis", SESSION_REDIS=redis.from_url(settings.redis_url))
    else:
        directory = Path(settings.data_dir) / "sessions"
        app.config.update(
            SESSION_TYPE="cachelib",
            SESSION_CACHELIB=FileSystemCache(str(directory), threshold=10_000, mode=0o600),
        )
    Session(app)
