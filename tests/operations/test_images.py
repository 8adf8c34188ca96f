"""POST /images (snapshots of instances) and POST /images/delete."""

import pytest

from apps.inventory import factories
from apps.inventory.models import Image

from .helpers import ids, instances, states, statuses

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=0, projects=1)]


def test_a_snapshot_is_queued_at_once_then_saved(act, synced, api):
    (instance,) = instances(1)

    response, work = act("post", "/images", [{"name": "backup", "instanceId": str(instance.id)}])

    (image_id,) = response.json()["queued"]
    image = Image.objects.get(id=image_id)
    assert (image.name, image.state, image.instance_id) == ("backup", "queued", instance.id)
    assert states([instance]) == {"snapshotting"}
    work()
    image.refresh_from_db()
    assert image.state == "saved"
    assert image.real_id
    assert states([instance]) == {"launched"}
    assert statuses(response) == {"succeeded"}
    body = api.get(f"/images/{image_id}").json()
    assert (body["state"], body["instanceId"]) == ("saved", str(instance.id))


def test_a_second_snapshot_of_an_instance_in_the_same_request_is_skipped(act, synced):
    (instance,) = instances(1)
    spec = {"name": "backup", "instanceId": str(instance.id)}

    response, _ = act("post", "/images", [spec, spec])

    assert len(response.json()["queued"]) == 1
    assert response.json()["skipped"] == [
        {"id": str(instance.id), "reason": "Cannot snapshot an instance in state snapshotting"}
    ]


def test_a_snapshot_of_an_unknown_instance_is_404(api, synced):
    response = api.post("/images", [{"name": "backup", "instanceId": "nope"}], format="json")

    assert (response.status_code, response.json()) == (
        404,
        {"message": "Instance nope does not exist; nothing was queued"},
    )
    assert not Image.objects.filter(name="backup").exists()


def test_images_are_deleting_at_once_then_gone(act, synced, simulator):
    images = list(Image.objects.filter(name__startswith="ubuntu")[:2])

    response, work = act("post", "/images/delete", ids(images))

    assert set(Image.objects.filter(id__in=ids(images)).values_list("state", flat=True)) == {
        "deleting"
    }
    work()
    assert not Image.objects.filter(id__in=ids(images)).exists()
    assert statuses(response) == {"succeeded"}
    deletes = [r for r in simulator.control.requests() if r["method"] == "DELETE"]
    assert len(deletes) == 2


def test_deleting_an_image_again_skips_it(act, synced):
    image = Image.objects.filter(name__startswith="debian").first()
    _, work = act("post", "/images/delete", [str(image.id)])
    work()

    response, _ = act("post", "/images/delete", [str(image.id), "nope"])

    assert response.json()["skipped"] == [
        {"id": str(image.id), "reason": f"Image {image.id} does not exist"},
        {"id": "nope", "reason": "Image nope does not exist"},
    ]


def test_an_image_being_deleted_is_skipped_as_an_image(act, synced):
    image = Image.objects.filter(name__startswith="debian").first()
    act("post", "/images/delete", [str(image.id)])

    response, _ = act("post", "/images/delete", [str(image.id)])

    assert response.json()["skipped"] == [
        {"id": str(image.id), "reason": "Cannot delete an image in state deleting"}
    ]


def test_an_image_of_no_project_is_skipped(act, db):
    image = factories.ImageFactory()

    response, _ = act("post", "/images/delete", [str(image.id)])

    assert response.json()["skipped"][0]["reason"] == "The image is in no project of its cloud"
