"""Batch actions from the client: by ids, by --where (confirmed, or --yes) as one batch, what was
queued and skipped, and --follow until every item has ended, with the failures' messages."""

import json

import pytest

from apps.inventory.models import Image, Instance
from apps.operations.models import Action, ActionItem

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.simulator(servers=0, projects=1, delay=0.3),
    pytest.mark.usefixtures("worker", "settled"),
]

WEB = "name like 'web-%'"


def ids(*names: str) -> list[str]:
    return [str(Instance.objects.get(name=name).id) for name in names]


def test_ids_piped_answer_what_was_queued_and_skipped(cli, fleet):
    web_1, web_4 = ids("web-1", "web-4")

    ran = cli("reboot", web_1, web_4)

    assert ran.exit_code == 0
    outcome = json.loads(ran.stdout)
    assert outcome["queued"] == [web_1]
    assert outcome["skipped"] == [
        {"id": web_4, "reason": "Cannot reboot an instance in state shutoff"}
    ]
    assert Action.objects.get().id.hex == outcome["actionId"].replace("-", "")


def test_ids_on_a_table_name_the_action_and_the_reasons(cli, fleet):
    (vault,) = ids("vault")

    ran = cli("pause", vault, "-o", "table")

    assert ran.stdout.startswith("Action ")
    assert ": 0 of 1 queued" in ran.stdout.splitlines()[0]
    assert f"│ {vault} │ The instance is locked" in ran.stdout


def test_where_shows_the_match_asks_and_sends_one_batch(cli, fleet):
    ran = cli("reboot", "--where", WEB, input="y\n")

    assert ran.exit_code == 0
    assert "4 instances match:" in ran.stderr
    assert [name in ran.stderr for name in ("web-1", "web-2", "web-3", "web-4")] == [True] * 4
    assert "Reboot 4 instances? [y/N]:" in ran.stderr
    outcome = json.loads(ran.stdout)
    assert sorted(outcome["queued"]) == sorted(ids("web-1", "web-2", "web-3"))
    assert [skip["id"] for skip in outcome["skipped"]] == ids("web-4")
    assert Action.objects.count() == 1
    assert ActionItem.objects.count() == 4


def test_where_declined_does_nothing(cli, fleet):
    ran = cli("shutdown", "--where", WEB, input="n\n")

    assert ran.exit_code == 0
    assert "Nothing done." in ran.stderr
    assert not Action.objects.exists()


def test_where_without_an_answer_does_nothing_and_exits_2(cli, fleet):
    ran = cli("shutdown", "--where", WEB, input="")

    assert ran.exit_code == 2
    assert "pass --yes to act without asking" in ran.stderr
    assert not Action.objects.exists()


def test_where_shows_a_sample_of_a_long_match(cli, fleet):
    ran = cli("suspend", "--where", "name <> ''", input="n\n")

    assert "7 instances match:" in ran.stderr
    assert "... and 2 more" in ran.stderr


def test_where_with_parameters_and_nothing_matching(cli, fleet):
    ran = cli("reboot", "--where", "name = :n:", "-p", "n=nobody", "--yes")

    assert (ran.exit_code, ran.stdout) == (0, "")
    assert "No instance matches: nothing to do." in ran.stderr


def test_a_bad_condition_points_into_it(cli, fleet):
    ran = cli("reboot", "--where", "name lik 'web-%'", "--yes")

    assert ran.exit_code == 2
    assert ran.stderr.splitlines()[1:] == ["  name lik 'web-%'", "       ^"]


@pytest.mark.parametrize(
    "args",
    [["reboot"], ["reboot", "x", "--where", WEB], ["reboot", "x", "-p", "a=b"]],
    ids=["nothing", "ids and where", "parameters without where"],
)
def test_ids_or_where_one_of_the_two(cli, fleet, args):
    ran = cli(*args)

    assert ran.exit_code == 2
    assert ran.stderr.startswith("Error: ")


def test_yes_and_follow_to_the_end(cli, fleet):
    ran = cli("reboot", "--where", WEB, "--yes", "--follow", "-o", "table")

    assert ran.exit_code == 0
    assert "[y/N]" not in ran.stderr
    assert "queued: web-1, web-2, web-3\n" in ran.stdout
    assert "4 items ended in " in ran.stdout
    assert ran.stdout.rstrip().endswith("s: 3 succeeded, 1 skipped")
    statuses = set(ActionItem.objects.values_list("status", flat=True))
    assert statuses == {"succeeded", "skipped"}
    assert set(
        Instance.objects.filter(name__in=["web-1", "web-2", "web-3"]).values_list(
            "state", flat=True
        )
    ) == {"launched"}


def test_follow_ends_with_the_failures_and_exit_1(cli, fleet, simulator):
    web_1, web_2 = ids("web-1", "web-2")
    simulator.control.update_server(Instance.objects.get(name="web-1").real_id, status="SHUTOFF")

    table = cli("reboot", web_1, web_2, "--follow", "-o", "table")

    assert table.exit_code == 1
    assert "2 items ended in " in table.stdout
    assert "1 succeeded, 1 failed" in table.stdout
    assert f"│ web-1  │ {web_1} │ 409: Cannot 'reboot' instance" in table.stdout


