"""A Nova cell that is down: from microversion 2.69 an unfiltered listing gives its servers as
partial records (id, status UNKNOWN, tenant_id, created, links); a paged, sorted or filtered
one (changes-since, a marker) leaves them out; showing one gives a little more; acting on one
fails. Below 2.69 they are left out of every listing."""

import pytest

pytestmark = pytest.mark.simulator(servers=0, projects=1, regions=("R",))

PARTIAL_DETAIL = {"id", "status", "tenant_id", "created", "links"}


@pytest.fixture
def cells(simulator, conn):
    """Four servers, two in each cell; then cell2 goes down. {cell: [ids]}"""
    servers = simulator.control.create_servers(4)
    simulator.control.set_faults(cells_down=["cell2"])
    by_cell = {}
    for server in servers:
        by_cell.setdefault(server["cell"], []).append(server["id"])
    assert sorted(by_cell) == ["cell1", "cell2"]
    return by_cell


def listing(conn, path: str, version: str | None = "2.79") -> list[dict]:
    response = conn.compute.get(path, microversion=version)
    assert response.status_code == 200, response.text
    return response.json()["servers"]


def test_a_plain_listing_gives_the_down_cells_servers_as_partial_records(conn, cells):
    servers = {s["id"]: s for s in listing(conn, "/servers/detail")}

    assert set(servers) == set(cells["cell1"] + cells["cell2"])
    for server_id in cells["cell2"]:
        assert set(servers[server_id]) == PARTIAL_DETAIL
        assert servers[server_id]["status"] == "UNKNOWN"
    assert all("name" in servers[server_id] for server_id in cells["cell1"])
    brief = {s["id"]: s for s in listing(conn, "/servers")}
    assert set(brief[cells["cell2"][0]]) == {"id", "status", "links"}


@pytest.mark.parametrize(
    "query", ["limit=1000", "changes-since=2000-01-01T00:00:00Z", "name=drift", "sort_key=name"]
)
def test_a_paged_or_filtered_listing_leaves_the_down_cell_out(conn, cells, query):
    listed = {s["id"] for s in listing(conn, f"/servers/detail?{query}")}

    assert listed == set(cells["cell1"])


def test_below_2_69_the_down_cell_is_left_out(conn, cells):
    listed = {s["id"] for s in listing(conn, "/servers/detail", version="2.68")}

    assert listed == set(cells["cell1"])


def test_showing_a_server_of_the_down_cell_gives_a_partial_record(conn, cells):
    response = conn.compute.get(f"/servers/{cells['cell2'][0]}", microversion="2.79")

    server = response.json()["server"]
    assert (server["status"], server["OS-EXT-STS:power_state"]) == ("UNKNOWN", 0)
    assert "name" not in server
    assert "flavor" in server


def test_acting_on_a_server_of_the_down_cell_fails(conn, cells):
    response = conn.compute.post(
        f"/servers/{cells['cell2'][0]}/action", json={"reboot": {"type": "SOFT"}}
    )

    assert response.status_code == 503


def test_the_cell_comes_back(simulator, conn, cells):
    simulator.control.set_faults(cells_down=[])

    assert all("name" in server for server in listing(conn, "/servers/detail"))


def test_only_known_cells_can_go_down(simulator):
    with pytest.raises(Exception, match="cells_down"):
        simulator.control.set_faults(cells_down=["cell9"])
