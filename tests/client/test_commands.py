"""Every command has help with an example; bad usage is exit 2; the console script runs in a
process of its own without Django or the server's packages, JSON when piped."""

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from perspective_client.cli import cli as perspective

CLIENT = Path(__file__).resolve().parents[2] / "client"
COMMANDS = sorted(perspective.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    ran = CliRunner().invoke(perspective, [command, "--help"])

    assert ran.exit_code == 0
    assert "Example" in ran.output
    assert "--output [table|json|csv]" in ran.output


@pytest.mark.parametrize(
    "args", [["nosuch"], ["query", "--nosuch"], ["tables", "-o", "xml"], ["launch"]]
)
def test_bad_usage_is_exit_2(args):
    assert CliRunner().invoke(perspective, args).exit_code == 2


def test_the_package_needs_nothing_of_the_server():
    project = tomllib.loads((CLIENT / "pyproject.toml").read_text())["project"]

    names = {
        requirement.split(">")[0].split("=")[0].lower() for requirement in project["dependencies"]
    }
    assert names == {"click", "rich", "httpx", "prompt_toolkit", "pyyaml"}
    assert project["scripts"] == {"perspective": "perspective_client.cli:main"}


@pytest.mark.django_db(transaction=True)
def test_the_console_script_alone(script, live_server):
    helped = script("--help")
    tables = script("tables")
    failed = script("query", "select * form instances")

    assert helped.exit_code == 0, helped.stderr
    assert json.loads(tables.stdout)[:2] == ["availability_zones", "clouds"]  # piped: JSON
    assert failed.exit_code == 2
    assert failed.stderr.splitlines()[1:] == ["  select * form instances", "                ^"]
