"""What every batch request is checked for before anything happens."""

import json

import pytest

from apps.inventory import factories
from apps.operations import tasks
from apps.operations.models import Action, ActionItem
from apps.operations.services import MAX_ITEMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def instance():
    return factories.InstanceFactory(state="launched")


def put(api, body, path="/instances/reboot", **kwargs):
    return api.generic("PUT", path, body, **kwargs)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "[1, 2",
            "Cannot read the body as JSON: Expecting ',' delimiter: line 1 column 6 (char 5)",
        ),
        ('{"a": 1}', "Expected a JSON list of ids"),
        ('"id"', "Expected a JSON list of ids"),
        ("", "Expected a JSON list of ids"),
        ("[]", "The list of ids is empty"),
        ('["a", 2, null]', "Ids are non-empty strings of at most 255 characters; not 2, None"),
        ('[""]', "Ids are non-empty strings of at most 255 characters; not ''"),
        ('["a", "b", "a", "b", "a"]', "Ids appear more than once: 'a', 'b'"),
    ],
    ids=["not json", "an object", "a string", "nothing", "empty", "non-strings", "blank", "twice"],
)
def test_a_body_that_is_not_a_list_of_distinct_ids_is_400(api, body, message):
    response = put(api, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"message": message}
    assert not Action.objects.exists()


def test_too_many_ids_is_400(api):
    response = put(api, json.dumps([f"id-{n}" for n in range(MAX_ITEMS + 1)]))

    assert response.status_code == 400
    assert response.json() == {"message": f"At most {MAX_ITEMS} ids in one request"}


def test_a_body_over_a_mebibyte_is_413(api):
    response = put(api, json.dumps(["x" * 200] * 6000))

    assert response.status_code == 413
    assert response.json() == {"message": "The request body is larger than 1048576 bytes"}


def test_unknown_ids_are_404_listing_them_and_nothing_is_done(api, instance):
    response = put(api, json.dumps([str(instance.id), "nope", "gone"]))

    assert response.status_code == 404
    assert response.json() == {"message": "Instances nope, gone do not exist; nothing was queued"}
    assert not Action.objects.exists()
    instance.refresh_from_db()
    assert instance.state == "launched"


def test_the_wiki_curl_without_a_content_type_is_understood(api, instance, eager):
    # curl -X PUT --data '[ "id-one" ]' sends application/x-www-form-urlencoded
    response = api.generic(
        "PUT",
        "/instances/reboot",
        f'[ "{instance.id}" ]',
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert response.json()["queued"] == [str(instance.id)]


def test_a_batch_path_answers_only_its_method(api, instance):
    response = api.get("/instances/reboot")

    assert response.status_code == 405
    assert response.json() == {"message": 'Method "GET" not allowed.'}


def test_batch_paths_do_not_shadow_an_instance_or_an_image(api, instance):
    assert api.get(f"/instances/{instance.id}").json()["id"] == str(instance.id)
    assert api.get(f"/images/{instance.image_id}").json()["id"] == str(instance.image_id)
    assert api.get("/instances/delete").status_code == 405


def test_a_rename_map_with_a_key_twice_is_400(api, instance):
    body = f'{{"{instance.id}": "one", "{instance.id}": "two"}}'

    response = put(api, body, path="/instances/rename")

    assert response.status_code == 400
    assert "appears more than once" in response.json()["message"]


def test_the_work_is_sent_as_item_ids_only(
    api, instance, monkeypatch, settings, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(tasks.run_items, "delay", lambda *args: sent.append(args))
    settings.ACTIONS_MAX_IN_FLIGHT = 1  # chunks of at least 10 items
    others = [factories.InstanceFactory(state="launched") for _ in range(14)]
    ids = [str(instance.id)] + [str(other.id) for other in others]

    with django_capture_on_commit_callbacks(execute=True):
        api.put("/instances/reboot", ids, format="json")

    items = {str(pk) for pk in ActionItem.objects.values_list("id", flat=True)}
    assert [(len(chunk), tries) for chunk, tries in sent] == [(10, 0), (5, 0)]
    assert {item_id for chunk, _ in sent for item_id in chunk} == items


def spellings(instance) -> list[str]:
    """One instance id, five ways: as stored, upper case, in braces, as a URN, without dashes."""
    text = str(instance.id)
    return [text, text.upper(), "{" + text + "}", f"urn:uuid:{text}", instance.id.hex]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/instances/reboot", lambda ids: ids),
        ("/instances/rename", lambda ids: {spelling: "new" for spelling in ids}),
    ],
    ids=["reboot", "rename"],
)
def test_one_id_spelt_five_ways_is_one_id_given_five_times(api, instance, path, body):
    ids = spellings(instance)

    response = put(api, json.dumps(body(ids)), path=path)

    assert response.status_code == 400
    shown = ", ".join(repr(spelling) for spelling in ids)
    assert response.json()["message"].endswith(f"more than once: '{instance.id}' (as {shown})")
    assert not Action.objects.exists()


def test_an_id_spelt_otherwise_is_queued_as_the_one_id(api, instance):
    response = put(api, json.dumps([str(instance.id).upper()]))

    assert response.status_code == 200
    assert response.json()["queued"] == [str(instance.id)]
    assert ActionItem.objects.get().target_id == str(instance.id)


def test_every_unknown_id_is_named(api, instance):
    unknown = [f"gone-{n}" for n in range(150)]

    response = put(api, json.dumps([str(instance.id), *unknown]))

    assert response.status_code == 404
    assert response.json()["message"] == (
        f"Instances {', '.join(unknown)} do not exist; nothing was queued"
    )
