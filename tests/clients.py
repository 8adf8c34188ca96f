"""API clients of users with grants, for the tests of access."""

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from apps.inventory.models import Grant


def granted(name: str, **grants) -> User:
    """A user with a role in each project given: `operator=project_a, viewer=project_b`."""
    user = User.objects.create_user(name)
    for role, project in grants.items():
        Grant.objects.create(user=user, project=project, role=role)
    return user


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client
