"""Retention per organisation with a controllable clock; the daily job; the CLI."""

from __future__ import annotations

from datetime import date, timedelta

from click.testing import CliRunner

from services.kernel import context
from services.privacy import retention
from services.privacy.clock import FrozenClock
from services.privacy.jobs import daily
from services.privacy.office import PrivacyOffice


def _setup(platform, orgs):
    org = orgs.create()
    officer = orgs.member(org, "quality_officer")
    coach = orgs.member(org, "jobcoach")
    office = PrivacyOffice(platform, org.id)
    clock = FrozenClock(date.today())
    office.app.clock = clock
    return org, officer, coach, office, clock


def test_retention_erases_what_is_due_and_reports(any_platform, any_orgs):
    org, officer, coach, office, clock = _setup(any_platform, any_orgs)
    trajectories = any_platform.trajectories(org.id)
    with context.acting(org.id, f"user:{officer.id}"):
        old = trajectories.register_client({"name": "Oud Dossier"})
        busy = trajectories.register_client({"name": "Loopt Nog"})
        trajectories.start_trajectory(busy.id, "UWV", coach.id)
        report = retention.run(office)
        assert report.rule_months is None and "geen bewaartermijn" in report.lines()[0]
        office.set_retention("client_file", 24)
        clock.set(date.today() + timedelta(days=730 - 2))
        assert retention.run(office, dry_run=True).due == []  # not yet
        clock.set(date.today() + timedelta(days=731 + 1))
        dry = retention.run(office, dry_run=True)
        assert [d["pseudonym"] for d in dry.due] == ["C-0001"] and dry.erased == []
        assert dry.kept_open_trajectory == ["C-0002"]
        assert not office.is_erased(old.id)
        done = retention.run(office)
        assert done.erased == ["C-0001"] and office.is_erased(old.id)
        assert trajectories.opener().open(trajectories.client(old.id).contact["name"]) == "[gewist]"
        assert (
            trajectories.opener().open(trajectories.client(busy.id).contact["name"]) == "Loopt Nog"
        )
        assert retention.run(office).due == []  # erased ones are not due again
    erasure = office.registers.erasures()[0]
    assert erasure["legal_basis"] == "retention" and erasure["pseudonym"] == "C-0001"


def test_daily_job_flags_missed_deadlines_in_the_history(any_platform, any_orgs):
    org, officer, _, office, clock = _setup(any_platform, any_orgs)
    clock.set(date(2026, 1, 10))
    with context.acting(org.id, f"user:{officer.id}"):
        client = any_platform.trajectories(org.id).register_client({"name": "Te Laat"})
        request = office.register_request(client.id, "erasure", "email")
        clock.set(date(2026, 2, 10))
        assert daily(any_platform)["flagged_overdue"] == []
        clock.set(date(2026, 2, 11))
        assert daily(any_platform)["flagged_overdue"] == [str(request.id)]
        assert daily(any_platform)["flagged_overdue"] == []  # once
        row = office.requests_view.requests(office.today())[0]
        assert row["overdue"] and row["deadline_missed_on"] == "2026-02-11"
        # completing late keeps the miss on record
        from services.privacy.erasure import erase_client

        erase_client(office, client.id, "art17_1a", request_id=request.id)
        row = office.requests_view.requests(office.today())[0]
        assert row["status"] == "completed" and row["late"] and row["deadline_missed_on"]


def test_cli_retention_dry_run(pg_platform, pg_orgs, monkeypatch):
    from services.cli import main

    org, officer, _, office, _ = _setup(pg_platform, pg_orgs)
    with context.acting(org.id, f"user:{officer.id}"):
        office.set_retention("client_file", 12)
    settings = pg_platform.settings
    for name, value in {
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "JOBTRAIL_CIPHER_KEY": settings.cipher_key,
        "JOBTRAIL_DATA_DIR": settings.data_dir,
        "JOBTRAIL_PLATFORM_SCHEMA": settings.platform_schema,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("REDIS_URL", raising=False)
    result = CliRunner().invoke(main, ["privacy", "retention", "--org", org.slug, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert (
        "bewaartermijn cliëntdossier 12 maanden" in result.output and "proefdraai" in result.output
    )


def _closed_complaint(platform, org, keys, name, summary, on, subject_id=None):
    from services.quality.complaints.application import Complaints

    app = platform.app(Complaints, org.id)
    kind = "client" if subject_id else "werkgever"
    complaint = app.receive(keys, complainant_name=name, complainant_contact="06-11112222",
                            summary=summary, complainant_kind=kind, subject_id=subject_id,
                            received_on=on)
    app.acknowledge(complaint.id, on)
    app.record_hearing(keys, complaint.id, "hoorgesprek", "Gesprek met de klager gevoerd", on)
    app.decide(keys, complaint.id, "not_upheld", "Afspraken zijn wel nagekomen", on)
    app.close_complaint(complaint.id, on)
    return app.complaint(complaint.id)


def test_complaint_files_of_outside_complainants_are_erased_after_closing(any_platform, any_orgs):
    from services.quality.clock import FixedClock
    from services.quality.complaints.application import Complaints, default_regulation

    org, officer, _, office, clock = _setup(any_platform, any_orgs)
    keys = any_platform.subject_keys(org.id)
    complaints = any_platform.app(Complaints, org.id)
    complaints.clock = FixedClock(date(2026, 3, 2))
    with context.acting(org.id, f"user:{officer.id}"):
        complaints.adopt_regulation(default_regulation(), date(2026, 1, 1))
        client = any_platform.trajectories(org.id).register_client({"name": "Klagende Client"})
        employer = _closed_complaint(any_platform, org, keys, "Werkgever Jansen BV",
                                     "De jobcoach belde nooit terug over de plaatsing",
                                     date(2026, 3, 2))
        own = _closed_complaint(any_platform, org, keys, "Klagende Client",
                                "Mijn afspraken werden steeds verzet door de jobcoach",
                                date(2026, 3, 2), subject_id=client.id)
        office.set_retention("complaint_file", 12)
        clock.set(date(2027, 3, 1))
        assert retention.run(office, dry_run=True).complaints["due"] == []  # not yet
        clock.set(date(2027, 3, 2))
        dry = retention.run(office, dry_run=True)
        pseudonym = retention.complaint_pseudonym(employer.id)
        assert dry.complaints["due"] == [{"pseudonym": pseudonym, "closed_on": "2026-03-02"}]
        assert dry.complaints["kept_client_file"] == ["C-0001"]
        assert dry.rule_months is None and f"  - {pseudonym} (gesloten 2026-03-02)" in dry.lines()
        assert keys.open(employer.complainant) != "[gewist]"

        done = retention.run(office)
        assert done.complaints["erased"] == [pseudonym] and done.complaints["errors"] == []
        assert keys.open(complaints.complaint(employer.id).complainant) == "[gewist]"
        assert keys.open(complaints.complaint(employer.id).summary) == "[gewist]"
        assert "afspraken" in keys.open(complaints.complaint(own.id).summary)  # client file's
        assert complaints.complaint(employer.id).status == "closed"  # the facts stay
        assert retention.run(office).complaints["due"] == []  # erased once
    erasure = office.registers.erasures()[0]
    assert (erasure["pseudonym"], erasure["legal_basis"]) == (pseudonym, "retention")
    assert not office.is_erased(client.id)
