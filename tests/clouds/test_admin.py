from datetime import timedelta

import pytest
from django.urls import reverse

from apps.clouds.models import SyncRun
from apps.inventory import factories
from apps.inventory.models import Instance

pytestmark = pytest.mark.django_db


def test_sync_runs_are_listed(admin_client):
    cloud = factories.CloudFactory()
    SyncRun.objects.create(cloud=cloud, kind="catalog", status="failed", error="boom")

    page = admin_client.get(reverse("admin:clouds_syncrun_changelist"))

    assert page.status_code == 200
    assert "boom" in page.content.decode()


def test_cloud_list_shows_the_last_sync_and_whether_it_worked(admin_client):
    cloud = factories.CloudFactory(name="east")
    run = SyncRun.objects.create(cloud=cloud, kind="changes", status="failed", error="503: down")
    SyncRun.objects.filter(pk=run.pk).update(finished_at=run.queued_at)

    page = admin_client.get(reverse("admin:inventory_cloud_changelist")).content.decode()

    assert "FAILED" in page
    assert "503: down" in page


def test_sync_now_action_queues_runs(admin_client):
    cloud = factories.CloudFactory()

    admin_client.post(
        reverse("admin:inventory_cloud_changelist"),
        {"action": "sync_full", "_selected_action": [cloud.pk]},
    )

    assert sorted(SyncRun.objects.values_list("kind", flat=True)) == ["catalog", "instances"]


@pytest.mark.simulator(servers=10, projects=1)
@pytest.mark.usefixtures("eager")
def test_sync_now_runs_the_catalog_then_the_instances(
    admin_client, cloud, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:inventory_cloud_changelist"),
            {"action": "sync_full", "_selected_action": [cloud.pk]},
        )

    runs = SyncRun.objects.order_by("queued_at").values_list("kind", "status")
    assert list(runs) == [("catalog", "succeeded"), ("instances", "succeeded")]
    assert Instance.objects.count() == 10


def test_sync_runs_show_durations_as_the_overview_does_and_a_retry_as_retrying(admin_client):
    cloud = factories.CloudFactory()
    done = SyncRun.objects.create(cloud=cloud, kind="catalog", status="succeeded")
    SyncRun.objects.filter(pk=done.pk).update(
        started_at=done.queued_at, finished_at=done.queued_at + timedelta(microseconds=46433)
    )
    SyncRun.objects.create(cloud=cloud, kind="changes", attempts=1, error="503: down")

    page = admin_client.get(reverse("admin:clouds_syncrun_changelist")).content.decode()

    assert "0.05 s" in page and "0:00:00.046433" not in page
    assert "retrying (attempt 2 of 4): 503: down" in page
