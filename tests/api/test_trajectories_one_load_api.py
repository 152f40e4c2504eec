"""A write request loads its trajectory once: the access check's aggregate is the one the
command changes (edge.command_on). A conflicting save still reloads afresh."""

from services.kernel.store import TenantApplication
from tests.api import test_trajectories_api as walk
from tests.api.test_trajectories_api import INTAKE, ok

world = walk.world


def test_a_write_loads_the_trajectory_once(world, monkeypatch):
    http, org, anna, bram, as_anna, as_bram, manager, base = world
    person = ok(http.post(f"{base}/clients", json={"name": "Jan"}, headers=as_anna), 201)
    t = ok(http.post(f"{base}/trajectories", json={
        "client_id": person["id"], "commissioner": "UWV", "responsible_jobcoach": str(anna.id)},
        headers=as_anna), 201)
    url = f"{base}/trajectories/{t['id']}"
    loads = []
    generic = TenantApplication.load

    def counted(self, aggregate_id, kind):
        if kind.__name__ == "Trajectory":  # not the token's and user's loads
            loads.append((kind.__name__, aggregate_id))
        return generic(self, aggregate_id, kind)

    monkeypatch.setattr(TenantApplication, "load", counted)
    ok(http.post(f"{url}/intake", json=INTAKE, headers=as_anna))
    assert [kind for kind, _ in loads] == ["Trajectory"]
    loads.clear()
    stale = http.post(f"{url}/intake", json=INTAKE, headers={**as_anna, "If-Match": '"1"'})
    assert stale.status_code == 412 and [kind for kind, _ in loads] == ["Trajectory"]
    loads.clear()
    assert http.post(f"{url}/intake", json=INTAKE, headers=as_bram).status_code == 404
    assert len(loads) == 1  # refused at the check, nothing else read
    detail = ok(http.get(url, headers=as_anna))
    assert detail["version"] == 2 and detail["steps"]["intake"]["revisions"] == 1
