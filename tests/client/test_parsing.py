"""What the client reads from the person, without a server: shell lines, -p parameters, the
caret under a position, launch specs."""

import pytest
from perspective_client import launch, sql
from perspective_client.errors import BadUsage
from perspective_client.shell.lines import command_args, is_complete, split_where

ACTIONS = {"reboot", "resize", "rename"}


@pytest.mark.parametrize(
    ("line", "args"),
    [
        ("reboot where name like 'web-%'", ["reboot", "--where", "name like 'web-%'", "--follow"]),
        (
            "resize m1.large where state = 'shutoff';",
            ["resize", "--flavor", "m1.large", "--where", "state = 'shutoff'", "--follow"],
        ),
        (
            "rename 'old-{name}' WHERE name = 'somewhere'",
            ["rename", "old-{name}", "--where", "name = 'somewhere'", "--follow"],
        ),
        ("reboot a b --follow", ["reboot", "a", "b", "--follow"]),
        ("show 'x y'", ["show", "x y"]),
        ("actions --failed where", ["actions", "--failed", "where"]),  # not an action
    ],
)
def test_shell_lines_become_command_lines(line, args):
    assert command_args(line, ACTIONS) == args


def test_where_inside_quotes_is_not_the_keyword():
    assert split_where("rename 'a where b' where x = 1") == ("rename 'a where b' ", "x = 1")
    assert split_where("rename nowhere") == ("rename nowhere", None)


@pytest.mark.parametrize(
    ("text", "complete"),
    [
        ("select 1", False),
        ("select 1\nfrom x;", True),
        ("  SELECT 1;  ", True),
        ("(select 1) union (select 2)", False),
        ("with a as (select 1) select * from a ;", True),
        ("\\tables", True),
        ("reboot where name = 'a'", True),
        ("", True),
    ],
)
def test_enter_runs_sql_at_its_semicolon_and_the_rest_at_once(text, complete):
    assert is_complete(text) is complete


def test_parameters():
    assert sql.parameters(("a=text", "n:=5", "flag:=true", "1=first", "e=")) == [
        {"name": "a", "value": "text"},
        {"name": "n", "value": 5},
        {"name": "flag", "value": True},
        {"index": 1, "value": "first"},
        {"name": "e", "value": ""},
    ]
    with pytest.raises(BadUsage, match="not JSON"):
        sql.parameters(("n:=five",))


def test_the_caret_keeps_tabs_under_the_line():
    assert sql.caret("select\n\tx fro y", 'Parse error: "..." near "fro" at 2:3') == (
        "\tx fro y",
        "\t  ^",
    )
    assert sql.caret("select 1", "Column x is not available") == ()


def test_a_launch_spec_of_names_or_of_the_wire_shape():
    (named,) = launch.parse(
        "name: a\nproject: p\nflavor: f\nimage: i\nnetworks: [n]\nkeypair: k\nmetadata: {x: 1}"
    )
    (wired,) = launch.parse(
        "instances:\n- {name: b, projectId: P, flavor: {id: F}, image: {id: I}, "
        "keypair: {name: k}, metadata: {entry: [{key: x, value: '1'}]}}"
    )

    assert (named.project, named.flavor, named.image, named.networks) == ("p", "f", "i", ["n"])
    assert (
        named.extra
        == wired.extra
        == {
            "keypair": {"name": "k"},
            "metadata": {"entry": [{"key": "x", "value": "1"}]},
        }
    )
    assert (wired.project, wired.flavor, wired.image, wired.networks) == ("P", "F", "I", [])
    with pytest.raises(BadUsage, match="Instance 1 of the spec has no flavor, image"):
        launch.parse("name: a\nproject: p")
