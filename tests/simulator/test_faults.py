import time

import keystoneauth1.exceptions
import openstack
import openstack.exceptions
import pytest


def _discovered(conn):
    """Authenticate and discover the endpoints first, so faults hit only the calls under test."""
    conn.compute.get("/flavors")
    conn.network.get("/networks")
    conn.image.get("/images")


def _statuses(simulator, path: str) -> list[int]:
    return [r["status"] for r in simulator.control.requests() if r["path"].startswith(path)]


def test_latency_is_added_to_the_chosen_services(simulator, conn):
    _discovered(conn)
    simulator.control.set_faults(latency=0.3, services=["compute"])
    started = time.perf_counter()
    conn.compute.get("/flavors")
    assert time.perf_counter() - started >= 0.3
    started = time.perf_counter()
    conn.network.get("/networks")
    assert time.perf_counter() - started < 0.3


@pytest.mark.parametrize("status", [500, 503])
def test_error_rate_of_one_fails_every_request(simulator, conn, status):
    _discovered(conn)
    simulator.control.set_faults(error_rate=1.0, error_status=status, services=["compute"])
    with pytest.raises(openstack.exceptions.HttpException) as raised:
        conn.compute.get_flavor("1")
    assert raised.value.status_code == status
    assert list(conn.network.networks())


def test_error_rate_fails_a_share_of_requests(simulator, conn):
    _discovered(conn)
    simulator.control.set_faults(error_rate=0.5, services=["compute"])
    statuses = {conn.compute.get("/flavors").status_code for _ in range(30)}
    assert statuses == {200, 500}


def test_error_after_lets_some_requests_pass_before_failing(simulator, conn):
    _discovered(conn)
    simulator.control.set_faults(error_after=2, error_count=1, error_status=503)
    statuses = [conn.compute.get("/flavors").status_code for _ in range(4)]
    assert statuses == [200, 200, 503, 200]


def test_429_carries_retry_after_and_the_sdk_retries(simulator):
    conn = openstack.connect(**simulator.cloud_config(), status_code_retries=1)
    conn.compute.get_flavor("1")
    simulator.control.set_faults(error_count=1, error_status=429, retry_after=0)
    assert conn.compute.get_flavor("1").name == "m1.tiny"
    assert _statuses(simulator, "/RegionOne/compute/v2.1/flavors") == [200, 429, 200]


def test_429_retry_after_header(simulator, conn):
    _discovered(conn)
    simulator.control.set_faults(error_count=1, error_status=429, retry_after=7)
    response = conn.compute.get("/flavors")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "7")


def test_service_down_answers_503(simulator, conn):
    _discovered(conn)
    simulator.control.set_faults(down=["compute"])
    with pytest.raises(openstack.exceptions.HttpException) as raised:
        list(conn.compute.servers())
    assert raised.value.status_code == 503
    assert list(conn.image.images())


def test_service_down_can_close_the_connection(simulator, conn):
    _discovered(conn)
    simulator.control.set_faults(down=["compute"], down_mode="close")
    with pytest.raises(keystoneauth1.exceptions.ConnectFailure):
        list(conn.compute.servers())
    assert 0 in _statuses(simulator, "/RegionOne/compute")


def test_identity_down_fails_authentication(simulator):
    simulator.control.set_faults(down=["identity"])
    conn = openstack.connect(**simulator.cloud_config())
    with pytest.raises(openstack.exceptions.SDKException, match="503"):
        conn.authorize()


def test_token_expiring_early_makes_the_sdk_authenticate_again(simulator, conn):
    simulator.control.set_faults(token_ttl=0.3)
    list(conn.compute.servers())
    time.sleep(0.35)
    simulator.control.clear_requests()
    assert list(conn.compute.servers())
    log = [(r["method"], r["path"], r["status"]) for r in simulator.control.requests()]
    servers = "/RegionOne/compute/v2.1/servers/detail"
    assert log == [("GET", servers, 401), ("POST", "/v3/auth/tokens", 201), ("GET", servers, 200)]


def test_revoked_tokens_are_401(simulator, conn):
    list(conn.compute.servers())
    assert simulator.control.revoke_tokens() == 1
    response = conn.compute.get("/servers", authenticated=True, raise_exc=False, allow_reauth=False)
    assert response.status_code == 401


def test_behind_the_back_changes_show_in_listings(simulator, conn):
    control = simulator.control
    before = {server.id: server for server in conn.compute.servers(all_projects=True)}
    gone, renamed = list(before)[:2]
    created = {server["id"] for server in control.create_servers(3)}
    control.delete_server(gone)
    control.update_server(renamed, name="drifted", status="SHUTOFF")
    after = {server.id: server for server in conn.compute.servers(all_projects=True)}
    assert set(after) == set(before) - {gone} | created
    assert (after[renamed].name, after[renamed].status) == ("drifted", "SHUTOFF")


def test_fault_settings_are_validated(simulator):
    with pytest.raises(RuntimeError, match="error_rate"):
        simulator.control.set_faults(error_rate=2)
    with pytest.raises(RuntimeError, match="unknown"):
        simulator.control.set_faults(bogus=1)


@pytest.mark.simulator(faults={"down": ["network"]})
def test_faults_can_be_set_at_start(simulator, conn):
    assert conn.network.get("/networks").status_code == 503
