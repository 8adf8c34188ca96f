"""Batch actions as the API and the admin ask for them: check the whole request, decide per
instance or image, record the Action with its items, show interim states at once, and hand
the work to the workers when the transaction commits. A fixed number of queries per batch."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from apps.clouds.choices import Operation
from apps.clouds.drivers import supported_operations
from apps.inventory.access import access_of
from apps.inventory.bulk import insert_rows
from apps.inventory.models import (
    Cloud,
    Flavor,
    Image,
    Instance,
    InstanceMetadata,
    Keypair,
    Network,
    Project,
)

from . import changes, plans
from .choices import ItemStatus
from .models import Action, ActionItem
from .rules import RULES, concrete, refusal
from .tasks import send

MAX_ITEMS = 10_000


class ActionError(Exception):
    """The request is refused as a whole; nothing was done."""

    status = 400


class NotFoundError(ActionError):
    status = 404


class ForbiddenError(ActionError):
    status = 403


@dataclass
class BatchOutcome:
    action: Action
    queued: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)

    def as_wire(self) -> dict:
        return {
            "actionId": str(self.action.id),
            "queued": self.queued,
            "skipped": [{"id": target, "reason": reason} for target, reason in self.skipped],
        }


@dataclass
class Item:
    """An item being planned: what ActionItem will hold, and the state to show at once."""

    target_id: str
    operation: str
    name: str = ""
    row: dict | None = None  # the values read to plan it: cloud_id, project_id, state, ...
    reason: str = ""
    plan: plans.Plan = plans.NO_PLAN
    instance_id: uuid.UUID | None = None
    image_id: uuid.UUID | None = None

    @property
    def interim(self) -> str | None:
        return None if self.reason else RULES[self.operation].interim


# Instances ------------------------------------------------------------------------------

INSTANCE_VALUES = (
    "id",
    "name",
    "state",
    "is_locked",
    "unreachable_since",
    "cloud_id",
    "cloud__type",
    "cloud__seeded",
    "project_id",
    "project__name",
    "flavor_id",
)


def instance_action(operation: str, ids: list[str], user=None) -> BatchOutcome:
    """Reboot, hard-reboot, start, shut down, pause, resume, suspend or delete instances."""
    return _instance_batch(operation, ids, user)


def resize(ids: list[str], flavor_id: str, user=None) -> BatchOutcome:
    flavor = _one(_visible(Flavor.objects.select_related("project"), user), flavor_id, "Flavor")
    parameters = {"flavorId": flavor_id, "flavorName": flavor.name}
    with transaction.atomic():
        rows = _instances(ids, user)
        _check_cloud(rows.values(), flavor.project.cloud_id, f"Flavor {flavor_id}")
        _check_region(rows.values(), {flavor.project_id}, f"Flavor {flavor_id}")

        def check(item: Item) -> None:
            if flavor.id == item.row["flavor_id"]:
                item.reason = f"The instance already has flavor {flavor.name}"
            else:
                item.plan = plans.Resize(str(flavor.id), flavor.real_id)

        return _instance_batch(
            Operation.RESIZE_INSTANCE, ids, user, parameters, check=check, rows=rows
        )


def rebuild(ids: list[str], image_id: str, user=None) -> BatchOutcome:
    image = _one(_visible(Image.objects.all(), user, "projects"), image_id, "Image")
    parameters = {"imageId": image_id, "imageName": image.name}
    with transaction.atomic():
        rows = _instances(ids, user)
        _check_cloud(rows.values(), image.cloud_id, f"Image {image_id}")
        regions = set(image.projects.values_list("id", flat=True))
        _check_region(rows.values(), regions, f"Image {image_id}")

        def check(item: Item) -> None:
            item.plan = plans.Rebuild(str(image.id), image.real_id)

        return _instance_batch(
            Operation.REBUILD_INSTANCE, ids, user, parameters, check=check, rows=rows
        )


def rename(names: dict[str, str], user=None) -> BatchOutcome:
    def check(item: Item) -> None:
        item.plan = plans.Rename(names[item.target_id])

    return _instance_batch(Operation.RENAME_INSTANCE, list(names), user, check=check)


def _instance_batch(
    operation, ids, user, parameters=None, *, check=None, rows=None
) -> BatchOutcome:
    with transaction.atomic():
        rows = _instances(ids, user) if rows is None else rows
        missing = [target for target in ids if target not in rows]
        if missing and operation != Operation.DELETE_INSTANCE:
            raise NotFoundError(_unknown("Instance", missing))
        items = [_plan_instance(operation, target, rows.get(target), check) for target in ids]
        outcome = _record_batch(operation, user, parameters or {}, items)
        _show_interim(Instance, items)
    return outcome


def _instances(ids: list[str], user) -> dict[str, dict]:
    """{requested id: values} of the instances that exist for the user, locked until the batch
    commits; ForbiddenError if the user may see but not act on some."""
    wanted = _uuids(ids)
    found = (
        _visible(Instance.objects.select_for_update(of=("self",)), user)
        .filter(id__in=wanted.values())
        .values(*INSTANCE_VALUES)
    )
    by_uuid = {row["id"]: row for row in found}
    rows = {target: by_uuid[key] for target, key in wanted.items() if key in by_uuid}
    check_operable(user, {target: row["project_id"] for target, row in rows.items()}, "instance")
    return rows


def _plan_instance(operation, target: str, row: dict | None, check) -> Item:
    if row is None:
        return Item(target, operation, reason=f"Instance {target} does not exist")
    item = Item(target, concrete(operation, row["state"]), row["name"], row, instance_id=row["id"])
    item.reason = _unsupported(item.operation, row["cloud__type"], row["cloud__seeded"]) or refusal(
        item.operation, row["state"], row["is_locked"], row["unreachable_since"] is not None
    )
    if not item.reason and check:
        check(item)
    return item


# Launch ---------------------------------------------------------------------------------


def launch(specs: list[dict], user=None) -> BatchOutcome:
    """Records each instance as queued with its new id; a worker then creates it."""
    refs = _LaunchRefs(specs, user)
    with transaction.atomic():
        items, launched = [], []
        for spec in specs:
            project = refs.projects[spec["projectId"]]
            instance = refs.instance(spec, project)
            item = Item(str(instance.id), Operation.ADD_INSTANCE, instance.name)
            item.reason = _unsupported(item.operation, project.cloud.type, project.cloud.seeded)
            if not item.reason:
                launched.append((instance, spec))
                item.row = {"cloud_id": project.cloud_id, "project_id": project.id, "state": ""}
                item.instance_id = instance.id
                item.plan = refs.plan(spec)
            items.append(item)
        Instance.objects.bulk_create([instance for instance, _ in launched])
        _add_children(launched, refs)
        return _record_batch(Operation.ADD_INSTANCE, user, {}, items)


class _LaunchRefs:
    """Everything the launch specs refer to, read in one query per kind and checked."""

    def __init__(self, specs: list[dict], user):
        projects = _visible(Project.objects.select_related("cloud"), user, "id")
        self.projects = _by_id(projects, {s["projectId"] for s in specs}, "Project")
        check_operable(user, {key: p.id for key, p in self.projects.items()}, "project")
        flavors = _visible(Flavor.objects, user)
        self.flavors = _by_id(flavors, {s["flavor"]["id"] for s in specs}, "Flavor")
        images = _visible(Image.objects, user, "projects")
        self.images = _by_id(images, {s["image"]["id"] for s in specs}, "Image")
        network_ids = {n["id"] for s in specs for n in s.get("networks", [])}
        self.networks = _by_id(_visible(Network.objects, user), network_ids, "Network")
        names = {s["keypair"]["name"] for s in specs if s.get("keypair")}
        keypairs = Keypair.objects.filter(name__in=names) if names else []
        self.keypairs = {(keypair.project_id, keypair.name): keypair for keypair in keypairs}
        for spec in specs:
            self._check(spec)

    def _check(self, spec: dict) -> None:
        project = self.projects[spec["projectId"]]
        flavor_id = spec["flavor"]["id"]
        if self.flavors[flavor_id].project_id != project.id:
            raise ActionError(f"Flavor {flavor_id} is not in project {project.name}")
        image_id = spec["image"]["id"]
        if self.images[image_id].cloud_id != project.cloud_id:
            raise ActionError(f"Image {image_id} is of another cloud than project {project.name}")
        for network in spec.get("networks", []):
            if self.networks[network["id"]].project_id != project.id:
                raise ActionError(f"Network {network['id']} is not in project {project.name}")
        keypair = spec.get("keypair")
        if keypair and (project.id, keypair["name"]) not in self.keypairs:
            raise NotFoundError(
                f"Keypair {keypair['name']} does not exist in project {project.name}"
            )

    def instance(self, spec: dict, project) -> Instance:
        keypair = spec.get("keypair")
        return Instance(
            id=uuid.uuid4(),
            cloud_id=project.cloud_id,
            project=project,
            name=spec["name"],
            state=RULES[Operation.ADD_INSTANCE].interim,
            flavor=self.flavors[spec["flavor"]["id"]],
            image=self.images[spec["image"]["id"]],
            keypair=self.keypairs[(project.id, keypair["name"])] if keypair else None,
            availability_zone=spec.get("availabilityZone", ""),
        )

    def plan(self, spec: dict) -> plans.Launch:
        keypair = spec.get("keypair")
        return plans.Launch(
            flavor_real_id=self.flavors[spec["flavor"]["id"]].real_id,
            image_real_id=self.images[spec["image"]["id"]].real_id,
            network_real_ids=tuple(
                self.networks[n["id"]].real_id for n in spec.get("networks", [])
            ),
            keypair_name=keypair["name"] if keypair else None,
            availability_zone=spec.get("availabilityZone") or None,
            metadata=spec.get("metadata", {}),
        )


def _add_children(launched: list[tuple[Instance, dict]], refs: _LaunchRefs) -> None:
    insert_rows(
        InstanceMetadata,
        ("instance", "key", "value"),
        [
            (instance.id, key, value)
            for instance, spec in launched
            for key, value in spec.get("metadata", {}).items()
        ],
    )
    insert_rows(
        Instance.networks.through,
        ("instance", "network"),
        [
            (instance.id, refs.networks[network["id"]].id)
            for instance, spec in launched
            for network in spec.get("networks", [])
        ],
    )


# Images ---------------------------------------------------------------------------------


def snapshot(specs: list[dict], user=None) -> BatchOutcome:
    """Snapshot images of instances ({"name", "instanceId"}): queued are the new images' ids."""
    ids = [spec["instanceId"] for spec in specs]
    with transaction.atomic():
        rows = _instances(list(dict.fromkeys(ids)), user)
        missing = [target for target in ids if target not in rows]
        if missing:
            raise NotFoundError(_unknown("Instance", missing))
        items = []
        for spec in specs:
            row = rows[spec["instanceId"]]
            items.append(_plan_snapshot(spec, row))
            if not items[-1].reason:
                row["state"] = RULES[Operation.ADD_IMAGE].interim  # a second snapshot waits
        planned = [item for item in items if not item.reason]
        Image.objects.bulk_create([_new_image(item) for item in planned])
        insert_rows(
            Image.projects.through,
            ("image", "project"),
            [(item.image_id, item.row["project_id"]) for item in planned],
        )
        outcome = _record_batch(Operation.ADD_IMAGE, user, {}, items)
        _show_interim(Instance, planned)
    return outcome


