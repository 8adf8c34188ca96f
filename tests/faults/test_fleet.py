"""Three clouds across two `celery worker` processes started apart, beat alone scheduling, on
PostgreSQL and a redis-server of the test's own (bench.fleet is the same at scale): one cloud
is slow, one fails (Nova answers 503); the others are loaded and kept fresh all the same, the
work is spread over both workers, and no cloud is ever synced by two at once."""

import os

from django.db import connection

from apps.clouds.models import SyncRun
from apps.inventory.models import Instance
from bench.fleet import Fleet
from tests.processes import postgres_url

from .conftest import needs_real_servers
from .stack import redis_server

pytestmark = needs_real_servers()


def fleet_env(folder, redis_port: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "DATABASE_URL": postgres_url(connection.settings_dict),
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
        "PERSPECTIVE_VAR_DIR": str(folder / "var"),
        "SYNC_SCHEDULE_SECONDS": "1",
    }


def test_clouds_are_shared_by_workers_and_a_bad_cloud_delays_none(tmp_path):
    redis = redis_server(tmp_path)
    redis.start()
    with Fleet(tmp_path, fleet_env(tmp_path, redis.port), clouds=3, servers=60, workers=2) as fleet:
        fleet.exit.callback(redis.kill)
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
