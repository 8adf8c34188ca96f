"""Per-project access: a user sees, in every table and every construct, only the rows of the
projects they may see, and no SQL reaches the others' rows."""

import json
import uuid

import pytest
from django.db import connection

from apps.inventory.access import Access
from apps.query import catalog
from apps.query.engine import QueryRequest, _cached_compile, compile_sql, run_queries
from apps.query.restrict import PROJECTS, projects_parameter
from apps.query.translate import EXPLAIN_REFUSED

from . import test_dialect, test_errors, test_joins, test_placeholders
from .conftest import access_of
from .helpers import named, never_shown, one, rows, run

pytestmark = pytest.mark.django_db

# Project A's rows of each table, picked by a condition run unrestricted.
IN_A_INSTANCES = "(select id from instances where project_id = :a:)"
IN_A_IMAGES = "(select image_id from project_images where project_id = :a:)"
ROWS_OF_A = {
    "instances": "project_id = :a:",
    "instance_metadata": f"instance_id in {IN_A_INSTANCES}",
    "instance_networks": f"instance_id in {IN_A_INSTANCES}",
    "images": f"id in {IN_A_IMAGES}",
    "image_metadata": f"image_id in {IN_A_IMAGES}",
    "project_images": "project_id = :a:",
    "projects": "id = :a:",
    "project_metadata": "project_id = :a:",
    "project_quota": "project_id = :a:",
    "flavors": "project_id = :a:",
    "networks": "project_id = :a:",
    "network_subnets": "project_id = :a:",
    "keypairs": "project_id = :a:",
    "availability_zones": "project_id = :a:",
    "clouds": "name = 'alpha'",
    "events": "project_id = :a:",
}
SHELL_LISTING = """
    select instances.name, projects.name, images.name, flavors.name
    from instances
    inner join projects on instances.project_id = projects.id
    left join flavors on instances.flavor_id = flavors.id
        and instances.project_id = flavors.project_id
    left join images on instances.image_id = images.id
    order by instances.name
"""
# Each with the rows a viewer of A gets.
CONSTRUCTS = [
    ("select count(*) from instances", [[2]]),
    ("select count(*), sum(vcpus) from flavors", [[2, 5]]),
    ("select count(distinct cloud_id) from instances", [[1]]),
    (
        "select state, count(*) from instances group by state order by state",
        [["launched", 1], ["shutoff", 1]],
    ),
    (
        SHELL_LISTING,
        [
            ["web-1", "alpha_RegionOne", "ubuntu", "m1.tiny"],
            ["web-2", "alpha_RegionOne", "ubuntu", "m1.large"],
        ],
    ),
    ("select count(*) from instances, projects, clouds", [[2]]),
    (
        "select p.name, count(i.id) from projects p left join instances i "
        "on i.project_id = p.id group by p.name",
        [["alpha_RegionOne", 2]],
    ),
    (
        "select m.value from instance_metadata m join instances i on i.id = m.instance_id",
        [["web"]],
    ),
    ("select count(*) from instance_networks n join networks w on w.id = n.network_id", [[1]]),
    ("select name from instances where project_id not in (select id from projects)", []),
    ("select (select count(*) from instances), (select max(name) from images)", [[2, "ubuntu"]]),
    ("select name from images where exists (select 1 from image_metadata)", [["ubuntu"]]),
    ("select count(*) from (select * from instances) x", [[2]]),
    ("with x as (select * from instances) select count(*) from x", [[2]]),
    ("with instances as (select * from instances) select count(*) from instances", [[2]]),
    (
        "with recursive r (n) as (select 1 union all select n + 1 from r where n < 3) "
        "select count(*) from r, instances",
        [[6]],
    ),
    (
        "select name from instances union select name from images "
        "union select name from clouds order by name",
        [["alpha"], ["ubuntu"], ["web-1"], ["web-2"]],
    ),
    ("select project_id from instances intersect select id from projects", "A"),
    ("select id from projects except select project_id from instances", []),
]


def test_every_table_is_seen_by_project_or_through_a_table_that_is():
    for table in catalog.TABLES.values():
        while table.project_column is None:
            assert table.through, table.name
            assert table.through.column in table.column_names
            table = catalog.TABLES[table.through.table]
        assert table.project_column in table.column_names


