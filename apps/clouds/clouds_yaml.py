"""Clouds from a standard openstacksdk clouds.yaml, as the fields of Cloud."""

import yaml

from apps.inventory.choices import CloudType
from apps.inventory.models import Cloud

# clouds.yaml `auth` keys that are Cloud fields of the same name.
AUTH_FIELDS = ("auth_url", *Cloud.CREDENTIAL_FIELDS)


class CloudsYamlError(ValueError):
    pass


def parse(text: str) -> dict[str, dict]:
    """{cloud name: Cloud field values} of every entry under `clouds:`."""
    try:
        document = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise CloudsYamlError(f"Not valid YAML: {exc}") from None
    clouds = document.get("clouds") if isinstance(document, dict) else None
    if not isinstance(clouds, dict) or not clouds:
        raise CloudsYamlError("No `clouds:` mapping with at least one entry")
    return {str(name): _fields(str(name), entry) for name, entry in clouds.items()}


def _fields(name: str, entry) -> dict:
    if not isinstance(entry, dict) or not isinstance(entry.get("auth"), dict):
        raise CloudsYamlError(f"Cloud {name!r} has no `auth:` mapping")
    auth = entry["auth"]
    fields = {key: str(auth[key]) for key in AUTH_FIELDS if auth.get(key) is not None}
    if not fields.get("auth_url"):
        raise CloudsYamlError(f"Cloud {name!r} has no auth_url")
    # The domain defaults apply only to what the entry does not say by id.
    fields.setdefault("user_domain_name", "" if "user_domain_id" in fields else "Default")
    fields.setdefault("project_domain_name", "" if "project_domain_id" in fields else "Default")
    fields["type"] = CloudType.OPENSTACK
    fields["regions"] = _regions(name, entry)
    if entry.get("interface"):
        fields["interface"] = str(entry["interface"])
    if "verify" in entry:
        fields["verify_tls"] = bool(entry["verify"])
    return fields


def _regions(name: str, entry: dict) -> list[str]:
    regions = entry.get("regions")
    if regions is None:
        return [str(entry["region_name"])] if entry.get("region_name") else []
    if not isinstance(regions, list):
        raise CloudsYamlError(f"Cloud {name!r}: `regions` must be a list")
    return [str(r["name"]) if isinstance(r, dict) else str(r) for r in regions]
