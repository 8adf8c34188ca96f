"""The clouds with their last syncs, and a sync asked for now."""

import time
from datetime import UTC, datetime

import click

from ..context import App, common_options, pass_app
from ..errors import Exit
from ..output import Table

KINDS = ("catalog", "instances", "changes")
RUNNING = frozenset({"queued", "running"})


@click.command()
@common_options
@pass_app
def clouds(app: App):
    """List the clouds with the last sync of each kind and how it went.

    \b
    Example:
      perspective clouds
    """
    found = list(app.api.pages("/api/clouds/"))
    latest = list(app.api.pages("/api/syncs/", {"latest": "true"}))
    syncs = {(run["cloudId"], run["kind"]): run for run in latest}
    rows, data = [], []
    for cloud in found:
        runs = {kind: syncs.get((cloud["id"], kind)) for kind in KINDS}
        rows.append([cloud["name"], cloud["type"], *(_sync_cell(runs[k]) for k in KINDS)])
        data.append({**cloud, "syncs": {kind: run for kind, run in runs.items() if run}})
    app.out.table(Table(["cloud", "type", *KINDS], rows, data=data, empty="No clouds."))


def _sync_cell(run: dict | None) -> str:
    if run is None:
        return "never"
    when = run.get("finishedAt") or run.get("startedAt") or run["queuedAt"]
    text = f"{run['status']} {_ago(when)}"
    if run["status"] == "failed":
        text += f": {run.get('error', '')}"
    return text


def _ago(iso: str) -> str:
    seconds = (datetime.now(UTC) - datetime.fromisoformat(iso)).total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return f"{max(int(seconds), 0)} s ago"


@click.command()
@click.argument("cloud")
@click.option(
    "--changes", is_flag=True, help="Only the instances changed since the last sync (quick)."
)
@click.option("--follow", "do_follow", is_flag=True, help="Wait until the runs have ended.")
@common_options
@pass_app
def sync(app: App, cloud, changes, do_follow):
    """Sync a cloud now: its catalog and all its instances, or --changes. Operators of every
    project of the cloud may.

    \b
    Examples:
      perspective sync simulator --follow
      perspective sync east --changes
    """
    kinds = ["changes"] if changes else ["catalog", "instances"]
    runs = app.api.post(f"/api/clouds/{cloud}/sync", {"kinds": kinds})
    if do_follow:
        with app.out.err.status(f"Syncing {cloud}...", spinner="dots"):
            runs = _wait(app, [run["id"] for run in runs])
    columns = ["id", "kind", "status", "created", "updated", "deleted", "unchanged", "error"]
    rows = [[run.get(column) for column in columns] for run in runs]
    footer = [] if do_follow else ["See how they went: perspective clouds"]
    app.out.table(Table(columns, rows, data=runs, footer=footer))
    if any(run["status"] == "failed" for run in runs):
        raise click.exceptions.Exit(Exit.FAILED)


COMMANDS = [clouds, sync]


def _wait(app: App, ids: list[int]) -> list[dict]:
    wait = 0.2
    while True:
        runs = list(app.api.pages("/api/syncs/", {"id": ids}))
        if not any(run["status"] in RUNNING for run in runs):
            return sorted(runs, key=lambda run: ids.index(run["id"]))
        time.sleep(wait)
        wait = min(wait * 2, 2.0)
