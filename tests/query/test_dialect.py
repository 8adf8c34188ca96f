"""Every feature of the dialect, with the same expected rows on SQLite and PostgreSQL."""

import pytest

from .helpers import one, rows, run, same

pytestmark = pytest.mark.django_db

NAMES = "select name from instances"
# (sql, expected rows); ordered results unless the query says nothing of order.
CASES = [
    # select list
    ("select 1", [[1]]),
    ("select 1 + 2 * 3", [[7]]),
    ("select (1 + 2) * 3", [[9]]),
    ("select 'text'", [["text"]]),
    ("select null", [[None]]),
    ("select true, false", [[True, False]]),
    ("select name as n from flavors order by n", [["m1.large"], ["m1.tiny"]]),
    ("select name n from flavors order by n desc", [["m1.tiny"], ["m1.large"]]),
    ("select f.name from flavors f order by f.name", [["m1.large"], ["m1.tiny"]]),
    ("select `name` from flavors order by `name`", [["m1.large"], ["m1.tiny"]]),
    ("SELECT NAME FROM FLAVORS ORDER BY NAME", [["m1.large"], ["m1.tiny"]]),
    # WHERE comparisons
    (f"{NAMES} where name = 'web-1'", [["web-1"]]),
    (f"{NAMES} where name != 'web-1' order by name", [["Selenium-1"], ["db-1"], ["web-2"]]),
    (
        f"{NAMES} where name <> 'web-1' and name <> 'web-2' order by name",
        [["Selenium-1"], ["db-1"]],
    ),
    ("select name from flavors where vcpus > 2", [["m1.large"]]),
    ("select name from flavors where vcpus >= 4", [["m1.large"]]),
    ("select name from flavors where vcpus < 4", [["m1.tiny"]]),
    ("select name from flavors where vcpus <= 1", [["m1.tiny"]]),
    ("select name from flavors where ram between 1000 and 9000", [["m1.large"]]),
    ("select name from flavors where ram not between 1000 and 9000", [["m1.tiny"]]),
    (f"{NAMES} where flavor_id is null order by name", [["Selenium-1"], ["db-1"]]),
    (f"{NAMES} where image_id is not null order by name", [["Selenium-1"], ["web-1"], ["web-2"]]),
    (f"{NAMES} where state in ('error', 'shutoff') order by name", [["db-1"], ["web-2"]]),
    (f"{NAMES} where state not in ('launched') order by name", [["db-1"], ["web-2"]]),
    # LIKE: case-sensitive, % and _, backslash escapes
    (f"{NAMES} where name like 'web%' order by name", [["web-1"], ["web-2"]]),
    (f"{NAMES} where name like 'WEB%'", []),
    (f"{NAMES} where name like 'web-_'  order by name", [["web-1"], ["web-2"]]),
    (f"{NAMES} where name not like 'web%' order by name", [["Selenium-1"], ["db-1"]]),
    (f"{NAMES} where name like 'selenium%'", []),
    ("select 'a_b' like 'a\\_b', 'axb' like 'a\\_b'", [[True, False]]),
    ("select '50%' like '50\\%', '500' like '50\\%'", [[True, False]]),
    # REGEXP: unanchored, case-sensitive
    (f"{NAMES} where name regexp 'eb' order by name", [["web-1"], ["web-2"]]),
    (f"{NAMES} where name regexp '^w.*2$'", [["web-2"]]),
    (f"{NAMES} where name regexp 'SELENIUM'", []),
    (
        f"{NAMES} where name regexp '[0-9]' and name not regexp '^w' order by name",
        [["Selenium-1"], ["db-1"]],
    ),
    # logic: AND before OR, XOR, NOT, &&, ||, !
    (f"{NAMES} where name = 'db-1' or name = 'web-1' and state = 'error'", [["db-1"]]),
    (f"{NAMES} where (name = 'db-1' or name = 'web-1') and state = 'error'", [["db-1"]]),
    (f"{NAMES} where name = 'db-1' || name = 'web-2' order by name", [["db-1"], ["web-2"]]),
    (f"{NAMES} where state = 'launched' && name regexp 'web'", [["web-1"]]),
    (f"{NAMES} where !(state = 'launched') order by name", [["db-1"], ["web-2"]]),
    (f"{NAMES} where not state = 'launched' order by name", [["db-1"], ["web-2"]]),
    (
        f"{NAMES} where state = 'launched' xor name regexp 'web' order by name",
        [["Selenium-1"], ["web-2"]],
    ),
    ("select 1 xor 1, 1 xor 0, 0 xor 0", [[False, True, False]]),
    ("select (1 xor null) is null", [[True]]),
    ("select count(*) from flavors where is_public = 1", [[1]]),
    ("select count(*) from flavors where vcpus and has_swap", [[1]]),
    # arithmetic
    ("select 7 + 2, 7 - 2, 7 * 2, 7 / 2", [[9, 5, 14, 3.5]]),
    ("select 7 div 2, 7 mod 2, 7 % 2, -7 div 2", [[3, 1, 1, -3]]),
    ("select 6 & 3, 6 | 3, 6 ^ 3, 1 << 4, 256 >> 4, ~0", [[2, 7, 5, 16, 16, -1]]),
    ("select -(3), - -3, 2 * -3", [[-3, 3, -6]]),
    ("select 1 / 0", [[None]]),
    ("select vcpus * 2 from flavors order by vcpus", [[2], [8]]),
    # ORDER BY, nulls last both ways, LIMIT forms
    (f"{NAMES} order by name", [["Selenium-1"], ["db-1"], ["web-1"], ["web-2"]]),
    (f"{NAMES} order by name desc", [["web-2"], ["web-1"], ["db-1"], ["Selenium-1"]]),
    (
        "select name, flavor_id is null from instances order by state asc, name desc",
        [["db-1", True], ["web-1", False], ["Selenium-1", True], ["web-2", False]],
    ),
    (f"{NAMES} order by name limit 2", [["Selenium-1"], ["db-1"]]),
    (f"{NAMES} order by name limit 1, 2", [["db-1"], ["web-1"]]),
    (f"{NAMES} order by name limit 2 offset 2", [["web-1"], ["web-2"]]),
    (f"{NAMES} order by name limit 0", []),
    (
        "select i.name from instances i left join flavors f on i.flavor_id = f.id "
        "order by f.vcpus asc, i.name",
        [["web-1"], ["web-2"], ["Selenium-1"], ["db-1"]],
    ),
    (
        "select i.name from instances i left join flavors f on i.flavor_id = f.id "
        "order by f.vcpus desc, i.name",
        [["web-2"], ["web-1"], ["Selenium-1"], ["db-1"]],
    ),
    # aggregates, GROUP BY, HAVING, DISTINCT, CASE, IF
    ("select count(*) from instances", [[4]]),
    ("select count(flavor_id), count(distinct image_id) from instances", [[2, 2]]),
    ("select sum(vcpus), min(ram), max(ram), avg(vcpus) from flavors", [[5, 512, 8192, 2.5]]),
    (
        "select state, count(*) from instances group by state order by state",
        [["error", 1], ["launched", 2], ["shutoff", 1]],
    ),
    ("select state, count(*) n from instances group by state having n > 1", [["launched", 2]]),
    (
        "select state, count(*) from instances group by state having count(*) = 1 order by 1",
        [["error", 1], ["shutoff", 1]],
    ),
    ("select distinct state from instances order by state", [["error"], ["launched"], ["shutoff"]]),
    ("select count(*) from (select distinct cloud_id from instances) c", [[2]]),
    (
        "select name, case when vcpus > 2 then 'big' else 'small' end from flavors order by name",
        [["m1.large", "big"], ["m1.tiny", "small"]],
    ),
    (
        "select case state when 'error' then 1 else 0 end e from instances order by e desc, name",
        [[1], [0], [0], [0]],
    ),
    ("select if(vcpus > 2, 'big', 'small') from flavors order by vcpus", [["small"], ["big"]]),
    ("select coalesce(flavor_id, 'none') from instances where name = 'db-1'", [["none"]]),
    ("select ifnull(null, 2), nullif(1, 1), nullif(1, 2)", [[2, None, 1]]),
    ("select sum(vcpus) from flavors where vcpus > 100", [[None]]),
    # subqueries and WITH
    (f"{NAMES} where flavor_id in (select id from flavors where vcpus > 2)", [["web-2"]]),
    (
        f"{NAMES} i where exists (select 1 from instance_networks n where n.instance_id = i.id)",
        [["web-1"]],
    ),
    (f"{NAMES} where flavor_id not in (select id from flavors where vcpus > 2)", [["web-1"]]),
    (
        "select name, (select count(*) from instance_metadata m where m.instance_id = i.id) "
        "from instances i order by name",
        [["Selenium-1", 0], ["db-1", 1], ["web-1", 1], ["web-2", 0]],
    ),
    ("select s.n from (select name n from flavors) s order by s.n", [["m1.large"], ["m1.tiny"]]),
    (
        "with big as (select id from flavors where vcpus > 2) "
        "select i.name from instances i join big on i.flavor_id = big.id",
        [["web-2"]],
    ),
    ("with a as (select 1 x), b as (select x + 1 y from a) select y from b", [[2]]),
    (
        "with recursive r(n) as (select 1 union all select n + 1 from r where n < 4) "
        "select sum(n) from r",
        [[10]],
    ),
    ("select null <=> null, 1 <=> null, 1 <=> 1", [[True, False, True]]),
    ("select name from flavors intersect select 'm1.tiny'", [["m1.tiny"]]),
    ("select name from flavors except select 'm1.tiny'", [["m1.large"]]),
    (
        "select distinct cloud_id, state from instances order by cloud_id, state",
        [["alpha", "error"], ["alpha", "launched"], ["alpha", "shutoff"], ["beta", "launched"]],
    ),
    ("select 1 union select 1", [[1]]),
    ("select 1 union all select 1", [[1], [1]]),
    (
        "select name from flavors union select name from images order by name",
        [["cirros"], ["m1.large"], ["m1.tiny"], ["ubuntu"]],
    ),
    # comments and surrounding whitespace
    ("  select /* a comment */ 1 -- and another\n", [[1]]),
    ("select 1 # MySQL's comment", [[1]]),
]


