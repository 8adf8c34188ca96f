"""perspective actions [ID] [--failed] [--follow] and notifications [--all] [--ack]."""

import json

import pytest
from rest_framework.authtoken.models import Token

from apps.inventory.models import Instance
from apps.operations.models import ActionItem, Notification
from tests.clients import granted

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.simulator(servers=0, projects=1, delay=0.3),
    pytest.mark.usefixtures("worker", "settled"),
]


@pytest.fixture
def history(cli, fleet, simulator):
    """A reboot of web-1 and web-2 that failed for web-1 (stopped behind Perspective's back),
    then a pause of web-3 that succeeded."""
    web_1, web_2, web_3 = (Instance.objects.get(name=f"web-{n}") for n in (1, 2, 3))
    simulator.control.update_server(web_1.real_id, status="SHUTOFF")
    failed = cli("reboot", str(web_1.id), str(web_2.id), "--follow")
    assert failed.exit_code == 1
    paused = cli("pause", str(web_3.id), "--follow")
    assert paused.exit_code == 0
    return {
        "reboot": json.loads(failed.stdout)["actionId"],
        "pause": json.loads(paused.stdout)["actionId"],
    }


def test_actions_newest_first_failed_and_limited(cli, history, api):
    table = cli("actions", "-o", "table")
    piped = json.loads(cli("actions").stdout)
    failed = json.loads(cli("actions", "--failed").stdout)
    latest = json.loads(cli("actions", "--limit", "1").stdout)

    assert piped == api.get("/api/actions/").json()["results"]
    assert [action["id"] for action in piped] == [history["pause"], history["reboot"]]
    assert "│ pauseInstance  │" in table.stdout
    assert "│ 1 succeeded, 1 failed │" in table.stdout
    assert [action["id"] for action in failed] == [history["reboot"]]
    assert [action["id"] for action in latest] == [history["pause"]]


def test_one_action_with_its_items(cli, history, api):
    piped = json.loads(cli("actions", history["reboot"]).stdout)
    table = cli("actions", history["reboot"], "-o", "table")
    failed = cli("actions", history["reboot"], "--failed", "-o", "table")

    assert piped == api.get(f"/actions/{history['reboot']}").json()
    assert "│ web-1 │" in table.stdout and "│ web-2 │" in table.stdout
    assert "409: Cannot 'reboot' instance" in table.stdout
    assert "rebootInstance asked by admin at " in table.stdout
    assert "│ web-2 │" not in failed.stdout


def test_follow_an_action_that_is_running(cli, fleet, simulator):
    simulator.control.set_delay(1.0)
    started = json.loads(cli("suspend", "--where", "name = 'db-1'", "--yes").stdout)
    assert ActionItem.objects.get().status in ("queued", "running")

    ran = cli("actions", started["actionId"], "--follow", "-o", "table")

    assert ran.exit_code == 0
    assert "1 item ended in " in ran.stdout and "1 succeeded" in ran.stdout
    assert ActionItem.objects.get().status == "succeeded"


def test_an_unknown_action(cli, fleet):
    ran = cli("actions", "00000000-0000-4000-8000-000000000000")

    assert ran.exit_code == 1
    assert ran.stderr == "Error: Action 00000000-0000-4000-8000-000000000000 does not exist\n"


def test_notifications_the_open_letters(cli, history, api):
    piped = json.loads(cli("notifications").stdout)
    table = cli("notifications", "-o", "table")

    assert piped == api.get("/notifications", {"open": "true"}).json()
    (letter,) = piped
    assert letter["message"].startswith("Failed to reboot instance web-1 (")
    assert letter["actionId"] == history["reboot"]
    assert "Failed to reboot instance web-1" in table.stdout
    assert table.stdout.rstrip().endswith("1 letter")


def test_ack_acknowledges_what_it_lists(cli, history):
    acked = cli("notifications", "--ack", "-o", "table")

    assert "Acknowledged 1 of them" in acked.stdout
    assert Notification.objects.get().acknowledged_at is not None
    assert json.loads(cli("notifications").stdout) == []
    assert len(json.loads(cli("notifications", "--all").stdout)) == 1
    assert cli("notifications", "-o", "table").stdout == "No open letters.\n"


def test_a_viewer_cannot_ack(cli, history, fleet):
    viewer = granted("viewer", viewer=fleet.projects.get(region="RegionOne"))
    token = Token.objects.create(user=viewer).key

    ran = cli("notifications", "--ack", PERSPECTIVE_TOKEN=token)

    assert ran.exit_code == 3
    assert ran.stderr.startswith("Error: Not permitted: Your grants let you view, not act")
    assert Notification.objects.get().acknowledged_at is None
