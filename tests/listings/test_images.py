"""GET /api/images/: filters, and items exactly as GET /images/{id} shows them."""

import pytest

from apps.inventory import factories

from .conftest import at
from .helpers import names, pages

pytestmark = pytest.mark.django_db

URL = "/api/images/"


@pytest.fixture
def images(world):
    """Besides each project's image: one of cloud east that no project may use, and a
    deleting one of project b."""
    factories.ImageFactory(cloud=world.projects["a"].cloud, name="orphan", created=at(3))
    factories.ImageFactory(
        cloud=world.projects["b"].cloud,
        name="old-b",
        state="deleting",
        projects=[world.projects["b"]],
        created=at(4),
    )
    return world


def listed(api, **params) -> list[str]:
    return names(api.get(URL, params))


def test_all_images_by_name(api, images):
    assert listed(api) == ["image-a", "image-b", "old-b", "orphan"]


def test_filters(api, images):
    project_b = str(images.projects["b"].id)

    assert listed(api, state="deleting") == ["old-b"]
    assert listed(api, cloud="east") == ["image-a", "orphan"]
    assert listed(api, project=project_b) == ["image-b", "old-b"]
    assert listed(api, project=[project_b, str(images.projects["a"].id)]) == [
        "image-a",
        "image-b",
        "old-b",
    ]
    assert listed(api, name__ic="B") == ["image-b", "old-b"]
    assert listed(api, name__regex="^(orphan|old)") == ["old-b", "orphan"]
    assert listed(api, created_after="2026-01-03T00:00:00Z") == ["old-b", "orphan"]
    assert listed(api, created_before="2026-01-03T00:00:00Z") == ["image-a", "image-b"]
    assert listed(api, ordering="-created")[:2] == ["old-b", "orphan"]


def test_an_item_is_what_the_detail_endpoint_answers(api, images):
    for item in api.get(URL).json()["results"]:
        assert item == api.get(f"/images/{item['id']}").json()


def test_a_viewer_sees_the_images_their_projects_may_use(viewer_a, images):
    assert listed(viewer_a) == ["image-a"]


def test_a_viewer_pages_through_images_in_any_order(viewer_a, images):
    project = images.projects["a"]
    for day in (5, 6, 7):
        factories.ImageFactory(cloud=project.cloud, projects=[project], created=at(day))

    walked = pages(viewer_a, URL, {"page_size": 1, "ordering": "-created"})

    assert [page["results"][0]["created"][:10] for page in walked] == [
        "2026-01-07",
        "2026-01-06",
        "2026-01-05",
        "2026-01-02",
    ]
