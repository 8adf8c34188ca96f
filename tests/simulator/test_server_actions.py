import openstack.exceptions
import pytest

from openstack_simulator.control_client import SimulatorControl


@pytest.fixture
def slow(simulator) -> SimulatorControl:
    """Actions stay in their transitional state until ``complete_tasks()``."""
    simulator.control.set_delay(3600)
    return simulator.control


def _make(control: SimulatorControl, status: str = "ACTIVE", **fields) -> str:
    return control.create_server(status=status, **fields)["id"]


def _state(conn, server_id: str) -> tuple[str, str | None]:
    server = conn.compute.get_server(server_id)
    return server.status, server.task_state


TRANSITIONS = [
    # start status, sdk call, transitional (status, task_state), end status
    pytest.param("ACTIVE", ("reboot_server", "SOFT"), ("REBOOT", "rebooting"), "ACTIVE"),
    pytest.param("SHUTOFF", ("reboot_server", "HARD"), ("HARD_REBOOT", "rebooting_hard"), "ACTIVE"),
    pytest.param("ACTIVE", ("stop_server",), ("ACTIVE", "powering-off"), "SHUTOFF"),
    pytest.param("SHUTOFF", ("start_server",), ("SHUTOFF", "powering-on"), "ACTIVE"),
    pytest.param("ACTIVE", ("pause_server",), ("ACTIVE", "pausing"), "PAUSED"),
    pytest.param("PAUSED", ("unpause_server",), ("PAUSED", "unpausing"), "ACTIVE"),
    pytest.param("ACTIVE", ("suspend_server",), ("ACTIVE", "suspending"), "SUSPENDED"),
    pytest.param("SUSPENDED", ("resume_server",), ("SUSPENDED", "resuming"), "ACTIVE"),
]


@pytest.mark.parametrize(
    ("start", "call", "transitional", "end"),
    TRANSITIONS,
    ids=["reboot soft", "reboot hard", "stop", "start", "pause", "unpause", "suspend", "resume"],
)
def test_action_passes_through_its_task_state_to_its_end_state(
    conn, slow, start, call, transitional, end
):
    server_id = _make(slow, start)
    method, *args = call
    getattr(conn.compute, method)(server_id, *args)
    assert _state(conn, server_id) == transitional
    slow.complete_tasks()
    assert _state(conn, server_id) == (end, None)


def test_without_delay_an_action_is_done_by_the_next_read(conn, simulator):
    server_id = _make(simulator.control)
    conn.compute.stop_server(server_id)
    server = conn.compute.get_server(server_id)
    assert (server.status, server.power_state, server.vm_state) == ("SHUTOFF", 4, "stopped")


def test_a_short_delay_elapses_in_real_time_and_updates_updated(conn, simulator):
    generated = next(s for s in conn.compute.servers() if s.status == "ACTIVE" and not s.is_locked)
    simulator.control.set_delay(0.3)
    conn.compute.reboot_server(generated, "SOFT")
    assert conn.compute.get_server(generated.id).status == "REBOOT"
    server = conn.compute.wait_for_server(conn.compute.get_server(generated.id), interval=0.05)
    assert server.status == "ACTIVE"
    assert server.updated_at > generated.updated_at


def test_created_server_goes_from_build_to_active(conn, slow):
    network = conn.network.find_network("admin-net")
    image = conn.image.find_image("cirros-0.6.2")
    server = conn.compute.create_server(
        name="new",
        flavor_id="1",
        image_id=image.id,
        networks=[{"uuid": network.id}],
        key_name="deploy",
        availability_zone="az2",
        metadata={"purpose": "test"},
    )
    assert _state(conn, server.id) == ("BUILD", "scheduling")
    assert conn.compute.get_server(server.id).addresses == {}
    slow.complete_tasks()
    server = conn.compute.get_server(server.id)
    assert (server.status, server.availability_zone, server.key_name) == ("ACTIVE", "az2", "deploy")
    assert server.metadata == {"purpose": "test"}
    assert list(server.addresses) == ["admin-net"]


def test_create_with_an_unknown_flavor_is_400(conn):
    image = conn.image.find_image("cirros-0.6.2")
    with pytest.raises(openstack.exceptions.BadRequestException):
        conn.compute.create_server(name="x", flavor_id="nope", image_id=image.id, networks="auto")


def test_resize_then_confirm(conn, slow):
    server_id = _make(slow, flavor="2")
    conn.compute.resize_server(server_id, "3")
    assert _state(conn, server_id) == ("RESIZE", "resize_prep")
    slow.complete_tasks()
    server = conn.compute.get_server(server_id)
    assert (server.status, server.flavor.original_name) == ("VERIFY_RESIZE", "m1.medium")
    conn.compute.confirm_server_resize(server_id)
    slow.complete_tasks()
    server = conn.compute.get_server(server_id)
    assert (server.status, server.flavor.original_name) == ("ACTIVE", "m1.medium")


def test_resize_then_revert(conn, slow):
    server_id = _make(slow, flavor="2")
    conn.compute.resize_server(server_id, "3")
    slow.complete_tasks()
    conn.compute.revert_server_resize(server_id)
    assert _state(conn, server_id) == ("REVERT_RESIZE", "resize_reverting")
    slow.complete_tasks()
    server = conn.compute.get_server(server_id)
    assert (server.status, server.flavor.original_name) == ("ACTIVE", "m1.small")


