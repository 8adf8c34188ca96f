from datetime import timedelta

import pytest
from django.utils import timezone

from apps.clouds.locks import cloud_lease
from apps.clouds.models import CloudLock
from apps.inventory.models import Instance

pytestmark = [pytest.mark.django_db]


@pytest.mark.simulator(servers=60, projects=1, max_limit=10)
def test_a_listing_cut_short_deletes_nothing_and_records_the_failure(sync, simulator):
    sync("instances")
    victim = Instance.objects.values_list("real_id", flat=True).first()
    simulator.control.delete_server(victim)
    # Let discovery and two pages of servers through, then fail the third page.
    simulator.control.clear_requests()
    simulator.control.set_faults(
        services=["compute"], error_after=3, error_count=100, error_status=503
    )

    run = sync("instances")

    assert run.status == "failed"
    assert "503" in run.error
    assert Instance.objects.filter(real_id=victim).exists()
    assert Instance.objects.count() == 60
    pages = [r for r in simulator.control.requests() if "/servers/detail" in r["path"]]
    assert [r["status"] for r in pages][:3] == [200, 200, 503]


def test_a_wrong_password_is_recorded_clearly(sync, cloud):
    cloud.password = "wrong"
    cloud.save()

    run = sync("catalog")

    assert run.status == "failed"
    assert run.error == "The cloud refused the credentials"
    assert "wrong" not in run.error


def test_an_unreachable_cloud_is_recorded(sync, cloud):
    cloud.auth_url = "http://127.0.0.1:9/v3"
    cloud.save()

    run = sync("catalog")

    assert run.status == "failed"
    assert run.error.startswith("Cannot connect to http://127.0.0.1:9/v3")


def test_a_sync_while_another_holds_the_cloud_is_skipped(sync, cloud):
    with cloud_lease(cloud.id) as lease:
        assert lease is not None
        run = sync("catalog")

    assert run.status == "skipped"
    assert not Instance.objects.exists()


def test_two_leases_of_one_cloud_are_never_held_together(cloud):
    with cloud_lease(cloud.id) as first, cloud_lease(cloud.id) as second:
        assert first is not None
        assert second is None
    with cloud_lease(cloud.id) as again:
        assert again is not None


def test_a_lease_of_a_crashed_holder_lapses(sync, cloud):
    CloudLock.objects.create(
        cloud=cloud, holder="dead-worker", expires_at=timezone.now() - timedelta(seconds=1)
    )

    run = sync("catalog")

    assert run.status == "succeeded"