def test_viewer_of_a_sees_exactly_the_rows_of_a_in_every_table(project_b, viewer_of_a, inventory):
    a = [named("a", str(inventory["one"].id))]
    for table, of_a in ROWS_OF_A.items():
        everything = rows(f"select * from {table}")
        expected = rows(f"select * from {table} where {of_a}", a)

        results = run(f"select * from {table}", access=viewer_of_a)

        seen = [row["value"] for row in results[0]["data"]["row"]]
        assert sorted(seen) == sorted(expected), table
        assert 0 < len(seen) < len(everything), table
        never_shown(results, project_b)


def test_joins_aggregates_subqueries_ctes_and_unions_see_only_a(project_b, viewer_of_a, inventory):
    for sql, expected in CONSTRUCTS:
        results = run(sql, access=viewer_of_a)

        assert [result["status"] for result in results] == ["success"], sql
        seen = [row["value"] for row in results[0]["data"]["row"]]
        assert seen == ([[str(inventory["one"].id)]] if expected == "A" else expected), sql
        never_shown(results, project_b)


@pytest.mark.parametrize("project", ["other", "two"])
def test_asking_for_another_projects_rows_by_id_gives_nothing(
    viewer_of_a, inventory, project_b, project
):
    b = [named("b", str(inventory[project].id))]

    for table in ("instances", "flavors", "project_quota", "project_images"):
        assert rows(f"select * from {table} where project_id = :b:", b, viewer_of_a) == []
    assert rows("select * from projects where id = :b:", b, viewer_of_a) == []
    assert one("select * from projects where id = :b:", b)["count"] == 1


def test_a_cloud_grant_shows_every_project_of_that_cloud(inventory):
    alpha = access_of("viewer-alpha", clouds=[inventory["one"].cloud])

    assert rows("select name from projects order by name", access=alpha) == [
        ["alpha_RegionOne"],
        ["alpha_RegionTwo"],
    ]
    assert rows("select name from instances order by name", access=alpha) == [
        ["db-1"],
        ["web-1"],
        ["web-2"],
    ]
    assert rows("select name from clouds", access=alpha) == [["alpha"]]
    assert rows("select value from instance_metadata order by value", access=alpha) == [
        ["db"],
        ["web"],
    ]


def test_a_user_without_grants_sees_no_rows(project_b):
    nobody = access_of("nobody")

    for table in catalog.TABLES:
        result = one(f"select count(*) from {table}", access=nobody)
        assert (result["status"], result["data"]["row"]) == ("success", [{"value": [0]}]), table


def test_meta_functions_are_the_same_for_everyone(db):
    nobody = access_of("nobody")

    for sql in ("select tables()", "select columns('instances')", "select functions()"):
        assert one(sql, access=nobody) == one(sql)


def test_a_superuser_sees_everything(project_b, django_user_model):
    root = Access(django_user_model.objects.create_superuser("root"))

    assert rows("select count(*) from instances", access=root) == [[4]]
    assert rows("select count(*) from clouds", access=root) == [[2]]


def test_post_query_sees_through_the_requesting_users_access(api, inventory):
    viewer = access_of("viewer-http", projects=[inventory["two"]]).user
    api.force_authenticate(viewer)
    body = [{"sql": "select name from instances"}, {"sql": "select count(*) from clouds"}]

    response = api.post("/query", json.dumps(body), content_type="application/json")

    assert [r["data"]["row"] for r in response.json()] == [
        [{"value": ["db-1"]}],
        [{"value": [1]}],
    ]


def test_post_query_as_superuser_sees_everything(api, inventory):
    body = json.dumps([{"sql": "select count(*) from instances"}])

    response = api.post("/query", body, content_type="application/json")

    assert response.json()[0]["data"]["row"] == [{"value": [4]}]


ESCAPES = [
    "select * from query_instances",
    "select * from `query_instances`",
    "select * from QUERY_INSTANCES",
    "select * from instances, query_instances",
    "select * from instances where id in (select id from query_instances)",
    "select * from instances union all select * from query_instances",
    "with query_instances as (select 1 as id) select * from instances",
    "with q as (select * from query_instances) select * from q",
    "select * from main.query_instances",
    "select * from public.query_instances",
    "select * from \u0456nstances",  # a Cyrillic i
    "select * from instances\u200b",
    "select * from `instances ` ",
    "select set_config('perspective.projects', '', false)",
    "select * from instances where set_config('role', 'postgres', true) is not null",
    "select * from json_each('[1]')",
    "select * from instances as query_instances",
    "select * from instances query_instances join projects on 1 = 1",
    "with json_each as (select 'x' as value) select * from instances",
    "with projects as (select * from instances) select * from projects",
    "with recursive instances as (select * from instances) select * from instances",
    "select * from instances where project_id = :b: or 1 = 1",
    "select * from instances where 1 = 1 -- \n or 1 = 1",
    "select * from instances /* where project_id = :b: */",
    "select * from instances # \n union select * from instances",
    "select * from (instances)",
    "select * from instances i left join instances j on 1 = 1 where j.id is null",
    "select * from instances limit 1000000 offset 0",
    "explain select * from instances i join image_metadata m on m.value = i.name",
]


