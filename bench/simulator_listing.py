"""How fast the OpenStack simulator serves big server listings.

Starts ``python -m openstack_simulator`` in a subprocess and reports:
- its startup time with N servers (default 100,000);
- raw ``GET /servers/detail?limit=1000`` pages per second over one keep-alive connection,
  first while each server's JSON is made (cold), then from the cache (warm);
- the time openstacksdk's authenticated adapter takes to read every page of JSON;
- the time ``list(conn.compute.servers())`` takes for fewer servers, to show the cost of
  Resource objects.

Run: .venv/bin/python -m bench.simulator_listing [--servers 100000] [--sdk-objects 5000]
"""

import argparse
import http.client
import itertools
import json
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import openstack

from openstack_simulator.testing import spawned_simulator

ROOT = Path(__file__).resolve().parents[1]
PAGE = 1000


def connect(base_url: str, region: str) -> openstack.connection.Connection:
    auth = {
        "auth_url": f"{base_url}/v3",
        "username": "admin",
        "password": "simulator",
        "project_name": "admin",
        "user_domain_name": "Default",
        "project_domain_name": "Default",
    }
    return openstack.connect(
        auth=auth, region_name=region, load_yaml_config=False, load_envvars=False
    )


def raw_pages(base_url: str, token: str, regions: list[str]) -> tuple[int, int, int, float]:
    """Walk every page over one keep-alive connection; parse only the trailing links."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port)
    pages = servers = size = 0
    started = time.perf_counter()
    for region in regions:
        path = f"/{region}/compute/v2.1/servers/detail?all_tenants=1&limit={PAGE}"
        while path:
            headers = {"X-Auth-Token": token, "OpenStack-API-Version": "compute 2.79"}
            connection.request("GET", path, headers=headers)
            body = connection.getresponse().read()
            pages, size = pages + 1, size + len(body)
            servers += body.count(b'"OS-EXT-STS:vm_state"')
            path = next_path(body)
    connection.close()
    return pages, servers, size, time.perf_counter() - started


def next_path(body: bytes) -> str | None:
    at = body.rfind(b'"servers_links":')
    if at < 0:
        return None
    links = json.loads(body[at + len(b'"servers_links":') : -1])
    href = urlsplit(links[0]["href"])
    return f"{href.path}?{href.query}"


def sdk_pages(conns: list[openstack.connection.Connection]) -> tuple[int, int, float]:
    """Every server through openstacksdk's adapter, reading JSON pages."""
    pages = servers = 0
    started = time.perf_counter()
    for conn in conns:
        url = f"/servers/detail?all_tenants=1&limit={PAGE}"
        while url:
            body = conn.compute.get(url, microversion="2.79").json()
            pages, servers = pages + 1, servers + len(body["servers"])
            links = body.get("servers_links") or []
            url = links[0]["href"] if links else None
    return pages, servers, time.perf_counter() - started


def sdk_objects(conn: openstack.connection.Connection, count: int) -> tuple[int, float]:
    started = time.perf_counter()
    servers = list(itertools.islice(conn.compute.servers(all_projects=True), count))
    return len(servers), time.perf_counter() - started


def resident_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=100_000)
    parser.add_argument("--sdk-objects", type=int, default=5_000)
    args = parser.parse_args()

    started = time.perf_counter()
    with spawned_simulator("--delay", "0", "--servers", str(args.servers)) as spawned:
        startup, base_url = time.perf_counter() - started, spawned.base_url
        print(f"startup with {args.servers:,} servers: {startup:.2f} s (to the banner)")
        conns = [connect(base_url, region) for region in ("RegionOne", "RegionTwo")]
        token = conns[0].auth_token
        for label in ("cold", "warm"):
            pages, servers, size, took = raw_pages(base_url, token, ["RegionOne", "RegionTwo"])
            print(
                f"raw pages ({label}): {pages} pages, {servers:,} servers, "
                f"{size / 2**20:.0f} MiB in {took:.2f} s = {pages / took:.1f} pages/s, "
                f"{size / 2**20 / took:.0f} MiB/s"
            )
        pages, servers, took = sdk_pages(conns)
        print(
            f"openstacksdk adapter, JSON pages: {servers:,} servers in {pages} pages "
            f"in {took:.2f} s = {servers / took:,.0f} servers/s"
        )
        count, took = sdk_objects(conns[0], args.sdk_objects)
        print(
            f"list(conn.compute.servers()) first {count:,}: {took:.2f} s "
            f"= {count / took:,.0f} servers/s"
        )
        print(f"simulator resident memory: {resident_mib(spawned.pid):.0f} MiB")


if __name__ == "__main__":
    main()
