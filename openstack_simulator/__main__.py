"""``python -m openstack_simulator``: serve a simulated cloud until interrupted."""

import argparse
import contextlib
import logging
import sys
import time

from openstack_simulator.clouds_yaml import CLOUD_NAME, write_clouds_yaml
from openstack_simulator.faults import DOWN_MODES, SERVICES
from openstack_simulator.options import DEFAULT_REGIONS, Options
from openstack_simulator.server import Simulator
from openstack_simulator.state import CELLS


def parse_args(argv: list[str]) -> argparse.Namespace:
    defaults = Options()
    parser = argparse.ArgumentParser(
        prog="python -m openstack_simulator",
        description="Serve a simulated OpenStack cloud (Keystone, Nova, Glance, Neutron).",
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    add("--port", type=int, default=5000, help="port; 0 picks a free one (default %(default)s)")
    add("--servers", type=int, default=defaults.servers, help="servers to generate")
    add("--seed", type=int, default=defaults.seed, help="seed of the generated data")
    add("--regions", default=",".join(DEFAULT_REGIONS), help="comma-separated region names")
    add("--projects", type=int, default=defaults.projects, help="projects to generate")
    add("--delay", type=float, default=defaults.delay, help="seconds an action takes")
    add("--max-limit", type=int, default=defaults.max_limit, help="Nova's largest page")
    add("--username", default=defaults.username)
    add("--password", default=defaults.password)
    add("--project-name", default=defaults.project_name)
    add("--token-expiry", type=int, default=defaults.token_expiry, help="token lifetime, s")
    add("--clouds-yaml", metavar="PATH", help=f"write a clouds.yaml with a {CLOUD_NAME!r} cloud")
    add("--latency", type=float, default=0.0, help="fault: seconds added to each request")
    add("--error-rate", type=float, default=0.0, help="fault: share of requests that fail")
    add("--error-status", type=int, default=500, help="fault: status of failed requests")
    add("--retry-after", type=int, default=1, help="fault: Retry-After of a 429 or 503")
    add("--down", action="append", default=[], choices=SERVICES, help="fault: a service down")
    add("--down-mode", choices=DOWN_MODES, default="503", help="fault: how a down service fails")
    add("--token-ttl", type=float, help="fault: tokens fail after this many seconds")
    add("--cell-down", action="append", default=[], choices=CELLS, help="fault: a Nova cell down")
    add("--verbose", action="store_true", help="print each request")
    return parser.parse_args(argv)


def options_from(args: argparse.Namespace) -> Options:
    faults = {
        "latency": args.latency,
        "error_rate": args.error_rate,
        "error_status": args.error_status,
        "retry_after": args.retry_after,
        "down": args.down,
        "down_mode": args.down_mode,
        "token_ttl": args.token_ttl,
        "cells_down": args.cell_down,
    }
    return Options(
        servers=args.servers,
        seed=args.seed,
        regions=tuple(name.strip() for name in args.regions.split(",") if name.strip()),
        projects=args.projects,
        delay=args.delay,
        max_limit=args.max_limit,
        username=args.username,
        password=args.password,
        project_name=args.project_name,
        token_expiry=args.token_expiry,
        faults=faults,
    )


def banner(simulator: Simulator, took: float, clouds_yaml: str | None) -> str:
    """How to reach the simulator: meant for the developer who started it, so it shows
    the password."""
    cloud = simulator.cloud
    options = cloud.options
    credential = next(iter(cloud.identity.app_credentials.values()))
    regions = ", ".join(options.regions)
    lines = [
        f"OpenStack simulator listening on {simulator.base_url} "
        f"({options.servers} servers in {regions}; seed {options.seed}; started in {took:.1f} s)",
        f"  auth_url:  {simulator.auth_url}",
        f"  username:  {options.username}    password: {options.password}",
        f"  project:   {options.project_name}    user and project domain: {options.domain_name}",
        f"  application credential: id {credential.id} secret {credential.secret}",
        f"  control:   {simulator.base_url}/_sim/info",
        "  environment: export "
        f"OS_AUTH_URL={simulator.auth_url} OS_USERNAME={options.username} "
        f"OS_PASSWORD={options.password} OS_PROJECT_NAME={options.project_name} "
        f"OS_USER_DOMAIN_NAME={options.domain_name} "
        f"OS_PROJECT_DOMAIN_NAME={options.domain_name} OS_REGION_NAME={options.regions[0]}",
    ]
    if clouds_yaml:
        use = f"OS_CLIENT_CONFIG_FILE={clouds_yaml} OS_CLOUD={CLOUD_NAME}"
        lines.append(f"  clouds.yaml: {clouds_yaml} (use with {use})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    started = time.perf_counter()
    try:
        simulator = Simulator(options_from(args), args.host, args.port)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.clouds_yaml:
        write_clouds_yaml(args.clouds_yaml, simulator)
    print(banner(simulator, time.perf_counter() - started, args.clouds_yaml), flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        simulator.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
