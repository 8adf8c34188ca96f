"""The batch actions: on instance ids or on the instances `--where` selects, and launches."""

from dataclasses import dataclass
from pathlib import Path

import click

from .. import launch as launching
from ..batch import (
    Targets,
    check_choice,
    confirmed,
    follow_option,
    matching,
    send,
    targets,
    where_options,
)
from ..context import App, common_options, pass_app
from ..errors import BadUsage
from ..selection import select_ids
from ..sql import positional, run


@dataclass(frozen=True)
class InstanceAction:
    command: str
    method: str
    question: str  # the confirmation's, {} for "3 instances"
    summary: str


INSTANCE_ACTIONS = (
    InstanceAction("reboot", "PUT", "Reboot {}", "Reboot instances (a soft reboot)."),
    InstanceAction("hard-reboot", "PUT", "Hard-reboot {}", "Hard-reboot instances (power cycle)."),
    InstanceAction("start", "PUT", "Start {}", "Start instances that are shut off."),
    InstanceAction("shutdown", "PUT", "Shut down {}", "Shut instances down."),
    InstanceAction("pause", "PUT", "Pause {}", "Pause instances."),
    InstanceAction("resume", "PUT", "Resume {}", "Resume paused or suspended instances."),
    InstanceAction("suspend", "PUT", "Suspend {}", "Suspend instances."),
    InstanceAction(
        "delete", "POST", "Delete {}", "Delete instances (ids already gone are skipped)."
    ),
)

EXAMPLES = """

\b
Examples:
  perspective {command} 3f2c...-uuid 9a41...-uuid
  perspective {command} --where "name like 'web-%' and state = 'launched'" --follow
  perspective {command} --where "project_id = :p:" -p p=<project id> --yes
"""


def _instance_command(action: InstanceAction) -> click.Command:
    @click.command(action.command, help=action.summary + EXAMPLES.format(command=action.command))
    @click.argument("ids", nargs=-1, metavar="[ID]...")
    @where_options
    @common_options
    @pass_app
    def command(app: App, ids, where, params, yes, do_follow):
        chosen = targets(app, ids, where, params, yes, action.question)
        if chosen:
            path = f"/instances/{action.command}"
            send(app, action.method, path, chosen.ids, chosen.names, do_follow)

    return command


# The flavors and images an instance may use: those of its project.
USABLE = {
    "flavors": "select distinct id from flavors where (id = :ref: or name = :ref:) "
    "and project_id in ({})",
    "images": "select distinct images.id from images "
    "join project_images on project_images.image_id = images.id "
    "where (images.id = :ref: or images.name = :ref:) and project_images.project_id in ({})",
}


def _toward(app: App, table: str, ref: str, ids, where, params, yes, question):
    """(targets, id of the flavor or image `ref` names among those they may use), or None
    when nothing is to be done."""
    check_choice(ids, where, params)
    found = matching(app, "instances", where, params) if where else select_ids(app.api, ids)
    if found is None:
        return None
    target_id = _usable_id(app, table, ref, sorted({t.project for t in found}))
    if not where:
        return Targets(list(ids), {t.id: t.name for t in found}), target_id
    chosen = confirmed(app, found, question, "instances", yes)
    return chosen and (chosen, target_id)


def _usable_id(app: App, table: str, ref: str, projects: list[str]) -> str:
    noun = table.rstrip("s")
    marks, values = positional(projects)
    values.append({"name": "ref", "value": ref})
    (result,) = run(app.api, USABLE[table].format(marks), values)
    if not result.rows:
        raise BadUsage(f"No {noun} {ref} in the projects of these instances")
    if table == "images" and len(result.rows) > 1:
        raise BadUsage(f"{len(result.rows)} images named {ref} fit these instances: give an id")
    # A flavor name has one row per region; the server takes the flavor of the same provider
    # id in each instance's region.
    return result.rows[0][0]


@dataclass(frozen=True)
class TowardAction:
    """An action towards a flavor or an image, named by --flavor or --image."""

    command: str
    table: str  # where the flavor or image is looked up
    question: str  # the confirmation's, {} for "3 instances", then the flavor or image
    help: str


TOWARD_ACTIONS = (
    TowardAction(
        "resize",
        "flavors",
        "Resize {} to",
        """Resize instances to another flavor (confirmed automatically when the server is set so).

        \b
        Examples:
          perspective resize --flavor m1.large 3f2c...-uuid
          perspective resize --flavor m1.large --where "name like 'db-%'" --follow
        """,
    ),
    TowardAction(
        "rebuild",
        "images",
        "Rebuild {} from",
        """Rebuild instances from an image.

        \b
        Examples:
          perspective rebuild --image ubuntu-24.04 3f2c...-uuid
          perspective rebuild --image ubuntu-24.04 --where "state = 'error'" --yes --follow
        """,
    ),
)


