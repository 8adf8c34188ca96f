import io
import logging

import pytest
from rest_framework.test import APIClient

pytest_plugins = ["openstack_simulator.pytest_plugin"]


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
