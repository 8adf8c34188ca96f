"""The docs' reference parts, made from the code (docs/hooks/reference.py): every /query function
has an example, and every example runs; every batch endpoint has its rule."""

import importlib.util

import pytest
from django.conf import settings

from apps.query.functions import FUNCTIONS

from .helpers import one

spec = importlib.util.spec_from_file_location(
    "docs_reference", settings.BASE_DIR / "docs" / "hooks" / "reference.py"
)
reference = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reference)


def test_every_function_has_an_example():
    assert reference.EXAMPLES.keys() == FUNCTIONS.keys()


@pytest.mark.parametrize("name", sorted(reference.EXAMPLES))
def test_each_functions_example_runs(inventory, name):
    result = one(reference.EXAMPLES[name])

    assert result["status"] == "success", result["message"]
    assert result["count"] > 0


def test_every_batch_endpoint_is_in_the_rules_table():
    table = reference.batch_rules()

    for path in ("/instances`", "/instances/reboot`", "/images/delete`", "/instances/rename`"):
        assert path in table
