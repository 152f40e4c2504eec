"""The trajectory demo data: a year in every phase, built with the commands themselves
(so every rule holds), with follow-ups after placement, durable and not, and the consents
its UWV documents need."""

from services.kernel import context
from services.privacy.consent import check_consent
from services.trajectories import demo_data


def test_demo_trajectories_with_follow_ups(platform, orgs):
    org = orgs.create("Demo")
    coaches = [orgs.member(org, "jobcoach", "Anna"), orgs.member(org, "jobcoach", "Bram")]
    app = platform.trajectories(org.id)
    with context.acting(org.id, "cli:demo"):
        demo_data.seed(app, coaches, platform)
        created = app.recorder.select_notifications(start=1, limit=10_000, topics=(
            "services.trajectories.domainmodel:Trajectory.Created",))
        histories = [app.trajectory(n.originator_id) for n in created]
    assert len(histories) == len(demo_data.CLIENTS)
    phases = {h.phase for h in histories}
    assert {"intake", "coaching", "closed", "closing"} <= phases
    outcomes = {
        (h.ending or {}).get("reason", h.phase): [f["still_working"] for f in h.follow_ups]
        for h in histories if h.follow_ups
    }
    assert outcomes["placed_durably"] == [True] and outcomes["broken_off"] == [False]
    assert any(True in found for phase, found in outcomes.items() if phase == "coaching")
    for h in histories:  # never before the placement, never without one
        for follow_up in h.follow_ups:
            assert follow_up["on"] >= h.current("placement")["start_date"]
        for purpose in ("share_profile", "share_progress"):  # the documents may be shared
            assert check_consent(platform, org.id, h.client_id, purpose, "commissioner",
                                 h.commissioner).allowed
