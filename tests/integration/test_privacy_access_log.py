"""Read-access logging: the decorator and function other contexts use."""

from __future__ import annotations

from uuid import uuid4

from services.app import create_app
from services.kernel import context
from services.privacy.access import log_read, reads_client_data
from services.privacy.office import PrivacyOffice


def test_reads_are_logged_with_who_what_why(any_platform, any_orgs):
    org = any_orgs.create()
    coach = any_orgs.member(org, "jobcoach")
    client_id = uuid4()
    app = create_app(any_platform.settings, any_platform)

    @app.get("/api/test-read/<uuid:client_id>/<int:status>")
    @reads_client_data("trajectory.plan")
    def read(client_id, status):
        return {"ok": True}, status

    with context.acting(org.id, f"user:{coach.id}"):
        with app.test_request_context():
            web = app.test_client()
            assert web.get(f"/api/test-read/{client_id}/200").status_code == 200
            assert web.get(f"/api/test-read/{client_id}/404").status_code == 404  # read nothing
        log_read(any_platform, org.id, client_id, "client.contact", "quality", "web")
    entries = PrivacyOffice(any_platform, org.id).access_log.entries(client_id)
    assert sorted((e["what"], e["why"], e["channel"]) for e in entries) == [
        ("client.contact", "quality", "web"),
        ("trajectory.plan", "guidance", "api"),
    ]
    assert {e["actor"] for e in entries} == {f"user:{coach.id}"}
