"""POST /instances/delete: idempotent, ids already gone are skipped."""

import pytest

from apps.inventory.models import Instance
from tests.fixtures.operations import SERVERS

from .helpers import ids, instances, states, statuses

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=0, projects=1)]


def test_instances_are_deleting_at_once_then_gone(act, synced, simulator):
    found = instances(2) + instances(1, "shutoff")

    response, work = act("post", "/instances/delete", ids(found))

    assert response.status_code == 200
    assert states(found) == {"deleting"}
    work()
    assert not Instance.objects.filter(id__in=ids(found)).exists()
    assert statuses(response) == {"succeeded"}
    synced_servers = sum(SERVERS.values()) + 1  # and the locked one
    assert simulator.control.info()["servers"]["RegionOne"] == synced_servers - 3


def test_deleting_again_skips_what_is_gone(act, synced):
    found = instances(2)
    _, work = act("post", "/instances/delete", ids(found))
    work()

    response, work = act("post", "/instances/delete", ids(found))

    assert response.status_code == 200
    assert response.json()["queued"] == []
    assert response.json()["skipped"] == [
        {"id": target, "reason": f"Instance {target} does not exist"} for target in ids(found)
    ]


def test_an_instance_the_cloud_no_longer_has_is_removed_from_the_inventory(act, synced, simulator):
    found = instances(1)
    simulator.control.delete_server(found[0].real_id)

    response, work = act("post", "/instances/delete", ids(found))
    work()

    assert not Instance.objects.filter(id=found[0].id).exists()
    assert statuses(response) == {"succeeded"}


def test_delete_is_post_only(api, synced):
    assert api.put("/instances/delete", ids(instances(1)), format="json").status_code == 405
