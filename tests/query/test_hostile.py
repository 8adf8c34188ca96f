"""Hostile input: every statement here is refused, and the database is the same afterwards;
seen as a viewer of project A, nothing ever shows a row of another project."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection

from apps.inventory.models import Cloud, Flavor, Instance

from .helpers import named, never_shown, run

pytestmark = pytest.mark.django_db

WRITES = [
    "insert into instances values (1)",
    "insert into inventory_instance (name) values ('x')",
    "update instances set name = 'x'",
    "delete from instances",
    "replace into instances values (1)",
    "drop table inventory_cloud",
    "drop view query_instances",
    "create table x (a int)",
    "create view v as select 1",
    "create temporary table t as select * from instances",
    "create index i on inventory_instance (name)",
    "alter table inventory_cloud add column x int",
    "truncate table inventory_instance",
    "truncate inventory_instance",
    "with x as (delete from instances returning id) select * from x",
    "with x as (update instances set name = 'x' returning id) select * from x",
    "with x as (insert into instances (name) values ('x') returning id) select * from x",
    "select * into copied from instances",
    "select 1 into @x",
    "select * from instances into outfile '/tmp/out'",
    "select * from instances into dumpfile '/tmp/out'",
    "select * from instances for update",
    "select * from instances for share",
    "select * from instances lock in share mode",
    "grant all on instances to public",
    "revoke all on instances from public",
    "merge into instances using flavors on 1 = 1 when matched then delete",
    "call anything()",
    "do sleep(1)",
    "handler instances open",
    "load data infile '/etc/passwd' into table instances",
    "rename table instances to x",
    "lock tables instances write",
    "unlock tables",
    "begin",
    "commit",
    "rollback",
    "start transaction",
    "savepoint a",
    "set @x = 1",
    "set global max_connections = 1",
    "set session statement_timeout = 0",
    "set role postgres",
    "reset role",
    "set transaction read write",
    "pragma query_only = 0",
    "pragma writable_schema = 1",
    "attach database '/tmp/x.db' as x",
    "detach database main",
    "vacuum",
    "analyze",
    "reindex",
    "copy inventory_cloud to '/tmp/out'",
    "copy (select 1) to program 'id'",
    "notify x",
    "prepare s as select 1",
    "execute s",
    "explain analyze select * from instances",
    "explain delete from instances",
    "describe instances",
    "show tables",
    "use mysql",
    "kill 1",
    "flush privileges",
    "create function f() returns int as 'select 1' language sql",
]
OUTSIDE_THE_INVENTORY = [
    "select * from sqlite_master",
    "select * from sqlite_schema",
    "select * from sqlite_temp_master",
    "select * from main.sqlite_master",
    "select * from pg_catalog.pg_tables",
    "select * from pg_tables",
    "select * from pg_user",
    "select * from pg_shadow",
    "select * from pg_authid",
    "select * from information_schema.tables",
    "select * from information_schema.columns",
    "select * from auth_user",
    "select password from auth_user",
    "select * from django_session",
    "select * from django_migrations",
    "select * from inventory_cloud",
    "select password from inventory_cloud",
    "select * from public.inventory_cloud",
    "select * from query_instances",
    "select * from `inventory_cloud`",
    'select * from "inventory_cloud"',
    "select * from INVENTORY_CLOUD",
    "select * from instances join auth_user on 1 = 1",
    "select (select password from auth_user limit 1)",
    "select * from instances where name in (select session_key from django_session)",
    "select * from (select * from inventory_cloud) x",
    "with c as (select * from inventory_cloud) select * from c",
    "select * from (with auth_user as (select 1) select 1) s, auth_user",
    "with recursive x as (select * from sqlite_master) select * from x",
    "with query_instances as (select 1 as id) select * from instances",
    "select * from instances natural join auth_user",
    "select * from instances as auth_user join auth_user on 1 = 1",
    "select * from dual",
    "select * from generate_series(1, 10)",
    "select * from json_each('[1]')",
    "select * from pragma_table_info('auth_user')",
    "select * from unnest(array[1])",
    "select * from instances, lateral (select * from auth_user) x",
    "select instances.id from main.instances",
    "select main.instances.id from instances",
]
FUNCTIONS = [
    "select sleep(10)",
    "select benchmark(100000000, md5('a'))",
    "select pg_sleep(10)",
    "select load_file('/etc/passwd')",
    "select pg_read_file('/etc/passwd')",
    "select pg_read_binary_file('/etc/passwd')",
    "select lo_import('/etc/passwd')",
    "select pg_ls_dir('.')",
    "select set_config('role', 'postgres', false)",
    "select current_setting('data_directory')",
    "select pg_terminate_backend(1)",
    "select load_extension('/tmp/x.so')",
    "select readfile('/etc/passwd')",
    "select writefile('/tmp/x', 'y')",
    "select sqlite_version()",
    "select randomblob(1000000000)",
    "select zeroblob(1000000000)",
    "select md5('x')",
    "select django_date_extract('year', '2020-01-01')",
    "select regexp('a', 'b')",
    "select query_crc32('x')",
    "select current_user",
    "select user()",
    "select database()",
    "select @@version",
    "select @x",
    "select dblink('host=x', 'select 1')",
    "select txid_current()",
    "select nextval('x')",
    "select cast(name as char) from instances",
    "select convert('a' using utf8)",
    "select json_extract('{}', '$')",
    "select row_number() over () from instances",
    "select * from instances use index (x)",
    "select * from instances partition (p0)",
    "select interval 1 day",
]
TRICKS = [
    "select 1 /* unterminated",
    "select 'unterminated",
    "select `unterminated",
    "/*!50000 drop table inventory_cloud */",
    "\uff53\uff45\uff4c\uff45\uff43\uff54 1",  # full-width letters
    "select * from \u0430uth_user",  # a Cyrillic a
    "dr\u200bop table inventory_cloud",
    "select 1\u037e drop table inventory_cloud",  # a Greek question mark, like ;
    "select 1 \uff1b drop table inventory_cloud",  # a full-width semicolon
    "select 1\x00; drop table inventory_cloud",
    "\u202edelete from instances",
    "select * from auth\u00aduser",
    "select * from \u026anstances",  # a small capital I
    "select " + "1 + " * 20000 + "1",
    "(" * 5000 + "select 1" + ")" * 5000,
    "select * from " + "x" * 200_000,
    "select :x",
    "select 1 :: int",
]
HOSTILE = WRITES + OUTSIDE_THE_INVENTORY + FUNCTIONS + TRICKS
# A harmless statement first, then a hostile one: only the first may run.
SMUGGLED = [
    "select 1; drop table inventory_cloud",
    "select 1; delete from instances",
    "select 1 /* */; delete from instances",
    "select 1 -- \n; update instances set name = 'x'",
    "select 1 #\n; update instances set name = 'x'",
    "select ';'; drop table inventory_cloud",
    "select '\\';'; delete from instances",
    "select 1;\n\npragma query_only = 0",
    "select 1; attach database '/tmp/x.db' as x",
    "select 1; select * from auth_user",
    "select * from instances; delete from instances",
    "select * from clouds, projects; select * from query_clouds",
    "with x as (select * from images) select * from x; select * from inventory_image",
]


def fingerprint():
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor, include_views=True))
    return (
        tables,
        list(Cloud.objects.order_by("name").values_list("name", "password", "username")),
        list(Instance.objects.order_by("name").values_list("id", "name", "state")),
        list(Flavor.objects.order_by("name").values_list("name", "vcpus")),
        list(get_user_model().objects.values_list("username", "password")),
        Session.objects.count(),
    )


@pytest.fixture
def seen_as(viewer_of_a, project_b) -> list[tuple]:
    """(access, what results must not show): unrestricted, then as a viewer of project A, who
    sees no row of another project."""
    return [(None, set()), (viewer_of_a, project_b)]


@pytest.fixture
def unchanged(seen_as):
    get_user_model().objects.create_user("admin", password="secret-password")
    before = fingerprint()
    yield
    assert fingerprint() == before


def test_there_are_more_than_a_hundred_hostile_inputs():
    assert len(HOSTILE) + len(SMUGGLED) > 100


@pytest.mark.parametrize("sql", HOSTILE, ids=lambda sql: sql[:60])
def test_hostile_statement_is_refused(unchanged, seen_as, sql):
    for access, hidden in seen_as:
        results = run(sql, access=access)

        assert results
        assert all(result["status"] != "success" for result in results), results
        assert all(result["message"] for result in results)
        never_shown(results, hidden)


@pytest.mark.parametrize("sql", SMUGGLED, ids=lambda sql: sql[:60])
def test_statement_smuggled_after_another_is_refused(unchanged, seen_as, sql):
    for access, hidden in seen_as:
        results = run(sql, access=access)

        first, *others = results
        assert first["status"] == "success"
        assert others and all(result["status"] != "success" for result in others)
        never_shown(results, hidden)


@pytest.mark.parametrize(
    "value",
    ["'; drop table inventory_cloud; --", "x') or ('1'='1", "\\'; delete from instances; #"],
)
def test_hostile_parameter_value_is_only_a_value(unchanged, seen_as, value):
    sql = "select count(*) from instances where name = :v:"
    for access, _ in seen_as:
        (result,) = run(sql, [named("v", value)], access)

        assert result["data"]["row"] == [{"value": [0]}]


def test_connection_can_write_again_after_a_query(inventory):
    run("select * from instances")

    Cloud.objects.filter(name="alpha").update(username="changed")

    assert Cloud.objects.get(name="alpha").username == "changed"
