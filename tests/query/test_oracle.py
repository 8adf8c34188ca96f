"""The differential oracle (oracle.py) over a seeded inventory of 20,000 instances: every
statement's rows through the query engine, as a superuser and as a viewer of some projects,
against the same statement answered in Python from the plain tables.

Seeded once for the module, in a transaction rolled back at its end. A difference fails the
test and prints the statements that differed, with both answers.
"""

import json
import random

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from apps.inventory import factories
from apps.inventory.access import Access
from apps.inventory.choices import Role
from apps.inventory.models import Grant, Project
from apps.inventory.seed import seed_inventory
from apps.query import differences

from . import oracle
from .helpers import run, same

# Each test in its own savepoint, inside the module's transaction (world).
pytestmark = pytest.mark.django_db

INSTANCES = 20_000
RANDOM_QUERIES = 150
# Names whose case, accents and order the databases might treat differently.
MIXED_NAMES = ["Zeta-Ω", "alpha-é", "Alpha-É", "ÆRØ-1", "ærø-2", "straße-3", "İstanbul-4", "_x%y"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The seeded inventory, its tables read in Python, and a viewer of two of its projects."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_inventory(INSTANCES, seed=12)
        project = Project.objects.order_by("name").first()
        for name in MIXED_NAMES:
            factories.InstanceFactory(name=name, project=project, cloud=project.cloud)
        user = get_user_model().objects.create_user("oracle-viewer")
        visible = list(Project.objects.order_by("name")[1:3])
        for granted in visible:
            Grant.objects.create(user=user, project=granted, role=Role.VIEWER)
        tables = oracle.reference_tables()
        yield {
            "tables": tables,
            "viewer": Access(user),
            "visible": oracle.visible_rows(tables, {str(p.id) for p in visible}),
            "differences": differences.applying(connection),
        }
        transaction.set_rollback(True)


def compare(world, queries) -> None:
    failures = []
    for query in queries:
        relaxed = differences.TEXT_ORDER in world["differences"] and query.ordered_by_text()
        if relaxed:
            query.limit = None
        for access, tables in ((None, world["tables"]), (world["viewer"], world["visible"])):
            expected = query.answer(tables)
            (result,) = run(query.sql, access=access)
            actual = [row["value"] for row in result["data"]["row"]]
            if relaxed:
                expected, actual = sorted(expected, key=json.dumps), sorted(actual, key=json.dumps)
            if result["status"] != "success" or not same(actual, expected):
                who = "superuser" if access is None else "viewer"
                failures.append(
                    f"{query.sql}\n  as {who}: {result['status']} {result['message']} "
                    f"{len(actual)} rows {actual[:5]}\n"
                    f"  expected {len(expected)} rows {expected[:5]}"
                )
    assert not failures, f"{len(failures)} statements differ:\n" + "\n".join(failures[:20])


def test_the_world_is_as_big_as_users_run(world):
    assert len(world["tables"]["instances"]) >= INSTANCES
    assert len(world["visible"]["instances"]) > INSTANCES // 4


@pytest.mark.parametrize("kind", ["join", "left join"])
def test_joins_on_every_key_of_every_table_from_both_sides(world, kind):
    generator = oracle.Generator(world["tables"], seed=1)
    queries = [
        generator.key_join(key, kind, reverse) for key in oracle.KEYS for reverse in (False, True)
    ]
    assert {q.table for q in queries} | {q.joins[0].table for q in queries} == set(oracle.COLUMNS)
    compare(world, queries)


@pytest.mark.parametrize("batch", range(6))
def test_random_statements_agree_with_python(world, batch):
    """Filters, LEFT joins, GROUP BY, DISTINCT, IN and EXISTS subqueries, ORDER BY ... LIMIT and
    functions whose answers differed between the databases (case of non-ASCII letters, division
    by zero, ln(0))."""
    generator = oracle.Generator(world["tables"], seed=random.Random(batch).randrange(10**9))
    compare(world, [generator.query() for _ in range(RANDOM_QUERIES // 6)])
