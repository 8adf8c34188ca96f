"""What happened: the batch actions and the failure letters (notifications)."""

import time

import click

from ..batch import follow_option
from ..context import App, common_options, pass_app
from ..errors import Exit
from ..output import Table
from ..progress import STATUSES, Polling, follow, has_ended, summary


def _counts(counts: dict) -> str:
    return ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts.get(s))


@click.command()
@click.argument("action_id", required=False, metavar="[ACTION_ID]")
@click.option("--failed", is_flag=True, help="Only the actions (or items) that failed.")
@click.option("--limit", default=20, show_default=True, help="How many actions, newest first.")
@follow_option
@common_options
@pass_app
def actions(app: App, action_id, failed, limit, do_follow):
    """List the latest batch actions, or show one with its items.

    \b
    Examples:
      perspective actions --failed
      perspective actions 8c1e4b2a-... --follow
    """
    if action_id is None:
        params = {"status": "failed"} if failed else {}
        listed = list(app.api.pages("/api/actions/", params, limit=limit))
        rows = [
            [a["id"], a["operation"], a["requestedAt"], a.get("requestedBy"), _counts(a["counts"])]
            for a in listed
        ]
        columns = ["id", "operation", "requested", "by", "items"]
        app.out.table(Table(columns, rows, data=listed, empty="No actions."))
        return
    started = time.monotonic()
    if do_follow:
        action = follow(app.out, Polling(app.api), action_id)
    else:
        action = app.api.get(f"/actions/{action_id}")
    items = [i for i in action["items"] if i["status"] == "failed"] if failed else action["items"]
    rows = [
        [i.get("name"), i["id"], i["status"], i.get("reason"), i["attempts"], i.get("finishedAt")]
        for i in items
    ]
    footer = [
        f"{action['operation']} asked by {action.get('requestedBy') or 'nobody'} at "
        f"{action['requestedAt']}: {_counts(action['counts'])}"
    ]
    if do_follow:
        footer = summary(action, time.monotonic() - started).footer
    elif not has_ended(action):
        footer.append(f"Still going: perspective actions {action_id} --follow")
    columns = ["name", "id", "status", "reason", "attempts", "finished"]
    app.out.table(Table(columns, rows, data=action, footer=footer))
    if do_follow and action["counts"].get("failed"):
        raise click.exceptions.Exit(Exit.FAILED)


@click.command()
@click.option("--all", "everything", is_flag=True, help="Acknowledged letters too.")
@click.option("--since", metavar="TIME", help="Only letters written after this ISO 8601 time.")
@click.option("--ack", is_flag=True, help="Acknowledge the letters listed (operators).")
@common_options
@pass_app
def notifications(app: App, everything, since, ack):
    """List the failure letters nobody has acknowledged yet (the latest 1,000).

    \b
    Examples:
      perspective notifications
      perspective notifications --since 2026-11-26T00:00:00Z --all
      perspective notifications --ack
    """
    params = {} if everything else {"open": "true"}
    if since:
        params["since"] = since
    letters = app.api.get("/notifications", params)
    rows = [[n["id"], n["timestamp"], n["message"], n.get("actionId")] for n in letters]
    footer = [f"{len(letters)} letter{'' if len(letters) == 1 else 's'}"]
    notes = []
    if ack and letters:
        answer = app.api.post("/notifications/acknowledge", [n["id"] for n in letters])
        notes.append(f"Acknowledged {answer['acknowledged']} of them")
    columns = ["id", "time", "message", "action"]
    empty = "No letters." if everything else "No open letters."
    app.out.table(Table(columns, rows, data=letters, footer=footer, notes=notes, empty=empty))


COMMANDS = [actions, notifications]