@pytest.mark.parametrize(("sql", "expected"), CASES)
def test_query_returns_the_expected_rows(inventory, sql, expected):
    assert same(rows(sql), expected)


def test_star_returns_every_column_in_the_original_order(inventory):
    result = one("select * from availability_zones")

    assert result["data"]["columnName"] == ["name", "project_id"]
    assert rows("select * from availability_zones") == [["nova", str(inventory["one"].id)]]


def test_table_star_expands_one_table(inventory):
    result = one(
        "select f.*, i.name from instances i join flavors f on i.flavor_id = f.id "
        "where i.name = 'web-1'"
    )

    assert result["data"]["columnName"][:3] == ["id", "project_id", "name"]
    assert result["data"]["columnName"][-1] == "i.name"
    assert result["data"]["row"][0]["value"][2] == "m1.tiny"


def test_nulls_sort_last_in_both_directions(inventory):
    ascending = rows("select flavor_id from instances order by flavor_id")
    descending = rows("select flavor_id from instances order by flavor_id desc")

    assert ascending[-2:] == [[None], [None]]
    assert descending[-2:] == [[None], [None]]


def test_explain_returns_the_plan_in_one_task_column(inventory):
    result = one("explain select * from instances where name = 'web-1'")

    assert result["status"] == "success"
    assert result["data"]["columnName"] == ["task"]
    assert result["count"] >= 1
    assert all(isinstance(row["value"][0], str) for row in result["data"]["row"])


def test_several_statements_give_one_result_each(inventory):
    results = run("select 1; select 'a;b' ;select 3;")

    assert [r["data"]["row"][0]["value"] for r in results] == [[1], ["a;b"], [3]]
