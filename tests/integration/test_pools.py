"""An organisation's applications share one connection pool; eviction never breaks a view."""


from services.catalogue import ORG_APPS
from services.kernel.store import Applications
from services.kernel.views import lag
from services.trajectories.caseload import CaseloadView


def test_contexts_of_one_organisation_share_a_pool(pg_platform, pg_orgs):
    org = pg_orgs.create()
    first, second = (pg_platform.apps.get(cls, org.id) for cls in ORG_APPS[:2])
    assert first.recorder.datastore is second.recorder.datastore
    other = pg_orgs.create()
    assert pg_platform.apps.get(ORG_APPS[0], other.id).recorder.datastore is not (
        first.recorder.datastore
    )
    first.close()
    second.recorder.max_notification_id()  # still open for the other context
    first.close()  # closing twice (the library also closes on __del__) counts once
    second.recorder.max_notification_id()


def test_views_survive_eviction_of_their_application(pg_platform, pg_orgs):
    pg_platform.apps = Applications(
        pg_platform.settings, max_size=2, on_recorded=pg_platform.kick_projections
    )
    orgs = [pg_orgs.create() for _ in range(3)]
    for org in orgs:  # each organisation evicts the previous one's applications
        coach = pg_orgs.member(org, "jobcoach")
        app = pg_platform.trajectories(org.id)
        app.start_trajectory(app.register_client({"name": "Cliënt"}).id, "UWV", coach.id)
    for org in orgs:
        view = pg_platform.view(CaseloadView, org.id)
        assert lag(view) == 0 and len(view.open_trajectories()) == 1
