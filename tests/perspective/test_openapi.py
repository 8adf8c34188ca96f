"""The OpenAPI schema at /api/schema/ and its Swagger UI at /api/docs/."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from drf_spectacular.drainage import reset_generator_stats
from drf_spectacular.generators import SchemaGenerator

from apps.inventory import factories
from tests.wiki import WIKI_ENDPOINTS

pytestmark = pytest.mark.django_db

# Perspective's own endpoints beside the wiki's.
OWN_ENDPOINTS = {
    ("GET", "/images/{}"),
    ("GET", "/actions/{}"),
    ("GET", "/notifications"),
    ("POST", "/notifications/acknowledge"),
    ("POST", "/api/clouds/{}/sync"),
}


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def documented(schema: dict) -> dict:
    """{(METHOD, path with `{}` for each parameter): operation}."""
    return {
        (method.upper(), re.sub(r"\{[^}]+\}", "{}", path)): operation
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


def component(schema: dict, ref_holder: dict) -> dict:
    """The component a `{"$ref": ...}` (or an array of them) points to."""
    ref = ref_holder.get("items", ref_holder)["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def body_schema(operation: dict) -> dict:
    return operation["requestBody"]["content"]["application/json"]["schema"]


def response_schema(operation: dict, status: str = "200") -> dict:
    return operation["responses"][status]["content"]["application/json"]["schema"]


def assert_shape(body: dict, shape: dict):
    """The body has every required key of the component and no key it does not describe."""
    assert set(shape["required"]) <= set(body), f"{set(shape['required']) - set(body)} missing"
    assert set(body) <= set(shape["properties"]), f"{set(body) - set(shape['properties'])} extra"


def test_schema_validates_without_warnings(tmp_path):
    reset_generator_stats()

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")


def test_schema_is_served_to_anyone(anonymous):
    response = anonymous.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
    assert response.json()["info"]["version"] == settings.VERSION


def test_schema_lists_every_wiki_endpoint_with_its_method(schema):
    missing = (WIKI_ENDPOINTS | OWN_ENDPOINTS) - set(documented(schema))

    assert not missing


def test_version_is_documented_as_plain_text_or_json_with_the_database(schema):
    content = schema["paths"]["/version"]["get"]["responses"]["200"]["content"]

    assert set(content) == {"text/plain", "application/json"}
    assert content["application/json"]["schema"]["required"] == ["version", "database"]


def test_query_request_shape_is_what_the_view_accepts(schema, api):
    operation = schema["paths"]["/query"]["post"]
    statement = component(schema, body_schema(operation))
    named, indexed = (
        component(schema, choice)
        for choice in component(schema, statement["properties"]["parameters"])["oneOf"]
    )
    assert set(statement["properties"]) == {"sql", "parameters"}
    assert set(named["required"]) == {"name", "value"}
    assert set(indexed["required"]) == {"index", "value"}

    response = api.post(
        "/query",
        [
            {
                "sql": "select :a: as a, ? as b",
                "parameters": [{"name": "a", "value": "x"}, {"index": 1, "value": 2}],
            }
        ],
        format="json",
    )

    assert response.status_code == 200
    assert response.json()[0]["data"]["row"] == [{"value": ["x", 2]}]


def test_query_result_shape_is_what_the_view_returns(schema, api, settings):
    settings.QUERY_MAX_ROWS = 1
    result_shape = component(schema, response_schema(schema["paths"]["/query"]["post"]))
    data_shape = component(schema, result_shape["properties"]["data"])
    row_shape = component(schema, data_shape["properties"]["row"])

    results = api.post(
        "/query",
        [{"sql": "select 1 union all select 2"}, {"sql": "select nothing"}],
        format="json",
    ).json()

    truncated, failed = results
    assert set(truncated) == set(result_shape["properties"])  # `truncated` included
    assert_shape(failed, result_shape)
    assert failed["status"] in component(schema, result_shape["properties"]["status"])["enum"]
    assert_shape(truncated["data"], data_shape)
    assert_shape(truncated["data"]["row"][0], row_shape)


def test_batch_action_request_and_response_shapes_are_what_the_view_takes_and_gives(schema, api):
    project = factories.ProjectFactory()
    running = factories.InstanceFactory(project=project, state="launched", is_locked=False)
    stopped = factories.InstanceFactory(project=project, state="shutoff", is_locked=False)
    operation = schema["paths"]["/instances/reboot"]["put"]
    outcome_shape = component(schema, response_schema(operation))
    assert body_schema(operation)["items"]["type"] == "string"

    body = api.put("/instances/reboot", [str(running.id), str(stopped.id)], format="json").json()

    assert set(body) == set(outcome_shape["properties"]) == set(outcome_shape["required"])
    assert body["queued"] == [str(running.id)]
    assert_shape(body["skipped"][0], component(schema, outcome_shape["properties"]["skipped"]))


def test_batch_errors_are_documented_where_they_occur(schema):
    reboot = schema["paths"]["/instances/reboot"]["put"]["responses"]
    delete = schema["paths"]["/instances/delete"]["post"]["responses"]

    assert {"400", "401", "403", "404", "429"} <= set(reboot)
    assert "404" not in delete  # unknown ids are skipped
    assert "Retry-After" in reboot["429"]["headers"]


def test_instance_shape_is_what_the_view_returns(schema, api):
    project = factories.ProjectFactory()
    instance = factories.InstanceFactory(project=project)
    shape = component(schema, response_schema(schema["paths"]["/instances/{id}"]["get"]))

    body = api.get(f"/instances/{instance.id}").json()

    assert_shape(body, shape)
    assert_shape(body["flavor"], component(schema, shape["properties"]["flavor"]))


def test_401_is_documented_with_the_message_shape(schema, anonymous):
    error = schema["components"]["schemas"]["Error"]
    operations = documented(schema)
    for endpoint in WIKI_ENDPOINTS - {("GET", "/ping"), ("GET", "/version")}:
        assert component(schema, response_schema(operations[endpoint], "401")) == error, endpoint

    response = anonymous.post("/query", [], format="json")

    assert response.status_code == 401
    assert_shape(response.json(), error)
    assert error["properties"]["message"]["type"] == "string"


def test_authentication_is_a_token_or_a_session(schema):
    schemes = schema["components"]["securitySchemes"]
    query = schema["paths"]["/query"]["post"]
    ping = schema["paths"]["/ping"]["get"]

    assert schemes["tokenAuth"] | {"description": ""} == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "",
    }
    assert "Token" in schemes["tokenAuth"]["description"]
    assert schemes["cookieAuth"]["in"] == "cookie"
    assert {"tokenAuth": []} in query["security"]
    assert {} not in query["security"]
    assert {} in ping["security"]  # no credentials needed


def test_docs_page_renders_with_the_sidecar_assets(client, settings, tmp_path):
    # As in production: the static files collected, and WhiteNoise serving them.
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)

    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "/api/schema/" in page
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert asset.startswith(static("drf_spectacular_sidecar/")), asset
        assert client.get(asset).status_code == 200, asset
