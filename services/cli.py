"""The `jobtrail` command line."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from services.kernel.auth.roles import Role
from services.kernel.domain import DomainError
from services.kernel.settings import Settings, SettingsError, new_cipher_key

ROLES = click.Choice([r.value for r in Role])


def _platform(settings: Settings | None = None) -> Any:
    from services.catalogue import Platform

    return Platform(settings or Settings.from_env())


def friendly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Domain refusals and configuration errors become one clear line, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (DomainError, SettingsError) as error:
            raise click.ClickException(str(error)) from None

    return wrapper


@click.group()
def main() -> None:
    """Jobtrail: trajecten, kwaliteit en audit voor jobcoachorganisaties."""


@main.command()
def keys() -> None:
    """Print fresh values for SECRET_KEY and JOBTRAIL_CIPHER_KEY."""
    import secrets

    click.echo(f"SECRET_KEY={secrets.token_urlsafe(32)}")
    click.echo(f"JOBTRAIL_CIPHER_KEY={new_cipher_key()}")


# Database -----------------------------------------------------------------------------
@main.group()
def db() -> None:
    """Database provisioning (run as the database owner)."""


@db.command("init")
@friendly
def db_init() -> None:
    """Create the platform schema, the app role and the tables of every organisation."""
    platform = _platform()
    platform.provision_platform()
    for org in platform.directory.organisations():
        platform.provision_organisation(org["org_id"])
    click.echo("Database bijgewerkt.")


# Organisations and users ---------------------------------------------------------------
@main.group()
def orgs() -> None:
    """Organisations (tenants)."""


@orgs.command("create")
@click.option("--name", required=True, help="Naam van de organisatie")
@click.option("--slug", required=True, help="Korte naam in URL's, bv. 'de-brug'")
@click.option("--kvk", "kvk_number", required=True, help="KvK-nummer (8 cijfers)")
@click.option("--no-totp", is_flag=True, help="Tweestapsverificatie niet verplicht stellen")
@friendly
def orgs_create(name: str, slug: str, kvk_number: str, no_totp: bool) -> None:
    """Register an organisation and create its own schema."""
    org = _platform().create_organisation(name, slug, kvk_number, totp_required=not no_totp)
    click.echo(f"Organisatie {org.name} ({org.slug}) aangemaakt: {org.id}")


@orgs.command("list")
@friendly
def orgs_list() -> None:
    """List organisations."""
    platform = _platform()
    from projections.runtime import sweep

    sweep(platform)
    for org in platform.directory.organisations():
        click.echo(f"{org['slug']:<24} {org['kvk_number']}  {org['name']}")


@main.group()
def users() -> None:
    """Users and memberships."""


@users.command("add")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--org", "org_slug", required=True, help="Slug van de organisatie")
@click.option("--role", required=True, type=ROLES)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@friendly
def users_add(email: str, name: str, org_slug: str, role: str, password: str) -> None:
    """Add a user (or an existing user) to an organisation with a role."""
    from services.kernel.domain import NotFoundError

    registry = _platform().registry
    org = registry.organisation_by_slug(org_slug)
    try:
        user = registry.user_by_email(email)
    except NotFoundError:
        user = registry.register_user(email, name, password)
    registry.grant_membership(user.id, org.id, Role(role))
    click.echo(f"{user.email} is {role} bij {org.slug}")


@users.command("reset-totp")
@click.option("--email", required=True)
@friendly
def users_reset_totp(email: str) -> None:
    """Forget a user's authenticator (lost phone); they enrol again at their next login."""
    registry = _platform().registry
    registry.reset_totp(registry.user_by_email(email).id)
    click.echo(f"Tweestapsverificatie van {email} gewist; opnieuw instellen bij de volgende login.")


@main.group()
def clients() -> None:
    """API clients (OAuth 2 client credentials)."""


@clients.command("create")
@click.option("--org", "org_slug", required=True)
@click.option("--role", required=True, type=ROLES)
@click.option("--user", "user_email", help="Verplicht bij rol jobcoach: wiens caseload")
@click.option("--name", default="API-client")
@friendly
def clients_create(org_slug: str, role: str, user_email: str | None, name: str) -> None:
    """Create an API client; prints its id and secret (shown once)."""
    registry = _platform().registry
    org = registry.organisation_by_slug(org_slug)
    user_id = registry.user_by_email(user_email).id if user_email else None
    client, secret = registry.register_api_client(org.id, Role(role), name, user_id)
    click.echo(f"client_id={client.id}")
    click.echo(f"client_secret={secret}")
    click.echo("Token: POST /oauth/token met grant_type=client_credentials (HTTP Basic).")


@clients.command("revoke")
@click.argument("client_id")
@friendly
def clients_revoke(client_id: str) -> None:
    """Revoke an API client: its tokens stop working immediately."""
    _platform().registry.revoke_api_client(client_id)
    click.echo(f"API-client {client_id} ingetrokken.")


@orgs.command("oidc")
@click.option("--org", "org_slug", required=True)
@click.option("--issuer", required=True, help="https-adres van de identity provider")
@click.option("--client-id", required=True)
@click.option("--client-secret", prompt=True, hide_input=True)
@friendly
def orgs_oidc(org_slug: str, issuer: str, client_id: str, client_secret: str) -> None:
    """Configure OIDC sign-in for an organisation (issuer pinned to it)."""
    registry = _platform().registry
    org = registry.organisation_by_slug(org_slug)
    registry.configure_oidc(org.id, issuer, client_id, client_secret)
    click.echo(f"OIDC voor {org.slug}: issuer {issuer}; callback /o/{org.slug}/login/oidc/callback")


