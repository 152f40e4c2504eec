def test_healthz_and_readyz_on_the_embedded_store(app):
    client = app.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    body = ready.get_json()
    assert ready.status_code == 200 and body["ready"] is True
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["projection_lag"]["max"] == 0


def test_readyz_reports_redis_down(pg_settings):
    from services.app import create_app
    from services.catalogue import Platform
    from services.kernel import provision

    settings = pg_settings.with_(redis_url="redis://127.0.0.1:1/0")
    platform = Platform(settings)
    platform.provision_platform()
    try:
        response = create_app(settings, platform).test_client().get("/readyz")
        assert response.status_code == 503
        assert response.get_json()["checks"]["redis"].startswith("fout")
    finally:
        platform.close()
        provision.drop_schema(settings, None)
