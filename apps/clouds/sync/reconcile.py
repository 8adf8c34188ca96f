"""Bring a table in line with a listing, in bulk: insert what is new, update what changed,
leave alone what did not, and delete what a complete listing no longer has."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from apps.inventory.bulk import insert_rows, upsert_rows
from apps.inventory.models import stable_id

from .witness import project_of

DELETE_BATCH = 500


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def add(self, other: "Counts") -> None:
        self.created += other.created
        self.updated += other.updated
        self.deleted += other.deleted
        self.unchanged += other.unchanged


@dataclass
class ReconcileOutcome:
    counts: Counts
    ids: dict[str, object] = field(default_factory=dict)  # real id -> public id, of the listing
    changed: set = field(default_factory=set)  # public ids created or updated


def reconcile(
    model,
    existing,
    scope: tuple[str, object],
    incoming: dict[str, dict],
    *,
    complete,
    keep=None,
    fresh=False,
    unless_newer=None,
    witness=None,
):
    """Reconcile `existing` (the rows the listing covers) with `incoming` {real id: values}.

    `scope` is (field, id) of the unique constraint with real_id, e.g. ("cloud", cloud.id);
    new rows get a public id derived from it. Nothing is deleted unless `complete`.
    `keep(row, values)`, when given, returns the values to write over an existing row.
    `fresh`: nothing of the listing is stored yet, so its rows are only inserted.
    `unless_newer`: a time field; a row whose time is later than the listing's is not
    overwritten (a follower recorded an action's end while the listing was on its way).
    `witness` (a Witness), when given, is told what changed, except on a first load.
    """
    fields = list(next(iter(incoming.values()))) if incoming else []
    current = {row["real_id"]: row for row in existing.values("id", "real_id", *fields)}
    outcome, writes = ReconcileOutcome(Counts()), []
    counts = outcome.counts
    scope_field, scope_id = scope
    kind = model._meta.model_name
    witness = None if fresh else witness
    for real_id, values in incoming.items():
        row = current.get(real_id)
        if row is not None and keep:
            values = keep(row, values)
        public_id = stable_id(scope_id, kind, real_id) if row is None else row["id"]
        outcome.ids[real_id] = public_id
        if witness:
            witness.compared(kind, public_id, scope, row, values)
        if row is None:
            counts.created += 1
        elif any(row[name] != value for name, value in values.items()):
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        outcome.changed.add(public_id)
        writes.append((public_id, real_id, scope_id, *values.values()))
    columns = ["id", "real_id", scope_field, *fields]
    if fresh:
        insert_rows(model, columns, writes)
    else:
        upsert_rows(model, columns, writes, [scope_field, "real_id"], unless_newer)
    if complete:
        gone = [row for real_id, row in current.items() if real_id not in incoming]
        if witness:
            witness.gone(kind, [_told_gone(kind, row, scope) for row in gone])
        counts.deleted = delete_ids(model, [row["id"] for row in gone])
    return outcome


def _told_gone(kind: str, row: dict, scope: tuple) -> tuple:
    return row["id"], row.get("name", ""), project_of(kind, row["id"], scope, row)


def delete_ids(model, ids: list) -> int:
    """Deletes the rows (and what cascades from them); returns how many of `model`."""
    deleted = 0
    for start in range(0, len(ids), DELETE_BATCH):
        _, per_model = model.objects.filter(id__in=ids[start : start + DELETE_BATCH]).delete()
        deleted += per_model.get(model._meta.label, 0)
    return deleted


def replace_children(model, parent_field: str, fields: tuple[str, ...], current, wanted) -> set:
    """Make each parent's child rows (`wanted`: {parent id: set of value tuples}) so, writing
    only for parents whose set differs from `current`. Returns the parents rewritten."""
    stale = {parent for parent, rows in wanted.items() if current.get(parent, set()) != rows}
    if not stale:
        return stale
    holding = [parent for parent in stale if parent in current]  # new parents have none
    for start in range(0, len(holding), DELETE_BATCH):
        batch = holding[start : start + DELETE_BATCH]
        model.objects.filter(**{f"{parent_field}__in": batch}).delete()
    insert_rows(
        model,
        (parent_field, *fields),
        [(parent, *row) for parent in stale for row in wanted[parent]],
    )
    return stale


def grouped(rows: Iterable[tuple]) -> dict:
    """{first value: set of tuples of the remaining values} from (parent, value, ...) rows."""
    groups: dict = {}
    for parent, *rest in rows:
        groups.setdefault(parent, set()).add(tuple(rest))
    return groups


def count_child_changes(outcome: ReconcileOutcome, rewritten: set) -> None:
    """Parents whose own row was unchanged but whose children were rewritten were updated."""
    moved = len(rewritten - outcome.changed)
    outcome.counts.unchanged -= moved
    outcome.counts.updated += moved
    outcome.changed |= rewritten


def replace_details(
    outcome: ReconcileOutcome, parent: str, scope: dict, metadata, links, witness=None
) -> None:
    """Rewrites the metadata and the link rows of the parents whose sets changed, and counts
    those parents as updated. `metadata` and `links` are (model, {parent id: wanted set}); a
    link model has the parent and one other field; `scope` selects the current rows of both.
    `witness`, when given, is told each rewritten set, before and after."""
    (metadata_model, wanted_metadata), (link_model, wanted_links) = metadata, links
    link_field = next(
        f.name for f in link_model._meta.concrete_fields if f.is_relation and f.name != parent
    )
    current_metadata = grouped(
        metadata_model.objects.filter(**scope).values_list(parent, "key", "value")
    )
    current_links = grouped(link_model.objects.filter(**scope).values_list(parent, link_field))
    rewritten_metadata = replace_children(
        metadata_model, parent, ("key", "value"), current_metadata, wanted_metadata
    )
    rewritten_links = replace_children(
        link_model, parent, (link_field,), current_links, wanted_links
    )
    if witness:
        for field_name, rewritten, current, wanted in (
            ("metadata", rewritten_metadata, current_metadata, wanted_metadata),
            (f"{link_field}s", rewritten_links, current_links, wanted_links),
        ):
            for parent_id in rewritten:
                witness.children(
                    parent, field_name, parent_id, current.get(parent_id, set()), wanted[parent_id]
                )
    count_child_changes(outcome, rewritten_metadata | rewritten_links)