def test_no_way_around_the_filter(project_b, viewer_of_a, inventory):
    b = [named("b", str(inventory["other"].id))]
    for sql in ESCAPES:
        results = run(sql, b, viewer_of_a)

        assert all(result["message"] for result in results if result["status"] != "success")
        never_shown(results, project_b)


@pytest.mark.parametrize(
    "sql",
    ["select * from query_instances", "select * from `query_instances`", "select * from main.x"],
)
def test_the_views_do_not_exist_for_user_sql(viewer_of_a, sql):
    result = one(sql, access=viewer_of_a)

    assert result["status"] == "syntax_error"
    assert result["message"].startswith('Table "') and "does not exist" in result["message"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_explain_is_refused_to_a_restricted_user(viewer_of_a):
    """PostgreSQL plans from statistics over every project's rows: with or without estimates,
    the plan's shape tells about rows the user cannot see (a bitmap scan for names that exist
    in another project, an index scan for names nobody has)."""
    result = one(
        "explain select * from instances where name between 'db-' and 'db-z'", access=viewer_of_a
    )

    assert result["status"] == "evaluation_error"
    assert result["message"] == EXPLAIN_REFUSED
    assert result["count"] == 0


def test_explain_is_answered_to_who_sees_every_project(inventory):
    assert one("explain select * from instances where name = 'x'")["status"] == "success"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans")
def test_explain_shows_a_restricted_user_a_plan_without_row_estimates_on_sqlite(viewer_of_a):
    result = one("explain select * from instances where name = 'x'", access=viewer_of_a)

    assert result["status"] == "success" and result["count"]
    assert not [row for row in result["data"]["row"] if "rows=" in row["value"][0]]


# Each fails on a row named :b: (PostgreSQL and SQLite alike), were the database to run it there.
FAILING = [
    "format(if(name = :b:, '%q', '%s'), 1) = '1'",
    "sqrt(if(name = :b:, -1, 1)) >= 0",
    "name regexp if(name = :b:, '(', '.')",
]
NAMES_IN_B = {
    "instances": "Selenium-1",
    "clouds": "beta",
    "projects": "beta_RegionOne",
    "images": "cirros",
    "flavors": "flavor-b",
    "networks": "net-b",
    "keypairs": "key-b",
}


@pytest.mark.parametrize("failing", FAILING, ids=lambda sql: sql[:20])
def test_what_user_sql_does_on_rows_of_other_projects_never_shows(
    project_b, viewer_of_a, inventory, failing
):
    """The viewer's results are the same whether B's row exists or not: conditions never run on
    rows of other projects (failing there would tell of them). With many projects, PostgreSQL
    would rather test a cheap condition of the user's before the filter, were it free to."""
    viewer_of_a.visible_project_ids |= {uuid.uuid4() for _ in range(1000)}
    for table, name in NAMES_IN_B.items():
        present, absent = [named("b", name)], [named("b", "absent")]
        everywhere = f"select count(*) from {table} where {failing}"
        assert run(everywhere, present) != run(everywhere, absent)  # unrestricted, it tells

        for sql in (
            everywhere,
            f"select count(*) from {table} where name = :b: and {failing}",
            f"select count(*) from {table} t join project_quota q on {failing}",
        ):
            assert run(sql, present, viewer_of_a) == run(sql, absent, viewer_of_a), sql


def test_visible_projects_are_a_bound_parameter_and_translations_are_shared(inventory, project_b):
    (compiled,) = compile_sql("select name from instances", connection.vendor, 10, True)
    assert str(inventory["one"].id) not in compiled.translation.sql
    assert set(compiled.translation.keys) == {PROJECTS}

    _cached_compile.cache_clear()
    viewers = [access_of(f"viewer-{n}", projects=[inventory[n]]) for n in ("one", "two", "other")]
    seen = [rows("select name from instances order by name", access=a) for a in viewers]

    assert seen == [[["web-1"], ["web-2"]], [["db-1"]], [["Selenium-1"]]]
    assert _cached_compile.cache_info().hits == 2


def test_unrestricted_translation_reads_the_plain_views(db):
    (compiled,) = compile_sql("select name from instances", connection.vendor, 10)

    assert '"query_instances" AS "instances"' in compiled.translation.sql
    assert compiled.translation.keys == ()


def test_many_projects_are_one_parameter(inventory, project_b):
    many = access_of("viewer-many", projects=[inventory["one"]])
    many.visible_project_ids = frozenset(
        {inventory["one"].id, *(uuid.uuid4() for _ in range(5000))}
    )

    (result,) = run_queries([QueryRequest("select count(*) from instances")], many)

    assert result.rows == [(2,)]


def test_a_viewer_of_the_first_and_last_project_sees_nothing_of_one_between(inventory):
    # PostgreSQL's filter also bounds the project ids by the first and last visible ones.
    first, between, last = sorted((inventory[n] for n in ("one", "two", "other")), key=_id)
    viewer = access_of("viewer-ends", projects=[first, last])
    between_names = {i.name for i in between.instances.all()}

    listed = rows("select name from instances order by name limit 100", access=viewer)
    hidden = [{"name": "p", "value": str(between.id)}]
    counted = rows("select count(*) from instances where project_id = :p:", hidden, viewer)

    assert listed and not between_names & {name for (name,) in listed}
    assert counted == [[0]]


def _id(project) -> uuid.UUID:
    return uuid.UUID(str(project.id))


# Conditions copied into the filtered subqueries (or not), their columns, natural joins.
RESTRICTED_SHAPES = [
    "select p.name, i.name from projects p left join instances i on i.project_id = p.id "
    "where i.state = 'error'",
    "select p.name, i.name from projects p left join instances i on i.project_id = p.id "
    "where i.name is null",
    "select f.name, i.name from instances i right join flavors f on f.id = i.flavor_id "
    "where f.vcpus > 1 and i.state <> 'x'",
    "select name from instances where name in ('web-1', 'db-1') and -1 < 0",
    "select name from flavors where vcpus between 1 and 4 and ram >= 512 and notes = null",
    "select name from instances i where exists "
    "(select 1 from flavors f where f.id = i.flavor_id and f.vcpus = 4)",
    "select i.name from instances i where i.flavor_id in "
    "(select i.id from flavors i where i.vcpus = 4)",
    "with x as (select * from instances where state = 'launched') select name from x",
    "select name from instances where state = 'launched' union "
    "select name from images where state = 'active'",
    "with x as (select name from flavors) select count(*) from x natural join flavors",
    "select count(*) from flavors natural join (select name from flavors) x",
    "select count(*) from instance_metadata natural join image_metadata",
    "select count(*) from projects natural join project_metadata",
    "select count(i.*) from instances i",
]


def test_who_sees_every_project_gets_what_an_unrestricted_user_gets(inventory, project_b):
    """The restricted translation (filtered subqueries, their columns and the conditions copied
    into them) answers every statement of the other suites as the plain one."""
    clouds = [inventory["one"].cloud, inventory["other"].cloud]
    everyone = access_of("viewer-all", clouds=clouds)
    statements = [
        *((sql, []) for sql, _ in test_dialect.CASES + test_joins.CASES),
        *((sql, parameters) for sql, parameters, _ in test_placeholders.CASES),
        *((sql, []) for sql, _, _ in test_errors.CASES),
        *((sql, []) for sql in RESTRICTED_SHAPES),
        (test_joins.SHELL_INSTANCES, [named("name", "-"), named("project", "%One")]),
    ]

    for sql, parameters in statements:
        seen, plain = run(sql, parameters, everyone), run(sql, parameters)
        if "order by" not in sql.lower():
            seen, plain = unordered(seen), unordered(plain)
        assert seen == plain, sql


def unordered(results: list) -> list:
    for result in results:
        result["data"]["row"].sort(key=json.dumps)
    return results


def test_filtered_subquery_computes_only_the_columns_used(db):
    sql = "select i.name from instances i where i.state = 'error'"
    (compiled,) = compile_sql(sql, connection.vendor, 10, True)

    inner = compiled.translation.sql.split(" FROM ")[1]
    assert inner.startswith('(SELECT "query_instances"."name", "query_instances"."state"')
    (counted,) = compile_sql("select count(*) from instances", connection.vendor, 10, True)
    assert "(SELECT 1 FROM" in counted.translation.sql


def test_comparisons_with_constants_are_copied_into_the_filtered_subquery(db):
    sql = "select name from instances where id = :id: and name regexp :name: and 1 = 1"
    (compiled,) = compile_sql(sql, connection.vendor, 10, True)

    inner = compiled.translation.sql.split(" OFFSET 0")[0]
    assert '"query_instances"."id" = %s' in inner and "1 = 1" not in inner
    # The id twice (inside, then in the statement's own WHERE), the pattern once.
    user_keys = [key for key in compiled.translation.keys if key != PROJECTS]
    assert user_keys == [("name", "id"), ("name", "id"), ("name", "name")]


def test_a_lookup_by_id_uses_the_index_through_the_filter(viewer_of_a, inventory):
    sql = "select name from instances where id = :id:"
    (compiled,) = compile_sql(sql, connection.vendor, 10, True)
    projects = projects_parameter(viewer_of_a.visible_project_ids, connection.vendor)
    web1 = str(inventory["web1"].id)
    params = [projects if key == PROJECTS else web1 for key in compiled.translation.keys]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + compiled.translation.sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + compiled.translation.sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())

    if connection.vendor == "postgresql":
        # With this little data PostgreSQL may as well take the project index: no table scan.
        assert "Index" in plan
        assert "Seq Scan on inventory_instance" not in plan
    else:
        assert "query_instances_id" in plan


