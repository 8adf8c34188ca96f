import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openstack
import openstack.config
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clouds_yaml(tmp_path: Path) -> Iterator[Path]:
    """clouds.yaml written by a simulator started from the command line."""
    path = tmp_path / "clouds.yaml"
    command = [sys.executable, "-m", "openstack_simulator", "--port", "0", "--servers", "20"]
    process = subprocess.Popen(
        [*command, "--clouds-yaml", str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        banner = process.stdout.readline()
        assert re.match(r"OpenStack simulator listening on http://127\.0\.0\.1:\d+ ", banner)
        yield path
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_clouds_yaml_has_a_simulator_entry_with_every_region(clouds_yaml):
    cloud = yaml.safe_load(clouds_yaml.read_text())["clouds"]["simulator"]
    assert cloud["regions"] == ["RegionOne", "RegionTwo"]
    assert set(cloud["auth"]) == {
        "auth_url",
        "username",
        "password",
        "project_name",
        "user_domain_name",
        "project_domain_name",
    }


def test_openstacksdk_loads_the_clouds_yaml_as_is(clouds_yaml):
    config = openstack.config.OpenStackConfig(config_files=[str(clouds_yaml)])
    region = config.get_one_cloud("simulator")
    assert region.config["auth"]["username"] == "admin"
    assert region.region_name == "RegionOne"


def test_openstack_connect_by_cloud_name(clouds_yaml, monkeypatch):
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(clouds_yaml))
    conn = openstack.connect(cloud="simulator", region_name="RegionTwo")
    assert len(list(conn.compute.servers(all_projects=True))) == 10