# Projections -----------------------------------------------------------------------------
@main.group()
def projections() -> None:
    """Read models: run, rebuild, status."""


@projections.command("run")
@click.option("--once", is_flag=True, help="One sweep, then stop")
@click.option("--interval", default=1.0, show_default=True)
@friendly
def projections_run(once: bool, interval: float) -> None:
    """Keep every view of every organisation up to date (also the sweeper)."""
    from projections.runtime import run_forever, sweep

    platform = _platform()
    if once:
        click.echo(f"{sweep(platform)} events verwerkt")
        return
    click.echo("Projecties draaien; Ctrl-C stopt.")
    try:
        run_forever(platform, interval)
    except KeyboardInterrupt:
        pass
    finally:
        platform.close()


@projections.command("rebuild")
@click.option("--org", "org_slug", help="Alleen deze organisatie ('platform' voor het register)")
@click.option("--view", "view_name", help="Alleen deze view")
@friendly
def projections_rebuild(org_slug: str | None, view_name: str | None) -> None:
    """Rebuild views from the event log into a new generation, swapped in at once
    (the live view keeps serving meanwhile), with a progress bar."""
    from tqdm import tqdm

    from projections.runtime import rebuild, rebuild_groups
    from services.kernel.view_generations import RebuildRefusedError, check_rebuildable

    platform = _platform()
    try:
        groups = rebuild_groups(platform, org_slug, view_name)
        if not groups:
            raise click.ClickException("Geen view gevonden voor deze --org/--view")
        for label, views in groups:
            try:
                check_rebuildable(views)
            except RebuildRefusedError as refused:
                if view_name:  # asked for by name: say no, loudly
                    raise
                click.echo(f"{label}: overgeslagen. {refused}", err=True)
                continue
            total = sum(view.app.recorder.max_notification_id() or 0 for view in views)
            with tqdm(total=total, desc=label, unit="ev", file=sys.stderr) as bar:
                rebuild(views, progress=bar.update)
    finally:
        platform.close()


@projections.command("status")
@friendly
def projections_status() -> None:
    """Lag per organisation and view."""
    from projections.runtime import status

    rows = status(_platform())
    click.echo(f"{'organisatie':<28} {'view':<16} {'positie':>9} {'log':>9} {'achterstand':>11}")
    for row in rows:
        click.echo(f"{row.org:<28} {row.view:<16} {row.position:>9} {row.head:>9} {row.lag:>11}")


# Processes ---------------------------------------------------------------------------------
@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@friendly
def serve(host: str, port: int) -> None:
    """Serve the web app and API (development server; production: gunicorn, see deploy/)."""
    from services.app import create_app

    create_app().run(host=host, port=port, threaded=True)


@main.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty")
@friendly
def worker(burst: bool) -> None:
    """Run an RQ worker for Jobtrail's queue (needs REDIS_URL)."""
    # SimpleWorker: jobs run in this process, reusing its Platform and connection pools
    # instead of building both anew in a forked child for every job.
    from rq import SimpleWorker

    from services.kernel.jobs import QUEUE_NAME

    platform = _platform()
    if platform.jobs.inline:
        raise click.ClickException("REDIS_URL is niet gezet: jobs draaien dan inline")
    SimpleWorker([QUEUE_NAME], connection=platform.jobs.queue.connection).work(burst=burst)


@main.group()
def jobs() -> None:
    """Background jobs."""


@jobs.command("status")
@click.argument("job_id")
@friendly
def jobs_status(job_id: str) -> None:
    """Show a job's state and progress."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    platform = _platform()
    if platform.jobs.inline:
        raise click.ClickException("REDIS_URL is niet gezet: er zijn geen achtergrondjobs")
    try:
        job = Job.fetch(job_id, connection=platform.jobs.queue.connection)
    except NoSuchJobError:
        raise click.ClickException(f"Job {job_id} bestaat niet (meer)") from None
    progress = job.meta.get("progress") or {}
    done, total = progress.get("done", 0), progress.get("total", 0)
    bar = ""
    if total:
        filled = int(30 * done / total)
        bar = f" [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}"
    status = job.get_status().value  # rq 2+ gives an enum: "started", not "JobStatus.STARTED"
    click.echo(f"{job.id}: {status}{bar} {progress.get('message', '')}".rstrip())


@main.command()
@click.option("--port", default=5000, show_default=True)
@click.option("--data-dir", default="var/demo", show_default=True, type=click.Path())
@click.option("--no-serve", is_flag=True, help="Only create the demo data")
def demo(port: int, data_dir: str, no_serve: bool) -> None:
    """Demo organisation on its own embedded SQLite store (never DATABASE_URL)."""
    from services.demo import DEMO_PASSWORD, seed
    from services.kernel.settings import embedded_settings

    settings = embedded_settings(Path(data_dir), session_cookie_secure=False)
    platform = _platform(settings)
    logins = seed(platform)
    click.echo("Demo-organisatie 'De Brug Jobcoaching' (slug: de-brug). Inloggen met:")
    for email, role in logins:
        click.echo(f"  {role:<16} {email:<32} wachtwoord: {DEMO_PASSWORD}")
    if no_serve:
        platform.close()
        return
    from services.app import create_app

    click.echo(f"Open http://127.0.0.1:{port}/login")
    create_app(settings, platform).run(host="127.0.0.1", port=port, threaded=True)


from services.audit.cli import audit  # noqa: E402  (its own module, one group)

main.add_command(audit)

from services.kernel.scheduler_cli import scheduler  # noqa: E402  (geplande taken)

main.add_command(scheduler)

from services.privacy.cli import register as _register_privacy  # noqa: E402

_register_privacy(main, _platform, friendly)


if __name__ == "__main__":
    main()
