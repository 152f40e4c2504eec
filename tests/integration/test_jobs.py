"""Jobs through a real Redis and a real RQ worker process; Redis down delays, never loses."""

import os
import subprocess
import sys
from uuid import uuid4

import pytest

from projections.runtime import sweep
from services.catalogue import Platform
from services.kernel import context, provision
from services.kernel.views import lag
from services.trajectories.caseload import CaseloadView
from tests.conftest import REDIS_URL  # noqa: F401  (same server the fixture checked)


def _env(settings, redis_url):
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": settings.secret_key,
        "JOBTRAIL_CIPHER_KEY": settings.cipher_key,
        "JOBTRAIL_DATA_DIR": settings.data_dir,
        "JOBTRAIL_PLATFORM_SCHEMA": settings.platform_schema,
    }


@pytest.fixture
def queued_platform(pg_settings, redis_connection):
    from tests.conftest import REDIS_URL as url

    platform = Platform(pg_settings.with_(redis_url=url))
    platform.provision_platform()
    created = []
    yield platform, created, url
    platform.close()
    for org in created:
        provision.drop_schema(pg_settings, org.id)
    provision.drop_schema(pg_settings, None)


def test_a_real_worker_brings_views_up_to_date(queued_platform, redis_connection):
    platform, created, url = queued_platform
    org = platform.create_organisation("Wachtrij", f"q-{uuid4().hex[:8]}", "12345678")
    created.append(org)
    coach = platform.registry.register_user(f"{uuid4().hex[:8]}@x.nl", "C", "wachtwoord-123")
    platform.registry.grant_membership(coach.id, org.id, "jobcoach")
    with context.acting(org.id, f"user:{coach.id}"):
        app = platform.trajectories(org.id)
        app.start_trajectory(app.register_client({"name": "Cliënt"}).id, "UWV", coach.id)
    caseload = platform.view(CaseloadView, org.id)
    assert lag(caseload) > 0  # queued, not yet run

    queued = platform.jobs.queue.get_jobs()
    assert queued, "the command should have queued a catch-up job"
    # one waiting catch-up per (organisation, application), however many commands ran
    assert len(queued) == len({job.args[1:] and (job.args[1], job.args[3]) for job in queued})
    for job in queued:  # ids only: never personal data in job payloads
        assert all(arg is None or isinstance(arg, str) for arg in job.args)
        assert job.args[0] == "projections.jobs:catch_up_app"
        assert job.retry_intervals  # a Retry policy is attached

    result = subprocess.run(
        [sys.executable, "-m", "services.cli", "worker", "--burst"],
        env=_env(platform.settings, url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert lag(caseload) == 0
    assert len(caseload.open_trajectories(coach.id)) == 1


def test_commands_commit_while_redis_is_down(pg_settings):
    platform = Platform(pg_settings.with_(redis_url="redis://127.0.0.1:1/0"))  # nothing listens
    platform.provision_platform()
    org = platform.create_organisation("Zonder Redis", f"r-{uuid4().hex[:8]}", "12345678")
    try:
        coach = platform.registry.register_user(f"{uuid4().hex[:8]}@x.nl", "C", "wachtwoord-123")
        platform.registry.grant_membership(coach.id, org.id, "jobcoach")
        app = platform.trajectories(org.id)
        client = app.register_client({"name": "Cliënt"})
        trajectory = app.start_trajectory(client.id, "UWV", coach.id)
        assert app.trajectory(trajectory.id).version == 1  # committed
        caseload = platform.view(CaseloadView, org.id)
        assert lag(caseload) > 0
        assert sweep(platform) > 0  # the sweeper catches up once it runs
        assert lag(caseload) == 0
    finally:
        platform.close()
        provision.drop_schema(pg_settings, org.id)
        provision.drop_schema(pg_settings, None)
