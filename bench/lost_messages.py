"""Issue 14's scenario with the production settings: reboot 500 instances; 6 s later Redis,
which keeps nothing on disk, is killed, and started again, empty, 10 s after that. Prints how
many items the broker forgot, how long after the restart the sweep sent them again, and the
time until every item ended; checks that every item succeeded with one accepted call.

    .venv/bin/python -m bench.lost_messages [--instances 500] [--resend 45]

Uses a new SQLite file (or DATABASE_URL: an empty PostgreSQL database) and a redis-server of
its own on a free port, one `celery worker` with 2 processes and `celery beat`; the simulator,
in its own process, takes 1 s per reboot. `--resend` sets RESEND_SECONDS (default 45).
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

from bench.actions import ROOT, environment, inventory, process, wait_until

KILL_AFTER, DOWN_FOR = 6.0, 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_server(port: int, folder: str) -> subprocess.Popen:
    command = [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1"]
    command += ["--save", "", "--appendonly", "no", "--dir", folder]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    wait_until(lambda: answers(port), 10, "redis-server")
    return server


def answers(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def main(instances: int, resend: float) -> None:
    from openstack_simulator.testing import spawned_simulator

    with tempfile.TemporaryDirectory() as var_dir, ExitStack() as stack:
        port = free_port()
        env = environment(var_dir) | {
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
            "RESEND_SECONDS": str(resend),
        }
        os.environ.update(env)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        import django

        django.setup()
        servers = [redis_server(port, var_dir)]  # the one running now last
        stack.callback(lambda: servers[-1].kill())
        simulator_args = ("--servers", "0", "--projects", "1", "--regions", "RegionOne")
        simulator = stack.enter_context(spawned_simulator(*simulator_args, "--delay", "1"))
        ids = inventory(simulator.base_url, instances)
        celery = [sys.executable, "-m", "celery", "-A", "perspective"]
        worker = [*celery, "worker", "--queues", "sync,actions", "--concurrency", "2"]
        beat = [*celery, "beat", "--schedule", str(Path(var_dir) / "beat-schedule")]
        stack.enter_context(process(worker, env, Path(var_dir) / "worker.log"))
        stack.enter_context(process(beat, env, Path(var_dir) / "beat.log"))
        time.sleep(8)  # the worker and beat are up
        measure(ids, servers, port, var_dir, simulator.base_url, resend)


def measure(ids, servers, port, var_dir, base_url, resend) -> None:
    from apps.operations.models import ActionItem
    from apps.operations.services import instance_action
    from openstack_simulator.control_client import SimulatorControl

    outcome = instance_action("rebootInstance", ids)
    items = ActionItem.objects.filter(action=outcome.action)
    asked = time.monotonic()
    time.sleep(KILL_AFTER)
    servers[-1].kill()
    servers[-1].wait()
    stranded = items.filter(status="queued").count()
    time.sleep(DOWN_FOR)
    servers.append(redis_server(port, var_dir))
    restarted, restarted_at = time.monotonic(), time.time()
    wait_until(lambda: not items.filter(status__in=["queued", "running"]).exists(), 900, "all")
    ended = time.monotonic()
    resent = sweeps(Path(var_dir) / "worker.log", restarted_at)
    statuses = Counter(items.values_list("status", flat=True))
    accepted = Counter(
        r["path"]
        for r in SimulatorControl(base_url).requests()
        if r["method"] == "POST" and r["path"].endswith("/action") and r["status"] == 202
    )
    assert statuses == {"succeeded": len(ids)}, statuses
    assert len(accepted) == len(ids) and set(accepted.values()) == {1}, accepted.most_common(3)
    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    print(
        f"{len(ids)} reboots on {database}, Redis killed after {KILL_AFTER:g} s and started "
        f"again empty {DOWN_FOR:g} s later, RESEND_SECONDS={resend:g}: {stranded} items were "
        f"still queued when it went; the sweep sent again {resent} after the restart; "
        f"all {len(ids)} succeeded {ended - restarted:.1f} s after it "
        f"({ended - asked:.1f} s after the request), each with one accepted call; "
        f"load {os.getloadavg()[0]:.1f}"
    )


def sweeps(log: Path, since: float) -> str:
    """What the sweep sent again after `since`, from the worker's log: "N items at S s"."""
    found = []
    for line in log.read_text().splitlines():
        if "Sending again" not in line or not line.startswith("{"):
            continue
        record = json.loads(line)
        at = datetime.fromisoformat(record["time"]).timestamp() - since
        found.append(f"{record['message'].split()[2]} items at {at:.1f} s")
    return ", ".join(found) or "nothing"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=500)
    parser.add_argument("--resend", type=float, default=45.0, help="RESEND_SECONDS")
    arguments = parser.parse_args()
    main(arguments.instances, arguments.resend)
