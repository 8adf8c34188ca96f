import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.clouds.choices import SyncKind
from apps.clouds.services import import_clouds, queue_syncs
from openstack_simulator import Options, Simulator
from openstack_simulator.clouds_yaml import write_clouds_yaml

# The simulator keeps its cloud in memory only.
RESETS = (
    "The demo cloud starts afresh each time: what was done to it before (renames, launches, "
    "deletions) is gone, and its next sync makes the inventory follow."
)


class Command(BaseCommand):
    help = (
        "Serve a simulated OpenStack cloud, register it as the cloud `simulator` and queue its "
        "first sync; runs until stopped (`make run` starts it). " + RESETS
    )

    def add_arguments(self, parser):
        parser.add_argument("--servers", type=int, default=300)
        parser.add_argument("--port", type=int, default=0, help="0 picks a free port.")
        parser.add_argument(
            "--delay", type=float, default=2.0, help="Seconds an action takes in the cloud."
        )

    def handle(self, *args, servers, port, delay, **options):
        logging.getLogger("openstack_simulator").setLevel(logging.WARNING)
        options = Options(servers=servers, projects=1, delay=delay)
        simulator = Simulator(options, port=port).start()
        clouds_yaml = settings.VAR_DIR / "simulator-clouds.yaml"
        write_clouds_yaml(clouds_yaml, simulator)
        for cloud, _ in import_clouds(clouds_yaml.read_text()):
            queue_syncs(cloud, [SyncKind.CATALOG, SyncKind.INSTANCES])
        self.stdout.write(
            f"Demo cloud `simulator` at {simulator.auth_url} ({servers} servers in "
            f"{', '.join(simulator.cloud.regions)}); its first sync is queued. {RESETS}"
        )
        stopped = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopped.set())
        stopped.wait()
        simulator.stop()
