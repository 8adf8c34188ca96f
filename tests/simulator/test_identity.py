import json
import urllib.request

import keystoneauth1.exceptions
import openstack
import pytest

from openstack_simulator.testing import RunningSimulator


def _post_json(url: str, body: dict) -> tuple[int, dict, dict]:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request) as response:
        return response.status, dict(response.headers), json.loads(response.read())


def _password_auth(simulator: RunningSimulator, project: dict) -> dict:
    user = {"name": simulator.username, "domain": {"name": "Default"}, "password": "simulator"}
    return {
        "auth": {
            "identity": {"methods": ["password"], "password": {"user": user}},
            "scope": {"project": project},
        }
    }


def test_root_answers_version_discovery_with_multiple_choices(simulator):
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(simulator.base_url + "/")
    assert raised.value.code == 300
    versions = json.loads(raised.value.read())["versions"]["values"]
    assert versions[0]["id"].startswith("v3")
    assert versions[0]["links"][0]["href"] == simulator.auth_url + "/"


def test_password_token_has_subject_header_expiry_and_catalog_for_each_region(simulator):
    body = _password_auth(simulator, {"name": "admin", "domain": {"name": "Default"}})
    status, headers, answer = _post_json(simulator.auth_url + "/auth/tokens", body)
    token = answer["token"]
    assert status == 201
    assert headers["X-Subject-Token"].startswith("gAAAA")
    assert token["expires_at"].endswith("Z")
    assert token["project"]["name"] == "admin"
    catalog = {service["type"]: service["endpoints"] for service in token["catalog"]}
    assert set(catalog) == {"identity", "compute", "image", "network"}
    regions = {endpoint["region"] for endpoint in catalog["compute"]}
    assert regions == {"RegionOne", "RegionTwo"}


def test_password_auth_through_openstacksdk(conn):
    assert conn.authorize()
    assert conn.current_project["name"] == "admin"


def test_project_scope_by_id(simulator, conn):
    project_id = conn.current_project_id
    config = simulator.cloud_config()
    del config["auth"]["project_name"], config["auth"]["project_domain_name"]
    config["auth"]["project_id"] = project_id
    scoped = openstack.connect(**config)
    assert scoped.current_project_id == project_id


def test_application_credential_auth(simulator):
    conn = openstack.connect(**simulator.app_credential_config())
    assert list(conn.compute.servers())
    access = conn.session.auth.get_access(conn.session)
    assert access.application_credential_id == simulator.application_credential_id


def test_wrong_password_is_401(simulator):
    config = simulator.cloud_config()
    config["auth"]["password"] = "wrong"
    conn = openstack.connect(**config)
    with pytest.raises(keystoneauth1.exceptions.Unauthorized) as raised:
        list(conn.compute.servers())
    assert raised.value.http_status == 401


def test_unknown_project_is_401(simulator):
    body = _password_auth(simulator, {"name": "nope", "domain": {"name": "Default"}})
    with pytest.raises(urllib.error.HTTPError) as raised:
        _post_json(simulator.auth_url + "/auth/tokens", body)
    assert raised.value.code == 401


def test_api_call_without_token_is_401_with_keystone_challenge(simulator):
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(simulator.base_url + "/RegionOne/compute/v2.1/servers")
    assert raised.value.code == 401
    assert raised.value.headers["WWW-Authenticate"] == f'Keystone uri="{simulator.auth_url}"'


def test_projects_are_listed(conn):
    names = [project.name for project in conn.identity.projects()]
    assert names[:3] == ["admin", "demo", "web-shop"]
