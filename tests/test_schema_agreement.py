"""Where Schemathesis (.ci/schemathesis) found the server and the OpenAPI schema disagreeing:
each case, kept as a test so that the two stay in agreement between its runs."""

import pytest
from django.urls import reverse

from apps.inventory import factories

pytestmark = pytest.mark.django_db

LISTINGS = ["instances", "images", "projects", "flavors", "networks", "clouds", "actions", "syncs"]


@pytest.fixture
def schema(api):
    return api.get(reverse("schema"), {"format": "json"}).json()


@pytest.mark.parametrize("listing", LISTINGS)
def test_an_empty_repeated_filter_is_no_filter(api, listing):
    factories.InstanceFactory()
    parameter = "cloud" if listing != "clouds" else "name"

    empty = api.get(f"/api/{listing}/", {parameter: ""})

    assert (empty.status_code, empty.json()) == (200, api.get(f"/api/{listing}/").json())


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/notifications", "since"),
        ("/api/instances/", "created_after"),
        ("/api/syncs/", "queued_after"),
    ],
)
def test_an_empty_time_is_refused_as_the_schema_refuses_it(api, path, parameter):
    response = api.get(path, {parameter: ""})

    assert response.status_code == 400
    assert response.json()["message"].startswith(f"{parameter}: Enter a date and time")


@pytest.mark.parametrize("listing", LISTINGS)
def test_every_listing_documents_its_400(schema, listing):
    assert "400" in schema["paths"][f"/api/{listing}/"]["get"]["responses"]


def test_every_body_documents_413_and_415(schema):
    bodies = [
        operation
        for methods in schema["paths"].values()
        for operation in methods.values()
        if isinstance(operation, dict) and "requestBody" in operation
    ]
    assert bodies
    for operation in bodies:
        assert {"400", "413", "415"} <= set(operation["responses"]), operation["operationId"]


def test_a_rename_of_an_empty_id_is_an_unknown_id(api):
    response = api.put("/instances/rename", {"": "new"}, format="json")

    assert (response.status_code, response.json()) == (
        404,
        {"message": "Instance  does not exist; nothing was queued"},
    )


def test_the_schema_says_what_the_server_refuses(schema):
    syncs = schema["paths"]["/api/syncs/"]["get"]["parameters"]
    parameters = {parameter["name"]: parameter["schema"] for parameter in syncs}
    assert parameters["page_size"] == {"type": "integer", "minimum": 1}
    assert parameters["id"]["items"]["minimum"] == 1
    assert parameters["cursor"]["minLength"] == 1
    body = schema["paths"]["/api/clouds/{name}/sync"]["post"]["requestBody"]["content"]
    component = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][component]["properties"]["kinds"]["uniqueItems"]
    entry = schema["components"]["schemas"]["EntryRequest"]["properties"]["key"]
    assert entry["minLength"] == 1


def test_a_sync_body_of_null_is_refused_as_not_an_object(api):
    factories.CloudFactory(name="east")

    response = api.post("/api/clouds/east/sync", "null", content_type="application/json")

    assert response.status_code == 400


def test_an_id_of_spaces_is_an_unknown_id_not_a_blank(api):
    response = api.put("/instances/reboot", [" "], format="json")

    assert response.status_code == 404
