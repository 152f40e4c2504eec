"""Audit benchmarks (issue 6). Prints figures; the last line is one JSON object with
`verify_100k_s`, `evidence_pack_s` and `catchup_ratio`.

    python bench/audit.py                      # embedded SQLite store in a temp dir
    python bench/audit.py --postgres URL       # PostgreSQL (owner URL; schemas dropped after)

verify_100k_s     offline `jobtrail-verify` of an export of 100,000 records (~300 bytes
                  each, the size of a typical stored event) with one signed checkpoint.
evidence_pack_s   build_pack for Blik op Werk over 12 months, for an organisation with
                  1,000 trajectories (each started and handed over once) and complaints.
catchup_ratio     audit-log catch-up rate / bare notification-log read rate, both in
                  events per second over the same events in the same run (alternated
                  five times, the best rate of each side kept). The read side is the
                  library's `select_notifications` in batches of 1000, unchanged; the
                  catch-up side is `projections.runtime.catch_up_view` (the audit view's
                  own catch-up: one INSERT … SELECT per batch on PostgreSQL, one query
                  and hashlib on SQLite; see projections/audit_log.py).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.audit import record  # noqa: E402
from services.audit.checkpoint import load_or_create_signing_key, sign_checkpoint, vkey  # noqa: E402
from services.audit.merkle import MerkleTree, leaf_hash  # noqa: E402


def bench_verify(folder: Path, count: int = 100_000) -> float:
    from services.audit import verifier

    key = load_or_create_signing_key(folder / "keys", "bench")
    hashes = []
    (folder / "export" / "checkpoints").mkdir(parents=True)
    with (folder / "export" / "records.jsonl").open("w") as lines:
        for index in range(count):
            data = record.encode("trajectories", index + 1, uuid4(), 1, "x:Trajectory.Created",
                                 os.urandom(260))
            hashes.append(leaf_hash(data))
            lines.write(json.dumps({"index": index, "record": base64.b64encode(data).decode()})
                        + "\n")
    origin = "bench.local/audit/bench"
    note = sign_checkpoint(origin, count, MerkleTree(hashes).root(), key, origin)
    (folder / "export" / "checkpoints" / "checkpoint.txt").write_text(note)
    started = time.perf_counter()
    code = verifier.main([str(folder / "export"), "--vkey", vkey(origin, key.public_key()),
                          "--json"])
    elapsed = time.perf_counter() - started
    assert code == 0, "the benchmark export must verify"
    return elapsed


def _platform(folder: Path, postgres: str | None):
    from services.catalogue import Platform
    from services.kernel.settings import Settings, embedded_settings, new_cipher_key

    if postgres:
        settings = Settings(
            database_url=postgres, platform_schema=f"platform_b{secrets.token_hex(4)}",
            data_dir=str(folder / "var"), secret_key=secrets.token_urlsafe(16),
            cipher_key=new_cipher_key(), token_signing_key_file=str(folder / "token.pem"),
            audit_key_dir=str(folder / "audit-keys"),
        )
    else:
        settings = embedded_settings(folder / "jobtrail")
    platform = Platform(settings)
    platform.provision_platform()
    return platform


def _seed(platform, trajectories: int):
    from services.kernel import context
    from services.quality.complaints.application import Complaints, default_regulation
    from services.trajectories.domainmodel import Trajectory

    org = platform.create_organisation("Bench", f"b-{secrets.token_hex(4)}", "12345678")
    coaches = []
    for n in range(20):
        user = platform.registry.register_user(f"c{n}-{secrets.token_hex(3)}@b.nl", "C",
                                               "wachtwoord-123")
        platform.registry.grant_membership(user.id, org.id, "jobcoach")
        coaches.append(user.id)
    app = platform.trajectories(org.id)
    keys = platform.subject_keys(org.id)
    with context.acting(org.id, "bench"):
        batch = []
        text = "Warme overdracht wegens verlof van de jobcoach"
        note = keys.seal(uuid4(), text)  # notes about a client are sealed (one key: bench data)
        for n in range(trajectories):
            t = Trajectory(uuid4(), "UWV", coaches[n % 20])
            try:
                t.reassign(coaches[(n + 1) % 20], note)
            except (AttributeError, TypeError):  # a domain that still takes the note in clear
                t.reassign(coaches[(n + 1) % 20], text)
            batch.append(t)
            if len(batch) == 250:
                app.save(*batch)
                batch = []
        if batch:
            app.save(*batch)
        complaints = platform.app(Complaints, org.id)
        complaints.adopt_regulation(default_regulation(), date.today() - timedelta(days=400))
        for n in range(40):
            c = complaints.receive(
                keys, complainant_name="Klager", complainant_contact="",
                summary="Afspraken werden niet nagekomen", complainant_kind="client",
                received_on=date.today() - timedelta(days=5 + 8 * n),
            )
            if n % 3:
                complaints.acknowledge(c.id, date.today() - timedelta(days=3 + 8 * n))
    from projections.runtime import sweep

    sweep(platform)
    return org


def bench_evidence(platform, org) -> float:
    from services.audit.evidence import build_pack

    end = date.today()
    started = time.perf_counter()
    pack = build_pack(platform, org, "blik-op-werk", end - timedelta(days=365), end)
    elapsed = time.perf_counter() - started
    assert pack["requirements"]
    return elapsed


def bench_catchup(platform, org, rounds: int = 5) -> tuple[float, float, int]:
    """Read rate of the bare log vs the audit projection, over the same events.

    Alternated `rounds` times, the best of each kept: on a shared machine a neighbour's
    burst slows one timing by 2-3x, and both sides get the same treatment."""
    from projections.runtime import catch_up_view
    from services.audit.trail import AuditLog

    log = AuditLog(platform, org.id)
    trail = next(t for t in log.trails if t.app.name == "trajectories")
    app = trail.app
    read_rates, catchup_rates = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        count, start = 0, 1
        while True:
            batch = app.recorder.select_notifications(start=start, limit=1000)
            count += len(batch)
            if len(batch) < 1000:
                break
            start = batch[-1].id + 1
        read_rates.append(count / (time.perf_counter() - started))
        _forget(platform, trail)
        started = time.perf_counter()
        applied = catch_up_view(trail)
        catchup_rates.append(applied / (time.perf_counter() - started))
    return max(read_rates), max(catchup_rates), count


def _forget(platform, trail) -> None:
    """Bench only: forget the log (the product never does: clear() is a no-op, and on
    PostgreSQL the app role cannot delete leaves at all), so that it can be replayed."""
    statements = [
        "DELETE FROM {t}audit_leaves",
        "DELETE FROM {t}audit_checkpoints",
        f"DELETE FROM {{t}}{trail.tracking_table}",
    ]
    empty = json.dumps({"size": 0, "hashes": []})
    if trail.postgres:  # as the owner (a superuser here), whom row-level security lets by
        from services.kernel import provision

        with provision.connect_owner(platform.settings) as conn:
            # TRUNCATE, not DELETE: a DELETE leaves dead leaves behind in both unique
            # indexes, and every replayed leaf then paid a heap visit per dead duplicate
            # (~15% of the catch-up). The product never deletes a leaf, so a log it
            # appends to never has dead ones; the replay should not either.
            conn.execute(f"TRUNCATE {trail.prefix}audit_leaves, {trail.prefix}audit_checkpoints")
            for statement in statements[2:]:
                conn.execute(statement.replace("{t}", trail.prefix))
            conn.execute(f"UPDATE {trail.prefix}audit_head SET tree_size = 0, compact = %s",
                         (empty,))
        return
    with trail.rows() as rows:
        for statement in statements:
            rows.execute(statement)
        rows.execute("UPDATE {t}audit_head SET tree_size = 0, compact = %s WHERE id = 1",
                     (empty,))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="owner URL, e.g. postgresql://postgres@127.0.0.1/test")
    parser.add_argument("--trajectories", type=int, default=1000)
    parser.add_argument("--catchup-trajectories", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        verify_s = bench_verify(folder / "verify")
        print(f"offline verification of 100,000 records: {verify_s:.2f} s (target < 5 s)")
        platform = _platform(folder, args.postgres)
        created = []
        try:
            org = _seed(platform, args.trajectories)
            created.append(org)
            pack_s = bench_evidence(platform, org)
            print(f"evidence pack, {args.trajectories} trajectories: {pack_s:.2f} s "
                  "(target < 10 s)")
            big = _seed(platform, args.catchup_trajectories)
            created.append(big)
            read_rate, catchup_rate, count = bench_catchup(platform, big)
            ratio = catchup_rate / read_rate
            print(f"{count} events: log read {read_rate:,.0f} ev/s, audit catch-up "
                  f"{catchup_rate:,.0f} ev/s, ratio {ratio:.2f} (target >= 0.5)")
        finally:
            platform.close()
            if args.postgres:
                from services.kernel import provision

                for org in created:
                    provision.drop_schema(platform.settings, org.id)
                provision.drop_schema(platform.settings, None)
    print(json.dumps({"verify_100k_s": round(verify_s, 3), "evidence_pack_s": round(pack_s, 3),
                      "catchup_ratio": round(ratio, 3)}))


if __name__ == "__main__":
    main()
