"""`launch -f spec.yaml`: instances described by names (or ids), turned into POST /instances'
wire shape, every name looked up in the catalog in two requests whatever the number."""

from dataclasses import dataclass

import yaml

from .api import Api
from .errors import BadUsage
from .sql import run_each

# (table, SQL) of a reference inside a project; :ref: is a name or an id.
LOOKUPS = {
    "flavor": "select distinct id from flavors where project_id = :project: "
    "and (id = :ref: or name = :ref:)",
    "image": "select distinct images.id from images "
    "join project_images on project_images.image_id = images.id "
    "where project_images.project_id = :project: and (images.id = :ref: or images.name = :ref:)",
    "network": "select distinct id from networks where project_id = :project: "
    "and (id = :ref: or name = :ref:)",
}
PROJECT_LOOKUP = "select distinct id from projects where id = :ref: or name = :ref:"


@dataclass
class Spec:
    """One instance to launch, as the file gives it."""

    name: str
    project: str
    flavor: str
    image: str
    networks: list[str]
    extra: dict  # keypair, availabilityZone, metadata: in the wire's shape


def parse(text: str) -> list[Spec]:
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise BadUsage(f"The spec is not YAML: {' '.join(str(error).split())}") from None
    if isinstance(loaded, dict) and "instances" in loaded:
        loaded = loaded["instances"]
    entries = loaded if isinstance(loaded, list) else [loaded]
    if not entries or not all(isinstance(entry, dict) for entry in entries):
        raise BadUsage("The spec is one instance (a mapping) or a list of them")
    return [_spec(position, entry) for position, entry in enumerate(entries)]


def _spec(position: int, entry: dict) -> Spec:
    def ref(key: str, wire_key: str | None = None) -> str | None:
        value = entry.get(key, entry.get(wire_key) if wire_key else None)
        if isinstance(value, dict):
            value = value.get("id")
        return None if value is None else str(value)

    name = entry.get("name")
    found = {"project": ref("project", "projectId"), "flavor": ref("flavor"), "image": ref("image")}
    missing = [key for key, value in {"name": name, **found}.items() if not value]
    if missing:
        raise BadUsage(f"Instance {position + 1} of the spec has no {', '.join(missing)}")
    networks = [n.get("id") if isinstance(n, dict) else n for n in entry.get("networks") or []]
    return Spec(
        name=str(name),
        project=found["project"],
        flavor=found["flavor"],
        image=found["image"],
        networks=[str(network) for network in networks],
        extra=_extra(entry),
    )


def _extra(entry: dict) -> dict:
    extra = {}
    keypair = entry.get("keypair")
    if keypair:
        extra["keypair"] = keypair if isinstance(keypair, dict) else {"name": str(keypair)}
    if entry.get("availabilityZone"):
        extra["availabilityZone"] = str(entry["availabilityZone"])
    metadata = entry.get("metadata")
    if isinstance(metadata, dict) and "entry" not in metadata:
        metadata = {"entry": [{"key": str(k), "value": str(v)} for k, v in metadata.items()]}
    if metadata:
        extra["metadata"] = metadata
    return extra


def requests(api: Api, specs: list[Spec]) -> list[dict]:
    """POST /instances' body: every name resolved to its id."""
    projects = _resolve(api, [("project", spec.project, None, spec.name) for spec in specs])
    wanted = []
    for spec in specs:
        project = projects["project", spec.project, None]
        wanted += [
            ("flavor", spec.flavor, project, spec.name),
            ("image", spec.image, project, spec.name),
        ]
        wanted += [("network", network, project, spec.name) for network in spec.networks]
    ids = _resolve(api, wanted)
    body = []
    for spec in specs:
        project = projects["project", spec.project, None]
        body.append(
            {
                "name": spec.name,
                "projectId": project,
                "flavor": {"id": ids["flavor", spec.flavor, project]},
                "image": {"id": ids["image", spec.image, project]},
                "networks": [{"id": ids["network", n, project]} for n in spec.networks],
                **spec.extra,
            }
        )
    return body


def _resolve(api: Api, wanted: list[tuple]) -> dict:
    """{(kind, reference, project): id} of (kind, reference, project or None, instance name)
    tuples, in one request."""
    unique = {}
    for kind, ref, project, instance in wanted:
        unique.setdefault((kind, ref, project), instance)
    statements = []
    for kind, ref, project in unique:
        parameters = [{"name": "ref", "value": ref}]
        if project is None:
            statements.append((PROJECT_LOOKUP, parameters))
        else:
            parameters.append({"name": "project", "value": project})
            statements.append((LOOKUPS[kind], parameters))
    results = run_each(api, statements) if statements else []
    found = {}
    for (kind, ref, project), result in zip(unique, results, strict=True):
        instance = unique[kind, ref, project]
        where = "" if project is None else " in its project"
        if not result.rows:
            raise BadUsage(f"Instance {instance}: no {kind} {ref}{where}")
        if len(result.rows) > 1:
            raise BadUsage(
                f"Instance {instance}: {len(result.rows)} {kind}s are named {ref}{where}; "
                "give the id"
            )
        found[kind, ref, project] = result.rows[0][0]
    return found
