import json
import urllib.error
import urllib.request

import openstack.exceptions
import pytest


def _requests_to(simulator, path: str) -> list[dict]:
    return [r for r in simulator.control.requests() if r["path"].startswith(path)]


def test_flavors_have_nova_fields(conn):
    flavors = {flavor.name: flavor for flavor in conn.compute.flavors()}
    assert {"m1.tiny", "m1.small", "m1.medium", "m1.large", "m1.xlarge"} <= set(flavors)
    small = flavors["m1.small"]
    assert (small.id, small.vcpus, small.ram, small.disk) == ("2", 1, 2048, 20)


def test_unknown_flavor_is_404(conn):
    with pytest.raises(openstack.exceptions.NotFoundException):
        conn.compute.get_flavor("nope")


def test_images_are_paged_with_next(simulator, conn):
    every = list(conn.image.images())
    paged = list(conn.image.images(limit=5))
    assert [image.id for image in paged] == [image.id for image in every]
    pages = _requests_to(simulator, "/RegionOne/image/v2/images?limit=5")
    assert len(every) == 18
    assert len(pages) == 4  # 5 + 5 + 5 + 3


def test_image_list_links_the_next_page(conn):
    body = conn.image.get("/images?limit=2").json()
    assert body["next"] == f"/v2/images?limit=2&marker={body['images'][-1]['id']}"
    assert body["first"] == "/v2/images"


def test_image_root_answers_300_with_versions(simulator):
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(f"{simulator.base_url}/RegionOne/image")
    assert raised.value.code == 300
    assert json.loads(raised.value.read())["versions"][0]["status"] == "CURRENT"


def test_image_create_show_and_delete(conn):
    created = conn.image.post(
        "/images", json={"name": "uploaded", "disk_format": "qcow2", "container_format": "bare"}
    )
    assert created.status_code == 201
    image_id = created.json()["id"]
    image = conn.image.get_image(image_id)
    assert (image.name, image.status) == ("uploaded", "queued")
    conn.image.delete_image(image_id)
    with pytest.raises(openstack.exceptions.NotFoundException):
        conn.image.get_image(image_id)


def test_networks_and_subnets_are_paged_with_links(simulator, conn):
    networks = list(conn.network.networks(limit=2))
    subnets = list(conn.network.subnets(limit=2))
    assert {network.name for network in networks} >= {"public", "admin-net", "demo-net"}
    assert {subnet.network_id for subnet in subnets} == {network.id for network in networks}
    assert len(_requests_to(simulator, "/RegionOne/network/v2.0/networks")) > 2
    body = conn.network.get("/networks?limit=2").json()
    assert body["networks_links"][0]["rel"] == "next"


def test_public_network_is_external_with_ipv4_and_ipv6_subnets(conn):
    public = conn.network.find_network("public")
    versions = {conn.network.get_subnet(subnet_id).ip_version for subnet_id in public.subnet_ids}
    assert public.is_router_external and versions == {4, 6}


def test_unknown_network_is_404_with_neutron_body(conn):
    response = conn.network.get("/networks/nope")
    assert response.status_code == 404
    assert response.json()["NeutronError"]["type"] == "NetworkNotFound"


def test_keypairs_list_create_and_delete(conn):
    assert [keypair.name for keypair in conn.compute.keypairs()] == ["deploy", "ops", "ci-runner"]
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq8yeiHQ6tbbN5ia5C9QmlkXOAm1C1KdrgrOqjMvYxB t@x"
    created = conn.compute.create_keypair(name="mine", public_key=key)
    assert created.fingerprint.count(":") == 15
    conn.compute.delete_keypair("mine")
    assert "mine" not in [keypair.name for keypair in conn.compute.keypairs()]


def test_availability_zones_with_and_without_hosts(conn):
    zones = list(conn.compute.availability_zones())
    assert [zone.name for zone in zones] == ["nova", "az2"]
    detailed = {zone.name: zone for zone in conn.compute.availability_zones(details=True)}
    assert "internal" in detailed
    assert detailed["nova"].hosts


def test_limits_report_usage_of_the_token_project(conn):
    absolute = conn.compute.get_limits().absolute
    own = list(conn.compute.servers())
    assert absolute.instances_used == len(own)
    assert absolute.instances >= 10


def test_quota_set_with_and_without_usage(conn):
    project = conn.current_project_id
    quota = conn.compute.get_quota_set(project)
    detailed = conn.compute.get_quota_set(project, usage=True)
    assert quota.instances == detailed.instances
    assert detailed.usage["instances"] == len(list(conn.compute.servers()))
    raw = conn.compute.get(f"/os-quota-sets/{project}?usage=True").json()["quota_set"]
    assert set(raw["cores"]) == {"in_use", "limit", "reserved"}


def test_quota_defaults(conn):
    defaults = conn.compute.get_quota_set_defaults(conn.current_project_id)
    assert (defaults.instances, defaults.cores) == (10, 20)
