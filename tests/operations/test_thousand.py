"""1,000 instances rebooted in one request."""

import pytest
from django.db import connection

from apps.inventory.models import Instance
from apps.operations import follow, tasks
from apps.operations.models import ActionItem

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=0, projects=1, regions=("R",))]


@pytest.fixture
def thousand(cloud, sync, simulator):
    simulator.control.create_servers(1000)
    sync("instances")
    found = [str(pk) for pk in Instance.objects.values_list("id", flat=True)]
    assert len(found) == 1000
    return found


def test_a_thousand_instances_are_rebooted_in_one_request_with_a_bounded_number_of_queries(
    act, thousand, simulator, django_assert_max_num_queries, monkeypatch
):
    following = set()
    monkeypatch.setattr(tasks, "start_following", following.add)

    # A fixed few, and on SQLite one INSERT per 71 items (its 999 parameters a statement).
    with django_assert_max_num_queries(8 if connection.vendor == "postgresql" else 25):
        response, work = act("put", "/instances/reboot", thousand)

    assert response.status_code == 200
    assert len(response.json()["queued"]) == 1000
    assert set(Instance.objects.values_list("state", flat=True)) == {"rebooting"}
    simulator.control.clear_requests()
    work()
    (project_id,) = following
    assert follow.poll(project_id) == 0  # one listing brings every end state
    assert set(Instance.objects.values_list("state", flat=True)) == {"launched"}
    assert set(ActionItem.objects.values_list("status", flat=True)) == {"succeeded"}
    actions = [r for r in simulator.control.requests() if r["path"].endswith("/action")]
    assert len(actions) == 1000