def _toward_command(action: TowardAction) -> click.Command:
    noun = action.table.rstrip("s")

    @click.command(action.command, help=action.help)
    @click.option(f"--{noun}", "target", required=True, help=f"The {noun}: its name or id.")
    @click.argument("ids", nargs=-1, metavar="[ID]...")
    @where_options
    @common_options
    @pass_app
    def command(app: App, target, ids, where, params, yes, do_follow):
        question = f"{action.question} {target}"
        chosen = _toward(app, action.table, target, ids, where, params, yes, question)
        if chosen:
            found, target_id = chosen
            path = f"/instances/{action.command}/{target_id}"
            send(app, "PUT", path, found.ids, found.names, do_follow)

    return command


def _named(
    app: App, args, where, params, yes, question: str, what: str
) -> tuple[Targets, str] | None:
    """(targets, name template) of `ID NAME`, or of `--where CONDITION NAME`."""
    if where:
        if len(args) != 1:
            raise BadUsage(f"With --where, give the {what} alone ({{name}} stands for each name)")
        found = matching(app, "instances", where, params)
        chosen = found and confirmed(app, found, question, "instances", yes)
        return chosen and (chosen, args[0])
    if len(args) != 2:
        raise BadUsage(f"Give an instance id and the {what} (or --where CONDITION and the {what})")
    return Targets([args[0]], {}), args[1]


def _fill(template: str, target_id: str, name: str) -> str:
    return template.replace("{name}", name).replace("{id}", target_id)


@click.command()
@click.argument("args", nargs=-1, metavar="ID NEW_NAME | --where CONDITION NEW_NAME")
@where_options
@common_options
@pass_app
def rename(app: App, args, where, params, yes, do_follow):
    """Rename an instance, or those --where selects ({name} and {id} in NEW_NAME stand for
    each instance's).

    \b
    Examples:
      perspective rename 3f2c...-uuid web-01
      perspective rename --where "name like 'web-%'" "old-{name}"
    """
    chosen = _named(app, args, where, params, yes, "Rename {}", "new name")
    if chosen is None:
        return
    found, template = chosen
    names = {i: _fill(template, i, found.names.get(i, "")) for i in found.ids}
    if len(set(names.values())) < len(names):
        raise BadUsage("Several instances would get the same name: put {name} or {id} in it")
    send(app, "PUT", "/instances/rename", names, found.names, do_follow)


@click.command()
@click.argument("args", nargs=-1, metavar="ID IMAGE_NAME | --where CONDITION IMAGE_NAME")
@where_options
@common_options
@pass_app
def snapshot(app: App, args, where, params, yes, do_follow):
    """Snapshot an instance into a new image, or those --where selects ({name} and {id} in
    IMAGE_NAME stand for each instance's).

    \b
    Examples:
      perspective snapshot 3f2c...-uuid web-01-before-upgrade
      perspective snapshot --where "name like 'db-%'" "{name}-nightly" --yes --follow
    """
    chosen = _named(app, args, where, params, yes, "Snapshot {}", "image name")
    if chosen is None:
        return
    found, template = chosen
    body = [
        {"name": _fill(template, i, found.names.get(i, "")), "instanceId": i} for i in found.ids
    ]
    send(app, "POST", "/images", body, found.names, do_follow)


@click.command("delete-image")
@click.argument("ids", nargs=-1, metavar="[ID]...")
@where_options
@common_options
@pass_app
def delete_image(app: App, ids, where, params, yes, do_follow):
    """Delete images (--where is a condition on the images).

    \b
    Examples:
      perspective delete-image 5d0e...-uuid
      perspective delete-image --where "name like '%-nightly' and created < '2026-01-01'"
    """
    chosen = targets(app, ids, where, params, yes, "Delete {}", table="images")
    if chosen:
        send(app, "POST", "/images/delete", chosen.ids, chosen.names, do_follow)


@click.command()
@click.option(
    "-f",
    "--file",
    "spec",
    required=True,
    type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path),
    help="A YAML file: one instance or a list of them (- reads standard input).",
)
@click.option("--dry-run", is_flag=True, help="Show the request, names resolved; send nothing.")
@follow_option
@common_options
@pass_app
def launch(app: App, spec: Path, dry_run, do_follow):
    """Launch instances described in a YAML file. Projects, flavors, images and networks are
    given by name or id (names are looked up in the catalog, within the project).

    \b
    spec.yaml:
      - name: web-01
        project: simulator_RegionOne
        flavor: m1.small
        image: cirros-0.6.2
        networks: [admin-net]
        keypair: ci-runner          # optional, like the lines below
        availabilityZone: az1
        metadata: {role: web}

    \b
    Examples:
      perspective launch -f spec.yaml --follow
      perspective launch -f spec.yaml --dry-run -o json
    """
    text = click.get_text_stream("stdin").read() if str(spec) == "-" else spec.read_text()
    body = launching.requests(app.api, launching.parse(text))
    if dry_run:
        app.out.json(body)
        return
    send(app, "POST", "/instances", body, {}, do_follow)


COMMANDS = [
    *(_instance_command(action) for action in INSTANCE_ACTIONS),
    *(_toward_command(action) for action in TOWARD_ACTIONS),
    rename,
    snapshot,
    delete_image,
    launch,
]