def _plan_snapshot(spec: dict, row: dict) -> Item:
    item = Item(spec["instanceId"], Operation.ADD_IMAGE, spec["name"])
    item.reason = _unsupported(item.operation, row["cloud__type"], row["cloud__seeded"]) or refusal(
        item.operation, row["state"], row["is_locked"], row["unreachable_since"] is not None
    )
    if not item.reason:
        image_id = uuid.uuid4()
        item.target_id = str(image_id)
        # A copy: the request's next snapshot of the instance sees it snapshotting.
        item.row, item.instance_id, item.image_id = {**row}, row["id"], image_id
        item.plan = plans.Snapshot(row["name"], spec["instanceId"])
    return item


def _new_image(item: Item) -> Image:
    return Image(
        id=item.image_id,
        cloud_id=item.row["cloud_id"],
        name=item.name,
        instance_id=item.instance_id,
    )


def delete_images(ids: list[str], user=None) -> BatchOutcome:
    """Deletes images; ids already gone are skipped, so asking twice is harmless."""
    wanted = _uuids(ids)
    operation = Operation.DELETE_IMAGE
    with transaction.atomic():
        found = (
            Image.objects.select_for_update(of=("self",))
            .filter(id__in=_visible_ids(Image.objects, user, "projects", wanted.values()))
            .values("id", "name", "state", "cloud_id", "cloud__type", "cloud__seeded")
        )
        by_uuid = {row["id"]: row for row in found}
        regions = _image_places(by_uuid, user)
        items = []
        for target in ids:
            row = by_uuid.get(wanted.get(target))
            if row is None:
                items.append(Item(target, operation, reason=f"Image {target} does not exist"))
                continue
            item = Item(target, operation, row["name"], {**row, **regions.get(row["id"], {})})
            item.image_id = row["id"]
            item.reason = _unsupported(
                operation, row["cloud__type"], row["cloud__seeded"]
            ) or refusal(operation, row["state"], False)
            if not item.reason and "project_id" not in item.row:
                item.reason = "The image is in no project of its cloud"
            items.append(item)
        outcome = _record_batch(operation, user, {}, items)
        _show_interim(Image, items)
    return outcome


