"""Reading the inventory: SQL (query, tables, columns) and one instance or image (show)."""

import sys
from pathlib import Path

import click

from .. import sql
from ..context import App, common_options, pass_app
from ..errors import BadUsage, Failed, NotFound
from ..output import Table, cell


@click.command()
@click.argument("statement", required=False, metavar="SQL")
@click.option(
    "-f",
    "--file",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path),
    help="Read the SQL from this file (- for standard input).",
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A value for :NAME: (NAME:=JSON for a number, true, null; 1=VALUE for the first ?).",
)
@common_options
@pass_app
def query(app: App, statement, file, params):
    """Run read-only SQL over the inventory (the tables: `perspective tables`).

    \b
    Examples:
      perspective query "select name, state from instances where state = :s:" -p s=error
      perspective query "select state, count(*) from instances group by state" -o csv
      perspective query -f report.sql -o json | jq '.rows[]'
    """
    if bool(statement) == bool(file):
        raise BadUsage("Give the SQL as an argument or with -f FILE, one of the two")
    text = statement or (sys.stdin.read() if str(file) == "-" else file.read_text())
    run_and_show(app, text, sql.parameters(params))


def run_and_show(app: App, text: str, parameters: list[dict] | None = None) -> None:
    """Shows the results of the statements that ran before one failed, then its error."""
    results = sql.fetch(app.api, text, parameters)
    shown = sql.succeeded(results)
    if shown:
        show_results(app, shown)
    sql.raise_failure(results, text)


def show_results(app: App, results: list[sql.Result]) -> None:
    """One result as a table (JSON: an object); several one after the other (JSON: a list)."""
    if not app.out.is_table and len(results) > 1:
        app.out.json([result.table().data for result in results])
        return
    for result in results:
        app.out.table(result.table())


@click.command()
@common_options
@pass_app
def tables(app: App):
    """List the tables that SQL can read.

    \b
    Example:
      perspective tables
    """
    (result,) = sql.run(app.api, "select tables()")
    app.out.table(Table(["table"], result.rows, data=[row[0] for row in result.rows]))


@click.command()
@click.argument("table")
@common_options
@pass_app
def columns(app: App, table):
    """List the columns of a table, with their types.

    \b
    Example:
      perspective columns instances
    """
    (result,) = sql.run(app.api, sql.columns_of(table))
    app.out.table(Table(result.columns, result.rows))


@click.command()
@click.argument("entity_id", metavar="ID")
@common_options
@pass_app
def show(app: App, entity_id):
    """Show an instance or an image, readable (JSON: as the API gives it).

    \b
    Example:
      perspective show 3f2c9b1e-6c3f-4a51-9d1e-0f5b2c7d8e90
    """
    for path, fields in (("instances", instance_fields), ("images", image_fields)):
        try:
            entity = app.api.get(f"/{path}/{entity_id}")
        except NotFound:  # perhaps the other kind
            continue
        rows = [[name, value] for name, value in fields(entity) if value not in (None, "", [])]
        app.out.table(Table(["field", "value"], rows, data=entity))
        return
    raise Failed(f"No instance or image has the id {entity_id}")


def instance_fields(instance: dict) -> list[tuple[str, object]]:
    flavor, image = instance.get("flavor") or {}, instance.get("image") or {}
    sizes = f"{flavor.get('vcpus')} vCPU, {flavor.get('ram')} MB RAM, {flavor.get('rootDisk')} GB"
    return [
        ("id", instance["id"]),
        ("name", instance.get("name")),
        ("state", instance.get("state")),
        ("locked", instance.get("isLocked")),
        ("cloud", instance.get("cloudId")),
        ("project", instance.get("projectId")),
        ("flavor", flavor and f"{flavor.get('name')} ({sizes})"),
        ("image", image and f"{image.get('name')} ({image.get('id')})"),
        ("keypair", (instance.get("keypair") or {}).get("name")),
        ("availability zone", instance.get("availabilityZone")),
        ("addresses", "\n".join(instance.get("address") or [])),
        ("networks", ", ".join(n.get("name", n["id"]) for n in instance.get("networks") or [])),
        ("fqdn", instance.get("fqdn")),
        ("created", instance.get("created")),
        ("updated", instance.get("timestamp")),
        ("provider id", instance.get("realId")),
        ("metadata", _metadata(instance)),
    ]


def image_fields(image: dict) -> list[tuple[str, object]]:
    return [
        ("id", image["id"]),
        ("name", image.get("name")),
        ("state", image.get("state")),
        ("cloud", image.get("cloudId")),
        ("projects", cell(image.get("projectId"))),
        ("checksum", image.get("checksum")),
        ("created", image.get("created")),
        ("updated", image.get("timestamp")),
        ("provider id", image.get("realId")),
        ("metadata", _metadata(image)),
    ]


def _metadata(entity: dict) -> str:
    entries = (entity.get("metadata") or {}).get("entry") or []
    return "\n".join(f"{entry['key']}={entry['value']}" for entry in entries)


COMMANDS = [query, tables, columns, show]