def test_follow_piped_ends_with_the_action(cli, fleet):
    ran = cli("start", *ids("web-4"), "--follow")

    body = json.loads(ran.stdout)
    assert body["action"]["counts"] == {"succeeded": 1}
    assert body["action"]["items"][0]["name"] == "web-4"
    assert Instance.objects.get(name="web-4").state == "launched"


def test_resize_to_a_flavor_by_name(cli, fleet):
    ran = cli("resize", "--flavor", "m1.small", *ids("db-1"), "--follow")

    assert json.loads(ran.stdout)["action"]["counts"] == {"succeeded": 1}
    assert Instance.objects.get(name="db-1").flavor.name == "m1.small"


def test_an_unknown_flavor_is_bad_usage(cli, fleet):
    ran = cli("resize", "--flavor", "m9.huge", *ids("db-1"))

    assert ran.exit_code == 2
    assert ran.stderr == "Error: No flavor m9.huge in the projects of these instances\n"


def test_rebuild_from_an_image_by_name_where(cli, fleet):
    ran = cli("rebuild", "--image", "debian-12", "--where", "name = 'db-2'", "--yes", "--follow")

    assert ran.exit_code == 0
    assert Instance.objects.get(name="db-2").image.name == "debian-12"


def test_rename_one_and_many_by_a_template(cli, fleet):
    (web_1,) = ids("web-1")

    one = cli("rename", web_1, "front-1", "--follow")
    many = cli("rename", "--where", "name like 'db-%'", "old-{name}", "--yes", "--follow")

    assert (one.exit_code, many.exit_code) == (0, 0)
    names = set(Instance.objects.values_list("name", flat=True))
    assert {"front-1", "old-db-1", "old-db-2"} <= names
    assert not {"web-1", "db-1", "db-2"} & names


def test_a_rename_template_that_gives_one_name_to_many_is_refused(cli, fleet):
    ran = cli("rename", "--where", WEB, "same", "--yes")

    assert ran.exit_code == 2
    assert "put {name} or {id} in it" in ran.stderr
    assert not Action.objects.exists()


def test_snapshot_then_delete_the_image(cli, fleet):
    made = cli("snapshot", *ids("db-1"), "db-1-backup", "--follow")
    image = Image.objects.get(name="db-1-backup")
    deleted = cli("delete-image", "--where", "name = 'db-1-backup'", "--yes", "--follow")

    assert (made.exit_code, deleted.exit_code) == (0, 0)
    assert json.loads(made.stdout)["queued"] == [str(image.id)]
    assert "1 image match:" in deleted.stderr
    assert not Image.objects.filter(name="db-1-backup").exists()


def test_delete_where(cli, fleet):
    ran = cli("delete", "--where", "state = 'shutoff'", "--yes", "--follow", "-o", "table")

    assert ran.exit_code == 0
    assert "1 item ended in " in ran.stdout
    assert not Instance.objects.filter(name="web-4").exists()


SPEC = """\
- name: app-1
  project: sim_RegionOne
  flavor: m1.small
  image: cirros-0.6.2
  networks: [admin-net]
  metadata: {role: app}
- name: app-2
  project: sim_RegionOne
  flavor: m1.tiny
  image: cirros-0.6.2
"""


def test_launch_from_a_spec_of_names(cli, fleet, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)

    ran = cli("launch", "-f", str(spec), "--follow", "-o", "table")

    assert ran.exit_code == 0, ran.stderr
    assert "2 items ended in " in ran.stdout
    app_1 = Instance.objects.get(name="app-1")
    assert (app_1.state, app_1.flavor.name, app_1.image.name) == (
        "launched",
        "m1.small",
        "cirros-0.6.2",
    )
    assert [network.name for network in app_1.networks.all()] == ["admin-net"]
    assert Instance.objects.get(name="app-2").flavor.name == "m1.tiny"


def test_launch_dry_run_shows_the_request_with_ids(cli, fleet, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)

    body = json.loads(cli("launch", "-f", str(spec), "--dry-run").stdout)

    project = Instance.objects.get(name="web-1").project
    assert body[0]["projectId"] == str(project.id)
    assert body[0]["flavor"]["id"] == str(project.flavors.get(name="m1.small").id)
    assert body[0]["metadata"] == {"entry": [{"key": "role", "value": "app"}]}
    assert "networks" in body[0] and body[1]["networks"] == []
    assert not Action.objects.exists()


def test_launch_names_what_it_cannot_find(cli, fleet, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.replace("m1.tiny", "m9.huge"))

    ran = cli("launch", "-f", str(spec))

    assert (ran.exit_code, ran.stderr) == (
        2,
        "Error: Instance app-2: no flavor m9.huge in its project\n",
    )
