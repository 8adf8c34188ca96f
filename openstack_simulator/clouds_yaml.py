"""A clouds.yaml entry for the simulator, as openstacksdk reads it."""

from pathlib import Path
from typing import Any

import yaml

from openstack_simulator.server import Simulator

CLOUD_NAME = "simulator"


def cloud_entry(simulator: Simulator) -> dict[str, Any]:
    options = simulator.cloud.options
    return {
        "auth": {
            "auth_url": simulator.auth_url,
            "username": options.username,
            "password": options.password,
            "project_name": options.project_name,
            "user_domain_name": options.domain_name,
            "project_domain_name": options.domain_name,
        },
        "regions": list(options.regions),
        "identity_api_version": 3,
        "interface": "public",
    }


def write_clouds_yaml(path: str | Path, simulator: Simulator) -> None:
    document = {"clouds": {CLOUD_NAME: cloud_entry(simulator)}}
    Path(path).write_text(yaml.safe_dump(document, sort_keys=False))
