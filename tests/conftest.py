import io
import logging

import pytest
from celery import current_app
from django.core.cache import cache
from rest_framework.test import APIClient

from apps.clouds import drivers
from apps.inventory.models import Cloud

from . import memory_driver

pytest_plugins = [
    "openstack_simulator.pytest_plugin",
    "tests.fixtures.browser",
    "tests.fixtures.clouds",
    "tests.fixtures.operations",
]


@pytest.fixture(autouse=True)
def fresh_rates():
    """Each test starts with no request counted against the rate limits: the counts live in
    the cache, and the same user id recurs from test to test."""
    cache.clear()


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    """Each test starts with no requests counted against the rate limits: in one process, the
    users of earlier tests (the same ids again) would otherwise share them."""
    cache.clear()


@pytest.fixture
def api(admin_user):
    """A client authenticated as a superuser, who sees and may do everything."""
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def log_output():
    """What the project's console log handler writes meanwhile (JSON lines in the tests)."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    output = io.StringIO()
    previous = handler.setStream(output)
    yield output
    handler.setStream(previous)


@pytest.fixture
def broker_down():
    """The broker is a real Redis URL on a port where nothing listens."""
    conf = current_app.conf
    names = ("broker_url", "broker_write_url", "broker_connection_timeout")
    saved = {name: conf[name] for name in names}
    unreachable = "redis://127.0.0.1:9/0"
    conf.update(broker_url=unreachable, broker_write_url=unreachable, broker_connection_timeout=0.5)
    yield
    conf.update(saved)


@pytest.fixture
def memory_cloud(db):
    """A cloud of type `memory` (tests/memory_driver.py), with one region and two flavors;
    yields (the Cloud, the MemoryCloud its driver sees)."""
    drivers.register(memory_driver.MemoryDriver)
    memory = memory_driver.CLOUDS["memory"] = memory_driver.new_cloud()
    cloud = Cloud.objects.create(name="memory", type=memory_driver.CLOUD_TYPE, auth_url="-")
    yield cloud, memory
    del drivers._DRIVERS[memory_driver.CLOUD_TYPE], memory_driver.CLOUDS["memory"]
