"""The CLI and the projections runtime against a real store: status, rebuild, sweeper."""

import os

from click.testing import CliRunner

from services.cli import main
from services.kernel.views import lag
from services.trajectories.caseload import CaseloadView


def _env(settings):
    return {
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "JOBTRAIL_CIPHER_KEY": settings.cipher_key,
        "JOBTRAIL_DATA_DIR": settings.data_dir,
        "JOBTRAIL_PLATFORM_SCHEMA": settings.platform_schema,
        "REDIS_URL": "",
    }


def test_orgs_users_clients_and_projections_commands(any_platform, any_orgs):
    settings = any_platform.settings
    runner = CliRunner(env=_env(settings))
    slug = f"cli-{os.urandom(3).hex()}"
    created = runner.invoke(
        main, ["orgs", "create", "--name", "CLI Org", "--slug", slug, "--kvk", "87654321"]
    )
    assert created.exit_code == 0, created.output
    org = any_platform.registry.organisation_by_slug(slug)
    any_orgs.created.append(org)

    added = runner.invoke(
        main,
        [
            "users",
            "add",
            "--email",
            f"{slug}@x.nl",
            "--name",
            "Anna",
            "--org",
            slug,
            "--role",
            "jobcoach",
            "--password",
            "lang-genoeg-wachtwoord",
        ],
    )
    assert added.exit_code == 0, added.output
    refused = runner.invoke(main, ["clients", "create", "--org", slug, "--role", "jobcoach"])
    assert refused.exit_code != 0 and "gebruiker" in refused.output  # jobcoach needs --user
    client = runner.invoke(
        main, ["clients", "create", "--org", slug, "--role", "jobcoach", "--user", f"{slug}@x.nl"]
    )
    assert client.exit_code == 0 and "client_secret=" in client.output

    listing = runner.invoke(main, ["orgs", "list"])
    assert slug in listing.output

    status = runner.invoke(main, ["projections", "status"])
    assert status.exit_code == 0 and "directory" in status.output and "caseload" in status.output

    rebuilt = runner.invoke(main, ["projections", "rebuild", "--view", "directory"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "ev" in rebuilt.stderr  # the progress bar
    members = any_platform.directory.members(org.id)
    assert [m["name"] for m in members] == ["Anna"]

    bad = runner.invoke(main, ["orgs", "create", "--name", "X", "--slug", "Bad Slug", "--kvk", "1"])
    assert bad.exit_code != 0 and "Slug" in bad.output and "Traceback" not in bad.output


def test_sweeper_catches_up_a_view_that_fell_behind(any_platform, any_orgs):
    from projections.runtime import rebuild, sweep

    org = any_orgs.create()
    coach = any_orgs.member(org, "jobcoach")
    app = any_platform.trajectories(org.id)
    for n in range(5):
        app.start_trajectory(app.register_client({"name": f"Cliënt {n}"}).id, "UWV", coach.id)
    view = any_platform.view(CaseloadView, org.id)
    view.clear()  # as if the catch-up jobs had been lost
    assert lag(view) > 0 and view.open_trajectories() == []
    sweep(any_platform)
    assert lag(view) == 0 and len(view.open_trajectories()) == 5
    assert rebuild(view) == 5 + 0  # five Created events of interest
    assert len(view.open_trajectories()) == 5


def test_batches_write_one_tracking_record_per_transaction(any_platform, any_orgs):
    from services.kernel.views import catch_up

    org = any_orgs.create()
    coach = any_orgs.member(org, "jobcoach")
    app = any_platform.trajectories(org.id)
    for n in range(25):
        app.start_trajectory(app.register_client({"name": f"Cliënt {n}"}).id, "UWV", coach.id)
    view = any_platform.view(CaseloadView, org.id)
    view.clear()
    batches = []
    assert catch_up(view, batch_size=10, progress=batches.append) == 25
    # three batches of 10, 10 and 5 trajectories; progress counts the notification ids
    # each batch covered, client registrations in between included
    assert len(batches) == 3 and sum(batches) == app.recorder.max_notification_id()
    assert view.position() == app.recorder.max_notification_id()


def test_admin_remedies_reset_totp_revoke_client_configure_oidc(any_platform, any_orgs):
    org = any_orgs.create()
    coach = any_orgs.member(org, "manager")
    registry = any_platform.registry
    registry.enrol_totp(coach.id, "JBSWY3DPEHPK3PXP")
    client, _ = registry.register_api_client(org.id, "manager", "koppeling")
    runner = CliRunner(env=_env(any_platform.settings))

    reset = runner.invoke(main, ["users", "reset-totp", "--email", coach.email])
    assert reset.exit_code == 0, reset.output
    assert registry.user(coach.id).totp_secret is None

    revoked = runner.invoke(main, ["clients", "revoke", str(client.id)])
    assert revoked.exit_code == 0 and registry.api_client(str(client.id)).revoked
    unknown = runner.invoke(main, ["clients", "revoke", "not-a-client"])
    assert unknown.exit_code != 0 and "Traceback" not in unknown.output

    oidc = runner.invoke(
        main,
        [
            "orgs",
            "oidc",
            "--org",
            org.slug,
            "--issuer",
            "https://login.example.nl/",
            "--client-id",
            "jobtrail",
            "--client-secret",
            "geheim",
        ],
    )
    assert oidc.exit_code == 0, oidc.output
    assert registry.organisation(org.id).oidc_issuer == "https://login.example.nl/"  # exact pin
    plain_http = runner.invoke(
        main,
        [
            "orgs",
            "oidc",
            "--org",
            org.slug,
            "--issuer",
            "http://login.example.nl",
            "--client-id",
            "x",
            "--client-secret",
            "y",
        ],
    )
    assert plain_http.exit_code != 0 and "https" in plain_http.output


def test_rebuild_command_swaps_every_view_but_refuses_the_audit_log(any_platform, any_orgs):
    from uuid import uuid4

    from services.kernel.views import catch_up

    org = any_orgs.create()
    app = any_platform.trajectories(org.id)
    for n in range(3):
        app.start_trajectory(app.register_client({"name": f"Cliënt {n}"}).id, "UWV", uuid4())
    trail = any_platform.audit_trails(org.id)[0]
    trail.catch_up()
    leaves = trail.query("SELECT COUNT(*) FROM {t}audit_leaves")
    runner = CliRunner(env=_env(any_platform.settings))

    everything = runner.invoke(main, ["projections", "rebuild", "--org", org.slug])
    assert everything.exit_code == 0, everything.output
    assert f"{org.slug}/audit_log: overgeslagen" in everything.stderr
    assert f"{org.slug}/trajectory_caseload" in everything.stderr  # its progress bar
    caseload = any_platform.view(CaseloadView, org.id)
    assert len(caseload.open_trajectories()) == 3 and lag(caseload) == 0
    assert trail.query("SELECT COUNT(*) FROM {t}audit_leaves") == leaves

    refused = runner.invoke(main, ["projections", "rebuild", "--view", "audit_log"])
    assert refused.exit_code != 0 and "alleen-toevoegen" in refused.output
    assert "Traceback" not in refused.output
    unknown = runner.invoke(main, ["projections", "rebuild", "--view", "bestaat-niet"])
    assert unknown.exit_code != 0 and "Geen view" in unknown.output
    assert catch_up(caseload) == 0  # the swapped-in generation was complete
