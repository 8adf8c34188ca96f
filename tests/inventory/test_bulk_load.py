"""A bulk load with the indexes built after it (bulk.indexes_built_after): the schema it ends
with is the one it began with, whether the load succeeds, fails, or loads a broken row."""

import uuid

import pytest
from django.db import IntegrityError, connection

from apps.inventory.bulk import indexes_built_after, insert_rows
from apps.inventory.factories import ProjectFactory
from apps.inventory.models import Instance, InstanceMetadata

pytestmark = pytest.mark.django_db
TABLES = (Instance, InstanceMetadata, Instance.networks.through)


def schema() -> dict:
    """Every index and constraint of the loaded tables, as the database describes them."""
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: connection.introspection.get_constraints(
                cursor, model._meta.db_table
            )
            for model in TABLES
        }


def count(described: dict) -> int:
    return sum(len(constraints) for constraints in described.values())


def instance_rows(project, count: int, start: int = 0) -> list[tuple]:
    return [
        (uuid.uuid4(), project.id, project.cloud_id, f"server-{n}", f"vm-{n:05d}")
        for n in range(start, start + count)
    ]


FIELDS = ("id", "project", "cloud", "real_id", "name")


def test_a_load_ends_with_every_index_and_foreign_key_it_began_with():
    project = ProjectFactory()
    before = schema()
    with indexes_built_after(*TABLES):
        assert count(schema()) < count(before)  # the plain indexes are gone
        insert_rows(Instance, FIELDS, instance_rows(project, 2000))

    assert schema() == before
    assert Instance.objects.filter(name__startswith="vm-0199").count() == 10


def test_a_load_that_fails_leaves_the_schema_and_the_rows_as_they_were():
    project = ProjectFactory()
    insert_rows(Instance, FIELDS, instance_rows(project, 5))
    before = schema()

    with pytest.raises(RuntimeError), indexes_built_after(*TABLES):
        insert_rows(Instance, FIELDS, instance_rows(project, 100, start=5))
        raise RuntimeError("the load stops")

    assert schema() == before
    assert Instance.objects.count() == 5


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's foreign keys stay; it checks at commit"
)
def test_a_row_whose_reference_is_missing_is_refused_when_its_foreign_key_is_made():
    project = ProjectFactory()
    before = schema()

    with pytest.raises(IntegrityError), indexes_built_after(*TABLES):
        insert_rows(Instance, FIELDS, instance_rows(project, 10))
        insert_rows(InstanceMetadata, ("instance", "key", "value"), [(project.id, "k", "v")])

    assert schema() == before
    assert not Instance.objects.exists()
