"""A trajectory starts only for a client registered in the same organisation."""

from uuid import uuid4

from tests.api import test_trajectories_api as walk
from tests.api.test_trajectories_api import ok, refused

world = walk.world


def test_start_requires_a_client_registered_in_this_organisation(world, orgs, make_token):
    http, org, anna, bram, as_anna, as_bram, manager, base = world
    body = {"commissioner": "UWV", "responsible_jobcoach": str(anna.id)}
    problem = refused(http.post(f"{base}/trajectories", json={**body, "client_id": str(uuid4())},
                                headers=as_anna), "niet geregistreerd bij deze organisatie")
    assert problem["status"] == 422 and "registreer de cliënt eerst" in problem["detail"]

    other = orgs.create("Elders")
    elsewhere = {"Authorization": f"Bearer {make_token(http, other, 'manager')}"}
    theirs = ok(http.post(f"/api/v1/orgs/{other.slug}/clients", json={"name": "Piet"},
                          headers=elsewhere), 201)
    refused(http.post(f"{base}/trajectories", json={**body, "client_id": theirs["id"]},
                      headers=as_anna), "niet geregistreerd bij deze organisatie")

    mine = ok(http.post(f"{base}/clients", json={"name": "Jan"}, headers=as_anna), 201)
    started = ok(http.post(f"{base}/trajectories", json={**body, "client_id": mine["id"]},
                           headers=as_anna), 201)
    assert started["client_number"] == mine["number"]
    assert ok(http.get(f"{base}/trajectories", headers=manager))[0]["client_id"] == mine["id"]
