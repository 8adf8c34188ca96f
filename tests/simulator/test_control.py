import openstack
import pytest

from openstack_simulator.cloud import Cloud
from openstack_simulator.options import Options


def _server_ids(options: Options) -> list[str]:
    return [s.id for region in Cloud(options).regions.values() for s in region.servers.values()]


def test_the_same_seed_generates_the_same_cloud():
    assert _server_ids(Options(servers=30, seed=7)) == _server_ids(Options(servers=30, seed=7))
    assert _server_ids(Options(servers=30, seed=7)) != _server_ids(Options(servers=30, seed=8))


def test_request_log_records_method_path_and_status_but_not_control_calls(simulator, conn):
    conn.compute.get_flavor("2")
    log = simulator.control.requests()
    assert [(r["method"], r["status"]) for r in log[:2]] == [("GET", 200), ("POST", 201)]
    assert log[-1]["path"] == "/RegionOne/compute/v2.1/flavors/2"
    assert log[-1]["service"] == "compute" and log[-1]["region"] == "RegionOne"
    assert not [r for r in log if r["path"].startswith("/_sim")]
    assert simulator.control.requests(since=log[-1]["seq"]) == []


def test_request_log_is_in_memory_too(simulator, conn):
    conn.compute.get_flavor("2")
    entries = simulator.simulator.cloud.log.entries()
    assert entries[-1]["path"] == "/RegionOne/compute/v2.1/flavors/2"


def test_reset_restores_the_generated_cloud(simulator, conn):
    server = next(conn.compute.servers())
    conn.compute.delete_server(server)
    simulator.control.set_faults(latency=0.5)
    info = simulator.control.reset()
    assert info["faults"]["latency"] == 0
    assert simulator.control.requests() == []
    fresh = openstack.connect(**simulator.cloud_config())
    assert fresh.compute.get_server(server.id).id == server.id


def test_reset_can_change_the_generation_options(simulator):
    info = simulator.control.reset(servers=4, regions=["Only"])
    assert info["servers"] == {"Only": 4}


def test_info_reports_servers_options_and_pending_steps(simulator):
    simulator.control.set_delay(60)
    server = simulator.control.create_server()
    openstack.connect(**simulator.cloud_config()).compute.stop_server(server["id"])
    info = simulator.control.info()
    assert info["servers"]["RegionOne"] == 51
    assert info["pending_steps"] == 1
    assert simulator.control.complete_tasks() == 1


def test_behind_the_back_server_is_placed_as_asked(simulator):
    created = simulator.control.create_server(region="RegionTwo", name="drift", status="PAUSED")
    assert (created["region"], created["name"], created["status"]) == (
        "RegionTwo",
        "drift",
        "PAUSED",
    )


def test_unknown_server_in_control_is_an_error(simulator):
    with pytest.raises(RuntimeError, match="404"):
        simulator.control.delete_server("nope")


@pytest.mark.simulator(servers=3, regions=["A", "B", "C"], username="ops", password="pw")
def test_fixture_options_come_from_the_marker(simulator):
    assert simulator.regions == ["A", "B", "C"]
    config = simulator.cloud_config("C")
    assert (config["region_name"], config["auth"]["username"]) == ("C", "ops")
    conn = openstack.connect(**config)
    assert len(list(conn.compute.servers(all_projects=True))) == 1


@pytest.mark.simulator(servers=6, projects=2, regions=("A", "B"))
def test_servers_lists_every_live_server_with_its_region_and_cell(simulator):
    gone = simulator.control.create_server(region="B")
    simulator.control.delete_server(gone["id"])

    servers = simulator.control.servers()

    assert len(servers) == 6
    assert {s["region"] for s in servers} == {"A", "B"}
    assert {s["cell"] for s in servers} == {"cell1", "cell2"}
    assert gone["id"] not in {s["id"] for s in servers}
