"""What a sync saw change, told to the history (apps.history).

The sync already compares each listed row with the stored one; the witness keeps the
differences of the fields the history follows and records them in one INSERT per transaction,
so telling the history costs no query per entity. The first load of a region's instances is
not told one by one: its sync run says how many appeared.
"""

from dataclasses import dataclass, field

from apps.history.choices import EXISTS, PRESENT, STATUS, EntityKind
from apps.history.record import Cause, Change, record

# The fields whose changes the history keeps, by kind of entity (the model's name); the
# others (timestamps, checksums, counters) change too often to tell anyone anything.
FOLLOWED = {
    "instance": ("name", "state", "flavor_id", "image_id", "keypair_id", "addresses", "is_locked"),
    "image": ("name", "state", "instance_id"),
    "project": ("name",),
    "flavor": ("name", "vcpus", "ram", "root_disk", "ephemeral_disk", "swap", "is_public"),
    "network": ("name", "state", "is_shared"),
}


@dataclass
class Witness:
    """Collects what one sync run saw change in one cloud; `flush()` records it."""

    cloud_id: object
    sync_run_id: int | None = None
    changes: list[Change] = field(default_factory=list)
    # public id -> (name, project id) of the stored entities compared, for their children's
    # changes (a new entity's children are part of its appearing)
    seen: dict = field(default_factory=dict)

    def compared(self, kind: str, public_id, scope: tuple, row: dict | None, values: dict) -> None:
        """A listed entity against its stored row (None: it is new); `scope` is reconcile's."""
        followed = FOLLOWED.get(kind)
        if followed is None:
            return
        name, project_id = values.get("name", ""), project_of(kind, public_id, scope, values)
        if row is None:
            self._add(kind, public_id, project_id, name, EXISTS, None, PRESENT)
            return
        self.seen[public_id] = (name, project_id)
        for name_of_field in followed:
            old, new = row.get(name_of_field), values.get(name_of_field)
            if name_of_field in values and old != new:
                self._add(kind, public_id, project_id, name, name_of_field, old, new)

    def gone(self, kind: str, rows) -> None:
        """Entities deleted: (public id, name, project id) of each."""
        if kind not in FOLLOWED:
            return
        for public_id, name, project_id in rows:
            self._add(kind, public_id, project_id, name, EXISTS, PRESENT, None)

    def children(self, kind: str, field_name: str, parent_id, old: set, new: set) -> None:
        """A parent's metadata or links (sets of value tuples) were rewritten."""
        if kind not in FOLLOWED or parent_id not in self.seen:
            return
        name, project_id = self.seen[parent_id]
        old, new = _told(field_name, old), _told(field_name, new)
        self._add(kind, parent_id, project_id, name, field_name, old, new)

    def flush(self) -> None:
        record(self.changes, Cause(sync_run_id=self.sync_run_id))
        self.changes = []
        self.seen = {}

    def _add(self, kind, public_id, project_id, name, field_name, old, new) -> None:
        self.changes.append(
            Change(kind, public_id, field_name, old, new, name, self.cloud_id, project_id)
        )


def project_of(kind: str, public_id, scope: tuple, values: dict):
    """The project an entity's changes are shown to: its own, the one it belongs to, or none
    (images belong to the cloud)."""
    if kind == "project":
        return public_id
    scope_field, scope_id = scope
    return scope_id if scope_field == "project" else values.get("project_id")


def _told(field_name: str, rows: set) -> dict | list:
    """Metadata ((key, value) rows) as a mapping, links ((id,) rows) as a sorted list of ids."""
    if field_name == "metadata":
        return dict(sorted(rows))
    return sorted(str(row[0]) for row in rows)


def run_status(run, old: str, new: str) -> None:
    """A sync run started (`queued` to `running`) or ended, for the history and its stream; it
    is shown to those who see every project (a run is the cloud's, not a project's)."""
    name = f"{run.kind} sync of {run.cloud}"
    change = Change(EntityKind.SYNC_RUN, run.id, STATUS, old, new, name, run.cloud_id)
    record([change], Cause(sync_run_id=run.id))
