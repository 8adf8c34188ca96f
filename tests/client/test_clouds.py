"""perspective clouds (with their last syncs) and sync CLOUD, through the API's sync endpoint."""

import json

import pytest
from rest_framework.authtoken.models import Token

from apps.clouds.models import SyncRun
from apps.inventory.models import Cloud
from tests.clients import granted

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.simulator(servers=0, projects=1),
    pytest.mark.usefixtures("worker"),
]


def test_clouds_with_their_last_syncs(cli, fleet):
    table = cli("clouds", "-o", "table")
    (cloud,) = json.loads(cli("clouds").stdout)

    assert (cloud["name"], cloud["type"]) == ("sim", "openstack")
    assert set(cloud["syncs"]) == {"catalog", "instances"}
    assert cloud["syncs"]["instances"]["status"] == "succeeded"
    assert cloud["syncs"]["instances"]["created"] == 7
    row = next(line for line in table.stdout.splitlines() if "│ sim " in line)
    name, kind, catalog, instances, changes = (cell.strip() for cell in row.split("│")[1:-1])
    assert (name, kind, changes) == ("sim", "openstack", "never")
    assert catalog.startswith("succeeded ") and catalog.endswith(" ago")
    assert instances.startswith("succeeded ") and instances.endswith(" ago")


def test_sync_a_cloud_and_follow_it(cli, fleet, simulator):
    simulator.control.create_servers(3)

    ran = cli("sync", "sim", "--changes", "--follow", "-o", "table")
    full = json.loads(cli("sync", "sim", "--follow").stdout)

    assert ran.exit_code == 0
    assert "│ changes │ succeeded │ 3 " in ran.stdout
    assert [(run["kind"], run["status"]) for run in full] == [
        ("catalog", "succeeded"),
        ("instances", "succeeded"),
    ]
    assert SyncRun.objects.filter(kind="changes", status="succeeded").count() == 1


def test_a_failed_sync_exits_1_with_its_error(cli, fleet, simulator):
    Cloud.objects.create(
        name="broken",
        auth_url=simulator.auth_url,
        username=simulator.username,
        password="wrong",
        project_name=simulator.project_name,
    )

    ran = cli("sync", "broken", "--changes", "--follow", "-o", "table")

    assert ran.exit_code == 1
    assert "│ changes │ failed " in ran.stdout


def test_sync_an_unknown_cloud(cli, fleet):
    ran = cli("sync", "nowhere")

    assert (ran.exit_code, ran.stderr) == (1, "Error: Cloud nowhere does not exist\n")


def test_a_viewer_may_not_sync(cli, fleet):
    viewer = granted("viewer", viewer=fleet.projects.get(region="RegionOne"))

    ran = cli("sync", "sim", PERSPECTIVE_TOKEN=Token.objects.create(user=viewer).key)

    assert ran.exit_code == 3
    assert "Only an operator of every project of cloud sim may sync it" in ran.stderr