def _image_places(images: dict, user) -> dict:
    """{image id: {"project_id"}}: a project (region) each image is visible in, one the user
    may act in; ForbiddenError for an image the user may see but act in no project of."""
    links = Image.projects.through.objects.filter(image_id__in=list(images))
    operable = None if user is None else access_of(user).operable_project_ids
    if operable is not None:
        refused = {image for image, _ in links.values_list("image", "project")}
        links = links.filter(project__in=operable)
        refused -= set(links.values_list("image", flat=True))
        if refused:
            raise ForbiddenError(_forbidden("image", sorted(map(str, refused))))
    return {
        image: {"project_id": project} for image, project in links.values_list("image", "project")
    }


# Shared ---------------------------------------------------------------------------------


def _record_batch(operation: str, user, parameters: dict, items: list[Item]) -> BatchOutcome:
    """The Action and its items (bulk_create: on PostgreSQL one UNNEST insert, the quickest
    for 1,000s of rows); queued items go to the workers on commit."""
    action = Action(
        operation=operation,
        requested_by=user if user is not None and user.is_authenticated else None,
        parameters=parameters,
    )
    rows = [_item_row(action, item) for item in items]
    queued = sorted((row.cloud_id, str(row.id)) for row in rows if row.status == ItemStatus.QUEUED)
    action.sent_at = None if queued else action.requested_at
    action.save()
    ActionItem.objects.bulk_create(rows)
    changes.requested(rows, [item.interim for item in items])
    if queued:
        item_ids = [pk for _, pk in queued]

        def send_batch():
            send(action.id, item_ids)

        # A broker that is down leaves the items to the sweep (tasks.sweep), not the client.
        transaction.on_commit(send_batch, robust=True)
    outcome = BatchOutcome(action)
    for item in items:
        if item.reason:
            outcome.skipped.append((item.target_id, item.reason))
        else:
            outcome.queued.append(item.target_id)
    return outcome


