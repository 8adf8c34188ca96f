"""PUT /instances/resize/{flavorId}, /instances/rebuild/{imageId} and /instances/rename."""

import pytest
from django.test import override_settings

from apps.clouds import drivers
from apps.inventory import factories
from apps.inventory.models import Flavor, Image, Instance
from apps.operations.models import ActionItem

from .helpers import ids, instances, states, statuses

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=0, projects=1)]


def other_flavor(instance):
    return Flavor.objects.filter(project=instance.project).exclude(id=instance.flavor_id).first()


def test_resize_shows_resizing_then_is_confirmed_with_the_new_flavor(act, synced, simulator):
    found = instances(2)
    flavor = other_flavor(found[0])

    response, work = act("put", f"/instances/resize/{flavor.id}", ids(found))

    assert response.json()["queued"] == ids(found)
    assert states(found) == {"resizing"}
    work()
    assert states(found) == {"launched"}
    assert {i.flavor_id for i in Instance.objects.filter(id__in=ids(found))} == {flavor.id}
    assert statuses(response) == {"succeeded"}
    confirms = [r for r in simulator.control.requests() if r["path"].endswith("/action")]
    assert len(confirms) == 4  # a resize and a confirmResize each


@override_settings(ACTIONS_CONFIRM_RESIZE=False)
def test_without_automatic_confirmation_a_resize_ends_awaiting_it(act, synced):
    found = instances(1)

    response, work = act("put", f"/instances/resize/{other_flavor(found[0]).id}", ids(found))
    work()

    assert states(found) == {"resizing"}
    item = ActionItem.objects.get(action_id=response.json()["actionId"])
    assert (item.status, item.reason) == ("succeeded", "The resize awaits confirmation")


def test_resizing_to_the_flavor_it_has_is_skipped(act, synced):
    found = instances(1)
    flavor = found[0].flavor

    response, _ = act("put", f"/instances/resize/{flavor.id}", ids(found))

    assert response.json()["skipped"] == [
        {"id": ids(found)[0], "reason": f"The instance already has flavor {flavor.name}"}
    ]
    assert states(found) == {"launched"}


def test_an_unknown_flavor_is_404_naming_it(api, synced):
    response = api.put("/instances/resize/nope", ids(instances(1)), format="json")

    assert response.status_code == 404
    assert response.json() == {"message": "Flavor nope does not exist; nothing was queued"}


def test_a_flavor_of_another_cloud_is_400(api, synced):
    foreign = factories.FlavorFactory()
    found = instances(1)

    response = api.put(f"/instances/resize/{foreign.id}", ids(found), format="json")

    assert response.status_code == 400
    assert response.json()["message"] == (
        f"Flavor {foreign.id} is of another cloud than instance {found[0].name}"
    )
    assert states(found) == {"launched"}


def test_rebuild_shows_rebuilding_then_has_the_new_image(act, synced):
    found = instances(1) + instances(1, "shutoff")
    image = Image.objects.exclude(id=found[0].image_id).filter(state="saved").first()

    response, work = act("put", f"/instances/rebuild/{image.id}", ids(found))

    assert states(found) == {"rebuilding"}
    work()
    rebuilt = {i.id: i for i in Instance.objects.filter(id__in=ids(found))}
    assert [rebuilt[i.id].state for i in found] == ["launched", "shutoff"]
    assert {i.image_id for i in rebuilt.values()} == {image.id}
    assert statuses(response) == {"succeeded"}


def test_an_unknown_image_is_404_and_one_of_another_cloud_400(api, synced):
    found = ids(instances(1))
    foreign = factories.ImageFactory()

    unknown = api.put("/instances/rebuild/nope", found, format="json")
    other = api.put(f"/instances/rebuild/{foreign.id}", found, format="json")

    message = "Image nope does not exist; nothing was queued"
    assert (unknown.status_code, unknown.json()) == (404, {"message": message})
    assert other.status_code == 400


def test_rename_gives_each_instance_its_new_name_in_the_cloud_too(act, synced):
    found = instances(2)
    names = {str(found[0].id): "first-new-name", str(found[1].id): "second-new-name"}

    response, work = act("put", "/instances/rename", names)
    work()

    renamed = dict(Instance.objects.filter(id__in=names).values_list("id", "name"))
    assert {str(pk): name for pk, name in renamed.items()} == names
    assert statuses(response) == {"succeeded"}
    in_cloud = {s.real_id: s.name for s in drivers.for_cloud(synced).servers("RegionOne")}
    assert {in_cloud[i.real_id] for i in found} == set(names.values())


def test_rename_needs_a_map_of_non_empty_names(api, synced):
    target = ids(instances(1))[0]

    assert api.put("/instances/rename", [target], format="json").status_code == 400
    response = api.put("/instances/rename", {target: ""}, format="json")
    assert response.status_code == 400
    assert "New names are non-empty strings" in response.json()["message"]


def test_a_flavor_or_image_of_another_region_is_refused_before_anything_is_queued(api, synced):
    found = instances(1)
    region = factories.ProjectFactory(cloud=synced, name=f"{synced.name}_elsewhere")
    flavor = factories.FlavorFactory(project=region)
    image = factories.ImageFactory(cloud=synced, projects=[region])

    resize = api.put(f"/instances/resize/{flavor.id}", ids(found), format="json")
    rebuild = api.put(f"/instances/rebuild/{image.id}", ids(found), format="json")

    project, name = found[0].project.name, found[0].name
    assert (resize.status_code, resize.json()) == (
        400,
        {"message": f"Flavor {flavor.id} is not in project {project} of instance {name}"},
    )
    assert (rebuild.status_code, rebuild.json()) == (
        400,
        {"message": f"Image {image.id} is not in project {project} of instance {name}"},
    )
    assert not ActionItem.objects.exists()
    assert states(found) == {"launched"}
