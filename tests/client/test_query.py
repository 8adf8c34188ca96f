"""perspective query, tables, columns and show: tables on request, JSON when piped, CSV."""

import json

import pytest

from apps.inventory.models import Image, Instance

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.simulator(servers=0, projects=1),
]

SQL = "select name, state from instances where name like 'web-%' order by name"


def test_a_query_as_a_table(cli, fleet):
    ran = cli("query", SQL, "-o", "table")

    assert ran.exit_code == 0
    lines = ran.stdout.splitlines()
    assert lines[1].split("┃")[1:3] == [" name  ", " state    "]
    assert [line.split("│")[1].strip() for line in lines[3:7]] == [
        "web-1",
        "web-2",
        "web-3",
        "web-4",
    ]
    assert "│ web-4 │ shutoff  │" in ran.stdout
    assert lines[-1] == "4 rows"


def test_a_query_piped_is_json(cli, fleet):
    ran = cli("query", SQL)

    assert json.loads(ran.stdout) == {
        "columns": ["name", "state"],
        "rows": [
            ["web-1", "launched"],
            ["web-2", "launched"],
            ["web-3", "launched"],
            ["web-4", "shutoff"],
        ],
        "truncated": False,
    }
    assert ran.stderr == ""


def test_a_query_as_csv(cli, fleet):
    ran = cli("query", SQL, "-o", "csv")

    assert ran.stdout.splitlines() == [
        "name,state",
        "web-1,launched",
        "web-2,launched",
        "web-3,launched",
        "web-4,shutoff",
    ]


def test_parameters_by_name_as_json_and_by_position(cli, fleet):
    sql = "select name from instances where state = :state: and name like ? order by name limit :n:"

    ran = cli("query", sql, "-p", "state=launched", "-p", "1=web-%", "-p", "n:=2")

    assert json.loads(ran.stdout)["rows"] == [["web-1"], ["web-2"]]


def test_sql_from_a_file_and_several_statements(cli, fleet, tmp_path):
    path = tmp_path / "report.sql"
    path.write_text(
        "select count(*) as n from instances;\nselect name from instances where name = 'vault'"
    )

    ran = cli("query", "-f", str(path))

    assert [result["rows"] for result in json.loads(ran.stdout)] == [[[7]], [["vault"]]]


def test_a_result_cut_at_the_row_cap_says_so(cli, fleet, settings):
    settings.QUERY_MAX_ROWS = 3

    table = cli("query", "select name from instances", "-o", "table")
    piped = cli("query", "select name from instances")

    assert "3 rows" in table.stdout
    assert "Only the first 3 rows: the server cut the result at its row cap" in table.stdout
    assert json.loads(piped.stdout)["truncated"] is True
    assert "Only the first 3 rows" in piped.stderr


def test_a_syntax_error_shows_a_caret_under_the_position_and_exits_2(cli, fleet):
    ran = cli("query", "select name\nfrom instances\nwhere name = 'x' nonsense here")

    assert ran.exit_code == 2
    error, line, caret = ran.stderr.splitlines()
    assert error.startswith('Error: Parse error: "') and error.endswith('near "nonsense" at 3:17')
    assert line == "  where name = 'x' nonsense here"
    assert caret == "  " + " " * 17 + "^"  # under the n of nonsense
    assert ran.stdout == ""


def test_an_evaluation_error_exits_1(cli, fleet):
    ran = cli("query", "select nosuchfunction(1)")

    assert ran.exit_code == 1
    assert ran.stderr == "Error: Function 'nosuchfunction' does not exist\n"


def test_query_needs_sql_once(cli, fleet, tmp_path):
    assert cli("query").exit_code == 2
    assert cli("query", "select 1", "-f", __file__).exit_code == 2
    ran = cli("query", "select :x:", "-p", "x")
    assert (ran.exit_code, ran.stderr) == (2, "Error: -p x: expected NAME=VALUE (or NAME:=JSON)\n")


def test_tables_and_columns_come_from_the_catalog(cli, fleet):
    tables = cli("tables")
    table = cli("tables", "-o", "table")
    columns = json.loads(cli("columns", "flavors").stdout)

    assert "instances" in json.loads(tables.stdout)
    assert "│ project_quota" in table.stdout
    assert columns[0] == {
        "column_name": "id",
        "type": "string",
        "default_value": "null",
        "indexed": "true",
    }
    assert [column["column_name"] for column in columns][:3] == ["id", "project_id", "name"]


def test_columns_of_an_unknown_table(cli, fleet):
    ran = cli("columns", "nosuch")

    assert (ran.exit_code, ran.stderr) == (2, 'Error: Table "nosuch" does not exist\n')


def test_show_an_instance_readably_and_as_the_api_gives_it(cli, fleet, api):
    instance = Instance.objects.get(name="web-1")

    table = cli("show", str(instance.id), "-o", "table")
    piped = cli("show", str(instance.id))

    assert json.loads(piped.stdout) == api.get(f"/instances/{instance.id}").json()
    assert "│ name              │ web-1 " in table.stdout
    assert "│ state             │ launched " in table.stdout
    assert (
        f"│ flavor            │ {instance.flavor.name} ({instance.flavor.vcpus} vCPU"
        in table.stdout
    )


def test_show_an_image(cli, fleet):
    image = Image.objects.order_by("name").first()

    ran = cli("show", str(image.id), "-o", "table")

    assert f"│ name        │ {image.name} " in ran.stdout
    assert f"│ checksum    │ {image.checksum} " in ran.stdout


def test_show_what_does_not_exist_exits_1(cli, fleet):
    ran = cli("show", "5b1f0f43-0000-4000-8000-000000000000")

    assert ran.exit_code == 1
    assert (
        ran.stderr
        == "Error: No instance or image has the id 5b1f0f43-0000-4000-8000-000000000000\n"
    )


def test_the_results_before_a_failed_statement_are_shown(cli, fleet):
    ran = cli("query", "select 1 as one; select nosuch from instances", "-o", "table")

    assert ran.exit_code == 2
    assert "│ 1   │" in ran.stdout
    assert ran.stderr == 'Error: Column "nosuch" is not available for selection\n'
