"""Tenant isolation over every API route: organisation A's token never reaches B."""

import re
from uuid import uuid4

import psycopg
from psycopg import sql

from services.kernel.store import schema_for

ORG_ROUTE = re.compile(r"^/api/v1/orgs/<org>")
BODIES = {  # valid bodies, so that only the organisation check can refuse
    "trajectories": lambda ids: {
        "client_id": str(uuid4()),
        "commissioner": "UWV",
        "responsible_jobcoach": ids["user_id"],
    },
    "reassign": lambda ids: {
        "jobcoach": ids["user_id"],
        "handover_note": "Overdracht die nooit mag landen",
    },
}


def _seed(platform, orgs):
    org = orgs.create()
    coach = orgs.member(org, "jobcoach")
    orgs.member(org, "jobcoach")
    app = platform.trajectories(org.id)
    trajectory = app.start_trajectory(app.register_client({"name": "Cliënt"}).id, "UWV", coach.id)
    return org, {"trajectory_id": str(trajectory.id), "user_id": str(coach.id)}


def _org_routes(app):
    for rule in app.url_map.iter_rules():
        if ORG_ROUTE.match(rule.rule):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def _url(rule, slug, ids):
    """Fill B's ids where we have them; any other id is a fresh uuid (then 404 is a must too)."""
    path = rule.rule.replace("<org>", slug)
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ids.get(m.group(1), str(uuid4())), path)


def _knows_all_ids(rule, ids):
    return all(name in ids for name in re.findall(r"<(?:\w+:)?(\w+)>", rule.rule) if name != "org")


def _check_isolation(platform, orgs, client, make_token):
    org_a, ids_a = _seed(platform, orgs)
    org_b, ids_b = _seed(platform, orgs)
    token_a = make_token(client, org_a, "manager")
    headers = {"Authorization": f"Bearer {token_a}"}
    routes = list(_org_routes(client.application))
    assert len(routes) >= 6, "every organisation route should be covered"
    b_values = {org_b.name, org_b.slug, *ids_b.values()}
    for rule, method in routes:
        body = BODIES.get(rule.rule.rsplit("/", 1)[-1], lambda ids: None)(ids_b)
        for slug, ids in ((org_b.slug, ids_b), (org_a.slug, ids_b)):
            # B's URL with B's ids, and A's own URL with B's ids: both must be 404
            own_url = slug == org_a.slug
            if own_url and (
                "<" not in rule.rule.replace("<org>", "") or not _knows_all_ids(rule, ids)
            ):
                continue  # without B's ids, a route on A's own URL is simply A's data
            response = client.open(_url(rule, slug, ids), method=method, json=body, headers=headers)
            assert response.status_code == 404, (method, rule.rule, slug, response.data)
            assert response.mimetype == "application/problem+json"
            text = response.get_data(as_text=True)
            assert not any(value in text for value in b_values), (rule.rule, text)
    return org_a, org_b, ids_a


def test_token_of_a_gets_404_for_every_route_of_b(app, platform, orgs, make_token):
    _check_isolation(platform, orgs, app.test_client(), make_token)


def test_isolation_on_postgres_and_no_row_of_a_in_bs_schema(
    pg_app, pg_platform, pg_orgs, pg_make_token
):
    org_a, org_b, ids_a = _check_isolation(
        pg_platform, pg_orgs, pg_app.test_client(), pg_make_token
    )
    schema_b = schema_for(org_b.id)
    with psycopg.connect(pg_platform.settings.database_url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema_b,)
            )
        ]
        assert tables, "organisation B has its own tables"
        for table in tables:
            columns = [
                row[0]
                for row in conn.execute(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_schema = %s AND table_name = %s",
                    (schema_b, table),
                )
            ]
            for column in columns:
                hits = conn.execute(
                    sql.SQL("SELECT count(*) FROM {} WHERE {}::text = ANY(%s)").format(
                        sql.Identifier(schema_b, table), sql.Identifier(column)
                    ),
                    ([ids_a["trajectory_id"], ids_a["user_id"], str(org_a.id)],),
                ).fetchone()[0]
                assert hits == 0, (table, column)
