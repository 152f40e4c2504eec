"""Evidence packs: figures against hand-computed expectations on a fixed dataset,
"geen gegevens" where no read model exists, and the export as an RQ job (real Redis,
real worker process) whose signed pack jobtrail-verify accepts, and rejects once changed."""

import json
import os
import subprocess
import sys
from datetime import date
from uuid import uuid4

import pytest

from services.audit.evidence import MET, NO_DATA, NOT_MET, build_pack, norms
from services.audit.trail import AuditLog
from services.catalogue import Platform
from services.kernel import context, provision
from services.platform.domainmodel import User
from services.quality.complaints.application import Complaints, default_regulation

START, END, TODAY = date(2026, 1, 1), date(2026, 12, 31), date(2026, 11, 26)


def _dataset(platform, orgs):
    """3 complaints in the period (1 acknowledged in time, 1 late, 1 never) and one
    before it; 2 open trajectories, one of whose jobcoach has left the organisation."""
    org = orgs.create()
    stays, leaves = orgs.member(org, "jobcoach"), orgs.member(org, "jobcoach")
    keys = platform.subject_keys(org.id)
    with context.acting(org.id, "user:test"):
        trajectories = platform.trajectories(org.id)
        trajectories.start_trajectory(uuid4(), "UWV", stays.id)
        orphan = trajectories.start_trajectory(uuid4(), "Gemeente", leaves.id)
        complaints = platform.app(Complaints, org.id)
        complaints.adopt_regulation(default_regulation(), date(2025, 1, 1))

        def receive(on):
            return complaints.receive(
                keys,
                complainant_name="Klager Canary-9b",
                complainant_contact="",
                summary="Afspraken werden niet nagekomen",
                complainant_kind="client",
                received_on=on,
            )

        in_time, late, never = (receive(date(2026, 3, 2)) for _ in range(3))
        receive(date(2025, 6, 2))  # outside the period
        complaints.acknowledge(in_time.id, date(2026, 3, 3))
        complaints.acknowledge(late.id, date(2026, 4, 30))
    platform.registry.update(leaves.id, User, lambda u: u.revoke_membership(org.id))
    from projections.runtime import sweep

    sweep(platform)
    return org, {"orphan": orphan.id, "late": late.id, "never": never.id}


def _figures(pack, requirement):
    (found,) = [r for r in pack["requirements"] if r["id"] == requirement]
    return found, {f["key"]: f for f in found["figures"]}


def test_figures_match_hand_computed_expectations(any_platform, any_orgs):
    org, ids = _dataset(any_platform, any_orgs)
    pack = build_pack(any_platform, org, "blik-op-werk", START, END, today=TODAY)

    complaints, figures = _figures(pack, "klachten")
    assert figures["klachten_in_periode"]["value"] == 3
    assert figures["klachten_ontvangst_binnen_termijn"]["value"] == "1 van 3"
    assert figures["klachten_ontvangst_binnen_termijn"]["status"] == NOT_MET
    assert figures["klachten_besluit_binnen_termijn"]["value"] == "0 van 3"  # 6 weeks passed
    assert complaints["status"] == NOT_MET
    linked = {e["originator_id"] for e in complaints["events"]}
    assert {str(ids["late"]), str(ids["never"])} <= linked

    continuity, figures = _figures(pack, "continuiteit")
    assert figures["open_trajecten"]["value"] == 2
    assert figures["trajecten_zonder_jobcoach"]["value"] == 1
    assert continuity["status"] == NOT_MET
    assert str(ids["orphan"]) in {e["originator_id"] for e in continuity["events"]}

    privacy, figures = _figures(pack, "privacy")
    assert figures["verzoeken_over_termijn"]["value"] == 0 and privacy["status"] == MET

    # no read model yet: honestly "geen gegevens", never a number
    for requirement in ("tevredenheid", "intervisie", "resultaten"):
        found, figures = _figures(pack, requirement)
        assert found["status"] == NO_DATA
        assert all(f["value"] is None for f in figures.values())
    assert "gemiddelde_tevredenheid" in pack["no_data"]

    # every linked event carries an inclusion proof against the pack's checkpoint
    from services.audit.merkle import verify_inclusion

    root = bytes.fromhex(pack["checkpoint"]["root"])
    for requirement in pack["requirements"]:
        for event in requirement["events"]:
            assert verify_inclusion(
                bytes.fromhex(event["leaf_hash"]),
                event["leaf_index"],
                pack["checkpoint"]["tree_size"],
                [bytes.fromhex(p) for p in event["proof"]],
                root,
            )
    assert "Canary" not in json.dumps(pack)


