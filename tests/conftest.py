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