def test_only_a_table_read_by_a_condition_that_could_fail_is_fenced(db):
    sql = (
        "select i.name, f.name from instances i join flavors f on f.id = i.flavor_id "
        "where i.name regexp :name: and f.vcpus > 1"
    )
    (compiled,) = compile_sql(sql, connection.vendor, 10, True)

    fenced, rest = compiled.translation.sql.split(" OFFSET 0")
    assert '"query_instances"' in fenced and '"query_flavors"' not in fenced
    assert "OFFSET 0" not in rest


@pytest.mark.parametrize(
    "function", ["concat(name, :x:)", "join(:x:, name, name)", "replace(name, 'e', :x:)"]
)
def test_a_condition_building_a_longer_string_is_fenced(db, function):
    """Past QUERY_MAX_BYTES the string fails (SQLite's length limit): whether it does on a row
    of another project would tell how long its name is, or how many of a letter it holds."""
    sql = f"select name from instances where char_length({function}) > 100"
    (compiled,) = compile_sql(sql, connection.vendor, 10, True)

    assert "OFFSET 0" in compiled.translation.sql


@pytest.mark.parametrize(
    "sql",
    [
        "select i.name from instances i join flavors f on f.id = i.flavor_id "
        "where lower(f.name) like 'm1%' and i.state in ('error', 'shutoff')",
        "select name from instances i where exists (select 1 from instance_metadata m "
        "where m.instance_id = i.id and m.value between 'a' and 'z') order by name limit 5",
        "select state, count(*) from instances where name is not null group by state",
    ],
)
def test_leakproof_conditions_leave_tables_to_the_planner(db, sql):
    (compiled,) = compile_sql(sql, connection.vendor, 10, True)

    assert "OFFSET 0" not in compiled.translation.sql
    assert compiled.translation.keys.count(PROJECTS) >= 1


