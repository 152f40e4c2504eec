"""The real retention run from the officer's page: confirm exactly what the dry run
showed; inline on the embedded default, and as an RQ job with progress on PostgreSQL with
a real Redis and a real worker process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta
from uuid import UUID

import pytest

from services.catalogue import Platform
from services.kernel import context, provision
from services.privacy.office import PrivacyOffice
from tests.api.privacy_web_support import privacy_desk
from tests.conftest import REDIS_URL, Orgs

FIELD = r'name="confirm-{}"[^>]*value="([^"]*)"'


def _two_old_files(desk):
    """Two clients without a trajectory (C-0003, C-0004) and a one-month client_file rule;
    the clock moves two months on, so both are due (C-0001/2 are kept: open trajectories)."""
    trajectories = desk.platform.trajectories(desk.org.id)
    with context.acting(desk.org.id, f"user:{desk.officer.id}"):
        old = [trajectories.register_client({"name": f"Oud Dossier {n}"}) for n in (3, 4)]
        PrivacyOffice(desk.platform, desk.org.id).set_retention("client_file", 1)
    desk.clock.set(date.today() + timedelta(days=62))
    return old


def _dry_run(desk):
    page = desk.officer_web.post(f"{desk.base}/bewaartermijnen/proefdraai", "run-")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "zou wissen: 2." in html
    assert "Bewaard wegens lopend traject: C-0001, C-0002" in html
    return (re.search(FIELD.format("confirmed"), html)[1], re.search(FIELD.format("on"), html)[1])


def test_the_officer_confirms_the_dry_run_and_it_runs_inline(app, platform, orgs):
    desk = privacy_desk(app, platform, orgs)
    old = _two_old_files(desk)
    web, run = desk.officer_web, f"{desk.base}/bewaartermijnen/uitvoeren"
    confirmed, on = _dry_run(desk)
    assert confirmed == "C-0003,C-0004" and on == desk.clock.now().date().isoformat()

    unconfirmed = web.post(run, "confirm-", confirmed=confirmed, on=on)
    assert unconfirmed.status_code == 422
    assert "Bevestig dat deze dossiers definitief gewist worden." in unconfirmed.get_data(
        as_text=True)
    stale = web.post(run, "confirm-", confirmed=confirmed, on="2020-01-01", confirm="y")
    assert stale.status_code == 422 and "van een andere dag" in stale.get_data(as_text=True)
    forged = web.post(run, "confirm-", confirmed="Eva Voorbeeld", on=on, confirm="y")
    assert forged.status_code == 422
    office = PrivacyOffice(platform, desk.org.id)
    assert not any(office.is_erased(c.id) for c in old)

    done = web.post(run, "confirm-", confirmed="C-0003", on=on, confirm="y")  # one of the two
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "gewist: 1." in html
    assert re.search(r'<ul class="erased"><li>C-0003</li></ul>', html)
    assert "niet bevestigd en dus niet gewist: C-0004" in html
    assert office.is_erased(old[0].id) and not office.is_erased(old[1].id)
    assert [e["pseudonym"] for e in office.registers.erasures()] == ["C-0003"]
    coach = desk.browser(desk.coach)
    assert coach.post(run, "confirm-", confirmed="C-0004", on=on, confirm="y").status_code == 404
    assert not office.is_erased(old[1].id)


@pytest.fixture
def queued(pg_settings, redis_connection):
    settings = pg_settings.with_(redis_url=REDIS_URL)
    platform = Platform(settings)
    platform.provision_platform()
    orgs = Orgs(platform)
    yield platform, orgs
    platform.close()
    orgs.cleanup()
    provision.drop_schema(settings, None)


def _env(settings):
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "SECRET_KEY": settings.secret_key,
        "JOBTRAIL_CIPHER_KEY": settings.cipher_key,
        "JOBTRAIL_DATA_DIR": settings.data_dir,
        "JOBTRAIL_PLATFORM_SCHEMA": settings.platform_schema,
        "JOBTRAIL_AUDIT_KEY_DIR": settings.audit_key_dir,
    }


def test_the_confirmed_run_is_a_job_with_progress_run_by_a_real_worker(queued):
    from rq.job import Job

    from services.app import create_app

    platform, orgs = queued
    desk = privacy_desk(create_app(platform.settings, platform), platform, orgs)
    old = _two_old_files(desk)
    web = desk.officer_web
    confirmed, on = _dry_run(desk)
    started = web.post(f"{desk.base}/bewaartermijnen/uitvoeren", "confirm-",
                       confirmed=confirmed, on=on, confirm="y")
    assert started.status_code == 302
    status_url = started.headers["Location"]
    run_id = re.search(r"id=([0-9a-f]{32})$", status_url)[1]
    waiting = web.get(status_url)
    assert waiting.status_code == 200 and waiting.headers["Refresh"] == "2"
    assert "De taak staat klaar" in waiting.get_data(as_text=True)
    job = Job.fetch(f"retention-{run_id}", connection=platform.jobs.queue.connection)
    assert "Oud Dossier" not in repr(job.args)  # pseudonyms and a date only
    other_org = orgs.create("Elders")
    other = desk.browser(orgs.member(other_org, "quality_officer"))
    assert other.get(status_url.replace(desk.org.slug, other_org.slug)).status_code == 404

    worker = subprocess.run(
        [sys.executable, "-m", "services.cli", "worker", "--burst"],
        env=_env(platform.settings), capture_output=True, text=True, timeout=180,
    )
    assert worker.returncode == 0, worker.stderr
    job = Job.fetch(f"retention-{run_id}", connection=platform.jobs.queue.connection)
    assert job.get_status() == "finished", worker.stderr
    assert job.meta["progress"] == {"done": 2, "total": 2, "message": "C-0004"}

    finished = web.get(status_url)
    html = finished.get_data(as_text=True)
    assert finished.status_code == 200 and "Refresh" not in finished.headers
    assert "gewist: 2." in html and "<li>C-0003</li><li>C-0004</li>" in html
    office = PrivacyOffice(platform, desk.org.id)
    assert all(office.is_erased(UUID(str(c.id))) for c in old)
    assert not office.is_erased(desk.mine.id)
    assert web.get(f"{desk.base}/bewaartermijnen/uitvoering?id={'0' * 32}").status_code == 404
