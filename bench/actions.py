"""`PUT /instances/reboot` with 1,000 ids: the HTTP response time, and the time until all 1,000
instances are `launched` again, with the simulator in its own process, Perspective served by
`manage.py runserver` and one `celery worker` with 2 processes on the actions queue.

    .venv/bin/python -m bench.actions [--instances 1000] [--runs 3] [--delay 1]

Uses a new SQLite file and the filesystem broker in a temporary folder, unless DATABASE_URL
(an empty database) and CELERY_BROKER_URL are set. Prints one line per run and the medians.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from bench.environment import print_environment

ROOT = Path(__file__).resolve().parents[1]
PORT = 8765
POLL_SECONDS = 1.0


def environment(var_dir: str) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "perspective.settings",
        "PERSPECTIVE_VAR_DIR": var_dir,
        "SECRET_KEY": "bench-only-secret-key-that-is-long-enough-for-django-checks",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "ACTIONS_POLL_SECONDS": str(POLL_SECONDS),
    }


@contextmanager
def process(command: list[str], env: dict[str, str], log: Path):
    with open(log, "w") as output:
        started = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield started
    finally:
        started.terminate()
        started.wait(timeout=30)


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.05)


def inventory(base_url: str, instances: int) -> list[str]:
    """A cloud on the simulator, synced; returns the ids of its instances."""
    from apps.clouds.models import SyncRun
    from apps.clouds.sync.runner import run_sync
    from apps.inventory.models import Cloud, Instance
    from openstack_simulator.control_client import SimulatorControl

    SimulatorControl(base_url).create_servers(instances)
    Cloud.objects.filter(name="bench").delete()
    cloud = Cloud.objects.create(
        name="bench",
        auth_url=f"{base_url}/v3",
        username="admin",
        password="simulator",
        project_name="admin",
    )
    for kind in ("catalog", "instances"):
        run_sync(SyncRun.objects.create(cloud=cloud, kind=kind))
    return [str(pk) for pk in Instance.objects.filter(cloud=cloud).values_list("id", flat=True)]


def api_headers() -> dict[str, str]:
    """The headers of a superuser's API requests, with a token made for the bench."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    users = get_user_model().objects
    user = users.filter(username="bench").first() or users.create_superuser("bench")
    token, _ = Token.objects.get_or_create(user=user)
    return {"Content-Type": "application/json", "Authorization": f"Token {token.key}"}


def reboot(ids: list[str]) -> float:
    """Seconds until the response of one PUT /instances/reboot has been read."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    body = json.dumps(ids)
    headers = api_headers()
    started = time.perf_counter()
    connection.request("PUT", "/instances/reboot", body, headers)
    response = connection.getresponse()
    answer = json.loads(response.read())
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 200 or len(answer["queued"]) != len(ids):
        raise SystemExit(f"unexpected answer {response.status}: {str(answer)[:300]}")
    return elapsed


def launched(ids: list[str]) -> int:
    from apps.inventory.models import Instance

    return Instance.objects.filter(id__in=ids, state="launched").count()


def served() -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
        connection.request("GET", "/version")
        return connection.getresponse().status == 200
    except OSError:
        return False


def main(instances: int, runs: int, delay: float) -> None:
    from openstack_simulator.testing import spawned_simulator

    with tempfile.TemporaryDirectory() as var_dir:
        env = environment(var_dir)
        os.environ.update(env)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        import django

        django.setup()
        print_environment()
        simulator_args = ("--servers", "0", "--projects", "1", "--regions", "RegionOne")
        with spawned_simulator(*simulator_args, "--delay", str(delay)) as simulator:
            ids = inventory(simulator.base_url, instances)
            web = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"]
            worker = [sys.executable, "-m", "celery", "-A", "perspective", "worker"]
            worker += ["--queues", "actions", "--concurrency", "2", "--loglevel", "WARNING"]
            with (
                process(web, env, Path(var_dir) / "web.log"),
                process(worker, env, Path(var_dir) / "worker.log"),
            ):
                wait_until(served, 30, "runserver")
                warm_up(ids[:10])
                measure(ids, runs, env, delay)


def warm_up(ids: list[str]) -> None:
    """A first small batch: the server's code is loaded and the worker has started."""
    reboot(ids)
    wait_until(lambda: launched(ids) == len(ids), 60, "the warm-up batch")


def measure(ids: list[str], runs: int, env: dict[str, str], delay: float) -> None:
    responses, ends = [], []
    for run in range(1, runs + 1):
        started = time.perf_counter()
        responses.append(reboot(ids))
        wait_until(lambda: launched(ids) == len(ids), 600, "every instance to be launched")
        ends.append(time.perf_counter() - started)
        print(
            f"run {run}: response {responses[-1] * 1000:.0f} ms, "
            f"all {len(ids)} launched after {ends[-1]:.1f} s"
        )
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    broker = env.get("CELERY_BROKER_URL", "filesystem://").split(":")[0]
    print(
        f"PUT /instances/reboot with {len(ids)} ids on {database} ({broker} broker): "
        f"median response {statistics.median(responses) * 1000:.0f} ms; all launched again "
        f"after {statistics.median(ends):.1f} s (1 worker with 2 processes, the cloud taking "
        f"{delay:g} s per reboot, polls every {POLL_SECONDS:g} s)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--delay", type=float, default=1.0, help="seconds a reboot takes")
    arguments = parser.parse_args()
    main(arguments.instances, arguments.runs, arguments.delay)