def test_rebuild_changes_the_image(conn, slow):
    image = conn.image.find_image("debian-12")
    server_id = _make(slow)
    rebuilt = conn.compute.rebuild_server(server_id, image.id, name="rebuilt")
    assert (rebuilt.status, rebuilt.name) == ("REBUILD", "rebuilt")
    slow.complete_tasks()
    server = conn.compute.get_server(server_id)
    assert (server.status, server.image.id) == ("ACTIVE", image.id)


def test_create_image_appears_in_glance_and_becomes_active(conn, slow):
    server_id = _make(slow)
    image = conn.compute.create_server_image(server_id, "snap", metadata={"kind": "nightly"})
    assert image.status == "queued"
    assert _state(conn, server_id) == ("ACTIVE", "image_snapshot")
    slow.complete_tasks()
    image = conn.image.get_image(image.id)
    assert (image.status, image.visibility) == ("active", "private")
    assert image.instance_uuid == server_id
    assert image.properties["kind"] == "nightly"
    assert _state(conn, server_id) == ("ACTIVE", None)


def test_lock_refuses_actions_until_unlock(conn, simulator):
    server_id = _make(simulator.control)
    conn.compute.lock_server(server_id)
    assert conn.compute.get_server(server_id).is_locked
    with pytest.raises(openstack.exceptions.ConflictException, match="is locked"):
        conn.compute.stop_server(server_id)
    with pytest.raises(openstack.exceptions.ConflictException):
        conn.compute.delete_server(server_id)
    conn.compute.unlock_server(server_id)
    conn.compute.stop_server(server_id)
    assert conn.compute.get_server(server_id).status == "SHUTOFF"


def test_action_in_the_wrong_vm_state_is_409_with_nova_body(conn, simulator):
    server_id = _make(simulator.control, "SHUTOFF")
    response = conn.compute.post(
        f"/servers/{server_id}/action", json={"reboot": {"type": "SOFT"}}, microversion="2.79"
    )
    message = f"Cannot 'reboot' instance {server_id} while it is in vm_state stopped"
    assert response.status_code == 409
    assert response.json() == {"conflictingRequest": {"code": 409, "message": message}}


@pytest.mark.parametrize(
    ("status", "act"),
    [
        ("ACTIVE", lambda c, s: c.compute.start_server(s)),
        ("PAUSED", lambda c, s: c.compute.stop_server(s)),
        ("SHUTOFF", lambda c, s: c.compute.pause_server(s)),
        ("ACTIVE", lambda c, s: c.compute.unpause_server(s)),
        ("SHUTOFF", lambda c, s: c.compute.suspend_server(s)),
        ("ACTIVE", lambda c, s: c.compute.resume_server(s)),
        ("PAUSED", lambda c, s: c.compute.resize_server(s, "3")),
        ("ACTIVE", lambda c, s: c.compute.confirm_server_resize(s)),
        ("ACTIVE", lambda c, s: c.compute.revert_server_resize(s)),
        ("PAUSED", lambda c, s: c.compute.rebuild_server(s, c.image.find_image("debian-12").id)),
    ],
    ids=["start", "stop", "pause", "unpause", "suspend", "resume", "resize", "confirm",
         "revert", "rebuild"],
)  # fmt: skip
def test_nova_refuses_actions_in_the_wrong_state(conn, simulator, status, act):
    server_id = _make(simulator.control, status)
    with pytest.raises(openstack.exceptions.ConflictException, match="while it is in vm_state"):
        act(conn, server_id)


def test_nothing_but_a_hard_reboot_runs_while_a_task_is_in_progress(conn, slow):
    server_id = _make(slow)
    conn.compute.reboot_server(server_id, "SOFT")
    with pytest.raises(openstack.exceptions.ConflictException, match="task_state rebooting"):
        conn.compute.stop_server(server_id)
    conn.compute.reboot_server(server_id, "HARD")
    assert _state(conn, server_id) == ("HARD_REBOOT", "rebooting_hard")


def test_hard_reboot_recovers_an_error_server(conn, simulator):
    server_id = _make(simulator.control, "ERROR")
    conn.compute.reboot_server(server_id, "HARD")
    assert conn.compute.get_server(server_id).status == "ACTIVE"


def test_delete_goes_through_deleting_then_404(conn, slow):
    server_id = _make(slow)
    conn.compute.delete_server(server_id)
    assert _state(conn, server_id) == ("ACTIVE", "deleting")
    slow.complete_tasks()
    with pytest.raises(openstack.exceptions.NotFoundException):
        conn.compute.get_server(server_id)


def test_action_on_an_unknown_server_is_404(conn):
    with pytest.raises(openstack.exceptions.NotFoundException):
        conn.compute.stop_server("4ac1a4fa-0000-4000-8000-000000000000")


def test_update_renames_the_server(conn, simulator):
    server_id = _make(simulator.control)
    conn.compute.update_server(server_id, name="café-1")
    assert conn.compute.get_server(server_id).name == "café-1"
