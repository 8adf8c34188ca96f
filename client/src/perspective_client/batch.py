"""Sending one batch action and reporting it: what was queued, what was skipped and why, and,
with --follow, every item to its end."""

import time
from collections.abc import Callable
from dataclasses import dataclass

import click

from .context import App
from .errors import BadUsage, Exit
from .output import Table
from .progress import Polling, follow, summary
from .selection import Target, confirm, select
from .sql import parameters

SHOWN = 10  # queued items named at most


@dataclass(frozen=True)
class Targets:
    """The ids an action is for, given or selected by a condition, with the names known."""

    ids: list[str]
    names: dict[str, str]


def targets(
    app: App,
    ids: tuple[str, ...],
    where: str | None,
    params: tuple[str, ...],
    yes: bool,
    question: str,
    table: str = "instances",
) -> Targets | None:
    """The ids given, or those --where selects once confirmed; None when nothing is to be done."""
    check_choice(ids, where, params, table)
    if not where:
        return Targets(list(ids), {})
    found = matching(app, table, where, params)
    return found and confirmed(app, found, question, table, yes)


def check_choice(ids, where, params, table: str = "instances") -> None:
    noun = table.rstrip("s")
    if where and ids:
        raise BadUsage(f"Give {noun} ids or --where, not both")
    if not where and not ids:
        raise BadUsage(f"Give {noun} ids, or --where CONDITION")
    if params and not where:
        raise BadUsage("-p goes with --where")


def matching(app: App, table: str, where: str, params: tuple[str, ...]) -> list[Target] | None:
    """The rows of `table` where the condition holds; None (and a note) when there are none."""
    found = select(app.api, table, where, parameters(params))
    if not found:
        app.out.note(f"No {table.rstrip('s')} matches: nothing to do.")
        return None
    return found


def confirmed(
    app: App, found: list[Target], question: str, table: str, yes: bool
) -> Targets | None:
    if not confirm(app.out, question, table.rstrip("s"), found, yes):
        app.out.note("Nothing done.")
        return None
    return Targets([target.id for target in found], {t.id: t.name for t in found})


def send(
    app: App,
    method: str,
    path: str,
    body,
    names: dict[str, str],
    do_follow: bool,
) -> None:
    """Sends the batch, says what was queued and skipped; follows it when asked. Exits 1 when an
    item failed."""
    outcome = app.api.send(method, path, body=body)
    action_id = outcome["actionId"]
    report(app, outcome, names)
    if not do_follow:
        if not app.out.is_table:
            app.out.json(outcome)
        elif outcome["queued"]:
            app.out.note(f"Follow it: perspective actions {action_id} --follow", style="dim")
        return
    started = time.monotonic()
    action = follow(app.out, Polling(app.api), action_id)
    result = summary(action, time.monotonic() - started)
    if app.out.is_table:
        if result.rows:
            app.out.table(result)
        else:
            for line in result.footer:
                app.out.note(line)
    else:
        app.out.json({**outcome, "action": action})
    if action["counts"].get("failed"):
        raise click.exceptions.Exit(Exit.FAILED)


def report(app: App, outcome: dict, names: dict[str, str]) -> None:
    if not app.out.is_table:
        return
    queued, skipped = outcome["queued"], outcome["skipped"]
    total = len(queued) + len(skipped)
    app.out.note(f"Action {outcome['actionId']}: {len(queued)} of {total} queued", style="bold")
    if queued:
        shown = [names.get(target, target) for target in queued[:SHOWN]]
        more = f" and {len(queued) - SHOWN} more" if len(queued) > SHOWN else ""
        app.out.note(f"queued: {', '.join(shown)}{more}")
    if skipped:
        rows = [[names.get(s["id"], ""), s["id"], s["reason"]] for s in skipped]
        app.out.table(Table(["skipped", "id", "reason"], rows))


def where_options(command: Callable) -> Callable:
    """--where, -p, --yes and --follow, as every action takes them."""
    options = [
        click.option(
            "--where",
            metavar="CONDITION",
            help="An SQL condition on the instances, in place of ids: the matching ones are "
            "shown and acted on once you confirm.",
        ),
        click.option(
            "-p",
            "--param",
            "params",
            multiple=True,
            metavar="NAME=VALUE",
            help="A value for a :NAME: placeholder of --where (NAME:=JSON for a number).",
        ),
        click.option("-y", "--yes", is_flag=True, help="Act without asking for confirmation."),
        follow_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


follow_option = click.option(
    "--follow",
    "do_follow",
    is_flag=True,
    help="Show a progress bar per state until every item has ended, then a summary.",
)
