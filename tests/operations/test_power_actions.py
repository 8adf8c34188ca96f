"""PUT /instances/reboot, /hard-reboot, /start, /shutdown, /pause, /resume, /suspend."""

import pytest

from .helpers import action_calls, ids, instances, states, statuses

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=0, projects=1)]

TRANSITIONS = [
    # path, from, interim state shown at once, end state
    ("reboot", "launched", "rebooting", "launched"),
    ("hard-reboot", "shutoff", "hard_rebooting", "launched"),
    ("start", "shutoff", "starting", "launched"),
    ("shutdown", "launched", "shutting_down", "shutoff"),
    ("pause", "launched", "pausing", "paused"),
    ("resume", "paused", "resuming", "launched"),
    ("resume", "suspended", "resuming", "launched"),
    ("suspend", "launched", "suspending", "suspended"),
]


@pytest.mark.parametrize(
    ("path", "start", "interim", "end"),
    TRANSITIONS,
    ids=[f"{path} from {start}" for path, start, _, _ in TRANSITIONS],
)
def test_instances_show_the_interim_state_at_once_then_reach_the_end_state(
    act, synced, simulator, path, start, interim, end
):
    found = instances(2, start)

    response, work = act("put", f"/instances/{path}", ids(found))

    assert response.status_code == 200
    assert response.json()["queued"] == ids(found)
    assert response.json()["skipped"] == []
    assert states(found) == {interim}
    assert action_calls(simulator, found) == 0  # the workers call the cloud, not the request
    work()
    assert states(found) == {end}
    assert statuses(response) == {"succeeded"}
    assert action_calls(simulator, found) == 2


def test_resume_unpauses_a_paused_instance_and_resumes_a_suspended_one(act, synced, simulator):
    found = instances(1, "paused") + instances(1, "suspended")
    simulator.control.clear_requests()

    _, work = act("put", "/instances/resume", ids(found))
    work()

    assert states(found) == {"launched"}
    bodies = [r for r in simulator.control.requests() if r["path"].endswith("/action")]
    assert len(bodies) == 2


def test_the_end_state_is_read_from_one_listing_per_poll_not_per_instance(act, synced, simulator):
    found = instances(5)
    simulator.control.clear_requests()

    _, work = act("put", "/instances/reboot", ids(found))
    work()

    reads = [r["path"] for r in simulator.control.requests() if "/servers" in r["path"]]
    listings = [path for path in reads if "/servers/detail?" in path]
    assert len(listings) == 1
    assert "changes-since" in listings[0]
    assert not [path for path in reads if path.endswith(tuple(ids(found)))]
