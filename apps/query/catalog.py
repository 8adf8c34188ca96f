"""The tables POST /query exposes: names, columns (in the order `*` returns them) and types.

Each table is a database view over the inventory (see schema.py, which renders the views from
this catalog) named with VIEW_PREFIX, so that user SQL naming `instances` is rewritten onto
`query_instances` and nothing else in the database can be named. To expose a new table, add a
Table here and a migration that calls schema.create_views with its name (and depends on the
migration that creates what the view reads).

A user who sees only some projects sees only their rows of each table (rewrite.source()): a
table's `project_column` says which project a row belongs to; a table without one is seen
`through` another, its rows visible when they are linked to a visible row of that table.
"""

from dataclasses import dataclass, field
from enum import Enum

VIEW_PREFIX = "query_"


class Kind(Enum):
    """How a column is stored, which decides how its view renders it."""

    UUID = "uuid"  # a UUIDField, shown in the canonical dashed lower-case form
    STRING = "string"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    TIMESTAMP = "timestamp"  # ISO 8601 with offset, as a string
    LINES = "lines"  # a JSON list of strings, joined with newlines
    USAGE = "usage"  # a quota's "used/limit" from two integer columns


# The type columns() declares, where it is not the kind's own name.
_DECLARED = {Kind.UUID: "string", Kind.LINES: "string", Kind.USAGE: "string"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    source: str | tuple[str, str]  # SQL over the view's FROM; two columns for USAGE
    # Looked up by an index; a UUID column so marked gets an index on its text form.
    indexed: bool = False

    @property
    def type(self) -> str:
        return _DECLARED.get(self.kind, self.kind.value)


@dataclass(frozen=True)
class Through:
    """A row is visible when its `column` is the `key` of a visible row of `table`."""

    column: str
    table: str
    key: str


@dataclass(frozen=True)
class Table:
    name: str
    source: str  # the FROM clause of the view, over the inventory's tables
    columns: tuple[Column, ...]
    # The column holding the project id, for per-project access; None: seen `through` another.
    project_column: str | None = None
    through: Through | None = None
    description: str = ""
    column_names: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "column_names", tuple(c.name for c in self.columns))

    @property
    def view(self) -> str:
        return VIEW_PREFIX + self.name

    @property
    def stored_columns(self) -> tuple[str, ...]:
        """The columns the views also show as stored (catalog.stored): every id, which joins
        compare that way, and the columns that per-project access compares."""
        names = {self.project_column, self.through and self.through.column}
        names |= {
            t.through.key for t in TABLES.values() if t.through and t.through.table == self.name
        }
        names |= {c.name for c in self.columns if c.kind is Kind.UUID}
        return tuple(name for name in self.column_names if name in names)

    def column(self, name: str) -> Column:
        return self.columns[self.column_names.index(name)]


def stored(name: str) -> str:
    """The name of a hidden column of the views: the column `name` as stored (a UUID as the
    database keeps it, not as text), which the foreign keys' own indexes serve, even on the
    inner side of a LEFT JOIN (where SQLite cannot match a view's expression with the index
    on it). User SQL cannot name it (only the catalog's columns resolve)."""
    return f"stored_{name}"


def _col(name, kind, source=None, indexed=False):
    return Column(name, kind, source or name, indexed)


TEXT, INT, BOOL, ID, TIME = Kind.STRING, Kind.INTEGER, Kind.BOOLEAN, Kind.UUID, Kind.TIMESTAMP
_WITH_CLOUD = "{table} x LEFT JOIN inventory_cloud c ON c.id = x.cloud_id"

TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table(
            "instances",
            _WITH_CLOUD.format(table="inventory_instance"),
            (
                _col("id", ID, "x.id", indexed=True),
                _col("real_id", TEXT, "x.real_id"),
                _col("name", TEXT, "x.name", indexed=True),
                _col("cloud_id", TEXT, "c.name"),
                _col("cloud_type", TEXT, "c.type"),
                _col("project_id", ID, "x.project_id", indexed=True),
                _col("flavor_id", ID, "x.flavor_id"),
                _col("image_id", ID, "x.image_id"),
                _col("state", TEXT, "x.state", indexed=True),
                _col("last_updated", TIME, "x.last_updated"),
                _col("created", TIME, "x.created"),
                _col("availability_zone", TEXT, "x.availability_zone"),
                _col("addresses", Kind.LINES, "x.addresses"),
                _col("fqdn", TEXT, "x.fqdn"),
            ),
            project_column="project_id",
        ),
        Table(
            "unreachable_instances",
            "inventory_instance x WHERE x.unreachable_since IS NOT NULL",
            (
                # Not indexed apart: lookups by id use the index of instances.id.
                _col("instance_id", ID, "x.id"),
                _col("since", TIME, "x.unreachable_since"),
            ),
            through=Through("instance_id", "instances", "id"),
            description=(
                "Instances the cloud cannot reach now (a Nova cell that is down), and since when: "
                "their columns in instances are what the cloud last said."
            ),
        ),
        Table(
            "instance_metadata",
            "inventory_instancemetadata x",
            (
                _col("instance_id", ID, "x.instance_id", indexed=True),
                _col("key", TEXT, "x.key"),
                _col("value", TEXT, "x.value"),
            ),
            through=Through("instance_id", "instances", "id"),
        ),
        Table(
            "instance_networks",
            "inventory_instance_networks x",
            (
                _col("instance_id", ID, "x.instance_id", indexed=True),
                _col("network_id", ID, "x.network_id"),
            ),
            through=Through("instance_id", "instances", "id"),
        ),
        Table(
            "images",
            _WITH_CLOUD.format(table="inventory_image"),
            (
                _col("id", ID, "x.id", indexed=True),
                _col("real_id", TEXT, "x.real_id"),
                _col("name", TEXT, "x.name", indexed=True),
                _col("cloud_id", TEXT, "c.name"),
                _col("cloud_type", TEXT, "c.type"),
                _col("created", TIME, "x.created"),
                _col("last_updated", TIME, "x.last_updated"),
                _col("state", TEXT, "x.state", indexed=True),
                _col("checksum", TEXT, "x.checksum"),
            ),
            through=Through("id", "project_images", "image_id"),
        ),
        Table(
            "image_metadata",
            "inventory_imagemetadata x",
            (
                _col("image_id", ID, "x.image_id", indexed=True),
                _col("key", TEXT, "x.key"),
                _col("value", TEXT, "x.value"),
            ),
            through=Through("image_id", "project_images", "image_id"),
        ),
        Table(
            "project_images",
            "inventory_image_projects x",
            (_col("project_id", ID, "x.project_id"), _col("image_id", ID, "x.image_id")),
            project_column="project_id",
        ),
        Table(
            "projects",
            _WITH_CLOUD.format(table="inventory_project"),
            (
                _col("id", ID, "x.id", indexed=True),
                _col("name", TEXT, "x.name", indexed=True),
                _col("cloud_id", TEXT, "c.name"),
                _col("cloud_type", TEXT, "c.type"),
                _col("last_updated", TIME, "x.last_updated"),
            ),
            project_column="id",
        ),
        Table(
            "project_metadata",
            "inventory_projectmetadata x",
            (
                _col("project_id", ID, "x.project_id"),
                _col("key", TEXT, "x.key"),
                _col("value", TEXT, "x.value"),
            ),
            project_column="project_id",
        ),
        Table(
            "project_quota",
            "inventory_quota x",
            (
                _col("project_id", ID, "x.project_id"),
                *(
                    _col(resource, Kind.USAGE, (f"x.{resource}_used", f"x.{resource}_limit"))
                    for resource in (
                        "instances",
                        "vcpus",
                        "ram",
                        "disk",
                        "ips",
                        "security_groups",
                        "volumes",
                        "keypairs",
                    )
                ),
            ),
            project_column="project_id",
        ),
        Table(
            "flavors",
            "inventory_flavor x",
            (
                _col("id", ID, "x.id", indexed=True),
                _col("project_id", ID, "x.project_id"),
                _col("name", TEXT, "x.name", indexed=True),
                _col("ram", INT, "x.ram"),
                _col("vcpus", INT, "x.vcpus"),
                _col("root_disk", INT, "x.root_disk"),
                _col("ephemeral_disk", INT, "x.ephemeral_disk"),
                _col("has_swap", BOOL, "x.swap > 0"),
                _col("is_public", BOOL, "x.is_public"),
                _col("notes", TEXT, "x.notes"),
            ),
            project_column="project_id",
        ),
        Table(
            "networks",
            "inventory_network x",
            (
                _col("id", ID, "x.id", indexed=True),
                _col("project_id", ID, "x.project_id"),
                _col("name", TEXT, "x.name", indexed=True),
                _col("state", TEXT, "x.state"),
                _col("is_shared", BOOL, "x.is_shared"),
            ),
            project_column="project_id",
        ),
        Table(
            "network_subnets",
            "inventory_subnet x",
            (
                _col("id", ID, "x.id", indexed=True),
                _col("project_id", ID, "x.project_id"),
                _col("network_id", ID, "x.network_id"),
                _col("name", TEXT, "x.name", indexed=True),
                _col("cidr", TEXT, "x.cidr"),
                _col("protocol_version", INT, "x.protocol_version"),
                _col("gateway", TEXT, "x.gateway"),
                _col("is_dhcp_enabled", BOOL, "x.is_dhcp_enabled"),
            ),
            project_column="project_id",
        ),
        Table(
            "keypairs",
            "inventory_keypair x",
            (
                _col("name", TEXT, "x.name", indexed=True),
                _col("project_id", ID, "x.project_id"),
                _col("fingerprint", TEXT, "x.fingerprint"),
                _col("public_key", TEXT, "x.public_key"),
            ),
            project_column="project_id",
        ),
        Table(
            "availability_zones",
            "inventory_availabilityzone x",
            (_col("name", TEXT, "x.name", indexed=True), _col("project_id", ID, "x.project_id")),
            project_column="project_id",
        ),
        Table(
            "events",
            _WITH_CLOUD.format(table="history_event"),
            (
                _col("id", INT, "x.id"),
                _col("time", TIME, "x.time"),
                _col("cloud_id", TEXT, "c.name"),
                _col("project_id", ID, "x.project_id"),
                _col("kind", TEXT, "x.kind"),
                _col("entity_id", TEXT, "x.entity_id"),
                _col("name", TEXT, "x.name"),
                _col("field", TEXT, "x.field"),
                _col("old_value", TEXT, "x.old_value"),
                _col("new_value", TEXT, "x.new_value"),
                _col("sync_run_id", INT, "x.sync_run_id"),
                _col("action_id", ID, "x.action_id"),
                _col("item_id", ID, "x.item_id"),
                _col("operation", TEXT, "x.operation"),
                _col("requested_by", TEXT, "x.user"),
            ),
            project_column="project_id",
            description=(
                "The history: one row per changed field of an instance, image, project, flavor "
                "or network (kind, entity_id, its name then), or per status an action item "
                "moved to (field status); old_value and new_value as text, NULL for none (an "
                "entity that appeared has field exists, new_value yes; one that disappeared, "
                "old_value yes). The cause is sync_run_id, or action_id, item_id, operation "
                "and requested_by. Ids increase with time: the event stream's ids. Example: "
                "select name, old_value, new_value, time from events where field = 'state' "
                "and new_value = 'error' and time > :since:"
            ),
        ),
        Table(
            "clouds",
            "inventory_cloud x",
            (
                _col("id", TEXT, "x.name", indexed=True),
                _col("name", TEXT, "x.name", indexed=True),
                _col("type", TEXT, "x.type"),
            ),
            # A cloud is visible when one of its projects is.
            through=Through("id", "projects", "cloud_id"),
        ),
    )
}


def table(name: str) -> Table | None:
    """The exposed table of that name (table names are case-insensitive), or None."""
    return TABLES.get(name.lower())