def test_the_mapping_is_versioned_data_covering_every_mark():
    data = norms()
    assert data["version"]
    assert set(data["marks"]) == {"blik-op-werk", "oval", "uwv", "registers"}
    bow = {n["title"] for n in data["marks"]["blik-op-werk"]["norms"]}
    assert {"Hoofdnorm Organisatie", "Hoofdnorm Resultaten", "Hoofdnorm Tevredenheid"} == bow


# Export: an RQ job with progress, run by a real worker process --------------------------

REDIS_DB_URL = "redis://127.0.0.1:6379/13"  # a database of its own: other suites flush 15


@pytest.fixture
def queued(pg_settings):
    import redis

    connection = redis.from_url(REDIS_DB_URL, socket_timeout=3)
    try:
        connection.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is required for this test: {error}", pytrace=False)
    connection.flushdb()
    platform = Platform(pg_settings.with_(redis_url=REDIS_DB_URL))
    platform.provision_platform()
    created = []
    yield platform, created
    platform.close()
    for org in created:
        provision.drop_schema(pg_settings, org.id)
    provision.drop_schema(pg_settings, None)
    connection.flushdb()


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


def test_pack_export_runs_as_a_job_and_verifies_offline(queued, tmp_path):
    from rq.job import Job

    from services.audit.jobs import pack_dir

    platform, created = queued
    org = platform.create_organisation("Dossier", f"d-{uuid4().hex[:8]}", "12345678")
    created.append(org)
    coach = platform.registry.register_user(f"{uuid4().hex[:8]}@x.nl", "C", "wachtwoord-123")
    platform.registry.grant_membership(coach.id, org.id, "jobcoach")
    export_id = uuid4().hex
    with context.acting(org.id, f"user:{coach.id}"):
        platform.trajectories(org.id).start_trajectory(uuid4(), "UWV", coach.id)
        job_id = platform.jobs.enqueue(
            "services.audit.jobs:export_evidence_pack",
            org.id,
            "blik-op-werk",
            START.isoformat(),
            END.isoformat(),
            export_id,
            job_id=f"evidence-{export_id}",
        )
    assert job_id == f"evidence-{export_id}"
    worker = subprocess.run(
        [sys.executable, "-m", "services.cli", "worker", "--burst"],
        env=_env(platform.settings),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert worker.returncode == 0, worker.stderr
    job = Job.fetch(job_id, connection=platform.jobs.queue.connection)
    assert job.get_status() == "finished", worker.stderr
    assert job.meta["progress"]["done"] == job.meta["progress"]["total"] == 6

    folder = pack_dir(platform, org.id, export_id)
    names = {p.name for p in folder.iterdir()}
    assert {
        "bewijsdossier.pdf",
        "bewijsdossier.json",
        "bewijsdossier.csv",
        "manifest.txt",
        "checkpoint.txt",
    } <= names
    assert (folder / "bewijsdossier.pdf").read_bytes().startswith(b"%PDF")
    assert "Blik op Werk" in (folder / "bewijsdossier.csv").read_text()
    vkey = AuditLog(platform, org.id).vkey()
    verify = [
        sys.executable,
        "-m",
        "services.audit.verifier",
        "--pack",
        str(folder),
        "--vkey",
        vkey,
    ]
    ok = subprocess.run(verify, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr

    (folder / "bewijsdossier.csv").write_text("keurmerk;status\nBlik op Werk;voldaan\n")
    changed = subprocess.run(verify, capture_output=True, text=True, timeout=60)
    assert changed.returncode == 1 and "gewijzigd" in changed.stdout
