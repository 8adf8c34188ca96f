"""What a line typed in the shell is: SQL (ended by `;`), a backslash command, or a command
(`show ID`, `actions --failed`), actions included in the shell's own form
`reboot where name like 'web-%'` or `resize m1.large where ...`."""

import re
import shlex

from ..errors import BadUsage
from .completion import SQL_STARTERS

# The shell form's word before `where` is an option of these commands.
LEADING_OPTION = {"resize": "--flavor", "rebuild": "--image"}
_SQL = re.compile(rf"\s*(\(|({'|'.join(SQL_STARTERS)})\b)", re.IGNORECASE)


def is_sql(text: str) -> bool:
    return bool(_SQL.match(text))


def is_complete(text: str) -> bool:
    """Whether Enter runs the text: SQL once it ends with `;`, anything else at once."""
    stripped = text.strip()
    return not stripped or not is_sql(stripped) or stripped.endswith(";")


def command_args(line: str, actions: set[str]) -> list[str]:
    """The command line of a shell line; `ACTION [WORD] where CONDITION` becomes
    `ACTION [--option WORD] --where CONDITION --follow`."""
    head, condition = split_where(line)
    words = _words(head)
    if condition is None or not words or words[0] not in actions:
        return _words(line)
    name, rest = words[0], words[1:]
    option = LEADING_OPTION.get(name)
    if option and rest:
        rest = [option, *rest]
    follow = [] if "--follow" in rest else ["--follow"]
    return [name, *rest, "--where", condition.rstrip().rstrip(";"), *follow]


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError as error:
        raise BadUsage(f"Cannot read the line: {error}") from None


def split_where(line: str) -> tuple[str, str | None]:
    """(what comes before the first word `where` outside quotes, the rest), or (line, None)."""
    quote = None
    for position, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif (
            line[position : position + 5].lower() == "where"
            and (position == 0 or line[position - 1].isspace())
            and (position + 5 == len(line) or line[position + 5].isspace())
        ):
            return line[:position], line[position + 5 :].strip()
    return line, None
