"""Running the simulator inside tests and benchmarks."""

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from openstack_simulator.control_client import SimulatorControl
from openstack_simulator.options import Options
from openstack_simulator.server import Simulator


@dataclass
class RunningSimulator:
    """Where a running simulator is and how to log in to it."""

    simulator: Simulator
    base_url: str
    auth_url: str
    username: str
    password: str
    project_name: str
    user_domain_name: str
    project_domain_name: str
    regions: list[str]
    application_credential_id: str
    application_credential_secret: str
    control: SimulatorControl

    def cloud_config(self, region_name: str | None = None) -> dict[str, Any]:
        """Keyword arguments for ``openstack.connect(**config)``: password auth, ignoring
        any clouds.yaml or OS_* variables of the machine."""
        auth = {
            "auth_url": self.auth_url,
            "username": self.username,
            "password": self.password,
            "project_name": self.project_name,
            "user_domain_name": self.user_domain_name,
            "project_domain_name": self.project_domain_name,
        }
        return self._config("password", auth, region_name)

    def app_credential_config(self, region_name: str | None = None) -> dict[str, Any]:
        """Like ``cloud_config`` but authenticating with the application credential."""
        auth = {
            "auth_url": self.auth_url,
            "application_credential_id": self.application_credential_id,
            "application_credential_secret": self.application_credential_secret,
        }
        return self._config("v3applicationcredential", auth, region_name)

    def _config(self, auth_type: str, auth: dict[str, str], region: str | None) -> dict[str, Any]:
        return {
            "auth_type": auth_type,
            "auth": auth,
            "region_name": region or self.regions[0],
            "interface": "public",
            "identity_api_version": "3",
            "load_yaml_config": False,
            "load_envvars": False,
        }


@contextmanager
def running_simulator(**options: Any) -> Iterator[RunningSimulator]:
    """A simulator on a free loopback port, served from a background thread. Takes the
    fields of :class:`Options`; actions complete on the next request unless ``delay`` is
    given."""
    options.setdefault("delay", 0)
    with Simulator(Options(**options)) as simulator:
        yield _describe(simulator)


def _describe(simulator: Simulator) -> RunningSimulator:
    cloud = simulator.cloud
    credential = next(iter(cloud.identity.app_credentials.values()))
    return RunningSimulator(
        simulator=simulator,
        base_url=simulator.base_url,
        auth_url=simulator.auth_url,
        username=cloud.options.username,
        password=cloud.options.password,
        project_name=cloud.options.project_name,
        user_domain_name=cloud.options.domain_name,
        project_domain_name=cloud.options.domain_name,
        regions=list(cloud.regions),
        application_credential_id=credential.id,
        application_credential_secret=credential.secret,
        control=SimulatorControl(simulator.base_url),
    )


@dataclass
class SpawnedSimulator:
    base_url: str
    pid: int


@contextmanager
def spawned_simulator(*arguments: str) -> Iterator[SpawnedSimulator]:
    """``python -m openstack_simulator --port 0 ARGUMENTS`` in its own process (so that it does
    not share the caller's interpreter lock), stopped on exit."""
    command = [sys.executable, "-m", "openstack_simulator", "--port", "0", *arguments]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    try:
        banner = process.stdout.readline()
        found = re.search(r"listening on (http://\S+)", banner)
        if not found:
            raise RuntimeError(f"the simulator did not start: {banner!r}")
        yield SpawnedSimulator(found[1], process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)
