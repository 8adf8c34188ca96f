"""Three clouds across two `celery worker` processes started apart, beat alone scheduling, on
PostgreSQL and each broker Perspective runs on: a redis-server of the test's own, and the
machine's RabbitMQ (a vhost of the test's own). bench.fleet is the same at scale. One cloud is
slow, one fails (Nova answers 503); the others are loaded and kept fresh all the same, the
work is spread over both workers, and no cloud is ever synced by two at once."""

import os
import shutil
import subprocess
import uuid

import pytest
from django.db import connection

from apps.clouds.models import SyncRun
from apps.inventory.models import Instance
from bench.fleet import Fleet
from tests.processes import listening, postgres_url

from .conftest import needs_real_servers
from .stack import redis_server

pytestmark = needs_real_servers()
RABBITMQ = ("127.0.0.1", 5672)


@pytest.fixture(params=["redis", "rabbitmq"])
def broker_url(request, tmp_path):
    """The broker's URL: a redis-server started here, or a new vhost of the machine's RabbitMQ
    (started by .ci/run), deleted at the end."""
    if request.param == "redis":
        redis = redis_server(tmp_path)
        redis.start()
        yield f"redis://127.0.0.1:{redis.port}/0"
        redis.kill()
        return
    if shutil.which("rabbitmqctl") is None or not listening(RABBITMQ[1], RABBITMQ[0]):
        pytest.skip("needs RabbitMQ on 127.0.0.1:5672 and rabbitmqctl (.ci/run starts it)")
    vhost = f"perspective-fleet-{uuid.uuid4().hex[:8]}"
    rabbitmqctl = ["rabbitmqctl", "--quiet"]
    subprocess.run([*rabbitmqctl, "add_vhost", vhost], check=True, capture_output=True)
    try:
        permissions = ["set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"]
        subprocess.run([*rabbitmqctl, *permissions], check=True, capture_output=True)
        yield f"amqp://guest:guest@{RABBITMQ[0]}:{RABBITMQ[1]}/{vhost}"
    finally:
        subprocess.run([*rabbitmqctl, "delete_vhost", vhost], capture_output=True)


def fleet_env(folder, broker_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "DATABASE_URL": postgres_url(connection.settings_dict),
        "CELERY_BROKER_URL": broker_url,
        "PERSPECTIVE_VAR_DIR": str(folder / "var"),
        "SYNC_SCHEDULE_SECONDS": "1",
    }


def test_clouds_are_shared_by_workers_and_a_bad_cloud_delays_none(tmp_path, broker_url):
    env = fleet_env(tmp_path, broker_url)
    with Fleet(tmp_path, env, clouds=3, servers=60, workers=2) as fleet:
        fleet.add_clouds(changes_seconds=2, slow=0.05)
        fleet.start()
        healthy, slow = fleet.healthy(), "fleet-02"  # fleet-00 and the slow one; fleet-01 fails

        fleet.wait(lambda: fleet.loaded(healthy), "both good clouds to load", timeout=120)
        control = fleet.controls["fleet-00"]
        server = control.servers()[0]
        control.update_server(server["id"], name="renamed-by-the-cloud")
        renamed = Instance.objects.filter(real_id=server["id"], name="renamed-by-the-cloud")
        fleet.wait(renamed.exists, "a change sync to bring the new name", timeout=60)

        assert Instance.objects.filter(cloud__name__in=healthy).count() == 2 * 60
        assert Instance.objects.filter(cloud__name=slow).count() == 60
        failing = SyncRun.objects.filter(cloud__name="fleet-01")
        assert failing.exists() and not failing.filter(status="succeeded").exists()
        assert fleet.overlaps() == 0
        tasks = [count for count, _ in fleet.busy_seconds().values()]
        assert all(count > 0 for count in tasks), tasks
