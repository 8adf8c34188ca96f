"""Following an action until every item has ended: a source of its successive states, a live
progress bar per item status, and a summary with the failures' messages.

The source polls GET /actions/{id}; a source reading the server's event stream can stand in
its place (anything with `states(action_id)`)."""

import time
from collections.abc import Iterator
from typing import Protocol

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .api import Api
from .output import Output, Table

STATUSES = ("queued", "running", "succeeded", "failed", "skipped")
ENDED = frozenset({"succeeded", "failed", "skipped"})
STYLES = {"succeeded": "green", "failed": "red", "skipped": "yellow", "running": "cyan"}


class ActionSource(Protocol):
    def states(self, action_id: str) -> Iterator[dict]:
        """The action (GET /actions/{id}'s shape) each time it changes; the last one yielded
        has every item ended."""


def has_ended(action: dict) -> bool:
    return all(status in ENDED for status in action["counts"])


class Polling:
    """GET /actions/{id} again and again: soon after a change, less often while nothing
    changes (and less often for big batches, whose every answer lists all the items)."""

    FIRST_WAIT = 0.2

    def __init__(self, api: Api):
        self.api = api

    def states(self, action_id: str) -> Iterator[dict]:
        wait = self.FIRST_WAIT
        previous = None
        while True:
            action = self.api.get(f"/actions/{action_id}")
            yield action
            if has_ended(action):
                return
            longest = 2.0 + len(action["items"]) / 2000
            wait = self.FIRST_WAIT if action["counts"] != previous else min(wait * 2, longest)
            previous = action["counts"]
            time.sleep(wait)


def follow(out: Output, source: ActionSource, action_id: str) -> dict:
    """Shows a bar per status (on a terminal) until every item has ended; the last state.
    Ctrl-C stops following, not the action."""
    try:
        return _follow(out, source, action_id)
    except KeyboardInterrupt:
        out.say(f"Stopped following; the action goes on: perspective actions {action_id} --follow")
        raise click.exceptions.Exit(130) from None


def _follow(out: Output, source: ActionSource, action_id: str) -> dict:
    columns = (
        TextColumn("{task.description:>10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    action = None
    with Progress(*columns, console=out.err, disable=not out.err.is_terminal) as bars:
        tasks = {}
        for action in source.states(action_id):
            total = len(action["items"])
            for status in STATUSES:
                if status not in tasks:
                    style = STYLES.get(status, "")
                    tasks[status] = bars.add_task(f"[{style}]{status}", total=total)
                bars.update(tasks[status], total=total, completed=action["counts"].get(status, 0))
    return action


def summary(action: dict, seconds: float) -> Table:
    """The failed items with their messages; the footer says how every item ended."""
    counts = action["counts"]
    total = sum(counts.values())
    spelled = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts.get(s))
    footer = [f"{total} item{'' if total == 1 else 's'} ended in {seconds:.1f} s: {spelled}"]
    failed = [item for item in action["items"] if item["status"] == "failed"]
    rows = [[item.get("name", ""), item["id"], item.get("reason", "")] for item in failed]
    return Table(["failed", "id", "message"], rows, data=action, footer=footer)
