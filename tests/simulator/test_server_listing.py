import json
import time
import urllib.request
from datetime import UTC, datetime

import openstack.exceptions
import pytest

from openstack_simulator.cloud import Cloud
from openstack_simulator.options import Options


def _detail(conn, query: str = "", microversion: str = "2.79") -> dict:
    response = conn.compute.get(f"/servers/detail?{query}", microversion=microversion)
    assert response.status_code == 200, response.text
    return response.json()


def _compute_requests(simulator, path: str) -> list[dict]:
    return [r for r in simulator.control.requests() if r["path"].startswith(path)]


@pytest.mark.simulator(servers=45, regions=["RegionOne"], max_limit=10)
def test_sdk_lists_every_server_over_several_pages(simulator, conn):
    servers = list(conn.compute.servers(all_projects=True))
    assert len({server.id for server in servers}) == 45
    pages = _compute_requests(simulator, "/RegionOne/compute/v2.1/servers/detail")
    assert len(pages) == 5
    assert all("marker=" in page["path"] for page in pages[1:])


def test_page_links_to_the_next_one_with_limit_and_marker(simulator, conn):
    body = _detail(conn, "all_tenants=1&limit=5")
    assert len(body["servers"]) == 5
    (link,) = body["servers_links"]
    assert link["rel"] == "next"
    assert link["href"].startswith(f"{simulator.base_url}/RegionOne/compute/v2.1/servers/detail?")
    assert f"marker={body['servers'][-1]['id']}" in link["href"]
    assert "limit=5" in link["href"]


def test_servers_are_listed_newest_first(conn):
    created = [server["created"] for server in _detail(conn, "all_tenants=1")["servers"]]
    assert created == sorted(created, reverse=True)


def test_last_page_has_no_link(conn):
    assert "servers_links" not in _detail(conn, "all_tenants=1&limit=1000")


def test_unknown_marker_is_400(conn):
    response = conn.compute.get("/servers/detail?marker=nope", microversion="2.79")
    assert response.status_code == 400
    assert response.json()["badRequest"]["message"] == "marker [nope] not found"


def test_without_all_tenants_only_the_token_project_is_listed(conn):
    own = list(conn.compute.servers())
    everyone = list(conn.compute.servers(all_projects=True))
    assert 0 < len(own) < len(everyone)
    assert {server.project_id for server in own} == {conn.current_project_id}


def test_brief_listing_has_only_ids_names_and_links(conn):
    response = conn.compute.get("/servers?all_tenants=1&limit=3", microversion="2.79")
    assert set(response.json()["servers"][0]) == {"id", "name", "links"}


def test_servers_are_split_between_regions(simulator):
    counts = simulator.control.info()["servers"]
    assert counts == {"RegionOne": 50, "RegionTwo": 50}


def test_server_detail_has_nova_fields(conn):
    server = _detail(conn, "all_tenants=1&limit=1")["servers"][0]
    for field in (
        "OS-EXT-STS:task_state",
        "OS-EXT-STS:vm_state",
        "OS-EXT-STS:power_state",
        "OS-EXT-AZ:availability_zone",
        "locked",
        "tenant_id",
        "user_id",
        "key_name",
        "metadata",
        "hostId",
        "accessIPv4",
    ):
        assert field in server
    datetime.strptime(server["updated"], "%Y-%m-%dT%H:%M:%SZ")


def test_some_servers_boot_from_volumes_and_some_have_several_networks(conn):
    servers = _detail(conn, "all_tenants=1")["servers"]
    assert any(server["image"] == "" for server in servers)
    assert any(len(server["addresses"]) > 1 for server in servers)
    address = next(iter(servers[0]["addresses"].values()))[0]
    assert set(address) == {"addr", "version", "OS-EXT-IPS:type", "OS-EXT-IPS-MAC:mac_addr"}


def test_flavor_is_embedded_from_microversion_2_47(conn):
    embedded = _detail(conn, "all_tenants=1&limit=1", "2.47")["servers"][0]["flavor"]
    linked = _detail(conn, "all_tenants=1&limit=1", "2.46")["servers"][0]["flavor"]
    assert "id" not in embedded
    assert set(embedded) >= {"original_name", "vcpus", "ram", "disk", "ephemeral", "swap"}
    assert "extra_specs" in embedded
    assert set(linked) == {"id", "links"}


def test_microversion_is_echoed_and_defaults_to_2_1(conn):
    response = conn.compute.get("/servers/detail?limit=1")
    assert response.headers["OpenStack-API-Version"] == "compute 2.1"
    assert "locked" not in response.json()["servers"][0]
    response = conn.compute.get("/servers/detail?limit=1", microversion="2.9")
    assert response.headers["X-OpenStack-Nova-API-Version"] == "2.9"
    assert "locked" in response.json()["servers"][0]


