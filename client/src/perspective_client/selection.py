"""`--where "SQL condition"` in place of ids: the matching rows come from /query, the person sees
how many and a sample, and confirms (unless --yes) before anything is sent."""

from dataclasses import dataclass

import click
from rich.text import Text

from .api import Api
from .errors import BadUsage
from .output import Output, Table, rich_table
from .sql import positional, run

SAMPLE = 5
COLUMNS = {"instances": "id, name, state, project_id", "images": "id, name, state, null"}


@dataclass(frozen=True)
class Target:
    id: str
    name: str
    state: str
    project: str | None  # an instance's project


def select(api: Api, table: str, condition: str, parameters: list[dict]) -> list[Target]:
    """The rows of `table` (instances, images) where `condition` holds, by name."""
    # The condition on a line of its own: an error's line:column then points into it.
    # (S608: the person's own SQL, run by the server read-only with the person's rights.)
    sql = f"select {COLUMNS[table]} from {table} where\n{condition}\norder by name"  # noqa: S608
    (result,) = run(api, sql, parameters)
    if result.truncated:
        raise BadUsage(
            f"More than {len(result.rows)} {table} match (the server's row cap): "
            "narrow the condition"
        )
    return [Target(*row) for row in result.rows]


def select_ids(api: Api, ids: list[str]) -> list[Target]:
    """The instances of these ids that exist and the user sees."""
    marks, values = positional(ids)
    sql = f"select {COLUMNS['instances']} from instances where id in ({marks})"  # noqa: S608
    (result,) = run(api, sql, values)
    return [Target(*row) for row in result.rows]


def confirm(out: Output, question: str, noun: str, targets: list[Target], yes: bool) -> bool:
    """Shows how many targets and a sample; True when the person (or --yes) agrees to
    `question`, whose {} stands for "3 instances"."""
    count = len(targets)
    counted = f"{count} {noun}{'' if count == 1 else 's'}"
    shown = targets[:SAMPLE]
    sample = Table(["name", "state", "id"], [[t.name, t.state, t.id] for t in shown])
    out.err.print(Text(f"{counted} match:", style="bold"))
    out.err.print(rich_table(sample))
    if count > len(shown):
        out.err.print(f"... and {count - len(shown)} more")
    if yes:
        return True
    try:
        return click.confirm(question.replace("{}", counted) + "?", err=True)
    except click.Abort:
        raise BadUsage(
            "No answer to the confirmation (standard input is closed): pass --yes to act "
            "without asking"
        ) from None
