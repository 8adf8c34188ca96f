"""POST /query over HTTP: the original's request and response shapes, and bad requests."""

import json

import pytest

from .helpers import named

pytestmark = pytest.mark.django_db


def post(api, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return api.post("/query", data, content_type="application/json", **extra)


def test_wiki_example_answers_in_the_wiki_shape(api, inventory):
    response = post(
        api,
        [
            {
                "sql": "select id, name from projects where name regexp :name: order by name asc",
                "parameters": [named("name", "alpha")],
            }
        ],
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == [
        {
            "status": "success",
            "count": 2,
            "data": {
                "columnName": ["id", "name"],
                "row": [
                    {"value": [str(inventory["one"].id), "alpha_RegionOne"]},
                    {"value": [str(inventory["two"].id), "alpha_RegionTwo"]},
                ],
            },
            "message": "",
        }
    ]


def test_results_are_one_flat_list_over_all_requests_and_statements(api, db):
    response = post(api, [{"sql": "select 1; select 2"}, {"sql": "select 3", "parameters": []}])

    assert [r["data"]["row"][0]["value"] for r in response.json()] == [[1], [2], [3]]


def test_sql_errors_are_results_not_http_errors(api, db):
    response = post(api, [{"sql": "select * from auth_user"}, {"sql": "select :x:"}])

    assert response.status_code == 200
    assert [r["status"] for r in response.json()] == ["syntax_error", "missing_parameters"]


def test_positional_parameters_bind_by_index(api, db):
    response = post(
        api,
        [
            {
                "sql": "select ?, ?",
                "parameters": [{"index": 2, "value": "b"}, {"index": 1, "value": "a"}],
            }
        ],
    )

    assert response.json()[0]["data"]["row"] == [{"value": ["a", "b"]}]


def test_an_infinite_number_is_sent_as_valid_json(api, db):
    response = post(api, [{"sql": "select exp(1000), 'x'"}])

    assert response.status_code == 200
    (result,) = json.loads(response.content)  # strict JSON: no Infinity
    assert result["data"]["row"] in ([{"value": [None, "x"]}], [])


def test_empty_list_gives_an_empty_list(api, db):
    assert post(api, []).json() == []


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "{",
        {"sql": "select 1"},
        '"select 1"',
        [{"parameters": []}],
        [{"sql": None}],
        [{"sql": "select 1", "parameters": {"name": "x", "value": 1}}],
        [{"sql": "select :x:", "parameters": [{"name": "x"}]}],
        [{"sql": "select ?", "parameters": [{"value": 1}]}],
        [{"sql": "select ?", "parameters": [{"index": 1, "name": "x", "value": 1}]}],
        [{"sql": "select ?", "parameters": [{"index": 0, "value": 1}]}],
        [{"sql": "select ?", "parameters": [{"index": "one", "value": 1}]}],
        [{"sql": "select :x:", "parameters": [{"name": "x", "value": {"a": 1}}]}],
        [{"sql": "select :x:", "parameters": [{"name": "x", "value": [1]}]}],
        [{"sql": "select :x:", "parameters": [{"name": "x y", "value": 1}]}],
        [{"sql": "select :x:", "parameters": ["x"]}],
        ["select 1"],
    ],
)
def test_malformed_body_is_400_with_a_message(api, db, body):
    response = post(api, body)

    assert response.status_code == 400
    assert response.json()["message"]


def test_body_over_one_mebibyte_is_413(api, db):
    response = post(api, [{"sql": "select '" + "x" * (1024 * 1024) + "'"}])

    assert response.status_code == 413
    assert "1048576 bytes" in response.json()["message"]


def test_other_methods_are_405(api):
    assert api.get("/query").status_code == 405
