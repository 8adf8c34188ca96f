"""What the OpenStack driver gives openstacksdk to log in with: the cloud's credential fields
(Cloud.CREDENTIAL_FIELDS) of one kind, never both, and nothing from the machine."""

from apps.clouds.drivers.openstack import OpenStackDriver
from apps.inventory import factories


def auth_of(cloud) -> tuple[str, dict]:
    config = OpenStackDriver(cloud)._config("RegionOne")
    assert (config["load_yaml_config"], config["load_envvars"]) == (False, False)
    return config["auth_type"], config["auth"]


def test_a_password_cloud_logs_in_with_its_user_and_project(db):
    cloud = factories.CloudFactory(project_id="p-1", user_domain_name="Default")

    auth_type, auth = auth_of(cloud)

    assert auth_type == "password"
    assert auth == {
        "username": "perspective",
        "password": "not-a-real-password",
        "user_domain_name": "Default",
        "project_name": "perspective",
        "project_id": "p-1",
        "project_domain_name": "Default",
        "auth_url": cloud.auth_url,
    }


def test_an_application_credential_is_used_alone(db):
    cloud = factories.CloudFactory(
        application_credential_id="ac-1", application_credential_secret="s3cret"
    )

    auth_type, auth = auth_of(cloud)

    assert auth_type == "v3applicationcredential"
    assert auth == {
        "application_credential_id": "ac-1",
        "application_credential_secret": "s3cret",
        "auth_url": cloud.auth_url,
    }
