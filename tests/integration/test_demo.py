"""`jobtrail demo`: its own embedded store, a login for every role, idempotent."""


from click.testing import CliRunner

from services.cli import main
from services.demo import DEMO_PASSWORD, DEMO_SLUG, STAFF
from tests.web_support import CSRF


def test_demo_ignores_database_url_and_every_role_logs_in(tmp_path):
    data_dir = tmp_path / "demo"
    env = {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/never", "REDIS_URL": ""}
    runner = CliRunner(env=env)
    first = runner.invoke(main, ["demo", "--no-serve", "--data-dir", str(data_dir)])
    assert first.exit_code == 0, first.output
    for email, _, role in STAFF:
        assert email in first.output and role.value in first.output
    again = runner.invoke(main, ["demo", "--no-serve", "--data-dir", str(data_dir)])
    assert again.exit_code == 0  # a second run finds the demo and changes nothing
    assert (data_dir / "data").is_dir()

    from services.app import create_app
    from services.catalogue import Platform
    from services.kernel.settings import embedded_settings

    settings = embedded_settings(data_dir, session_cookie_secure=False, testing=True)
    platform = Platform(settings)
    try:
        app = create_app(settings, platform)
        for email, _, _ in STAFF:
            client = app.test_client()
            page = client.get("/login").get_data(as_text=True)
            response = client.post(
                "/login",
                data={
                    "email": email,
                    "password": DEMO_PASSWORD,
                    "csrf_token": CSRF.search(page)[1],
                },
                follow_redirects=True,
            )
            assert response.status_code == 200, email
            home = client.get(f"/o/{DEMO_SLUG}/", follow_redirects=True)
            assert home.status_code == 200, email
            assert "De Brug Jobcoaching" in home.get_data(as_text=True)
    finally:
        platform.close()
