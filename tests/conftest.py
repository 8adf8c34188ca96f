import pytest
from rest_framework.test import APIClient

pytest_plugins = ["openstack_simulator.pytest_plugin"]


@pytest.fixture
def api():
    return APIClient()