def test_a_table_joined_on_the_key_it_is_seen_through_needs_no_filter_of_its_own(db):
    sql = "select m.value from instances i join instance_metadata m on m.instance_id = i.id"
    (compiled,) = compile_sql(sql, connection.vendor, 10, True)

    (one_filter,) = compile_sql("select name from instances", connection.vendor, 10, True)
    assert compiled.translation.keys == one_filter.translation.keys  # the instances' only
    (alone,) = compile_sql("select value from instance_metadata", connection.vendor, 10, True)
    assert alone.translation.keys == one_filter.translation.keys  # through the instances'
    assert "query_instances" in alone.translation.sql


def test_an_in_subquery_of_visible_rows_is_copied_into_the_fence(viewer_of_a, inventory):
    sql = (
        "select name from instances where name regexp '-1' "
        "and flavor_id in (select id from flavors where vcpus >= 1)"
    )
    (compiled,) = compile_sql(sql, connection.vendor, 10, True)

    fenced = compiled.translation.sql.split(" OFFSET 0")[0]
    assert '"query_instances"."flavor_id" IN (SELECT' in fenced
    assert rows(sql, access=viewer_of_a) == rows(
        sql + " and project_id in (select id from projects)", access=viewer_of_a
    )


def test_a_correlated_in_subquery_stays_out_of_the_fence(db):
    sql = (
        "select name from instances i where name regexp '-1' "
        "and flavor_id in (select id from flavors f where f.name = i.name)"
    )
    (compiled,) = compile_sql(sql, connection.vendor, 10, True)

    fenced = compiled.translation.sql.split(" OFFSET 0")[0]
    assert '"query_instances"."flavor_id" IN' not in fenced
