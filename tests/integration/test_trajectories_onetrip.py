"""A sealing command's load on PostgreSQL: the aggregate and its client's key in one
statement, through the caseload read model's trajectory -> client row; without that row,
or when it names another subject, the key is read on its own (never a wrong key)."""

from psycopg import sql

from services.kernel import context, provision
from services.kernel.store import schema_for
from services.trajectories import onetrip


def test_the_key_comes_with_the_aggregate_and_falls_back_safely(pg_platform, pg_orgs,
                                                                 monkeypatch):
    org = pg_orgs.create()
    coach = pg_orgs.member(org, "jobcoach")
    app = pg_platform.trajectories(org.id)
    keys = pg_platform.subject_keys(org.id)
    with context.acting(org.id, f"user:{coach.id}"):
        jan, els = app.register_client({"name": "Jan"}), app.register_client({"name": "Els"})
        trajectory = app.start_trajectory(jan.id, "UWV", coach.id)
    expected = onetrip.subject_key(keys, jan.id, create=False)
    assert expected is not None

    separate = onetrip._key_statement

    def no_second_statement(keys):
        raise AssertionError("the key should have come with the aggregate")

    monkeypatch.setattr(onetrip, "_key_statement", no_second_statement)
    aggregate, key = onetrip.latest(app, trajectory.id, keys)
    assert aggregate.client_id == jan.id and key == expected
    monkeypatch.setattr(onetrip, "_key_statement", separate)

    table = sql.Identifier(schema_for(org.id), "trajectory_caseload")
    with provision.connect_owner(pg_platform.settings) as owner:  # a row naming Els
        owner.execute(sql.SQL("UPDATE {} SET client_id = %s WHERE trajectory_id = %s").format(
            table), (str(els.id), str(trajectory.id)))
    assert onetrip.latest(app, trajectory.id, keys)[1] == expected
    with provision.connect_owner(pg_platform.settings) as owner:  # no row (a lagging view)
        owner.execute(sql.SQL("DELETE FROM {} WHERE trajectory_id = %s").format(table),
                      (str(trajectory.id),))
    assert onetrip.latest(app, trajectory.id, keys)[1] == expected
    assert onetrip.latest(app, trajectory.id)[1] is None  # a command that seals nothing