def _item_row(action: Action, item: Item) -> ActionItem:
    row = item.row or {}
    return ActionItem(
        id=uuid.uuid4(),
        action=action,
        operation=item.operation,
        target_id=item.target_id,
        name=item.name,
        cloud_id=row.get("cloud_id"),
        project_id=row.get("project_id"),
        instance_id=item.instance_id,
        image_id=item.image_id,
        parameters=item.plan.as_json(),
        previous_state=row.get("state", ""),
        status=ItemStatus.SKIPPED if item.reason else ItemStatus.QUEUED,
        reason=item.reason,
        due_at=None if item.reason else action.requested_at,
    )


def _show_interim(model, items: list[Item]) -> None:
    """One UPDATE per interim state for all items that show it, on their instances (or images,
    when `model` is Image)."""
    by_state = defaultdict(list)
    for item in items:
        if item.interim:
            by_state[item.interim].append(item.image_id if model is Image else item.instance_id)
    for state, ids in by_state.items():
        model.objects.filter(id__in=ids).update(state=state)


def _unsupported(operation: str, cloud_type: str, seeded: bool) -> str:
    if seeded:
        return f"Its cloud {Cloud.SEEDED}"
    if operation in supported_operations().get(cloud_type, ()):
        return ""
    return f"Clouds of type {cloud_type} do not support {operation}"


