"""The trail browser's read side on SQLite and PostgreSQL: actor kinds from the stored
events, filters, pseudonyms instead of names, and paging past a filtered scan."""

from datetime import date

from projections.runtime import sweep
from services.audit import browse
from services.audit.application import AuditJournal
from services.kernel import context

NAME = "Canary Naam-77aa"


def test_browse_filters_and_labels(any_platform, any_orgs):
    org = any_orgs.create()
    coach = any_orgs.member(org, "jobcoach")
    with context.acting(org.id, f"user:{coach.id}"):
        trajectories = any_platform.trajectories(org.id)
        client = trajectories.register_client({"name": NAME})
        trajectories.start_trajectory(client.id, "UWV", coach.id)
    with context.acting(org.id, "client:api-koppeling"):
        trajectories.start_trajectory(client.id, "Gemeente", coach.id)
    with context.acting(org.id, "user:auditor"):
        any_platform.app(AuditJournal, org.id).record("auditor.page.trail", path="/x")
    with context.acting(org.id, "system:audit-verify"):
        any_platform.app(AuditJournal, org.id).record("integrity.alert", problems=0)
    sweep(any_platform)

    def rows(**args):
        wanted = browse.TrailFilter.from_args(args, ["trajectories", "audit_journal"])
        return browse.browse(any_platform, org.id, wanted)["rows"]

    everything = rows()
    assert NAME not in repr(everything)
    kinds = {(r["event_type"], r["actor_kind"]) for r in everything}
    assert ("Trajectory.Created", "medewerker") in kinds
    assert ("Trajectory.Created", "koppeling") in kinds
    assert ("AuditEntry.Recorded", "auditor") in kinds
    assert ("AuditEntry.Recorded", "systeem") in kinds
    subjects = {r["subject"] for r in everything}
    assert f"Cliënt {client.number}" in subjects
    assert f"Traject van cliënt {client.number}" in subjects

    assert [r["actor_kind"] for r in rows(actor="koppeling")] == ["koppeling"]
    assert {r["app"] for r in rows(applicatie="audit_journal")} == {"audit_journal"}
    assert len(rows(soort="Trajectory.Created")) == 2
    today = date.today().isoformat()
    assert len(rows(van=today, tot=today)) == len(everything)
    assert rows(tot="2000-01-01") == []

    # paging: a filtered page continues where its scan stopped
    first = browse.browse(
        any_platform, org.id, browse.TrailFilter.from_args({"actor": "medewerker"}, []), limit=1
    )
    assert len(first["rows"]) == 1 and first["next_start"] is not None
    rest = browse.browse(
        any_platform,
        org.id,
        browse.TrailFilter.from_args({"actor": "medewerker", "vanaf": first["next_start"]}, []),
    )
    assert first["rows"][0]["leaf_index"] < rest["rows"][0]["leaf_index"]
