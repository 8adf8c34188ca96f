"""The exposed tables: the original's columns in its order, typed as the original typed them."""

import re

import pytest
from django.core.management import call_command
from django.db import connection

from apps.query import catalog

from .helpers import named, one, rows

pytestmark = pytest.mark.django_db

# original-behaviour.md, "Tables and columns", plus clouds as issue 6 defines it.
ORIGINAL_COLUMNS = {
    "instances": "id, real_id, name, cloud_id, cloud_type, project_id, flavor_id, image_id, "
    "state, last_updated, created, availability_zone, addresses, fqdn",
    "instance_metadata": "instance_id, key, value",
    "instance_networks": "instance_id, network_id",
    "images": "id, real_id, name, cloud_id, cloud_type, created, last_updated, state, checksum",
    "image_metadata": "image_id, key, value",
    "project_images": "project_id, image_id",
    "projects": "id, name, cloud_id, cloud_type, last_updated",
    "project_metadata": "project_id, key, value",
    "project_quota": "project_id, instances, vcpus, ram, disk, ips, security_groups, volumes, "
    "keypairs",
    "flavors": "id, project_id, name, ram, vcpus, root_disk, ephemeral_disk, has_swap, "
    "is_public, notes",
    "networks": "id, project_id, name, state, is_shared",
    "network_subnets": "id, project_id, network_id, name, cidr, protocol_version, gateway, "
    "is_dhcp_enabled",
    "keypairs": "name, project_id, fingerprint, public_key",
    "availability_zones": "name, project_id",
    "clouds": "id, name, type",
    "events": "id, time, cloud_id, project_id, kind, entity_id, name, field, old_value, "
    "new_value, sync_run_id, action_id, item_id, operation, requested_by",
}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.mark.parametrize(("table", "columns"), ORIGINAL_COLUMNS.items())
def test_star_gives_the_original_columns_in_order(db, table, columns):
    result = one(f"select * from {table}")

    assert result["status"] == "success"
    assert result["data"]["columnName"] == columns.split(", ")


@pytest.mark.parametrize("table", catalog.TABLES.values(), ids=lambda table: table.name)
def test_view_in_the_database_has_the_catalog_columns(db, table):
    """Then the ids and the columns access compares, as stored, which no user SQL names."""
    hidden = tuple(catalog.stored(name) for name in table.stored_columns)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table.view}" WHERE 1 = 0')
        assert tuple(column[0] for column in cursor.description) == table.column_names + hidden
    result = one(f"select {hidden[0]} from {table.name}")
    assert result["status"] == "syntax_error"


def test_instance_row_has_the_original_types(inventory):
    web1 = inventory["web1"]
    (row,) = rows("select * from instances where name = 'web-1'")

    assert row == [
        str(web1.id),
        web1.real_id,
        "web-1",
        "alpha",
        "openstack",
        str(web1.project_id),
        str(web1.flavor_id),
        str(web1.image_id),
        "launched",
        "2026-01-01T13:00:00+00:00",
        "2026-01-01T12:00:00+00:00",
        "nova",
        "10.0.0.1\nfd00::1",
        "web-1.lan",
    ]


def test_ids_are_dashed_lower_case_uuids(inventory):
    found = rows("select id, project_id, flavor_id, image_id from instances where name = 'web-1'")

    assert all(UUID.match(value) for value in found[0])


def test_lookup_by_id_finds_the_row(inventory):
    web1 = inventory["web1"]

    assert rows(f"select name from instances where id = '{web1.id}'") == [["web-1"]]


def test_flavor_numbers_are_numbers_and_flags_are_booleans(inventory):
    (row,) = rows(
        "select ram, vcpus, root_disk, ephemeral_disk, has_swap, is_public, notes "
        "from flavors where name = 'm1.large'"
    )

    assert row == [8192, 4, 80, 10, True, False, "big"]
    assert [type(value) for value in row[:6]] == [int] * 4 + [bool] * 2


def test_other_booleans_are_booleans(inventory):
    (row,) = rows(
        "select n.is_shared, s.is_dhcp_enabled, s.protocol_version from networks n "
        "join network_subnets s on s.network_id = n.id"
    )

    assert row == [False, True, 4]
    assert type(row[0]) is bool and type(row[1]) is bool


def test_computed_booleans_are_booleans(inventory):
    (row,) = rows("select vcpus > 2, not is_public, vcpus > 2 or has_swap from flavors limit 1")

    assert all(type(value) is bool for value in row)


def test_quota_columns_are_used_slash_limit(inventory):
    (row,) = rows("select * from project_quota")

    assert row == [str(inventory["one"].id), "2/10", "5/20", None, None, None, None, None, "/-1"]


def test_instance_without_addresses_has_an_empty_text(inventory):
    assert rows("select addresses from instances where name = 'db-1'") == [[""]]


def test_clouds_has_one_row_per_cloud_named_by_its_name(inventory):
    assert rows("select * from clouds order by id") == [
        ["alpha", "alpha", "openstack"],
        ["beta", "beta", "openstack"],
    ]


def test_keypairs_and_metadata_tables(inventory):
    assert rows("select name, fingerprint, public_key from keypairs") == [
        ["key-a", "aa:bb", "ssh-ed25519 AAAA"]
    ]
    assert rows("select key, value from project_metadata") == [["region", "RegionOne"]]
    assert rows("select m.key, m.value from instance_metadata m order by value") == [
        ["role", "db"],
        ["role", "web"],
    ]


def test_timestamps_sort_and_compare_as_iso_text(inventory):
    found = rows("select name from instances where created >= '2026-01-03' order by created desc")

    assert found == [["Selenium-1"], ["db-1"]]


def test_lookup_by_id_uses_an_index(inventory):
    web1 = inventory["web1"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN SELECT * FROM query_instances WHERE id = %s", [str(web1.id)])
        else:
            cursor.execute(
                "EXPLAIN QUERY PLAN SELECT * FROM query_instances WHERE id = %s", [str(web1.id)]
            )
        plan = " ".join(str(row) for row in cursor.fetchall())

    assert "query_instances_id" in plan


def test_migrate_makes_the_views_again_from_the_catalog(db):
    """Deployments get the catalog's views (and their hidden columns) from any `migrate`."""
    with connection.cursor() as cursor:
        cursor.execute('DROP VIEW "query_flavors"')

    call_command("migrate", verbosity=0)

    assert one("select count(*) from flavors")["status"] == "success"


def test_events_answer_the_issues_example(inventory):
    since = [named("since", "2026-01-06")]
    sql = (
        "select name, old_value, new_value, time from events "
        "where field = 'state' and new_value = 'error' and time > :since:"
    )

    assert rows(sql, since) == [["db-1", "launched", "error", "2026-01-06T12:00:00+00:00"]]


def test_an_event_row_has_its_entity_and_cause(inventory):
    web1 = inventory["web1"]

    found = rows(
        "select cloud_id, project_id, kind, entity_id, sync_run_id, action_id, requested_by "
        "from events where name = 'web-1'"
    )

    assert found == [["alpha", str(web1.project_id), "instance", str(web1.id), 1, None, ""]]
