"""The wire dict of a model instance by a plan made once per serializer, for long listings.

DRF's Serializer.to_representation asks every field of every row for its attribute through a
lookup that allows for mappings, callables and defaults, then for its representation. A plan
holds, for each readable field, a function that follows the field's source from model instance
to model instance with plain attribute access and converts the value with the cheapest
equivalent of the field's to_representation. Whenever DRF would do anything else (a field that
finds its value its own way, a mapping, a callable, a missing or empty link) the field is asked,
so the output is always DRF's own.
"""

from operator import attrgetter

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.db.models.manager import BaseManager
from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject


class _AskTheField(Exception):
    """The fast lookup cannot be sure to find what DRF would."""


def plan_of(serializer) -> list[tuple]:
    """(key, function of an instance giving the field's representation or None)."""
    in_listing = isinstance(serializer.root, serializers.ListSerializer)
    return [
        (field.field_name, _value_function(field, in_listing))
        for field in serializer.fields.values()
        if not field.write_only
    ]


def represent(plan, instance) -> dict:
    """The keys whose value is neither null nor blank, as WireSerializer shows them."""
    data = {}
    for key, value_of in plan:
        try:
            value = value_of(instance)
        except SkipField:
            continue
        if value is not None and value != "":
            data[key] = value
    return data


def _by_the_field(field, instance):
    """DRF's Serializer.to_representation for one field."""
    attribute = field.get_attribute(instance)
    if (attribute.pk if isinstance(attribute, PKOnlyObject) else attribute) is None:
        return None
    return field.to_representation(attribute)


def _value_function(field, in_listing: bool):
    if type(field).get_attribute is not Field.get_attribute or not field.source_attrs:
        return lambda instance: _by_the_field(field, instance)
    get = _attribute_getter(field.source_attrs)
    convert = _converter(field)
    if in_listing and isinstance(field, serializers.Serializer):
        convert = _once_per_object(convert)

    def value_of(instance):
        try:
            value = get(instance)
        except (_AskTheField, AttributeError, KeyError, ObjectDoesNotExist):
            return _by_the_field(field, instance)
        if value is None:
            return None
        if callable(value) and not isinstance(value, BaseManager):  # DRF would call it
            return _by_the_field(field, instance)
        return convert(value)

    return value_of


def _attribute_getter(names: list[str]):
    if len(names) == 1:
        return attrgetter(names[0])
    *links, last = names

    def get(instance):
        for name in links:
            instance = getattr(instance, name)
            if not isinstance(instance, Model):  # None, a mapping, a callable...
                raise _AskTheField
        return getattr(instance, last)

    return get


def _once_per_object(convert):
    """The rows of a listing share a few objects (flavors, images): each is shown once, and its
    dict reused for the response's other rows."""
    shown = {}

    def convert_once(value):
        key = id(value)
        if key not in shown:
            shown[key] = (value, convert(value))  # the value kept, so that its id stays its own
        return shown[key][1]

    return convert_once


def _converter(field):
    """The field's to_representation, or a cheaper function giving the same for every value."""
    kind = type(field)
    if kind is serializers.CharField:
        return str
    if kind is serializers.IntegerField:
        return int
    if kind is serializers.UUIDField and field.uuid_format == "hex_verbose":
        return str
    return field.to_representation
