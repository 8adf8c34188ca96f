import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from apps.inventory import crypto, factories
from apps.inventory.models import Cloud

pytestmark = pytest.mark.django_db


def stored_password(cloud) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT password FROM inventory_cloud WHERE name = %s", [cloud.name])
        return cursor.fetchone()[0]


@pytest.fixture
def keys(settings):
    """Switches CREDENTIAL_KEYS, clearing the cached cipher each time."""

    def use(*keys):
        settings.CREDENTIAL_KEYS = list(keys)
        crypto._fernet.cache_clear()

    yield use
    crypto._fernet.cache_clear()


def test_rotation_re_encrypts_with_the_new_key(keys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    keys(old)
    cloud = factories.CloudFactory(password="s3cret")
    keys(new, old)

    call_command("rotate_credentials")

    keys(new)  # the old key is gone: the secret must still read
    assert Cloud.objects.get(pk=cloud.pk).password == "s3cret"
    assert Fernet(new.encode()).decrypt(stored_password(cloud).encode()) == b"s3cret"


def test_a_secret_no_key_decrypts_fails_only_where_it_is_read(keys, api):
    keys(Fernet.generate_key().decode())
    instance = factories.InstanceFactory(project__cloud__password="s3cret")
    keys(Fernet.generate_key().decode())  # the key that encrypted it is lost

    detail = api.get(f"/instances/{instance.id}")
    listing = api.get("/api/instances/")

    assert detail.status_code == 200
    assert [item["id"] for item in listing.json()["results"]] == [str(instance.id)]
    with pytest.raises(crypto.UndecryptableSecret):
        _ = Cloud.objects.get(pk=instance.cloud_id).password
