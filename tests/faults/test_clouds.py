"""The cloud misbehaves: Keystone and compute answer 503 with Retry-After, tokens expire in the
middle of a sync, compute goes down during a full sync, a Nova cell goes down. Batches and syncs
ride it out: transient errors are retried no sooner than the cloud asks, nothing is deleted
on the strength of a listing that failed or was partial, and every item and run ends."""

import time

import pytest

from apps.clouds.models import SyncRun
from apps.inventory.models import Instance

from .checks import assert_done_once
from .conftest import needs_real_servers
from .stack import NO_SCHEDULED_SYNCS

pytestmark = needs_real_servers()

RETRY_AFTER = 2


@pytest.mark.stack(servers=40, simulator=["--delay", "0.5"])
@pytest.mark.parametrize("service", ["identity", "compute"])
def test_a_service_answering_503_with_retry_after(stack, report, service):
    cloud = stack.cloud(**NO_SCHEDULED_SYNCS)
    stack.start_all()
    stack.simulator.set_faults(
        services=[service], error_status=503, retry_after=RETRY_AFTER, error_rate=1.0
    )
    began = time.monotonic()
    stack.sync_due(cloud, "instances")
    action = stack.reboot_all()
    time.sleep(3)  # every login (Keystone) or call (compute) of the sync and the batch fails
    stack.simulator.set_faults(error_rate=0.0)

    seconds = stack.settle(began)
    calls = assert_done_once(stack, action)
    run = SyncRun.objects.filter(cloud=cloud, kind="instances").latest("id")
    assert (run.status, run.attempts) == ("succeeded", 2)
    refused = [r for r in stack.simulator.requests() if r["status"] == 503]
    assert refused
    waits = stack.waits_after_refusals()  # from an action call refused to the next try
    assert all(wait >= RETRY_AFTER - 0.1 for wait in waits), waits
    name = {"identity": "Keystone", "compute": "compute"}[service]
    fault = f"{name} answering 503 with Retry-After: {RETRY_AFTER} for 3 s, a sync and a batch"
    report(fault, seconds, calls)


@pytest.mark.stack(servers=120, simulator=["--max-limit", "10"])
def test_tokens_expiring_mid_sync(stack, report):
    cloud = stack.cloud(**NO_SCHEDULED_SYNCS)
    stack.simulator.create_servers(4, region="R")
    stack.simulator.set_faults(services=["compute"], latency=0.1)
    stack.start_all()
    stack.simulator.set_faults(token_ttl=0.5)  # each token lasts a few pages
    began = time.monotonic()

    stack.sync_due(cloud, "instances")
    stack.wait(stack.synced(cloud, "instances", time.time() - 1), 60, "the instances sync")

    seconds = stack.settle(began)
    logins = [r for r in stack.simulator.requests() if r["path"] == "/v3/auth/tokens"]
    refused = [r for r in stack.simulator.requests() if r["status"] == 401]
    assert refused and len(logins) > len(refused)
    report(f"tokens expiring mid-sync ({len(refused)} refused, logged in again)", seconds)


@pytest.mark.stack(servers=120, simulator=["--max-limit", "10"])
def test_compute_down_during_a_full_sync(stack, report):
    cloud = stack.cloud(**NO_SCHEDULED_SYNCS)
    gone = [s["id"] for s in stack.simulator.servers()[:3]]
    for server_id in gone:
        stack.simulator.delete_server(server_id)
    stack.simulator.set_faults(services=["compute"], latency=0.15)
    stack.start_all()
    runs = SyncRun.objects.filter(cloud=cloud, kind="instances", status="running")

    stack.sync_due(cloud, "instances")
    stack.wait(runs.exists, 60, "the full sync to start")
    stack.simulator.set_faults(down=["compute"])
    down = time.monotonic()
    time.sleep(3)
    assert Instance.objects.filter(real_id__in=gone).count() == 3  # nothing deleted yet
    stack.simulator.set_faults(down=[])

    seconds = stack.settle(down)
    (run,) = SyncRun.objects.filter(cloud=cloud, kind="instances", attempts__gt=1)
    assert (run.status, run.deleted) == ("succeeded", 3)
    report("compute down for 3 s during a full sync", seconds)


@pytest.mark.stack(servers=60)
def test_a_nova_cell_down_during_a_full_and_an_incremental_sync(stack, report):
    cloud = stack.cloud(**NO_SCHEDULED_SYNCS)
    servers = stack.simulator.servers()
    down = {s["id"] for s in servers if s["cell"] == "cell2"}
    up = [s["id"] for s in servers if s["cell"] == "cell1"]
    before = {
        i.real_id: (i.name, i.state, i.flavor_id, i.addresses) for i in Instance.objects.all()
    }
    stack.start_all()
    stack.simulator.set_faults(cells_down=["cell2"])
    stack.simulator.update_server(up[0], name="renamed-while-a-cell-is-down")
    stack.simulator.delete_server(up[1])

    for kind in ("instances", "changes"):
        stack.sync_due(cloud, kind)
        stack.wait(stack.synced(cloud, kind, time.time() - 1), 60, f"the {kind} sync")
        kept = {
            i.real_id: (i.name, i.state, i.flavor_id, i.addresses)
            for i in Instance.objects.filter(real_id__in=down)
        }
        assert kept == {real_id: before[real_id] for real_id in down}, kind
        marked = Instance.objects.filter(unreachable_since__isnull=False)
        assert set(marked.values_list("real_id", flat=True)) == down, kind
        assert Instance.objects.get(real_id=up[0]).name == "renamed-while-a-cell-is-down"
    # The whole listing had partial records, so it deleted nothing; changes-since told.
    assert not Instance.objects.filter(real_id=up[1]).exists()

    stack.simulator.set_faults(cells_down=[])
    back = time.monotonic()
    stack.sync_due(cloud, "changes")
    stack.wait(
        lambda: not Instance.objects.filter(unreachable_since__isnull=False).exists(),
        60,
        "the marks to go",
    )

    report("a Nova cell down during a full and an incremental sync, back", stack.settle(back))
