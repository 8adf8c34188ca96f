from contextlib import suppress

import pytest
from celery import current_app

from apps.clouds.drivers.base import DriverError
from apps.clouds.models import SyncRun
from apps.clouds.sync.runner import run_sync
from apps.inventory.models import Cloud


@pytest.fixture
def cloud(simulator, db):
    """A cloud whose credentials log in to the simulator."""
    return Cloud.objects.create(
        name="sim",
        auth_url=simulator.auth_url,
        username=simulator.username,
        password=simulator.password,
        project_name=simulator.project_name,
    )


@pytest.fixture
def sync(cloud):
    """Runs a sync of `kind` in the foreground; returns its recorded run."""

    def run(kind: str, target=None) -> SyncRun:
        recorded = SyncRun.objects.create(cloud=target or cloud, kind=kind)
        with suppress(DriverError):  # recorded on the run; the tests look at the record
            run_sync(recorded)
        recorded.refresh_from_db()
        return recorded

    return run


@pytest.fixture
def eager_celery():
    """Tasks run at once, where they are queued."""
    conf = current_app.conf
    conf.update(task_always_eager=True)
    yield
    conf.update(task_always_eager=False)
