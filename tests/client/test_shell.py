"""perspective shell, driven through a pseudo-terminal (pexpect): multi-line SQL ended by `;`,
completion of keywords, tables, columns and commands, history between sessions, \\format,
and actions typed as `reboot where ...` with their confirmation."""

import re
import stat

import pexpect
import pytest

from apps.operations.models import ActionItem

from .conftest import CONSOLE_SCRIPT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.simulator(servers=0, projects=1, delay=0.3),
]

ANSI = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"  # what the prompt may write between two characters
PROMPT = "perspective>"  # then the cursor moves: no space is written
UP = "\x1b[A"
ENTER = "\r"
TAB = "\t"


@pytest.fixture
def shell(process_environment, tmp_path):
    """Starts `perspective shell` in a pseudo-terminal; every one started is ended."""
    started = []

    def spawn() -> pexpect.spawn:
        env = {**process_environment, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
        child = pexpect.spawn(
            str(CONSOLE_SCRIPT),
            ["shell"],
            env=env,
            cwd=str(tmp_path),
            encoding="utf-8",
            timeout=30,
            dimensions=(50, 200),
        )
        started.append(child)
        child.expect_exact(PROMPT)
        return child

    yield spawn
    for child in started:
        child.terminate(force=True)


def type_line(child: pexpect.spawn, text: str) -> None:
    child.send(text + ENTER)


def test_sql_over_several_lines_runs_at_the_semicolon(shell, fleet):
    child = shell()

    type_line(child, "select name, state")
    child.expect_exact("...>")
    type_line(child, "from instances where name = 'web-4';")

    child.expect(r"web-4\s*│\s*shutoff")
    child.expect_exact("1 row")
    child.expect_exact(PROMPT)


def complete(child: pexpect.spawn, typed: str, word: str) -> None:
    """Types `typed` and Tab, and waits for the rest of `word` on the screen (completion runs
    apart from typing: what is typed before it lands would go before it)."""
    child.send(typed + TAB)
    rest = word[len(typed.split()[-1]) :]
    child.expect(ANSI.join(re.escape(char) for char in rest))


def test_completion_of_keywords_columns_tables_and_commands(shell, fleet):
    child = shell()

    complete(child, "SEL", "SELECT")
    complete(child, " fqd", "fqdn")
    complete(child, " fr", "from")
    child.send(" instances where name = 'vault';" + ENTER)
    child.expect(r"│ vault\s*│")
    child.expect_exact(PROMPT)
    complete(child, "select cidr from network_s", "network_subnets")
    child.send(";" + ENTER)
    child.expect(r"│ \d+\.\d+\.\d+\.\d+/\d+\s*│")
    child.expect_exact(PROMPT)
    complete(child, "\\tab", "\\tables")
    child.send(ENTER)
    child.expect_exact("availability_zones")
    child.expect_exact(PROMPT)
    complete(child, "clo", "clouds")
    child.send(ENTER)
    child.expect(r"│ sim\s*│ openstack\s*│")


def test_history_is_kept_between_sessions(shell, fleet, home):
    first = shell()
    type_line(first, "select 6 * 7 as answer;")
    first.expect(r"│ 42\s*│")
    first.expect_exact(PROMPT)
    first.sendeof()
    first.expect(pexpect.EOF)

    second = shell()
    second.send(UP + ENTER)

    second.expect(r"│ 42\s*│")
    history = home / "perspective" / "history"
    assert "select 6 * 7 as answer;" in history.read_text()
    assert stat.S_IMODE(history.stat().st_mode) == 0o600


def test_format_help_tables_and_errors_keep_the_shell_going(shell, fleet):
    child = shell()

    type_line(child, "\\help")
    child.expect_exact("reboot where name like 'web-%'")
    type_line(child, "select * form instances;")
    child.expect_exact('near "instances" at 1:14')
    child.expect_exact("  select * form instances")
    child.expect_exact(" " * 16 + "^")
    type_line(child, "frobnicate now")
    child.expect_exact("Unknown command frobnicate")
    type_line(child, "\\format json")
    child.expect_exact("Output: json")
    type_line(child, "select 1 as one;")
    child.expect_exact('"columns": [')
    child.expect_exact('"one"')
    type_line(child, "\\columns flavors")
    child.expect_exact('"column_name": "root_disk"')


@pytest.mark.usefixtures("worker", "settled")
def test_an_action_with_where_is_confirmed_then_followed(shell, fleet):
    child = shell()

    type_line(child, "reboot where name like 'web-%' and state = 'launched'")
    child.expect_exact("3 instances match:")
    child.expect_exact("Reboot 3 instances? [y/N]:")
    type_line(child, "y")

    child.expect_exact("skipped")  # a bar per status, live, while the items go
    child.expect(r"3 items ended in [\d.]+ s: 3 succeeded")
    child.expect_exact(PROMPT)
    assert set(ActionItem.objects.values_list("status", flat=True)) == {"succeeded"}

    type_line(child, "pause where name = 'db-1'")
    child.expect_exact("Pause 1 instance? [y/N]:")
    type_line(child, "n")
    child.expect_exact("Nothing done.")
    assert ActionItem.objects.count() == 3
