"""A whole listing is reconciled page by page as it arrives (Nova's pages of 10 here): what it
no longer has is deleted only once it is complete, and a server the cloud says the same of
again costs a hash, not a write."""

import pytest

from apps.inventory.models import Image, Instance

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=60, projects=1, max_limit=10)]


def test_a_listing_of_many_pages_creates_updates_and_deletes(sync, simulator):
    sync("catalog"), sync("instances")
    control = simulator.control
    victim, renamed = Instance.objects.order_by("real_id").values_list("real_id", flat=True)[:2]
    control.delete_server(victim)
    control.update_server(renamed, name="renamed")
    control.create_server(name="new-one", region="RegionTwo")

    run = sync("instances")

    assert (run.created, run.updated, run.deleted, run.unchanged) == (1, 1, 1, 58)
    assert Instance.objects.count() == 60
    assert Instance.objects.get(real_id=renamed).name == "renamed"
    assert not Instance.objects.filter(real_id=victim).exists()


def test_a_listing_cut_short_deletes_nothing(sync, simulator):
    sync("catalog"), sync("instances")
    victim = Instance.objects.order_by("real_id").values_list("real_id", flat=True)[0]
    simulator.control.delete_server(victim)
    since = len(simulator.control.requests())
    simulator.control.set_faults(services=["compute"], error_count=10, error_after=2)

    run = sync("instances")

    pages = [
        r
        for r in simulator.control.requests(since)
        if "/servers/detail" in r["path"] and r["status"] == 200
    ]
    assert run.status == "failed" and pages  # after a page or more
    assert Instance.objects.filter(real_id=victim).exists()


def test_a_server_said_the_same_again_is_rewritten_when_its_references_resolve_anew(sync):
    sync("catalog"), sync("instances")
    instance = Instance.objects.filter(image__isnull=False).first()
    image_id = instance.image_id
    Image.objects.filter(pk=image_id).delete()  # as if the catalog had not listed it yet
    sync("instances")
    assert Instance.objects.get(pk=instance.pk).image_id is None

    sync("catalog")  # the image is known now
    run = sync("instances")

    assert Instance.objects.get(pk=instance.pk).image_id == image_id
    assert run.updated == Instance.objects.filter(image_id=image_id).count()