def test_unsupported_microversion_is_406(conn):
    response = conn.compute.get("/servers/detail", headers={"OpenStack-API-Version": "compute 3.0"})
    assert response.status_code == 406


def test_version_documents_advertise_the_microversion_range(simulator, conn):
    version = conn.compute.get("/").json()["version"]
    assert (version["min_version"], version["version"]) == ("2.1", "2.96")
    with urllib.request.urlopen(f"{simulator.base_url}/RegionOne/compute/") as response:
        (listed,) = json.loads(response.read())["versions"]
    assert listed == version


def test_changes_since_reports_changed_and_deleted_servers(simulator, conn):
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    deleted, renamed = _detail(conn, "all_tenants=1&limit=2")["servers"]
    conn.compute.delete_server(deleted["id"])
    simulator.control.update_server(renamed["id"], name="renamed")
    changed = {s["id"]: s for s in _detail(conn, f"all_tenants=1&changes-since={since}")["servers"]}
    assert set(changed) == {deleted["id"], renamed["id"]}
    assert changed[deleted["id"]]["status"] == "DELETED"
    assert changed[renamed["id"]]["name"] == "renamed"


def test_sdk_changes_since_query(conn):
    since = datetime.now(UTC).isoformat()
    server = next(conn.compute.servers())
    conn.compute.delete_server(server)
    (deleted,) = conn.compute.servers(changes_since=since, all_projects=True)
    assert (deleted.id, deleted.status) == (server.id, "DELETED")


def _pages(conn, query: str) -> tuple[int, list[dict]]:
    """Every server of a listing, following its servers_links; and the number of pages."""
    body = _detail(conn, query)
    pages, servers = 1, body["servers"]
    while "servers_links" in body:
        assert pages < 50, "the next links never end"
        (link,) = body["servers_links"]
        body = conn.compute.get(link["href"], microversion="2.79").json()
        pages, servers = pages + 1, servers + body["servers"]
    return pages, servers


@pytest.mark.simulator(servers=30, regions=["RegionOne"], max_limit=2)
def test_changes_since_pages_through_the_changed_servers_alone(simulator, conn):
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    _, generated = _pages(conn, "all_tenants=1")
    renamed = [generated[index]["id"] for index in (3, 12, 25)]
    for server_id in renamed:
        simulator.control.update_server(server_id, name="renamed")
    deleted = generated[7]["id"]
    simulator.control.delete_server(deleted)
    created = simulator.control.create_server()["id"]
    pages, changed = _pages(conn, f"all_tenants=1&changes-since={since}")
    assert [s["id"] for s in changed] == [created, renamed[0], deleted, *renamed[1:]]
    assert pages == 3
    assert changed[2]["status"] == "DELETED"
    # A since before the generated data makes the simulator scan every server.
    _, everything = _pages(conn, "all_tenants=1&changes-since=2000-01-01T00:00:00Z")
    assert len(everything) == 31
    assert changed == [s for s in everything if s["updated"] >= since]
    _, named = _pages(conn, f"all_tenants=1&changes-since={since}&name=renamed")
    assert [s["id"] for s in named] == renamed


def test_changes_since_finds_a_server_stamped_before_a_later_recorded_change():
    """A task step is stamped with the time it fell due, which may precede the stamp of a
    change made before the step ran."""
    region = Cloud(Options(servers=10, regions=("RegionOne",))).regions["RegionOne"]
    first, second = list(region.servers.values())[:2]
    now = time.time()
    first.changed(now + 10)
    second.changed(now + 5)
    since = now + 7
    with_log = region.newest_first(lambda s: s.updated >= since, None, 10, since)
    assert with_log == region.newest_first(lambda s: s.updated >= since, None, 10) == [first]


def test_filters_by_status_and_name(conn):
    stopped = _detail(conn, "all_tenants=1&status=SHUTOFF")["servers"]
    assert stopped and {server["status"] for server in stopped} == {"SHUTOFF"}
    named = _detail(conn, "all_tenants=1&name=-db-")["servers"]
    assert named and all("-db-" in server["name"] for server in named)


def test_unknown_server_is_404_with_nova_body(conn):
    with pytest.raises(openstack.exceptions.NotFoundException):
        conn.compute.get_server("4ac1a4fa-0000-4000-8000-000000000000")
    response = conn.compute.get("/servers/missing", microversion="2.79")
    expected = {"itemNotFound": {"code": 404, "message": "Instance missing could not be found."}}
    assert response.json() == expected