def _uuids(ids: list[str]) -> dict[str, uuid.UUID]:
    """{id: UUID} of the ids that are UUIDs at all (the others cannot exist)."""
    parsed = {}
    for target in ids:
        try:
            parsed[target] = uuid.UUID(target)
        except ValueError:
            continue
    return parsed


def _visible(queryset, user, project_field: str = "project"):
    """What the user may see of `queryset`; everything for internal callers (no user)."""
    return queryset if user is None else access_of(user).visible(queryset, project_field)


def _visible_ids(queryset, user, project_field: str, ids) -> list:
    return list(
        _visible(queryset.filter(id__in=ids), user, project_field).values_list("id", flat=True)
    )


def check_operable(user, projects: dict, noun: str) -> None:
    """ForbiddenError naming the requested ids whose project the user may only view."""
    operable = None if user is None else access_of(user).operable_project_ids
    if operable is None:
        return
    refused = sorted(target for target, project in projects.items() if project not in operable)
    if refused:
        raise ForbiddenError(_forbidden(noun, refused))


def _forbidden(noun: str, ids: list[str]) -> str:
    return f"You may view but not act on {noun}(s) {', '.join(ids)}"


def _one(queryset, target: str, noun: str):
    found = _by_id(queryset, {target}, noun)
    return found[target]


def _by_id(queryset, ids: set[str], noun: str) -> dict:
    """{id: object} for every id, or NotFoundError naming those that do not exist."""
    wanted = _uuids(list(ids))
    objects = {obj.id: obj for obj in queryset.filter(id__in=wanted.values())}
    found = {target: objects[key] for target, key in wanted.items() if key in objects}
    missing = sorted(ids - set(found))
    if missing:
        raise NotFoundError(_unknown(noun, missing))
    return found


def _check_cloud(rows, cloud_id, what: str) -> None:
    other = next((row for row in rows if row["cloud_id"] != cloud_id), None)
    if other is not None:
        raise ActionError(f"{what} is of another cloud than instance {other['name']}")


def _check_region(rows, projects: set, what: str) -> None:
    """As launch checks: a flavor or an image serves the projects (regions) it is in only."""
    other = next((row for row in rows if row["project_id"] not in projects), None)
    if other is not None:
        raise ActionError(
            f"{what} is not in project {other['project__name']} of instance {other['name']}"
        )


def _unknown(noun: str, ids: list[str]) -> str:
    """`Instance X does not exist; nothing was queued`, or `Instances X, Y do not exist; ...`:
    every unknown id, so that the client can drop them all and ask again."""
    if len(ids) == 1:
        return f"{noun} {ids[0]} does not exist; nothing was queued"
    return f"{noun}s {', '.join(ids)} do not exist; nothing was queued"
