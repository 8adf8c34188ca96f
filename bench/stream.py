"""The event stream's latency and capacity: CLIENTS streams open on one uvicorn process, an
action item's completion recorded, and the time until each client has it.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.stream [--clients 200] [--port 8700]
        [--rounds 5]

Runs uvicorn (perspective.asgi) on PORT against DATABASE_URL (migrated first; SQLite when it is
unset, in a temporary folder, where the stream polls every EVENTS_STREAM_POLL_SECONDS), opens
CLIENTS streams as a superuser with tickets, and prints the server's resident memory before and
after they are open. Then, ROUNDS times, records one event (an item's `succeeded`, committed as
the worker commits it) and prints the median and the slowest time from its commit to its
arrival at each client. Then, ROUNDS times, renames a server in a simulator (1,000 servers,
synced first) and runs an incremental sync at once: the time from the change in the cloud to the
rename's event at each client (the sync's own time included; the schedule's wait,
SYNC_SCHEDULE_SECONDS at most, is not). The events, the cloud and the user it makes are deleted
at the end.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.actions import inventory
from bench.environment import print_environment, temporary_var


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = temporary_var("perspective-stream-bench-")
    os.environ["EVENTS_STREAM_MAX_PER_USER"] = str(args.clients)

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from apps.history.models import Event
    from apps.inventory.models import Cloud

    call_command("migrate", verbosity=0)
    print_environment()
    user = User.objects.create_superuser(f"stream-bench-{uuid.uuid4().hex[:8]}")
    server = _serve(args.port, folder)
    try:
        asyncio.run(_measure(args, user, server))
    finally:
        server.terminate()
        server.wait(10)
        Event.objects.filter(operation="bench").delete()
        Event.objects.filter(cloud_id__in=Cloud.objects.filter(name="bench").values("id")).delete()
        Cloud.objects.filter(name="bench").delete()
        user.delete()


def _serve(port: int, folder: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "uvicorn", "perspective.asgi:application"]
    command += [
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    log = (folder / "uvicorn.log").open("w")
    return subprocess.Popen(command, env=os.environ, stdout=log, stderr=subprocess.STDOUT)


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def _measure(args, user, server) -> None:
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)  # its lines would show the ticket
    from asgiref.sync import sync_to_async
    from django.core import signing

    ticket = signing.TimestampSigner(salt="perspective.events.stream").sign_object(
        {"user": user.pk}
    )
    url = f"http://127.0.0.1:{args.port}/events/stream"
    await _until_up(httpx, f"http://127.0.0.1:{args.port}/ping")
    before = _rss_mib(server.pid)
    arrivals: dict[int, list[float]] = {}
    opened = asyncio.Event()
    connected = 0
    limits = httpx.Limits(max_connections=args.clients + 10)
    async with httpx.AsyncClient(timeout=None, limits=limits) as client:

        async def listen():
            nonlocal connected
            params = {"ticket": ticket, "kind": ["action_item", "instance"]}
            async with client.stream("GET", url, params=params) as response:
                assert response.status_code == 200, await response.aread()
                async for line in response.aiter_lines():
                    if line.startswith("retry:"):
                        connected += 1
                        if connected == args.clients:
                            opened.set()
                    elif line.startswith("id: "):
                        arrivals.setdefault(int(line[4:]), []).append(time.perf_counter())

        tasks = [asyncio.create_task(listen()) for _ in range(args.clients)]
        await asyncio.wait_for(opened.wait(), 300)
        await asyncio.sleep(1)
        after = _rss_mib(server.pid)
        print(
            f"{args.clients} streams open: uvicorn's resident memory {before:.1f} MiB before, "
            f"{after:.1f} MiB after ({(after - before) * 1024 / args.clients:.0f} KiB a stream)"
        )
        for round_number in range(args.rounds):
            event_id, committed = await sync_to_async(_complete_an_item)()
            arrived = await _arrived(arrivals, event_id, args.clients, committed)
            print(f"round {round_number + 1}: commit to client, {arrived} ({args.clients} clients)")
            await asyncio.sleep(1)
        await _sync_rounds(args, arrivals)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _arrived(arrivals: dict, event_id: int, clients: int, since: float) -> str:
    """Waits until every client has the event; its median and slowest time from `since`."""
    while len(arrivals.get(event_id, ())) < clients:
        await asyncio.sleep(0.01)
    latencies = [(t - since) * 1000 for t in arrivals[event_id]]
    return f"median {statistics.median(latencies):.0f} ms, slowest {max(latencies):.0f} ms"


async def _sync_rounds(args, arrivals: dict) -> None:
    import logging

    from asgiref.sync import sync_to_async

    from openstack_simulator.testing import running_simulator

    logging.getLogger("openstack_simulator").setLevel(logging.WARNING)  # a line per request
    with running_simulator(servers=0, projects=1) as simulator:
        instance_ids = await sync_to_async(inventory)(simulator.base_url, SYNCED_SERVERS)
        for round_number in range(args.rounds):
            changed = time.perf_counter()
            event_id, synced = await sync_to_async(_rename_and_sync)(
                simulator.control, instance_ids[round_number], round_number
            )
            arrived = await _arrived(arrivals, event_id, args.clients, changed)
            print(
                f"round {round_number + 1}: a rename in the cloud to the client, through an "
                f"incremental sync of {SYNCED_SERVERS:,} servers ({synced * 1000:.0f} ms), "
                f"{arrived}"
            )


SYNCED_SERVERS = 1000


def _rename_and_sync(control, instance_id: str, round_number: int) -> tuple[int, float]:
    """Renames the instance's server in the cloud and runs an incremental sync; (the rename's
    event id, the sync's seconds)."""
    from apps.clouds.models import SyncRun
    from apps.clouds.sync.runner import run_sync
    from apps.history.models import Event
    from apps.inventory.models import Cloud, Instance

    real_id = Instance.objects.get(pk=instance_id).real_id
    control.update_server(real_id, name=f"renamed-{round_number}")
    started = time.perf_counter()
    run = run_sync(SyncRun.objects.create(cloud=Cloud.objects.get(name="bench"), kind="changes"))
    took = time.perf_counter() - started
    assert run.updated == 1, run
    return Event.objects.get(sync_run_id=run.id, field="name").id, took


async def _until_up(httpx, url: str) -> None:
    for _ in range(300):
        try:
            async with httpx.AsyncClient() as client:
                await client.get(url)
            return
        except httpx.TransportError:
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} never answered")


def _complete_an_item() -> tuple[int, float]:
    """An item's `succeeded`, recorded and committed as a worker does; (its id, commit time)."""
    from django.db import transaction

    from apps.history.choices import STATUS, EntityKind
    from apps.history.models import Event
    from apps.history.record import Cause, Change, record

    item = uuid.uuid4()
    with transaction.atomic():
        record(
            [Change(EntityKind.ACTION_ITEM, item, STATUS, "running", "succeeded", name="bench")],
            Cause(action_id=uuid.uuid4(), item_id=item, operation="bench"),
        )
        event_id = Event.objects.get(entity_id=str(item)).id
    return event_id, time.perf_counter()


if __name__ == "__main__":
    main()
