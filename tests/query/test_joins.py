"""Joins of every kind, the Perspective shell's listings, and aggregates over joins."""

import pytest

from .helpers import named, one, rows, same

pytestmark = pytest.mark.django_db

SHELL_INSTANCES = """
    select instances.id, instances.real_id, instances.name, projects.id, projects.name,
           instances.cloud_id, instances.cloud_type, images.name, flavors.name,
           instances.addresses, instances.state, instances.last_updated
    from instances
    inner join projects on instances.project_id = projects.id
    left join flavors on instances.flavor_id = flavors.id
        and instances.project_id = flavors.project_id
    left join images on instances.image_id = images.id
    where instances.name regexp :name: and projects.name like :project:
    order by instances.name
"""
JOIN_NAMES = "select i.name, f.name from instances i {join} flavors f {on} order by i.name, f.name"

CASES = [
    (
        JOIN_NAMES.format(join="join", on="on i.flavor_id = f.id"),
        [["web-1", "m1.tiny"], ["web-2", "m1.large"]],
    ),
    (
        JOIN_NAMES.format(join="inner join", on="on i.flavor_id = f.id"),
        [["web-1", "m1.tiny"], ["web-2", "m1.large"]],
    ),
    (
        JOIN_NAMES.format(join="left join", on="on i.flavor_id = f.id"),
        [["Selenium-1", None], ["db-1", None], ["web-1", "m1.tiny"], ["web-2", "m1.large"]],
    ),
    (
        JOIN_NAMES.format(join="left outer join", on="on i.flavor_id = f.id and f.vcpus > 2"),
        [["Selenium-1", None], ["db-1", None], ["web-1", None], ["web-2", "m1.large"]],
    ),
    (
        "select i.name, f.name from flavors f right join instances i on i.flavor_id = f.id "
        "order by i.name",
        [["Selenium-1", None], ["db-1", None], ["web-1", "m1.tiny"], ["web-2", "m1.large"]],
    ),
    ("select count(*) from instances cross join flavors", [[8]]),
    ("select count(*) from instances, flavors", [[8]]),
    (
        "select i.name from instances i, flavors f where i.flavor_id = f.id and f.vcpus = 1",
        [["web-1"]],
    ),
    (
        "select i.name, k from instances i join (select instance_id id, value k "
        "from instance_metadata) m using (id) order by i.name",
        [["db-1", "db"], ["web-1", "web"]],
    ),
    (
        "select name, tag from projects join (select id, 'x' tag from projects) p using (id) "
        "order by name limit 1",
        [["alpha_RegionOne", "x"]],
    ),
    ("select count(*) from instance_metadata natural join (select 'role' as key) k", [[2]]),
    (
        "select i.name from instances i natural join (select name, state from instances "
        "where state = 'error') e",
        [["db-1"]],
    ),
    ("select count(*) from image_metadata natural join images", [[2]]),
    (
        "select i.name, n.name from instances i join instance_networks l on l.instance_id = i.id "
        "join networks n on n.id = l.network_id",
        [["web-1", "net-a"]],
    ),
    (
        "select n.name, s.cidr from networks n join network_subnets s on s.network_id = n.id",
        [["net-a", "10.0.0.0/24"]],
    ),
    (
        "select p.name, i.name from project_images pi join projects p on p.id = pi.project_id "
        "join images i on i.id = pi.image_id order by p.name",
        [
            ["alpha_RegionOne", "ubuntu"],
            ["alpha_RegionTwo", "ubuntu"],
            ["beta_RegionOne", "cirros"],
        ],
    ),
    (
        "select a.name, b.name from instances a join instances b on a.project_id = b.project_id "
        "and a.name < b.name",
        [["web-1", "web-2"]],
    ),
    (
        "select p.name, q.instances, q.vcpus from projects p join project_quota q "
        "on q.project_id = p.id",
        [["alpha_RegionOne", "2/10", "5/20"]],
    ),
    (
        "select p.name, count(i.id) from projects p left join instances i on i.project_id = p.id "
        "group by p.name order by p.name",
        [["alpha_RegionOne", 2], ["alpha_RegionTwo", 1], ["beta_RegionOne", 1]],
    ),
    (
        "select i.state, p.name, count(*) from instances i join projects p on p.id = i.project_id "
        "group by i.state, p.name order by p.name, i.state",
        [
            ["launched", "alpha_RegionOne", 1],
            ["shutoff", "alpha_RegionOne", 1],
            ["error", "alpha_RegionTwo", 1],
            ["launched", "beta_RegionOne", 1],
        ],
    ),
    (
        "select c.name, sum(f.vcpus) from clouds c join instances i on i.cloud_id = c.id "
        "join flavors f on f.id = i.flavor_id group by c.name",
        [["alpha", 5]],
    ),
    (
        "select c.id, c.type, count(p.id) from clouds c left join projects p on p.cloud_id = c.id "
        "group by c.id, c.type order by c.id",
        [["alpha", "openstack", 2], ["beta", "openstack", 1]],
    ),
]


@pytest.mark.parametrize(("sql", "expected"), CASES)
def test_join_returns_the_expected_rows(inventory, sql, expected):
    assert same(rows(sql), expected)


def test_shell_listing_filters_by_regexp_and_like(inventory):
    result = one(SHELL_INSTANCES, [named("name", "^web"), named("project", "alpha_%")])

    assert result["status"] == "success"
    assert result["data"]["columnName"] == [
        "instances.id",
        "instances.real_id",
        "instances.name",
        "projects.id",
        "projects.name",
        "instances.cloud_id",
        "instances.cloud_type",
        "images.name",
        "flavors.name",
        "instances.addresses",
        "instances.state",
        "instances.last_updated",
    ]
    web1 = inventory["web1"]
    assert result["data"]["row"][0]["value"] == [
        str(web1.id),
        web1.real_id,
        "web-1",
        str(web1.project_id),
        "alpha_RegionOne",
        "alpha",
        "openstack",
        "ubuntu",
        "m1.tiny",
        "10.0.0.1\nfd00::1",
        "launched",
        "2026-01-01T13:00:00+00:00",
    ]
    assert [row["value"][2] for row in result["data"]["row"]] == ["web-1", "web-2"]


def test_shell_listing_keeps_instances_without_flavor_or_image(inventory):
    found = rows(SHELL_INSTANCES, [named("name", "db"), named("project", "%")])

    assert [row[2] for row in found] == ["db-1"]
    assert found[0][7:10] == [None, None, ""]


def test_using_column_is_not_ambiguous(inventory):
    found = rows(
        "select id, i.name from instances i join (select instance_id id from instance_metadata "
        "where value = 'web') m using (id)"
    )

    assert found == [[str(inventory["web1"].id), "web-1"]]
