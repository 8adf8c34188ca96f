"""Two modules do by hand what Django and DRF do, for speed, and depend on how they do it:
apps/inventory/api/representation.py draws DRF's wire dicts, apps/inventory/bulk.py writes rows
without bulk_create. Their versions are pinned in requirements/prod.txt. When an upgrade changes
what either relies on, these tests fail and say which module to re-read.

Behaviour is compared in tests/inventory/test_wire_representation.py and the sync tests; this
guards the DRF source the drawing mirrors, which a behaviour test may not reach (a branch no row
takes).
"""

import datetime
import hashlib
import inspect
import uuid

import pytest
import rest_framework
from django.db import connection, models
from rest_framework import fields, relations, serializers

from apps.inventory import bulk
from apps.inventory.models import Instance

REPRESENTATION = "apps/inventory/api/representation.py"
BULK = "apps/inventory/bulk.py"

# The DRF functions representation.py mirrors, and a digest of their source in the pinned DRF.
MIRRORED = {
    serializers.Serializer.to_representation: "f2d1de6d682c8395",
    fields.Field.get_attribute: "d6478027a6aad668",
    fields.get_attribute: "317c25d7087ede4d",
    relations.PKOnlyObject: "0da6d1a377463c3b",
    relations.RelatedField.get_attribute: "f7e66a6691bba553",
}


@pytest.mark.parametrize("mirrored", MIRRORED, ids=lambda f: f.__qualname__)
def test_the_drf_code_the_wire_drawing_mirrors_is_unchanged(mirrored):
    digest = hashlib.sha256(inspect.getsource(mirrored).encode()).hexdigest()[:16]

    assert digest == MIRRORED[mirrored], (
        f"DRF {rest_framework.VERSION} changed {mirrored.__qualname__}: re-read {REPRESENTATION} "
        f"against it, run tests/inventory/test_wire_representation.py, then record {digest} here"
    )


SAMPLES = {
    models.CharField: "web-1",
    models.TextField: "text",
    models.IntegerField: 7,
    models.BigIntegerField: 2**40,
    models.PositiveIntegerField: 3,
    models.BooleanField: True,
}


@pytest.mark.parametrize("kind", sorted(bulk._PLAIN, key=lambda k: k.__name__), ids=str)
def test_plain_fields_are_saved_as_they_are(kind):
    field = kind(max_length=10) if kind in (models.CharField, models.SlugField) else kind()
    value = SAMPLES.get(kind, "slug" if kind is models.SlugField else 1)

    assert field.get_db_prep_save(value, connection) == value, (
        f"Django now converts {kind.__name__} values on save: {BULK} sends them as they are"
    )


@pytest.mark.parametrize("name", ["id", "created"])
def test_the_bulk_converters_give_what_django_saves(name):
    field = Instance._meta.get_field(name)
    value = {"id": uuid.uuid4(), "created": datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)}[
        name
    ]

    assert bulk._converter(field)(value) == field.get_db_prep_save(value, connection), (
        f"Django saves {name} differently from {BULK}'s converter"
    )
